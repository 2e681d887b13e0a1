// My sequences (duplicate, share, stop sharing, delete) and the sequence
// builder (search and add poses, reorder by buttons, keyboard or drag and drop,
// holds and sides, a live total and checklist, save through the API).

const yf = globalThis.yf || {};
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

// An API message as a sentence a person reads.
function sentence(text) {
  const t = String(text || "").trim();
  if (!t) return "";
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function problem(r) {
  if (r.status === 0) return "We could not reach YogaFlow. Check your connection and try again.";
  if (r.status === 401) return "Your session has ended. Please sign in again.";
  if (r.data && r.data.code === "email_not_verified")
    return "Please confirm your email address first: we sent you a link when you signed up.";
  return sentence(yf.explain(r.data));
}

const mine = document.querySelector("[data-mine]");
if (mine && yf.call) mineList(mine);
const form = document.querySelector("[data-builder]");
const bdata = yf.data && yf.data("builder-data");
if (form && bdata && yf.call) builder(form, bdata);

function mineList(root) {
  const status = $("mine-status");
  const dialog = $("delete-dialog");
  let doomed = null;
  const say = (text, state) => {
    status.textContent = text;
    status.dataset.state = state || "";
  };

  async function copy(card) {
    const input = card.querySelector("[data-share-url]");
    try {
      await navigator.clipboard.writeText(input.value);
      say("Link copied.", "saved");
    } catch {
      input.focus();
      input.select();
      const ok = document.execCommand && document.execCommand("copy");
      say(ok ? "Link copied." : "The link is selected: press Ctrl+C (or ⌘C) to copy it.", ok ? "saved" : "");
    }
  }

  function setShared(card, shared, url) {
    card.querySelector("[data-shared-tag]").hidden = !shared;
    card.querySelector("[data-action=unshare]").hidden = !shared;
    const share = card.querySelector("[data-action=share]");
    share.firstChild.textContent = shared ? "New share link" : "Share";
    const box = card.querySelector("[data-share-box]");
    box.hidden = !url;
    card.querySelector("[data-share-url]").value = url || "";
    card.querySelector("[data-share-note]")?.remove();
  }

  for (const b of root.querySelectorAll("button[data-action]")) b.disabled = false;

  root.addEventListener("click", async (event) => {
    const btn = event.target.closest("button[data-action]");
    const card = btn && btn.closest("[data-id]");
    if (!card) return;
    const id = card.dataset.id;
    const action = btn.dataset.action;
    if (action === "delete") {
      doomed = card;
      $("delete-name").textContent = card.dataset.name;
      dialog.showModal();
      return;
    }
    if (action === "copy") return copy(card);
    btn.disabled = true;
    say("Working…", "saving");
    try {
      if (action === "duplicate") {
        const r = await yf.call("POST", `/api/v1/sequences/${id}/duplicate`);
        if (r.status === 201) {
          location.href = `/my-sequences/${r.data.sequence_id}/edit`;
          return;
        }
        say(`Could not copy it. ${problem(r)}`, "error");
      } else if (action === "share") {
        const r = await yf.call("POST", `/api/v1/sequences/${id}/share`);
        if (r.status === 200) {
          setShared(card, true, r.data.share_url);
          const input = card.querySelector("[data-share-url]");
          input.focus();
          input.select();
          say("Share link ready: copy it and send it to anyone you like.", "saved");
        } else say(`Could not share it. ${problem(r)}`, "error");
      } else if (action === "unshare") {
        const r = await yf.call("DELETE", `/api/v1/sequences/${id}/share`);
        if (r.status === 204) {
          setShared(card, false, "");
          card.querySelector("[data-action=share]").focus();
          say("Sharing stopped: the old link no longer opens this sequence.", "saved");
        } else say(`Could not stop sharing. ${problem(r)}`, "error");
      }
    } finally {
      btn.disabled = false;
    }
  });

  dialog.addEventListener("close", async () => {
    const card = doomed;
    doomed = null;
    if (!card) return;
    if (dialog.returnValue !== "delete") {
      card.querySelector("[data-action=delete]").focus();
      return;
    }
    dialog.returnValue = "";
    say("Deleting…", "saving");
    const r = await yf.call("DELETE", `/api/v1/sequences/${card.dataset.id}`);
    if (r.status === 204 || r.status === 404) {
      const next = card.nextElementSibling || card.previousElementSibling;
      card.remove();
      say(`Deleted “${card.dataset.name}”.`, "saved");
      (next ? next.querySelector("h2 a") : document.querySelector("[data-testid=new-sequence]"))?.focus();
    } else {
      say(`Could not delete it. ${problem(r)}`, "error");
    }
  });
}

function builder(form, data) {
  const rules = data.rules;
  const poses = new Map(data.poses.map((p) => [p.id, p]));
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const search = data.poses.map((p) => fold(`${p.name} ${p.sanskrit}`));
  const seq = data.sequence;
  const ui = {
    name: $("seq-name"),
    description: $("seq-description"),
    difficulty: $("seq-difficulty"),
    focus: $("seq-focus"),
    style: $("seq-style"),
    transition: $("seq-transition"),
    search: $("pose-search"),
    category: $("pose-category"),
    results: $("pose-results"),
    count: $("pose-count"),
    slots: $("slot-list"),
    empty: $("slot-empty"),
    total: $("total-time"),
    slotCount: $("slot-count"),
    rules: $("rules"),
    save: $("builder-save"),
    errors: $("builder-errors"),
    status: $("builder-status"),
    announce: $("builder-announce"),
    zone: form.querySelector(".builder-sequence"),
  };
  let nextKey = 1;
  let dirty = false;
  let rows = [];

  const announce = (text) => {
    ui.announce.textContent = "";
    setTimeout(() => (ui.announce.textContent = text), 50);
  };

  // Stored slots become rows; a right side followed by the same pose's left
  // side, held as long, reads as one "both sides" row.
  if (seq) {
    const s = seq.slots;
    for (let i = 0; i < s.length; i++) {
      const pose = poses.get(s[i].pose_id);
      if (!pose) continue;
      const pair = s[i + 1];
      if (
        s[i].side === "right" &&
        pair &&
        pair.pose_id === s[i].pose_id &&
        pair.side === "left" &&
        pair.seconds === s[i].seconds &&
        pair.note === s[i].note
      ) {
        rows.push({ key: nextKey++, pose, seconds: s[i].seconds, side: "both", note: s[i].note });
        i++;
      } else {
        rows.push({ key: nextKey++, pose, seconds: s[i].seconds, side: s[i].side, note: s[i].note });
      }
    }
  }

  const newRow = (pose) => ({ key: nextKey++, pose, seconds: pose.hold, side: pose.sided ? "both" : null, note: "" });
  const width = (r) => (r.side === "both" ? 2 : 1);
  const sideText = (side) => (side === "both" ? "both sides" : side ? `${side} side` : "");

  // ---- the pose library ----
  function renderResults() {
    const words = fold(ui.search.value).split(/\s+/).filter(Boolean);
    const cat = ui.category.value;
    const found = data.poses.filter((p, i) => (!cat || p.category === cat) && words.every((w) => search[i].includes(w)));
    ui.results.replaceChildren(
      ...found.map((p) =>
        el(
          "li",
          { draggable: "true", "data-pose": p.id, class: "pose-choice" },
          el(
            "span",
            { class: "grow" },
            el("strong", { text: p.name }),
            " ",
            el("span", { class: "sanskrit", lang: "sa-Latn", text: p.sanskrit }),
            el("br"),
            el("span", { class: "muted", text: `${p.category_label} · ${yf.duration(p.hold)}${p.sided ? " · each side" : ""}` }),
          ),
          el("button", { type: "button", class: "icon-button add-button", "data-add": p.id, "aria-label": `Add ${p.name}`, text: "Add" }),
        ),
      ),
    );
    ui.count.textContent = `${found.length} ${found.length === 1 ? "pose" : "poses"}`;
  }

  // ---- the sequence ----
  function renderSlots(focus) {
    ui.slots.replaceChildren(
      ...rows.map((r, i) => {
        const id = `slot-${r.key}`;
        const controls = el(
          "div",
          { class: "slot-controls" },
          el(
            "div",
            { class: "slot-field" },
            el("label", { for: `${id}-hold` }, "Hold (s)", el("span", { class: "visually-hidden", text: ` for ${r.pose.name}` })),
            el("input", {
              type: "number",
              id: `${id}-hold`,
              min: rules.min_hold,
              max: rules.max_hold,
              step: 5,
              value: r.seconds,
              inputmode: "numeric",
              "data-part": "hold",
              "aria-describedby": `${id}-err`,
            }),
          ),
        );
        if (r.pose.sided) {
          const select = el(
            "select",
            { id: `${id}-side`, "data-part": "side" },
            ...["both", "right", "left"].map((v) =>
              el("option", { value: v, selected: r.side === v, text: v === "both" ? "Both sides" : v === "right" ? "Right" : "Left" }),
            ),
          );
          controls.append(
            el(
              "div",
              { class: "slot-field" },
              el("label", { for: `${id}-side` }, "Side", el("span", { class: "visually-hidden", text: ` for ${r.pose.name}` })),
              select,
            ),
          );
        }
        controls.append(
          el("button", { type: "button", class: "icon-button", "data-part": "up", "aria-label": `Move ${r.pose.name} up`, text: "↑" }),
          el("button", { type: "button", class: "icon-button", "data-part": "down", "aria-label": `Move ${r.pose.name} down`, text: "↓" }),
          el("button", { type: "button", class: "icon-button", "data-part": "remove", "aria-label": `Remove ${r.pose.name}`, text: "✕" }),
        );
        return el(
          "li",
          { class: "slot-row", draggable: "true", "data-key": r.key, "aria-label": `${i + 1}. ${r.pose.name}` },
          el("span", { class: "slot-handle", "aria-hidden": "true", text: `${i + 1}` }),
          el(
            "span",
            { class: "grow slot-name" },
            el("strong", { text: r.pose.name }),
            el("br"),
            el("span", { class: "sanskrit", lang: "sa-Latn", text: r.pose.sanskrit }),
          ),
          controls,
          el("p", { class: "field-error slot-error", id: `${id}-err` }),
        );
      }),
    );
    ui.empty.hidden = rows.length > 0;
    if (focus) ui.slots.querySelector(`[data-key="${focus.key}"] [data-part="${focus.part}"]`)?.focus();
    update();
  }

  function settings() {
    return {
      name: ui.name.value.trim(),
      description: ui.description.value,
      transition: Number(ui.transition.value),
    };
  }

  function checks() {
    const s = settings();
    const count = rows.reduce((n, r) => n + width(r), 0);
    const holds = rows.reduce((n, r) => n + r.seconds * width(r), 0);
    const total = holds + (Number.isFinite(s.transition) ? s.transition : 0) * Math.max(0, count - 1);
    const holdOk = rows.every((r) => Number.isInteger(r.seconds) && r.seconds >= rules.min_hold && r.seconds <= rules.max_hold);
    const tOk = Number.isInteger(s.transition) && ui.transition.value !== "" && s.transition >= 0 && s.transition <= rules.transition_max;
    const list = [
      { field: "name", ok: s.name.length >= 1 && [...s.name].length <= rules.name_max, text: `A name of 1 to ${rules.name_max} characters` },
      { field: "poses", ok: count >= rules.min_slots, text: `At least ${rules.min_slots} poses (each side counts as one)` },
      { field: "poses", ok: count <= rules.max_slots, text: `At most ${rules.max_slots} poses` },
      { field: "holds", ok: holdOk, text: `Every pose is held ${rules.min_hold} to ${rules.max_hold} seconds` },
      { field: "poses", ok: holds <= rules.max_total && Math.ceil(total / 60) <= rules.max_total / 60, text: `The whole practice lasts at most ${rules.max_total / 60} minutes` },
      { field: "transition_seconds", ok: tOk, text: `${rules.transition_max} seconds or less between poses` },
      { field: "description", ok: [...s.description].length <= rules.description_max, text: `A description of at most ${rules.description_max} characters` },
    ];
    return { list, count, total };
  }

  function update() {
    const { list, count, total } = checks();
    ui.total.textContent = yf.duration(total);
    ui.slotCount.textContent = `${count} ${count === 1 ? "pose" : "poses"}`;
    ui.rules.replaceChildren(
      ...list.map((r) =>
        el("li", { class: r.ok ? "ok" : "broken" }, r.text, el("span", { class: "visually-hidden", text: r.ok ? " (done)" : " (not yet)" })),
      ),
    );
    return list;
  }

  function add(poseId, at) {
    const pose = poses.get(Number(poseId));
    if (!pose) return;
    const row = newRow(pose);
    const index = at === undefined ? rows.length : at;
    rows.splice(index, 0, row);
    dirty = true;
    renderSlots();
    announce(`Added ${pose.name}${pose.sided ? ", both sides" : ""}, at position ${index + 1} of ${rows.length}.`);
  }

  function move(key, to, part) {
    const from = rows.findIndex((r) => r.key === key);
    if (from < 0) return;
    const target = Math.max(0, Math.min(rows.length - 1, to));
    if (target === from) {
      announce(from === 0 ? `${rows[from].pose.name} is already first.` : `${rows[from].pose.name} is already last.`);
      return;
    }
    const [row] = rows.splice(from, 1);
    rows.splice(target, 0, row);
    dirty = true;
    renderSlots(part ? { key, part } : null);
    announce(`${row.pose.name} moved to position ${target + 1} of ${rows.length}.`);
  }

  function remove(key) {
    const i = rows.findIndex((r) => r.key === key);
    if (i < 0) return;
    const [row] = rows.splice(i, 1);
    dirty = true;
    const next = rows[i] || rows[i - 1];
    renderSlots(next ? { key: next.key, part: "remove" } : null);
    if (!next) ui.search.focus();
    announce(`Removed ${row.pose.name}.`);
  }

  const rowOf = (node) => {
    const li = node.closest && node.closest(".slot-row");
    return li ? rows.find((r) => r.key === Number(li.dataset.key)) : null;
  };

  ui.results.addEventListener("click", (e) => {
    const b = e.target.closest("[data-add]");
    if (b) add(b.dataset.add);
  });
  ui.search.addEventListener("input", renderResults);
  ui.category.addEventListener("change", renderResults);
  ui.search.addEventListener("keydown", (e) => {
    // Enter adds the only match instead of submitting the form.
    if (e.key !== "Enter") return;
    e.preventDefault();
    const only = ui.results.querySelectorAll("[data-add]");
    if (only.length === 1) add(only[0].dataset.add);
    else only[0]?.focus();
  });

  ui.slots.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-part]");
    const row = b && rowOf(b);
    if (!row) return;
    const i = rows.indexOf(row);
    if (b.dataset.part === "up") move(row.key, i - 1, "up");
    else if (b.dataset.part === "down") move(row.key, i + 1, "down");
    else if (b.dataset.part === "remove") remove(row.key);
  });
  ui.slots.addEventListener("input", (e) => {
    const row = rowOf(e.target);
    if (!row) return;
    if (e.target.dataset.part === "hold") row.seconds = Number(e.target.value);
    if (e.target.dataset.part === "side") row.side = e.target.value;
    dirty = true;
    update();
  });
  ui.slots.addEventListener("keydown", (e) => {
    if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
    const row = rowOf(e.target);
    if (!row) return;
    e.preventDefault();
    const i = rows.indexOf(row);
    move(row.key, e.key === "ArrowUp" ? i - 1 : i + 1, e.target.dataset.part || "up");
  });

  // ---- drag and drop: poses from the library, rows within the list ----
  let dragged = null;
  const clearMarks = () => {
    for (const n of ui.slots.querySelectorAll(".drop-target, .dragging")) n.classList.remove("drop-target", "dragging");
    ui.zone.classList.remove("drop-end");
  };
  ui.results.addEventListener("dragstart", (e) => {
    const li = e.target.closest("[data-pose]");
    if (!li) return;
    dragged = { pose: li.dataset.pose };
    e.dataTransfer.effectAllowed = "copy";
    e.dataTransfer.setData("text/plain", li.querySelector("strong").textContent);
  });
  ui.slots.addEventListener("dragstart", (e) => {
    const li = e.target.closest(".slot-row");
    if (!li || e.target.closest("input, select")) return;
    dragged = { key: Number(li.dataset.key) };
    li.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", li.querySelector("strong").textContent);
  });
  ui.zone.addEventListener("dragover", (e) => {
    if (!dragged) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = dragged.pose ? "copy" : "move";
    const over = e.target.closest(".slot-row");
    for (const n of ui.slots.querySelectorAll(".drop-target")) if (n !== over) n.classList.remove("drop-target");
    if (over) over.classList.add("drop-target");
    ui.zone.classList.toggle("drop-end", !over);
  });
  ui.zone.addEventListener("drop", (e) => {
    if (!dragged) return;
    e.preventDefault();
    const over = e.target.closest(".slot-row");
    let at = over ? rows.findIndex((r) => r.key === Number(over.dataset.key)) : rows.length;
    if (dragged.pose) add(dragged.pose, at);
    else {
      const from = rows.findIndex((r) => r.key === dragged.key);
      if (from < at) at -= 1;
      move(dragged.key, at);
    }
    dragged = null;
    clearMarks();
  });
  document.addEventListener("dragend", () => {
    dragged = null;
    clearMarks();
  });

  for (const input of [ui.name, ui.description, ui.transition, ui.difficulty, ui.focus, ui.style]) {
    input.addEventListener("input", () => {
      dirty = true;
      update();
    });
  }

  // ---- errors and saving ----
  function clearErrors() {
    ui.errors.hidden = true;
    ui.errors.replaceChildren();
    for (const p of form.querySelectorAll(".field-error")) p.textContent = "";
    for (const n of form.querySelectorAll("[aria-invalid]")) n.removeAttribute("aria-invalid");
  }

  // Puts `message` next to the field it is about; returns the element to focus.
  function place(field, message, slotKeys) {
    const m = /^poses\[(\d+)\]/.exec(field || "");
    if (m && slotKeys[Number(m[1])] !== undefined) {
      const key = slotKeys[Number(m[1])];
      const err = $(`slot-${key}-err`);
      if (err) {
        err.textContent = err.textContent ? `${err.textContent} ${message}` : message;
        const input = ui.slots.querySelector(`[data-key="${key}"] [data-part="hold"]`);
        input?.setAttribute("aria-invalid", "true");
        return input;
      }
    }
    const name = field === "duration_minutes" || field === "holds" ? "poses" : field;
    const target = $(`err-${name}`);
    if (target && name === "poses") {
      target.textContent = target.textContent ? `${target.textContent} ${message}` : message;
      return ui.search;
    }
    if (target) {
      target.textContent = target.textContent ? `${target.textContent} ${message}` : message;
      const input = target.parentElement.querySelector("input, select, textarea");
      input?.setAttribute("aria-invalid", "true");
      return input || ui.search;
    }
    return null;
  }

  function showErrors(items, slotKeys) {
    clearErrors();
    const loose = [];
    let first = null;
    for (const { field, message } of items) {
      const at = place(field, message, slotKeys);
      if (!at) loose.push(message);
      first ||= at;
    }
    const n = items.length;
    ui.errors.append(el("p", { text: n === 1 ? "One thing needs fixing before we can save." : `${n} things need fixing before we can save.` }));
    if (loose.length) ui.errors.append(el("ul", {}, ...loose.map((t) => el("li", { text: t }))));
    ui.errors.hidden = false;
    (first || ui.errors).focus();
  }

  function payload() {
    const keys = [];
    const slots = [];
    for (const r of rows) {
      const sides = r.side === "both" ? ["right", "left"] : [r.side];
      for (const side of sides) {
        const slot = { pose_id: r.pose.id, duration_seconds: r.seconds };
        if (side) slot.side = side;
        if (r.note) slot.note = r.note;
        slots.push(slot);
        keys.push(r.key);
      }
    }
    const s = settings();
    return {
      keys,
      body: {
        name: s.name,
        description: s.description,
        difficulty_level: ui.difficulty.value,
        focus_area: ui.focus.value,
        style: ui.style.value,
        transition_seconds: s.transition,
        poses: slots,
      },
    };
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const list = update();
    const broken = list.filter((r) => !r.ok);
    const { keys, body } = payload();
    if (broken.length) {
      const items = broken.map((r) => ({ field: r.field, message: `${r.text}, please.` }));
      // Name each hold that is out of range next to its pose.
      rows.forEach((r) => {
        if (!(r.seconds >= rules.min_hold && r.seconds <= rules.max_hold)) {
          const i = keys.indexOf(r.key);
          items.push({ field: `poses[${i}]`, message: `Hold ${r.pose.name} for ${rules.min_hold} to ${rules.max_hold} seconds.` });
        }
      });
      showErrors(items.filter((x) => x.field !== "holds"), keys);
      return;
    }
    clearErrors();
    ui.save.disabled = true;
    ui.status.textContent = "Saving…";
    ui.status.dataset.state = "saving";
    const id = form.dataset.id;
    // Admins editing presets save through the admin API; everyone else through their own.
    const base = form.dataset.endpoint || "/api/v1/sequences";
    const r = await yf.call(id ? "PUT" : "POST", id ? `${base}/${id}` : base, body);
    ui.save.disabled = false;
    if (r.status === 200 || r.status === 201) {
      dirty = false;
      ui.status.textContent = "Saved";
      ui.status.dataset.state = "saved";
      location.href = `/sequences/${r.data.sequence_id}`;
      return;
    }
    ui.status.textContent = "";
    ui.status.dataset.state = "";
    if (r.status === 422 && r.data && Array.isArray(r.data.detail)) {
      showErrors(
        r.data.detail.map((d) => ({ field: d.field || (d.loc && d.loc[d.loc.length - 1]), message: sentence(d.msg || d.message) })),
        keys,
      );
    } else {
      showErrors([{ field: "", message: problem(r) }], keys);
    }
  });

  $("builder-duplicate")?.addEventListener("click", async (e) => {
    if (dirty && !window.confirm("The copy is made from the last saved version. Copy it anyway?")) return;
    e.target.disabled = true;
    const r = await yf.call("POST", `/api/v1/sequences/${form.dataset.id}/duplicate`);
    e.target.disabled = false;
    if (r.status === 201) {
      dirty = false;
      location.href = `/my-sequences/${r.data.sequence_id}/edit`;
    } else showErrors([{ field: "", message: problem(r) }], []);
  });
  if ($("builder-duplicate")) $("builder-duplicate").disabled = false;

  window.addEventListener("beforeunload", (e) => {
    if (dirty) {
      e.preventDefault();
      e.returnValue = "";
    }
  });

  renderResults();
  renderSlots();
  ui.save.disabled = false;
  form.dataset.ready = "true";
}
