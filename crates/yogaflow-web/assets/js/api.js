// Records a practice through the Practice API without ever losing it to a bad
// connection. Calls wait in a queue and go out one at a time; a call that fails
// on the network, or with a server error, is retried with growing pauses and
// the same Idempotency-Key. A visible status line says what is happening.
// Work that is still waiting when the page closes is kept in localStorage and
// sent the next time a practice page opens.

const yf = (globalThis.yf ||= {});
const STORE = "yf-pending-practice";
const MAX_WAIT = 30000;

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

// Errors worth trying again: no answer at all, a timeout, a busy or failing server,
// or the same key still being handled.
function transient(status) {
  return status === 0 || status === 408 || status === 409 || status === 429 || status >= 500;
}

async function call(method, path, body, key) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers["Idempotency-Key"] = key;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    return { status: 0, data: null };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { status: response.status, data };
}
yf.call = call;

// The plain sentences of an error answer.
function explain(data) {
  if (data && Array.isArray(data.detail)) return data.detail.map((d) => d.msg || d.message).join(" ");
  return (data && (data.message || data.error)) || "the server refused it";
}
yf.explain = explain;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function loadPending() {
  try {
    return JSON.parse(localStorage.getItem(STORE) || "[]");
  } catch {
    return [];
  }
}

function savePending(list) {
  try {
    if (list.length) localStorage.setItem(STORE, JSON.stringify(list));
    else localStorage.removeItem(STORE);
  } catch {
    /* private mode: nothing to keep */
  }
}

// One practice session. `record` comes from the page's data block:
// { kind, sequence_id, breathing_slug }, kind null when nothing is kept.
class Recorder {
  constructor(record, statusEl) {
    this.enabled = Boolean(record && record.kind);
    this.record = record || {};
    this.statusEl = statusEl;
    this.sessionId = null;
    this.queue = [];
    this.busy = false;
    this.failed = false;
    this.startedLocal = 0;
    this.id = newKey();
    window.addEventListener("online", () => this.wake());
    window.addEventListener("pagehide", () => this.persist());
  }

  status(text, kind) {
    if (!this.statusEl) return;
    this.statusEl.textContent = text;
    this.statusEl.dataset.state = kind || "";
  }

  get pending() {
    return this.queue.length > 0;
  }

  // Adds a step; resolves with the answer's data once it is stored.
  push(step) {
    if (!this.enabled || this.failed) return Promise.resolve(null);
    step.key ||= newKey();
    const done = new Promise((resolve) => {
      step.resolve = resolve;
    });
    this.queue.push(step);
    this.persist();
    this.run();
    return done;
  }

  start() {
    const body = { kind: this.record.kind };
    if (this.record.sequence_id) body.sequence_id = this.record.sequence_id;
    if (this.record.breathing_slug) body.breathing_slug = this.record.breathing_slug;
    this.startedLocal = Date.now();
    return this.push({ op: "start", method: "POST", path: "/api/v1/sessions/start", body });
  }

  pause(durationSoFar) {
    return this.push({ op: "pause", method: "PUT", body: { duration_so_far: Math.round(durationSoFar) } });
  }

  resume() {
    return this.push({ op: "resume", method: "POST" });
  }

  complete(status, duration, poses) {
    const body = { duration_seconds: Math.round(duration), completion_status: status };
    if (poses && poses.length) body.poses = poses;
    return this.push({ op: "complete", method: "POST", path: "/api/v1/sessions/complete", body });
  }

  wake() {
    if (this.sleeper) this.sleeper();
  }

  async wait(ms) {
    await Promise.race([sleep(ms), new Promise((resolve) => (this.sleeper = resolve))]);
    this.sleeper = null;
  }

  // The request a step makes now that the session id is known.
  build(step) {
    const sid = this.sessionId;
    if (step.op === "pause") return { path: `/api/v1/sessions/${sid}/pause`, body: step.body };
    if (step.op === "resume") return { path: `/api/v1/sessions/${sid}/resume`, body: undefined };
    if (step.op === "complete") {
      // A start that went out late shortens what the server will accept.
      const since = Math.floor((Date.now() - this.startedLocal) / 1000) + 60;
      const body = { ...step.body, session_id: sid };
      body.duration_seconds = Math.max(0, Math.min(body.duration_seconds, since));
      return { path: step.path, body };
    }
    return { path: step.path, body: step.body };
  }

