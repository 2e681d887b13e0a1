// The breathing guide (/breathing/{slug}) and the meditation timer (/meditate).
// Both keep time with one small clock that can pause, record the session
// through yf.Recorder, keep the screen awake, and answer Space and Esc.

const yf = globalThis.yf || {};
const $ = (id) => document.getElementById(id);
const sound = yf.sound || { say() {}, chime() {}, unlock() {}, quiet() {} };

// Calls `step(dt)` with practice seconds (sped up for tests) while running.
class Clock {
  constructor(speed, step) {
    this.speed = Math.max(1, speed || 1);
    this.step = step;
    this.running = false;
    this.paused = false;
    this.active = 0;
  }

  start() {
    this.running = true;
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), 100);
  }

  tick() {
    const now = performance.now();
    const dt = ((now - this.last) / 1000) * this.speed;
    this.last = now;
    if (!this.running || this.paused) return;
    this.active += dt;
    this.step(dt);
  }

  pause(paused) {
    this.paused = paused;
    this.last = performance.now();
  }

  stop() {
    this.running = false;
    clearInterval(this.timer);
  }

  // Real seconds, which is what the server may be told.
  get real() {
    return this.active / this.speed;
  }
}

// Buttons, keys, recording and wake lock shared by both pages.
function session({ data, prefix, status, onStart, onPause, onFinish }) {
  const start = $(`${prefix}-start`);
  const pause = $(`${prefix}-pause`);
  const stop = $(`${prefix}-stop`);
  const announceEl = $(`${prefix}-announce`);
  const recorder = new yf.Recorder(data.record, status);
  const wake = new yf.WakeLock();
  const settings = yf.settings("yf-player", { voice: true, chime: true });
  yf.flushPending(status);
  const s = { started: false, paused: false, ended: false, recorder, settings };

  for (const [id, key] of [
    ["set-voice", "voice"],
    ["set-chime", "chime"],
  ]) {
    const box = $(id);
    if (!box) continue;
    box.checked = Boolean(settings[key]);
    box.addEventListener("change", () => {
      settings[key] = box.checked;
      settings.save();
      if (!box.checked && key === "voice") sound.quiet();
    });
  }

  s.say = (text) => settings.voice && sound.say(text);
  s.chime = (pitch) => settings.chime && sound.chime(pitch);
  s.announce = (text) => {
    announceEl.textContent = "";
    setTimeout(() => (announceEl.textContent = text), 50);
  };

  s.begin = () => {
    if (onStart() === false) return;
    sound.unlock();
    s.started = true;
    start.hidden = true;
    pause.hidden = false;
    stop.hidden = false;
    recorder.start();
    wake.acquire();
    pause.focus();
  };

  s.setPaused = (paused) => {
    if (!s.started || s.ended || s.paused === paused) return;
    s.paused = paused;
    pause.textContent = paused ? "Resume" : "Pause";
    pause.setAttribute("aria-pressed", String(paused));
    onPause(paused);
    if (paused) {
      sound.quiet();
      wake.release();
      s.announce("Paused");
    } else {
      recorder.resume();
      wake.acquire();
      s.announce("Resumed");
    }
  };

  s.finish = (completed, seconds) => {
    if (!s.started || s.ended) return;
    s.ended = true;
    wake.release();
    pause.hidden = true;
    stop.hidden = true;
    const summary = onFinish(completed);
    summary.hidden = false;
    summary.focus();
    s.announce(summary.textContent);
    if (!recorder.enabled) return;
    recorder.complete(completed ? "completed" : "partial", seconds).then((answer) => {
      const list = (answer && answer.newly_unlocked) || [];
      if (!list.length) return;
      const p = document.createElement("p");
      p.textContent = `Achievement unlocked: ${list.map((a) => `${a.name} (${a.description})`).join("; ")}`;
      summary.append(p);
      s.announce(p.textContent);
    });
  };

  start.addEventListener("click", s.begin);
  pause.addEventListener("click", () => s.setPaused(!s.paused));
  document.addEventListener("keydown", (e) => {
    if (!s.started || s.ended || e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = e.target.tagName;
    if ((e.key === " " || e.key === "Spacebar") && !["BUTTON", "A", "INPUT", "SELECT", "TEXTAREA"].includes(tag)) {
      e.preventDefault();
      s.setPaused(!s.paused);
    } else if (e.key === "Escape") {
      e.preventDefault();
      stop.click();
    }
  });
  s.pauseRecord = (seconds) => recorder.pause(seconds);
  start.disabled = false;
  return s;
}

function summaryText(el, heading, line) {
  el.replaceChildren();
  const h = document.createElement("h2");
  h.textContent = heading;
  const p = document.createElement("p");
  p.textContent = line;
  el.append(h, p);
  return el;
}

const breathData = $("breath-data") && yf.data("breath-data");
if (breathData && document.querySelector("[data-breathe]")) breathing(breathData);
const medData = $("meditate-data") && yf.data("meditate-data");
if (medData && document.querySelector("[data-meditate]")) meditation(medData);

function breathing(data) {
  const ring = $("breath-ring");
  const count = $("breath-count");
  const phaseEl = $("breath-phase");
  const roundEl = $("breath-round");
  const roundsInput = $("breath-rounds");
  const phases = [
    { word: "Breathe in", say: "In", secs: data.inhale, cls: "inhale" },
    { word: "Hold", say: "Hold", secs: data.hold_in, cls: "hold-in" },
    { word: "Breathe out", say: "Out", secs: data.exhale, cls: "exhale" },
    { word: "Hold", say: "Hold", secs: data.hold_out, cls: "hold-out" },
  ].filter((p) => p.secs > 0);
  const cycle = phases.reduce((n, p) => n + p.secs, 0);
  const st = { round: 1, rounds: data.rounds, phase: 0, left: 0 };
  // Fast breaths (under a second a phase) get no spoken cue each time.
  const quick = phases.some((p) => p.secs < 1.5);

  const enter = (i) => {
    st.phase = i;
    const p = phases[i];
    st.left = p.secs;
    ring.style.setProperty("--phase-secs", `${p.secs / clock.speed}s`);
    ring.className = `breath-ring ${p.cls}`;
    phaseEl.textContent = p.word;
    roundEl.textContent = `Round ${st.round} of ${st.rounds}`;
    if (!quick) s.say(p.say);
    else if (i === 0 && st.round % 10 === 1) s.say(`Round ${st.round}`);
  };

  const clock = new Clock(data.speed, (dt) => {
    while (dt > 0 && !s.ended) {
      const take = Math.min(dt, st.left);
      st.left -= take;
      dt -= take;
      if (st.left <= 1e-6) {
        if (st.phase + 1 < phases.length) enter(st.phase + 1);
        else if (st.round < st.rounds) {
          st.round += 1;
          enter(0);
        } else {
          clock.stop();
          s.finish(true, clock.real);
          return;
        }
      }
    }
    count.textContent = String(Math.max(1, Math.ceil(st.left - 1e-6)));
  });

  const s = session({
    data,
    prefix: "breath",
    status: $("breath-status"),
    onStart() {
      const n = Number(roundsInput.value);
      if (!Number.isInteger(n) || n < 1 || n > 100) {
        roundsInput.setAttribute("aria-invalid", "true");
        phaseEl.textContent = "Choose 1 to 100 rounds.";
        roundsInput.focus();
        return false;
      }
      roundsInput.removeAttribute("aria-invalid");
      st.rounds = n;
      $("breath-setup").hidden = true;
      s.chime(1);
      s.announce(`Starting ${n} rounds of ${data.name}. Follow the ring.`);
      enter(0);
      count.textContent = String(Math.ceil(st.left));
      clock.start();
    },
    onPause(paused) {
      clock.pause(paused);
      ring.classList.toggle("paused", paused);
      phaseEl.textContent = paused ? "Paused" : phases[st.phase].word;
      if (paused) s.pauseRecord(clock.real);
    },
    onFinish(completed) {
      clock.stop();
      ring.className = "breath-ring";
      count.textContent = "";
      phaseEl.textContent = completed ? "Well done." : "Finished early.";
      if (completed) s.chime(1.5);
      s.say(completed ? "Well done." : "");
      const done = completed ? st.rounds : st.round - 1;
      return summaryText(
        $("breath-summary"),
        completed ? "Breathing complete" : "Breathing finished",
        `${done} of ${st.rounds} rounds · ${yf.duration(clock.active)}.`,
      );
    },
  });
  $("breath-stop").addEventListener("click", () => s.finish(false, clock.real));
  roundEl.textContent = `${data.rounds} rounds of about ${yf.duration(cycle)} each.`;
}

function meditation(data) {
  const minutesInput = $("med-minutes");
  const intervalSelect = $("med-interval");
  const countdown = $("med-countdown");
  const st = { total: 0, left: 0, interval: 0, nextBell: 0 };
  const remember = yf.settings("yf-meditate", { minutes: 10, interval: 0 });
  minutesInput.value = String(remember.minutes);
  intervalSelect.value = String(remember.interval);
  countdown.textContent = yf.clock(remember.minutes * 60);
  minutesInput.addEventListener("input", () => {
    const n = Number(minutesInput.value);
    if (Number.isInteger(n) && n >= 1 && n <= 60) countdown.textContent = yf.clock(n * 60);
  });

  const clock = new Clock(data.speed, (dt) => {
    st.left -= dt;
    const elapsed = st.total - st.left;
    if (st.interval && st.left > 1 && elapsed >= st.nextBell) {
      st.nextBell += st.interval;
      s.chime(1.25);
    }
    if (st.left <= 0) {
      st.left = 0;
      countdown.textContent = yf.clock(0);
      s.finish(true, clock.real);
      return;
    }
    const text = yf.clock(st.left);
    if (countdown.textContent !== text) countdown.textContent = text;
  });

  const s = session({
    data,
    prefix: "med",
    status: $("med-status"),
    onStart() {
      const n = Number(minutesInput.value);
      if (!Number.isInteger(n) || n < 1 || n > 60) {
        minutesInput.setAttribute("aria-invalid", "true");
        $("med-minutes-hint").textContent = "Please choose a whole number of minutes from 1 to 60.";
        minutesInput.focus();
        return false;
      }
      minutesInput.removeAttribute("aria-invalid");
      remember.minutes = n;
      remember.interval = Number(intervalSelect.value);
      remember.save();
      st.total = n * 60;
      st.left = st.total;
      st.interval = remember.interval * 60;
      st.nextBell = st.interval;
      $("med-setup").hidden = true;
      countdown.textContent = yf.clock(st.left);
      s.chime(1);
      s.announce(`Meditation started: ${n} ${n === 1 ? "minute" : "minutes"}.`);
      clock.start();
    },
    onPause(paused) {
      clock.pause(paused);
      if (paused) s.pauseRecord(clock.real);
    },
    onFinish(completed) {
      clock.stop();
      if (completed) {
        s.chime(1);
        setTimeout(() => s.chime(1), 1200);
      }
      return summaryText(
        $("med-summary"),
        completed ? "Meditation complete" : "Meditation finished",
        `You sat for ${yf.duration(clock.active)}.`,
      );
    },
  });
  $("med-stop").addEventListener("click", () => s.finish(false, clock.real));
  $("med-setup").addEventListener("submit", (e) => {
    e.preventDefault();
    s.begin();
  });
}
