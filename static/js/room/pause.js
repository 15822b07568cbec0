// The grounding space both screens share while paused: who asked (without
// blame), a gentle breathing circle that needs no schedule from the server, a
// break timer for a longer break, and who is ready to go on. What the pause and
// the break are, in words for this person, comes from the server (`pause.line`,
// `pause.break_note`), which writes the summaries' sentences too.
//
// When a flooding break's time is up (`pause.break_ends_at`, server ms) the panel shows
// the server's `pause.break_over_line` gently (the one sentence that the time is up: the
// countdown, timed to the same end, then says nothing), at that moment on the server clock (the
// room's own ticks: no traffic), and, only if this person turned them on (on this device,
// ./prefs.js), a soft tone and a short vibration. A page opened after that moment shows
// the line without calling it out.

import { deviceNow } from "../clock.js";
import { gettext } from "../i18n.js";
import { breakBuzz, breakTone, primeAudio } from "./cues.js";
import { Pacer } from "./pacer.js";
import { getFlag, setFlag } from "./prefs.js";
import { breakLeftText, readyLines } from "./words.js";

const SOLO_PATTERN = { inhale: 5, hold_in: 0, exhale: 6, hold_out: 0 };

// The choices about a break's end, remembered on this device (./prefs.js flags).
export const BREAK_SOUND = "break_sound";
export const BREAK_VIBRATE = "break_vibrate";

/** The break's end as the server gives it (`pause.break_ends_at`, server ms), or null. */
export function breakEndsFrom(pause) {
  const at = pause ? pause.break_ends_at : null;
  return Number.isFinite(at) ? at : null;
}

/**
 * The break's end as the snapshot gives it ({key, at, line}), or null: only a break whose
 * snapshot carries both its end and the words for it (the server decides which pauses
 * are such a break: `break_ends_at` is null for the others).
 */
export function breakOverFrom(pause) {
  const at = breakEndsFrom(pause);
  const line = pause.break_over_line;
  if (!Number.isFinite(at) || typeof line !== "string" || !line) return null;
  return { key: `${pause.since}:${at}`, at, line };
}

/** A checkbox for one of this device's choices: a label with its box, kept in ./prefs.js. */
function toggle(flag, words, onChange) {
  const label = document.createElement("label");
  label.className = "toggle";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.dataset.pref = flag;
  box.checked = getFlag(flag);
  box.addEventListener("change", () => {
    setFlag(flag, box.checked);
    onChange(box.checked);
  });
  label.append(box, ` ${words}`);
  return label;
}

export class PausePanel {
  /** announce(text): says it politely (the room's live region); clock: the server clock. */
  constructor(root, { announce = () => {}, clock = { serverNow: deviceNow } } = {}) {
    this.root = root;
    this.announce = announce;
    this.clock = clock;
    this.line = root.querySelector("#pause-line");
    this.breakBox = root.querySelector("#break");
    this.breakNote = root.querySelector("#break-note");
    this.breakTimer = root.querySelector("#break-timer");
    this.breakTimerLine = this.breakTimer.closest(".break-timer") || this.breakTimer;
    this.readyList = root.querySelector("#ready-list");
    this.readyButton = root.querySelector('[data-act="ready"]');
    this.pacer = new Pacer(root.querySelector("#solo-pacer"), { serverNow: deviceNow }, {
      countCycles: false,
    });
    this.breakEnds = null;
    // The break's end: the words (shown once it has come) and this device's choices.
    this.overLine = document.createElement("p");
    this.overLine.className = "break-over";
    this.overLine.hidden = true;
    const options = document.createElement("div");
    options.className = "pacer-options break-options";
    options.append(
      toggle(BREAK_SOUND, gettext("Gentle sound when a break's time is up"), (on) => {
        // Browsers let a page make sound only after a tap: this tap.
        if (on) primeAudio();
      }),
      toggle(BREAK_VIBRATE, gettext("Vibrate when a break's time is up"), () => {}),
    );
    this.breakBox.append(this.overLine, options);
    this.over = null; // {key, at, line, seenBefore, shown}
    this.overTimer = null;
  }

  render(snap) {
    const pause = snap.pause;
    this.line.textContent = pause.line;
    // The break's one end, the server's (`pause.break_ends_at`), never a guess here: it
    // times both the countdown and the over-line; null, no break timer and no over-line.
    this.breakEnds = breakEndsFrom(pause);
    this.breakNote.textContent = this.breakEnds === null ? "" : pause.break_note || "";
    this.breakBox.hidden = this.breakEnds === null;
    this.followBreakOver(breakOverFrom(pause));
    this.readyList.replaceChildren(
      ...readyLines(snap).map((line) => {
        const li = document.createElement("li");
        li.className = line.ready ? "is-ready" : "is-waiting";
        li.textContent = line.text;
        return li;
      }),
    );
    this.readyButton.hidden = !(snap.can || []).includes("ready");
    if (!this.pacer.schedule) {
      this.pacer.show({ start: deviceNow() + 1500, pattern: SOLO_PATTERN, cycles: 10000 });
    }
  }

  tick(serverNow) {
    if (this.breakEnds !== null) {
      // Once the end has come the countdown stops and says nothing more: the server's
      // over-line is the one sentence that the time is up.
      const left = breakLeftText(this.breakEnds - serverNow);
      this.breakTimer.textContent = left;
      this.breakTimerLine.hidden = !left;
    }
    this.checkBreakOver(serverNow);
  }

  /** Keep to this snapshot's break end: a new one is watched afresh, and timed to its moment. */
  followBreakOver(next) {
    if (!next) {
      this.clearBreakOver();
      return;
    }
    if (!this.over || this.over.key !== next.key) {
      this.clearBreakOver();
      this.over = { ...next, seenBefore: false, shown: false };
    } else {
      this.over.line = next.line;
      if (this.over.shown) this.overLine.textContent = next.line;
    }
    this.checkBreakOver(this.clock.serverNow());
    if (this.over.shown) return;
    // Due at `at` on the server clock: one timer for the moment (the room's ticks are the
    // fallback when a busy or hidden page runs it late).
    clearTimeout(this.overTimer);
    const wait = Math.max(0, this.over.at - this.clock.serverNow()) + 50;
    this.overTimer = setTimeout(() => this.checkBreakOver(this.clock.serverNow()), Math.min(wait, 2 ** 31 - 1));
  }

  /** Show the line once its moment has come; with the cues only if this page saw the break running. */
  checkBreakOver(serverNow) {
    const over = this.over;
    if (!over || over.shown) return;
    if (serverNow < over.at) {
      over.seenBefore = true;
      return;
    }
    over.shown = true;
    clearTimeout(this.overTimer);
    this.overLine.textContent = over.line;
    this.overLine.hidden = false;
    const still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (!still && this.overLine.animate) {
      this.overLine.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 1200, easing: "ease-out" });
    }
    if (!over.seenBefore) return;
    this.announce(over.line);
    if (getFlag(BREAK_SOUND)) breakTone();
    if (getFlag(BREAK_VIBRATE)) breakBuzz();
  }

  clearBreakOver() {
    clearTimeout(this.overTimer);
    this.overTimer = null;
    this.over = null;
    this.overLine.textContent = "";
    this.overLine.hidden = true;
  }

  leave() {
    this.pacer.hide();
    this.breakEnds = null;
    this.clearBreakOver();
  }
}
