// Small behaviours every page may use. Everything here is an enhancement:
// the pages work without it.

// Buttons that ask before doing something that cannot be undone:
// <form data-confirm="Delete this sequence?">.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A password strength meter that explains the rule instead of only colouring a bar.
function rate(pw) {
  let score = 0;
  if (pw.length >= 12) score += 1;
  if (pw.length >= 16) score += 1;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
  if (kinds >= 3) score += 1;
  if (new Set(pw).size >= 8) score += 1;
  return score;
}

for (const input of document.querySelectorAll("input[data-strength]")) {
  const meter = document.getElementById(input.dataset.strength);
  const text = document.getElementById(input.dataset.strength + "-text");
  if (!meter || !text) continue;
  const update = () => {
    const pw = input.value;
    const score = pw ? rate(pw) : 0;
    meter.value = score;
    if (!pw) {
      text.textContent = "Use at least 12 characters. A few unrelated words make a strong, memorable password.";
    } else if (pw.length < 12) {
      text.textContent = `${12 - pw.length} more characters needed (at least 12).`;
    } else if (score < 3) {
      text.textContent = "Long enough, but easy to guess. Add another word or mix in numbers and symbols.";
    } else {
      text.textContent = "Looks strong. We will also check it is not a commonly used password.";
    }
  };
  input.addEventListener("input", update);
  update();
}
