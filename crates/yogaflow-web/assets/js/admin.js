// The upload page: sends the file to the upload API and shows the address to
// paste into a pose, with a preview, instead of leaving the page for JSON.
const form = document.getElementById("upload-form");
const out = document.getElementById("upload-result");

if (form && out) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    out.replaceChildren();
    const say = (text, cls) => {
      const p = document.createElement("p");
      p.className = cls;
      p.textContent = text;
      out.append(p);
    };
    let response;
    try {
      response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    } catch {
      say("The upload did not reach the server. Check your connection and try again.", "form-error");
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (response.status !== 201) {
      say(body.error || `The upload was refused (${response.status}).`, "form-error");
      return;
    }
    say("Uploaded. Paste this address into a pose's image list:", "form-ok");
    const field = document.createElement("input");
    field.type = "text";
    field.readOnly = true;
    field.value = body.url;
    field.setAttribute("aria-label", "Address of the uploaded image");
    const img = document.createElement("img");
    img.src = body.url;
    img.alt = "The uploaded image";
    img.className = "upload-preview";
    out.append(field, img);
    field.select();
  });
}

// The pose form's figure: redraw the preview a moment after each edit of the
// description, through the preview API (nothing is saved until the form is).
// The SVG comes from our own server and carries no script; it is parsed as
// SVG and adopted, so no markup is ever interpreted as HTML.
const figureText = document.getElementById("figure");
const preview = document.getElementById("figure-preview");
const figureStatus = document.getElementById("figure-status");

if (figureText && preview && figureStatus) {
  const caption = document.getElementById("figure-alt");
  let timer = null;
  let asked = 0;
  const note = (messages, cls) => {
    figureStatus.replaceChildren();
    if (!messages.length) return;
    const list = document.createElement("ul");
    list.className = cls;
    for (const m of messages) {
      const li = document.createElement("li");
      li.textContent = m;
      list.append(li);
    }
    figureStatus.append(list);
  };
  const draw = async () => {
    const mine = ++asked;
    if (!figureText.value.trim()) {
      preview.hidden = true;
      note(["No figure: saving an empty description removes the drawing."], "hint");
      return;
    }
    const { status, data } = await globalThis.yf.call("POST", preview.dataset.preview, { figure: figureText.value });
    if (mine !== asked) return; // a newer edit is on its way
    if (status === 200 && data) {
      const doc = new DOMParser().parseFromString(data.svg, "image/svg+xml");
      const svg = doc.documentElement;
      if (svg.nodeName !== "svg") return;
      preview.querySelector("svg")?.remove();
      preview.prepend(document.importNode(svg, true));
      caption.textContent = data.alt;
      preview.hidden = false;
      note(data.problems, "field-error");
      figureText.removeAttribute("aria-invalid");
    } else if (status === 422 && data) {
      note([globalThis.yf.explain(data)], "field-error");
      figureText.setAttribute("aria-invalid", "true");
    } else {
      note([`The preview is not available right now (${status || "no answer"}).`], "hint");
    }
  };
  figureText.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(draw, 250);
  });
}
