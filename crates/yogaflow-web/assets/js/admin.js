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
