// The practice player: a preparation screen, then each pose with a countdown,
// cues and automatic transitions, then a summary. The sequence comes from the
// page's JSON data block; the session is recorded with yf.Recorder (api.js),
// voice and chime come from yf.sound (speech.js).

const yf = globalThis.yf || {};
const data = yf.data && yf.data("player-data");
const root = document.querySelector("[data-player]");
if (data && root && data.slots && data.slots.length) player(data);

function player(data) {
  const $ = (id) => document.getElementById(id);
  const slots = data.slots;
  const speed = Math.max(1, data.speed || 1);
  const gap = data.transition_seconds || 0;
  const FIRST_READY = 5;
  const plannedHold = slots.reduce((sum, s) => sum + s.seconds, 0);
  const reduceMotion = matchMedia("(prefers-reduced-motion: reduce)");

  const ui = {
    prep: $("prep"),
    stage: $("stage"),
    summary: $("summary"),
    start: $("player-start"),
    phase: $("player-phase"),
    name: $("pose-name"),
    sanskrit: $("pose-sanskrit"),
    side: $("pose-side"),
    figure: $("pose-figure"),
    countdown: $("player-countdown"),
    cues: $("pose-cues"),
    breath: $("pose-breath"),
    next: $("pose-next"),
    pause: $("player-pause"),
    prev: $("player-prev"),
    skip: $("player-skip"),
    exit: $("player-exit"),
    dialog: $("exit-dialog"),
    announce: $("player-announce"),
    progress: $("player-progress"),
    fill: $("player-progress-fill"),
    pacer: $("player-pacer"),
    pacerWord: $("pacer-word"),
    status: $("player-status"),
  };

  const settings = yf.settings("yf-player", { voice: true, chime: true, pacer: false, rate: 6 });
  const recorder = new yf.Recorder(data.record, ui.status);
  const wake = new yf.WakeLock();
  const sound = yf.sound || { say() {}, chime() {}, unlock() {}, quiet() {} };
  yf.flushPending(ui.status);

  // Where we are: the pose index, whether we are waiting before it ("ready")
  // or holding it ("hold"), and the practice seconds left in that phase.
  const st = {
    index: 0,
    phase: "ready",
    left: 0,
    running: false,
    paused: false,
    ended: false,
    shown: -1,
    spoken: 0,
    active: 0,
    practised: slots.map(() => 0),
    last: 0,
    pacerLeft: 0,
    inhale: false,
  };

  // Settings controls.
  const bind = (id, key) => {
    const el = $(id);
    if (!el) return;
    if (el.type === "checkbox") el.checked = Boolean(settings[key]);
    else el.value = String(settings[key]);
    el.addEventListener("change", () => {
      settings[key] = el.type === "checkbox" ? el.checked : Number(el.value);
      settings.save();
      if (key === "voice" && !el.checked) sound.quiet();
      if (key === "pacer" || key === "rate") resetPacer();
    });
  };
  bind("set-voice", "voice");
  bind("set-chime", "chime");
  bind("set-pacer", "pacer");
  bind("set-rate", "rate");
  if (!sound.voiceSupported && $("set-voice")) {
    $("set-voice").disabled = true;
    $("set-voice").parentElement.append(" (not available in this browser)");
  }

  const say = (text) => settings.voice && sound.say(text);
  const chime = (pitch) => settings.chime && sound.chime(pitch);
  const sideWords = (s) => (s.side === "left" ? "left side" : s.side === "right" ? "right side" : "");
  const spokenName = (s) => (s.side ? `${s.name}, ${sideWords(s)}` : s.name);

  function announce(text) {
    ui.announce.textContent = "";
    // A fresh text node is what screen readers notice.
    setTimeout(() => (ui.announce.textContent = text), 50);
  }

  function show(i) {
    const s = slots[i];
    ui.name.textContent = s.name;
    ui.sanskrit.textContent = s.sanskrit;
    ui.side.textContent = s.side ? (s.side === "left" ? "Left side" : "Right side") : "";
    ui.figure.innerHTML = s.svg;
    ui.figure.classList.toggle("is-empty", !s.svg);
    ui.cues.replaceChildren(
      ...s.cues.concat(s.note ? [s.note] : []).map((c) => {
        const li = document.createElement("li");
        li.textContent = c;
        return li;
      }),
    );
    ui.breath.textContent = s.breath ? `Breath: ${s.breath}` : "";
    const n = slots[i + 1];
    ui.next.textContent = n ? `Next: ${n.name}${n.side ? ` (${sideWords(n)})` : ""}` : "Last pose";
    if (st.shown !== i) {
      st.shown = i;
      announce(
        `Pose ${i + 1} of ${slots.length}: ${spokenName(s)}. ${yf.duration(s.seconds)}.${n ? ` Next: ${n.name}.` : " Last pose."}`,
      );
    }
  }

  // In-between figures from the previous pose to pose `i` (fetched once, ahead
  // of time); none when motion should be reduced or the poses are the same.
  const morphs = new Map();
  function morphFor(i) {
    const a = slots[i - 1];
    const b = slots[i];
    if (!a || !b || reduceMotion.matches || !a.svg || !b.svg) return Promise.resolve(null);
    if (a.pose_id === b.pose_id && a.side === b.side) return Promise.resolve(null);
    if (!morphs.has(i)) {
      const q = new URLSearchParams({ from: a.pose_id, to: b.pose_id, frames: 8 });
      if (a.side === "left") q.set("from_side", "left");
      if (b.side === "left") q.set("to_side", "left");
      morphs.set(
        i,
        yf.call("GET", `/api/v1/figures/transition?${q}`).then((r) =>
          r.status === 200 && r.data && Array.isArray(r.data.frames) ? r.data.frames : null,
        ),
      );
    }
    return morphs.get(i);
  }

  // Plays the move into pose `i` in the figure box, then settles on its figure.
  function animateInto(i, seconds) {
    const token = (st.morph = (st.morph || 0) + 1);
    morphFor(i).then((frames) => {
      if (!frames || !frames.length || st.morph !== token || st.index !== i) return;
      const step = Math.max(60, Math.min(200, (seconds * 1000) / speed / 2 / (frames.length + 1)));
      const all = [slots[i - 1].svg, ...frames, slots[i].svg];
      all.forEach((svg, k) =>
        setTimeout(() => {
          if (st.morph === token && st.index === i && !st.ended) ui.figure.innerHTML = svg;
        }, k * step),
      );
    });
  }

  function enterReady(i) {
    st.index = i;
    const wait = i === 0 ? FIRST_READY : gap;
    if (!wait) return enterHold(i);
    st.phase = "ready";
    st.left = wait;
    st.spoken = 0;
    show(i);
    if (i > 0) animateInto(i, wait);
    ui.phase.textContent = i === 0 ? "Get ready" : `Next · pose ${i + 1} of ${slots.length}`;
    root.dataset.phase = "ready";
    const prev = slots[i - 1];
    const s = slots[i];
    if (prev && prev.pose_id === s.pose_id && prev.side && s.side && prev.side !== s.side) {
      say(`Switch sides. ${spokenName(s)}.`);
    } else {
      say(i === 0 ? `Get ready. ${spokenName(s)}.` : `Next: ${spokenName(s)}.`);
    }
    render();
  }

  function enterHold(i) {
    const direct = st.phase !== "ready" || st.index !== i;
    st.index = i;
    st.phase = "hold";
    st.left = slots[i].seconds;
    st.spoken = 0;
    show(i);
    st.morph = (st.morph || 0) + 1;
    morphFor(i + 1);
    ui.phase.textContent = `Pose ${i + 1} of ${slots.length}`;
    root.dataset.phase = "hold";
    chime(1);
    if (direct) say(spokenName(slots[i]));
    render();
  }

  function phaseEnd() {
    if (st.phase === "ready") return enterHold(st.index);
    if (st.index + 1 < slots.length) return enterReady(st.index + 1);
    return finish("end");
  }

  function advance(dt) {
    while (dt > 0 && !st.ended) {
      const take = Math.min(dt, st.left);
      st.left -= take;
      dt -= take;
      st.active += take;
      if (st.phase === "hold") st.practised[st.index] += take;
      if (st.left <= 1e-6) phaseEnd();
    }
  }

  function tickPacer(dt) {
    if (!settings.pacer || st.paused) return;
    st.pacerLeft -= dt;
    if (st.pacerLeft <= 0) {
      st.inhale = !st.inhale;
      st.pacerLeft = 30 / (settings.rate || 6);
      ui.pacer.classList.toggle("inhale", st.inhale);
      ui.pacerWord.textContent = st.inhale ? "Breathe in" : "Breathe out";
    }
  }

  function resetPacer() {
    const on = Boolean(settings.pacer) && st.running;
    ui.pacer.hidden = !on;
    const half = 30 / (settings.rate || 6) / speed;
    ui.pacer.style.setProperty("--pacer-half", `${reduceMotion.matches ? 0 : half}s`);
    st.pacerLeft = 0;
    st.inhale = false;
  }

  function render() {
    const secs = Math.ceil(st.left - 1e-6);
    const text = yf.clock(secs);
    if (ui.countdown.textContent !== text) ui.countdown.textContent = text;
    if (st.phase === "hold" && secs <= 3 && secs >= 1 && st.spoken !== secs && st.left < slots[st.index].seconds) {
      st.spoken = secs;
      say(String(secs));
    }
    const done =
      slots.slice(0, st.index).reduce((sum, s) => sum + s.seconds, 0) +
      (st.phase === "hold" ? slots[st.index].seconds - st.left : 0);
    const pct = Math.min(100, Math.round((done / plannedHold) * 100));
    ui.fill.style.width = `${pct}%`;
    ui.progress.setAttribute("aria-valuenow", String(pct));
  }

  function tick() {
    const now = performance.now();
    const dt = ((now - st.last) / 1000) * speed;
    st.last = now;
    if (!st.running || st.paused || ui.dialog.open || st.ended) return;
    advance(dt);
    tickPacer(dt);
    if (!st.ended) render();
  }

  function begin() {
    sound.unlock();
    ui.prep.hidden = true;
    ui.stage.hidden = false;
    st.running = true;
    st.last = performance.now();
    recorder.start();
    wake.acquire();
    resetPacer();
    enterReady(0);
    ui.name.focus();
    st.timer = setInterval(tick, 100);
  }

  function setPaused(paused) {
    if (st.ended || st.paused === paused) return;
    st.paused = paused;
    root.dataset.paused = String(paused);
    ui.pause.textContent = paused ? "Resume" : "Pause";
    ui.pause.setAttribute("aria-pressed", String(paused));
    ui.phase.textContent = paused ? "Paused" : st.phase === "hold" ? `Pose ${st.index + 1} of ${slots.length}` : "Get ready";
    st.last = performance.now();
    if (paused) {
      sound.quiet();
      recorder.pause(st.active / speed);
      wake.release();
      announce("Paused");
    } else {
      recorder.resume();
      wake.acquire();
      announce("Resumed");
    }
    ui.pacer.hidden = paused || !settings.pacer;
  }

  function previous() {
    if (st.ended) return;
    const target = st.phase === "hold" && slots[st.index].seconds - st.left > 3 ? st.index : Math.max(0, st.index - 1);
    st.phase = "jump";
    enterHold(target);
  }

  function skip() {
    if (st.ended) return;
    phaseEnd();
  }

  function finish(reason) {
    if (st.ended) return;
    st.ended = true;
    st.running = false;
    clearInterval(st.timer);
    wake.release();
    if (reason === "end") chime(1.5);
    const done = slots.filter((_, i) => st.practised[i] >= 1).length;
    say(reason === "end" ? "Practice complete. Well done." : "");
    ui.stage.hidden = true;
    ui.summary.hidden = false;
    $("player-settings").hidden = true;
    $("player-keys").hidden = true;
    $("summary-title").textContent = reason === "end" ? "Practice complete" : "Practice ended";
    $("summary-time").textContent =
      `You practised for ${yf.duration(st.active)}: ${done} of ${slots.length} poses.` +
      (speed > 1 ? ` (Test mode: ${yf.duration(st.active / speed)} of real time.)` : "");
    ui.summary.focus();
    announce($("summary-title").textContent);
    const poses = [];
    slots.forEach((s, i) => {
      const secs = Math.round(st.practised[i] / speed);
      if (secs > 0) poses.push(s.side ? { pose_id: s.pose_id, seconds: secs, side: s.side } : { pose_id: s.pose_id, seconds: secs });
    });
    const held = st.practised.reduce((a, b) => a + b, 0);
    const status = reason === "end" && held * 2 >= plannedHold ? "completed" : "partial";
    if (!recorder.enabled) {
      ui.status.textContent = "This session was not saved.";
      return;
    }
    recorder.complete(status, st.active / speed, poses).then(showAchievements);
  }

  function showAchievements(answer) {
    const box = $("summary-achievements");
    if (!answer) return;
    const list = answer.newly_unlocked || [];
    const parts = [];
    if (list.length) {
      const wrap = document.createElement("div");
      wrap.className = "celebrate";
      const h = document.createElement("h2");
      h.textContent = list.length === 1 ? "Achievement unlocked" : "Achievements unlocked";
      const ul = document.createElement("ul");
      ul.className = "achievement-list";
      for (const a of list) {
        const li = document.createElement("li");
        const b = document.createElement("strong");
        b.textContent = a.name;
        li.append(b, ` — ${a.description}`);
        ul.append(li);
      }
      wrap.append(h, ul);
      parts.push(wrap);
      announce(`${h.textContent}: ${list.map((a) => a.name).join(", ")}`);
    }
    if (answer.statistics) {
      const p = document.createElement("p");
      const n = answer.statistics.total_sessions;
      p.textContent = `That makes ${n} ${n === 1 ? "session" : "sessions"} in your history.`;
      parts.push(p);
    }
    box.replaceChildren(...parts);
  }

  function askExit() {
    if (st.ended || ui.dialog.open) return;
    sound.quiet();
    if (ui.dialog.showModal) ui.dialog.showModal();
    else if (window.confirm("End this practice?")) finish("exit");
  }

  ui.dialog.addEventListener("close", () => {
    st.last = performance.now();
    if (ui.dialog.returnValue === "exit") finish("exit");
    else ui.exit.focus();
    ui.dialog.returnValue = "";
  });

  ui.start.addEventListener("click", begin);
  ui.pause.addEventListener("click", () => setPaused(!st.paused));
  ui.prev.addEventListener("click", previous);
  ui.skip.addEventListener("click", skip);
  ui.exit.addEventListener("click", askExit);

  document.addEventListener("keydown", (e) => {
    if (!st.running || st.ended || ui.dialog.open || e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = e.target.tagName;
    const typing = tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA";
    if (e.key === " " || e.key === "Spacebar") {
      // A focused button or link handles Space itself.
      if (typing || tag === "BUTTON" || tag === "A" || tag === "SUMMARY") return;
      e.preventDefault();
      setPaused(!st.paused);
    } else if (e.key === "ArrowLeft" && !typing) {
      e.preventDefault();
      previous();
    } else if (e.key === "ArrowRight" && !typing) {
      e.preventDefault();
      skip();
    } else if (e.key === "Escape") {
      e.preventDefault();
      askExit();
    }
  });

  window.addEventListener("beforeunload", (e) => {
    if (st.running && !st.ended) {
      e.preventDefault();
      e.returnValue = "";
    }
  });

  ui.start.disabled = false;
  root.dataset.ready = "true";
}