  // Did an earlier attempt of `start` reach the server although its answer was lost?
  async adoptStarted() {
    const r = await call("GET", "/api/v1/sessions/current");
    if (r.status !== 200 || !r.data) return false;
    const began = Date.parse(r.data.started_at);
    const same =
      r.data.kind === this.record.kind &&
      (r.data.sequence_id || null) === (this.record.sequence_id || null) &&
      began >= this.startedLocal - 120000;
    if (same) this.sessionId = r.data.session_id;
    return same;
  }

  async run() {
    if (this.busy) return;
    this.busy = true;
    let delay = 1000;
    while (this.queue.length) {
      const step = this.queue[0];
      if (step.op === "start" && step.tried && (await this.adoptStarted())) {
        this.finish(step, { session_id: this.sessionId });
        continue;
      }
      this.status("Saving…", "saving");
      const req = this.build(step);
      step.tried = true;
      const r = await call(step.method, req.path, req.body, step.key);
      if (r.status >= 200 && r.status < 300) {
        if (step.op === "start") this.sessionId = r.data.session_id;
        this.finish(step, r.data);
        delay = 1000;
        continue;
      }
      if (transient(r.status)) {
        this.status(
          r.status === 0 ? "Offline — will retry. Your practice is kept on this device." : "The server is busy — will retry.",
          "offline",
        );
        await this.wait(delay);
        delay = Math.min(delay * 2, MAX_WAIT);
        continue;
      }
      if (step.op === "complete" && r.status === 422 && !step.clamped) {
        // The server counts from its own start time; send what it can accept.
        step.clamped = true;
        step.body.duration_seconds = Math.max(0, Math.floor((Date.now() - this.startedLocal) / 1000));
        continue;
      }
      if (step.op === "start" || step.op === "complete") {
        this.failed = true;
        this.status(`Could not save this session: ${explain(r.data)}`, "error");
        for (const s of this.queue) s.resolve(null);
        this.queue = [];
        this.persist();
        break;
      }
      // A pause or resume the server no longer wants (the session ended): skip it.
      this.finish(step, null);
    }
    this.busy = false;
  }

  finish(step, data) {
    this.queue.shift();
    this.persist();
    if (!this.queue.length && !this.failed) this.status("Saved", "saved");
    step.resolve(data);
  }

  // Keeps unsent work for the next visit; only what matters: the session and its end.
  persist() {
    const others = loadPending().filter((p) => p.id !== this.id);
    const complete = this.queue.find((s) => s.op === "complete");
    if (this.enabled && complete) {
      others.push({
        id: this.id,
        record: this.record,
        sessionId: this.sessionId,
        startedLocal: this.startedLocal,
        complete: { body: complete.body, key: complete.key },
      });
    }
    savePending(others);
  }
}
yf.Recorder = Recorder;

// Sends sessions an earlier page could not finish saving.
yf.flushPending = async function flushPending(statusEl) {
  const list = loadPending();
  if (!list.length) return;
  for (const p of list) {
    const r = new Recorder(p.record, statusEl);
    r.id = p.id;
    r.sessionId = p.sessionId;
    r.startedLocal = p.startedLocal;
    if (!r.sessionId) r.start();
    r.push({ op: "complete", method: "POST", path: "/api/v1/sessions/complete", body: p.complete.body, key: p.complete.key });
  }
};

// Keeps the screen awake while a timer runs, where the browser can.
yf.WakeLock = class WakeLock {
  constructor() {
    this.lock = null;
    this.wanted = false;
    document.addEventListener("visibilitychange", () => {
      if (this.wanted && document.visibilityState === "visible") this.acquire();
    });
  }

  async acquire() {
    this.wanted = true;
    if (!("wakeLock" in navigator) || this.lock) return;
    try {
      this.lock = await navigator.wakeLock.request("screen");
      this.lock.addEventListener("release", () => (this.lock = null));
    } catch {
      this.lock = null;
    }
  }

  release() {
    this.wanted = false;
    if (this.lock) this.lock.release().catch(() => {});
    this.lock = null;
  }
};

// Reads a page's JSON data block.
yf.data = function data(id) {
  const el = document.getElementById(id);
  if (!el) return null;
  try {
    return JSON.parse(el.textContent);
  } catch {
    return null;
  }
};

// Settings remembered on this device.
yf.settings = function settings(name, defaults) {
  let saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(name) || "{}");
  } catch {
    saved = {};
  }
  const value = { ...defaults, ...saved };
  value.save = () => {
    const plain = { ...value };
    delete plain.save;
    try {
      localStorage.setItem(name, JSON.stringify(plain));
    } catch {
      /* not kept */
    }
  };
  return value;
};

// `75` → `1:15`.
yf.clock = function clock(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

// `75` → `1 min 15 s`.
yf.duration = function duration(seconds) {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  if (!m) return `${s} s`;
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
};
