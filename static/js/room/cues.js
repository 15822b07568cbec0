// Optional breathing cues. Both are off by default: people who tried shared
// breathing preferred visual cues, and a sound may be unwelcome in a shared room.

let audio = null;

/** Browsers only let a page make sound after a tap: call this from the tap that turns sound on. */
export function primeAudio() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  audio = audio || new Ctx();
  if (audio.state === "suspended") audio.resume().catch(() => {});
}

/** A short, soft tone: higher for breathing in, lower for breathing out. */
export function chime(phase) {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  audio = audio || new Ctx();
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = "sine";
  osc.frequency.value = phase === "inhale" ? 392 : 294;
  const t = audio.currentTime;
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(0.08, t + 0.05);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.6);
  osc.connect(gain).connect(audio.destination);
  osc.start(t);
  osc.stop(t + 0.65);
}

export function buzz() {
  if (navigator.vibrate) navigator.vibrate(40);
}
