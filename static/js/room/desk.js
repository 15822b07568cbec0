// The counselor's desk beside the couple's room (templates/sessions/_host_panel.html):
// who is here and their check-ins, the room's controls, "Resume for both" with its
// confirmation, and the short message to the couple. Like the room, it decides nothing:
// each button shows exactly when its action is in the snapshot's `can`, and whom a
// resume overrides is read from the snapshot (`pause.ready`) and named back to the
// server, which refuses it (`stale`) if the room changed meanwhile.

import { gettext, interpolate, ngettext } from "../i18n.js";
import {
  aboutCouple, coupleNames, deskCheckinLines, deskPresenceLines, messageProblem, resumeNote, resumeQuestion,
} from "./words.js";

export class Desk {
  /**
   * act(action, args, button): the room's own sender (step actions get their step);
   * send(action, args): a promise of the server's answer, for the desk's own words.
   */
  constructor(root, { act, send, maxLength }) {
    // `root` is the whole room: on a phone "Resume for both" sits on the pause screen.
    this.root = root;
    this.act = act;
    this.send = send;
    this.maxLength = maxLength;
    this.snap = null;
    this.override = null;
    this.dialog = document.getElementById("resume-dialog");
    this.question = document.getElementById("resume-question");
    this.form = document.getElementById("desk-message-form");
    this.text = document.getElementById("desk-message-text");
    this.count = document.getElementById("desk-message-count");
    this.clear = document.getElementById("desk-message-clear");
    this.status = document.getElementById("desk-message-status");
    root.addEventListener("click", (event) => {
      const button = event.target.closest("[data-desk]");
      if (button && root.contains(button)) this.press(button.dataset.desk, button);
    });
    this.dialog?.addEventListener("close", () => {
      this.override = null;
    });
    this.text?.addEventListener("input", () => this.countChars());
    // The message is one line: Enter in its field submits the form, which sends it.
    this.form?.addEventListener("submit", (event) => {
      event.preventDefault();
      const problem = messageProblem(this.text.value);
      if (problem) {
        this.status.textContent = problem;
        this.text.focus();
        return;
      }
      // Enter in an empty field never takes away what their rooms show: Clear does that.
      if (!this.text.value.trim()) {
        this.status.textContent = gettext("Write a few words first. To take the message away, use Clear.");
        this.text.focus();
        return;
      }
      this.say(this.text.value.trim());
    });
    this.clear?.addEventListener("click", () => this.say(""));
    this.countChars();
  }

  press(what, button) {
    if (what === "pause") this.act("pause", {}, button);
    else if (what === "flooding") this.act("pause", { reason: "flooding" }, button);
    else if (what === "skip" || what === "back") this.act(what, {}, button);
    else if (what === "end-ask") this.toggleEnd(true);
    else if (what === "end-cancel") this.toggleEnd(false);
    else if (what === "end") {
      this.toggleEnd(false);
      this.act("end", {}, button);
    } else if (what === "resume") this.askResume(button);
    else if (what === "resume-cancel") this.dialog.close();
    else if (what === "resume-confirm") {
      const override = this.override;
      this.dialog.close();
      if (override) this.act("resume", { override }, null);
    }
  }

  toggleEnd(open) {
    const box = document.getElementById("desk-end-confirm");
    const ask = this.root.querySelector('[data-desk="end-ask"]');
    box.hidden = !open;
    ask.setAttribute("aria-expanded", String(open));
    (open ? box.querySelector("button") : ask).focus();
  }

  /** Whom a resume would override now: the partners who have not said they're ready. */
  notReady() {
    const ready = (this.snap && this.snap.pause && this.snap.pause.ready) || [];
    return ["a", "b"].filter((seat) => !ready.includes(seat));
  }

  askResume() {
    if (!this.snap || !(this.snap.can || []).includes("resume")) return;
    this.override = this.notReady();
    this.question.textContent = resumeQuestion(this.snap, this.override);
    this.dialog.showModal();
  }

  countChars() {
    if (!this.text) return;
    this.count.textContent = interpolate(
      ngettext("%(used)s of %(max)s character", "%(used)s of %(max)s characters", this.maxLength),
      { used: this.text.value.length, max: this.maxLength },
    );
  }

  async say(text) {
    const button = this.form.querySelector("button[type=submit]");
    button.disabled = true;
    this.status.textContent = text ? gettext("Sending…") : gettext("Clearing…");
    try {
      await this.send("say", { text });
      if (text) {
        this.status.textContent = aboutCouple(
          this.snap,
          gettext("Sent. %(a)s and %(b)s see it now."),
          gettext("Sent. Both partners see it now."),
        );
      } else {
        this.text.value = "";
        this.countChars();
        this.status.textContent = gettext("Cleared. Their rooms no longer show a message.");
      }
    } catch (err) {
      this.status.textContent = (err && err.message) || gettext("The message didn't go through. Please try again.");
    } finally {
      button.disabled = false;
    }
  }

  render(snap) {
    this.snap = snap;
    const can = new Set(snap.can || []);
    const show = (what, visible) => {
      for (const el of this.root.querySelectorAll(`[data-desk="${what}"]`)) el.hidden = !visible;
    };
    show("pause", can.has("pause"));
    show("flooding", can.has("pause"));
    show("skip", can.has("skip"));
    show("back", can.has("back"));
    show("end-ask", can.has("end"));
    show("resume", can.has("resume"));
    if (!can.has("end")) document.getElementById("desk-end-confirm").hidden = true;
    const note = resumeNote(snap);
    for (const el of this.root.querySelectorAll("[data-desk-resume-note]")) {
      el.textContent = note;
      el.hidden = !note;
    }
    // No empty "The room" heading once nothing can be done to the room (it has finished).
    const controls = document.getElementById("desk-controls-section");
    if (controls) {
      const offered = ["pause", "skip", "back", "end", "resume"].some((action) => can.has(action));
      controls.hidden = !offered && !note;
    }
    for (const el of this.root.querySelectorAll("[data-couple]")) el.textContent = coupleNames(snap);
    this.renderPeople(snap);
    this.renderMessage(snap, can);
    this.followDialog(snap, can);
  }

  renderPeople(snap) {
    const list = document.getElementById("desk-presence");
    const checkins = deskCheckinLines(snap);
    list.replaceChildren(
      ...deskPresenceLines(snap).map((line) => {
        const li = document.createElement("li");
        li.className = `presence-${line.state}`;
        li.dataset.seat = line.seat;
        const who = document.createElement("span");
        who.className = "desk-who";
        who.textContent = line.text;
        li.append(who);
        const answer = checkins.answers[line.seat];
        if (answer) {
          const what = document.createElement("span");
          what.className = "desk-answer";
          what.textContent = answer;
          li.append(what);
        }
        return li;
      }),
    );
    document.getElementById("desk-checkin-title").textContent = checkins.title;
  }

  renderMessage(snap, can) {
    if (!this.form) return;
    this.form.hidden = !can.has("say");
    this.clear.hidden = !snap.message;
    if (!can.has("say")) this.status.textContent = "";
  }

  /** While the question is open, keep it true to the room, or close it once it's moot. */
  followDialog(snap, can) {
    if (!this.dialog || !this.dialog.open) return;
    if (!can.has("resume")) {
      this.dialog.close();
      return;
    }
    this.override = this.notReady();
    this.question.textContent = resumeQuestion(snap, this.override);
  }
}
