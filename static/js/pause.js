// The grounding space both screens share while paused: who asked (without
// blame), a gentle breathing circle that needs no schedule from the server, a
// break timer when someone is flooded, and who is ready to go on.

import { deviceNow } from "./clock.js";
import { Pacer } from "./pacer.js";
import { pauseLine, readyLines } from "./words.js";

const SOLO_PATTERN = { inhale: 5, hold_in: 0, exhale: 6, hold_out: 0 };

export function breakLeftText(msLeft) {
  if (msLeft <= 0) return "20 minutes have passed. Come back together when you both feel settled.";
  const total = Math.ceil(msLeft / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")} left`;
}

export class PausePanel {
  constructor(root) {
    this.root = root;
    this.line = root.querySelector("#pause-line");
    this.breakBox = root.querySelector("#break");
    this.breakTimer = root.querySelector("#break-timer");
    this.readyList = root.querySelector("#ready-list");
    this.readyButton = root.querySelector('[data-act="ready"]');
    this.pacer = new Pacer(root.querySelector("#solo-pacer"), { serverNow: deviceNow }, {
      countCycles: false,
    });
    this.breakEnds = null;
  }

  render(snap) {
    const pause = snap.pause;
    this.line.textContent = pauseLine(snap);
    const minutes = pause.suggest_break_minutes;
    this.breakEnds = pause.reason === "flooding" && minutes ? pause.since + minutes * 60000 : null;
    this.breakBox.hidden = this.breakEnds === null;
    this.readyList.replaceChildren(
      ...readyLines(snap).map((line) => {
        const li = document.createElement("li");
        li.className = line.ready ? "is-ready" : "is-waiting";
        li.textContent = line.text;
        return li;
      }),
    );
    const isPartner = snap.you === "a" || snap.you === "b";
    this.readyButton.hidden = !isPartner || (pause.ready || []).includes(snap.you);
    if (!this.pacer.schedule) {
      this.pacer.show({ start: deviceNow() + 1500, pattern: SOLO_PATTERN, cycles: 10000 });
    }
  }

  tick(serverNow) {
    if (this.breakEnds !== null) this.breakTimer.textContent = breakLeftText(this.breakEnds - serverNow);
  }

  leave() {
    this.pacer.hide();
    this.breakEnds = null;
  }
}
