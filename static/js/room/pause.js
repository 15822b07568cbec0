// The grounding space both screens share while paused: who asked (without
// blame), a gentle breathing circle that needs no schedule from the server, a
// break timer for a longer break, and who is ready to go on. What the pause and
// the break are, in words for this person, comes from the server (`pause.line`,
// `pause.break_note`), which writes the summaries' sentences too.

import { deviceNow } from "../clock.js";
import { Pacer } from "./pacer.js";
import { breakLeftText, readyLines } from "./words.js";

const SOLO_PATTERN = { inhale: 5, hold_in: 0, exhale: 6, hold_out: 0 };

export class PausePanel {
  constructor(root) {
    this.root = root;
    this.line = root.querySelector("#pause-line");
    this.breakBox = root.querySelector("#break");
    this.breakNote = root.querySelector("#break-note");
    this.breakTimer = root.querySelector("#break-timer");
    this.readyList = root.querySelector("#ready-list");
    this.readyButton = root.querySelector('[data-act="ready"]');
    this.pacer = new Pacer(root.querySelector("#solo-pacer"), { serverNow: deviceNow }, {
      countCycles: false,
    });
    this.breakEnds = null;
    this.minutes = null;
  }

  render(snap) {
    const pause = snap.pause;
    this.host = snap.you === "host";
    this.line.textContent = pause.line;
    // The break the room was set up with (the server's break_minutes), never a guess here.
    const minutes = pause.suggest_break_minutes;
    this.minutes = pause.break_note && minutes ? minutes : null;
    this.breakEnds = this.minutes === null ? null : pause.since + minutes * 60000;
    this.breakNote.textContent = this.minutes === null ? "" : pause.break_note;
    this.breakBox.hidden = this.breakEnds === null;
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
      this.breakTimer.textContent = breakLeftText(this.breakEnds - serverNow, this.minutes, this.host);
    }
  }

  leave() {
    this.pacer.hide();
    this.breakEnds = null;
    this.minutes = null;
  }
}
