// The breathing pacer. Both phones draw the same schedule from the server
// (`breathing: {start, pattern, cycles}` in server ms / seconds) at their own
// estimate of server time, so they stay in step without talking to each other.
// `phaseAt` is pure so it can be checked under node and by the browser tests.

import { gettext, interpolate } from "../i18n.js";

export const PHASES = ["inhale", "hold_in", "exhale", "hold_out"];

/** The word the pacer shows for a phase, in the reader's language. */
export function phaseWord(phase) {
  const words = {
    lead_in: gettext("Get ready…"),
    inhale: gettext("Breathe in"),
    hold_in: gettext("Hold gently"),
    exhale: gettext("Breathe out"),
    hold_out: gettext("Rest"),
    done: gettext("That's the end of this round"),
  };
  return words[phase] || "";
}

/**
 * Where a schedule is at a server time.
 * Returns {phase, progress 0..1, cycle (1-based, 0 in lead-in), cycles, secondsLeft, fullness 0..1}.
 * `fullness` is how full the lungs are meant to be: it drives the circle's size.
 */
export function phaseAt(schedule, serverMs) {
  const lengths = PHASES.map((k) => Math.max(0, Number(schedule.pattern[k] || 0) * 1000));
  const cycleMs = lengths.reduce((a, b) => a + b, 0);
  const cycles = schedule.cycles;
  const t = serverMs - schedule.start;
  if (t < 0) {
    return {
      phase: "lead_in", progress: 0, cycle: 0, cycles,
      secondsLeft: Math.ceil(-t / 1000), fullness: 0,
    };
  }
  if (cycleMs <= 0 || t >= cycleMs * cycles) {
    return { phase: "done", progress: 1, cycle: cycles, cycles, secondsLeft: 0, fullness: 0 };
  }
  const cycle = Math.floor(t / cycleMs);
  let rest = t - cycle * cycleMs;
  for (let i = 0; i < PHASES.length; i += 1) {
    const len = lengths[i];
    if (len > 0 && rest < len) {
      const progress = rest / len;
      const eased = 0.5 - 0.5 * Math.cos(Math.PI * progress);
      const fullness = [eased, 1, 1 - eased, 0][i];
      return {
        phase: PHASES[i], progress, cycle: cycle + 1, cycles,
        secondsLeft: Math.ceil((len - rest) / 1000), fullness,
      };
    }
    rest -= len;
  }
  // Floating-point edge at the very end of a cycle: treat as the start of the next.
  return phaseAt(schedule, serverMs + 1);
}

/** Draws a schedule into a pacer element every animation frame. */
export class Pacer {
  /**
   * root: element with .pacer-circle, .pacer-word, .pacer-count inside.
   * clock: {serverNow()}; options.onPhase(phase) is called when the phase changes.
   */
  constructor(root, clock, { onPhase = () => {}, countCycles = true } = {}) {
    this.root = root;
    this.clock = clock;
    this.onPhase = onPhase;
    this.countCycles = countCycles;
    this.circle = root.querySelector(".pacer-circle");
    this.word = root.querySelector(".pacer-word");
    this.count = root.querySelector(".pacer-count");
    this.schedule = null;
    this.still = false;
    this.raf = null;
    this.lastPhase = null;
    this.lastCount = null;
    this.reduced = window.matchMedia("(prefers-reduced-motion: reduce)");
    this.frame = this.frame.bind(this);
  }

  show(schedule) {
    this.schedule = schedule;
    if (this.raf === null) this.raf = requestAnimationFrame(this.frame);
  }

  hide() {
    this.schedule = null;
    if (this.raf !== null) cancelAnimationFrame(this.raf);
    this.raf = null;
    this.lastPhase = null;
    delete this.root.dataset.phase;
  }

  /** WCAG 2.2.2: the person can stop the movement; words and count go on. */
  setStill(still) {
    this.still = still;
    this.root.classList.toggle("is-still", still);
    if (still) {
      // At once, not at the next animation frame (which a busy or hidden page may delay).
      this.circle.style.transform = "";
      this.circle.style.opacity = "";
    }
  }

  frame() {
    this.raf = requestAnimationFrame(this.frame);
    if (!this.schedule) return;
    const now = this.clock.serverNow();
    const at = phaseAt(this.schedule, now);
    this.root.dataset.phase = at.phase;
    this.root.dataset.progress = at.progress.toFixed(3);
    this.root.dataset.serverMs = String(Math.round(now));
    const moving = !this.still && !this.reduced.matches;
    if (moving) {
      this.circle.style.transform = `scale(${(0.4 + 0.6 * at.fullness).toFixed(4)})`;
      this.circle.style.opacity = "";
    } else {
      this.circle.style.transform = "";
      this.circle.style.opacity = this.still ? "" : (0.35 + 0.65 * at.fullness).toFixed(3);
    }
    if (at.phase !== this.lastPhase) {
      this.lastPhase = at.phase;
      this.word.textContent = phaseWord(at.phase);
      this.onPhase(at.phase);
    }
    let count = "";
    if (at.phase === "lead_in") count = String(at.secondsLeft);
    else if (at.phase !== "done") {
      count = this.countCycles
        ? interpolate(gettext("Breath %(cycle)s of %(cycles)s · %(seconds)s"), {
            cycle: at.cycle,
            cycles: at.cycles,
            seconds: at.secondsLeft,
          })
        : String(at.secondsLeft);
    }
    if (count !== this.lastCount) {
      this.lastCount = count;
      this.count.textContent = count;
    }
  }
}
