// The practice player's preferences on the settings page. They live in this
// browser's localStorage under the same key the player uses ("yf-player"), so
// a change here is what the player starts with next time.
const KEY = "yf-player";
const DEFAULTS = { voice: true, chime: true, pacer: false, rate: 6 };
const form = document.querySelector("form[data-practice-prefs]");

function load() {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(KEY) || "{}") };
  } catch {
    return { ...DEFAULTS };
  }
}

if (form) {
  const status = form.querySelector("[data-prefs-status]");
  const prefs = load();
  for (const input of form.querySelectorAll("[data-pref]")) {
    const name = input.dataset.pref === "bpm" ? "rate" : input.dataset.pref;
    if (input.type === "checkbox") input.checked = Boolean(prefs[name]);
    else input.value = prefs[name];
    input.addEventListener("change", () => {
      const now = load();
      if (input.type === "checkbox") now[name] = input.checked;
      else now[name] = Math.min(12, Math.max(3, Number(input.value) || DEFAULTS.rate));
      try {
        localStorage.setItem(KEY, JSON.stringify(now));
        if (status) status.textContent = "Saved on this device.";
      } catch {
        if (status) status.textContent = "This browser does not let us keep settings.";
      }
    });
  }
  form.addEventListener("submit", (event) => event.preventDefault());
}
