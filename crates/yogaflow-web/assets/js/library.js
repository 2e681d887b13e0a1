// Makes the library filters live: typing or choosing a filter fetches the same
// page the form would, and swaps in its results. Without this script the form
// simply submits.
const form = document.querySelector("form[data-live-filter]");
const results = document.querySelector("[data-results]");

if (form && results) {
  let timer = 0;
  let controller = null;

  const refresh = async () => {
    const params = new URLSearchParams(new FormData(form));
    for (const [key, value] of [...params]) {
      if (!value) params.delete(key);
    }
    const url = `${form.action}?${params}`;
    controller?.abort();
    controller = new AbortController();
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = doc.querySelector("[data-results]");
      if (fresh) {
        results.replaceChildren(...fresh.childNodes);
        history.replaceState(null, "", url);
      }
    } catch (err) {
      if (err.name !== "AbortError") console.warn("filter update failed", err);
    }
  };

  form.addEventListener("input", (event) => {
    clearTimeout(timer);
    timer = setTimeout(refresh, event.target.type === "search" ? 250 : 0);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    refresh();
  });
}
