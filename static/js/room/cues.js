// Optional cues: for breathing, and for the end of a flooding break. All are off by
// default: people who tried shared breathing preferred visual cues, and a sound may be
// unwelcome in a shared room. Tones are made here (WebAudio), quiet and short: no file.

let audio = null;

/** Browsers only let a page make sound after a tap: call this from the tap that turns sound on. */
export function primeAudio() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  audio = audio || new Ctx();
  if (audio.state === "suspended") audio.resume().catch(() => {});
}

/** One soft sine note: `frequency` Hz, starting `delay` s from now, fading over `length` s. */
function note(frequency, { delay = 0, length = 0.6, peak = 0.08 } = {}) {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  audio = audio || new Ctx();
  if (audio.state === "suspended") audio.resume().catch(() => {});
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = "sine";
  osc.frequency.value = frequency;
  const t = audio.currentTime + delay;
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(peak, t + 0.05);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + length);
  osc.connect(gain).connect(audio.destination);
  osc.start(t);
  osc.stop(t + length + 0.05);
}

/** A short, soft tone: higher for breathing in, lower for breathing out. */
export function chime(phase) {
  note(phase === "inhale" ? 392 : 294);
}

export function buzz() {
  if (navigator.vibrate) navigator.vibrate(40);
}

/** A break's time is up: two low notes, falling, quieter than the breathing tones. */
export function breakTone() {
  note(330, { length: 0.9, peak: 0.05 });
  note(262, { delay: 0.45, length: 1.2, peak: 0.05 });
}

/** A break's time is up: two short, light pulses. */
export function breakBuzz() {
  if (navigator.vibrate) navigator.vibrate([60, 120, 60]);
}
