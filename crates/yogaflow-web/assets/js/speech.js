// Voice cues (Web Speech API) and a soft chime (Web Audio). Both are optional:
// where the browser has neither, the timers simply run silently.

const yf = (globalThis.yf ||= {});
let audio = null;

yf.sound = {
  voiceSupported: "speechSynthesis" in window && "SpeechSynthesisUtterance" in window,
  chimeSupported: Boolean(window.AudioContext || window.webkitAudioContext),

  // Browsers only allow sound after a gesture: call this from a click.
  unlock() {
    if (this.chimeSupported && !audio) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      try {
        audio = new Ctx();
      } catch {
        audio = null;
      }
    }
    if (audio && audio.state === "suspended") audio.resume().catch(() => {});
  },

  // Says `text`, cutting off whatever was being said.
  say(text, { interrupt = true } = {}) {
    if (!this.voiceSupported || !text) return;
    if (interrupt) speechSynthesis.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.rate = 0.95;
    u.lang = document.documentElement.lang || "en";
    speechSynthesis.speak(u);
  },

  quiet() {
    if (this.voiceSupported) speechSynthesis.cancel();
  },

  // Two soft sine tones that fade out, like a small bowl.
  chime(pitch = 1) {
    if (!audio) return;
    const now = audio.currentTime;
    for (const [freq, level] of [
      [528 * pitch, 0.18],
      [792 * pitch, 0.07],
    ]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now);
      gain.gain.exponentialRampToValueAtTime(level, now + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + 2.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(now);
      osc.stop(now + 2.3);
    }
  },
};
