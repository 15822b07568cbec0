// The question when someone on a new device asks to continue in a partner's seat.
// Shown to the partner who is present and to the host (the server gives the knock
// to nobody else); answered with `let_in`. The page only renders what the state
// says: the dialog is open exactly while this person may answer (`let_in` in `can`).

import { knockAnsweredLine, knockHint, knockQuestion } from "./words.js";
import { isTyping } from "./keys.js";

const NOTE_SHOWN_MS = 60000;

export class KnockPrompt {
  /** answer(id, "yes"|"no", button) sends it; announce(text) speaks to screen readers. */
  constructor(box, note, { answer, announce }) {
    this.box = box;
    this.note = note;
    this.question = box.querySelector("#knock-question");
    this.hint = box.querySelector("#knock-hint");
    this.answer = answer;
    this.announce = announce;
    this.open = null; // the knock on screen: {id, seat}
    this.sent = null; // this viewer's answer: {id, answer}
    this.returnFocus = null;
    this.noteTimer = null;
    box.addEventListener("click", (event) => {
      const button = event.target.closest("[data-knock]");
      if (!button || !this.open) return;
      this.sent = { id: this.open.id, answer: button.dataset.knock };
      this.answer(this.open.id, button.dataset.knock, button);
    });
  }

  render(snap) {
    const knock = snap.knock;
    const waiting = knock && (snap.can || []).includes("let_in");
    if (waiting) {
      if (!this.open || this.open.id !== knock.id) this.show(snap, knock);
      return;
    }
    if (!this.open) return;
    const { id, seat } = this.open;
    const answered = knock && knock.id === id ? knock.answer : null;
    const mine = this.sent && this.sent.id === id;
    this.close(knockAnsweredLine(snap, seat, answered || (mine ? this.sent.answer : null), mine));
  }

  show(snap, knock) {
    const first = !this.open;
    this.open = { id: knock.id, seat: knock.seat };
    this.question.textContent = knockQuestion(snap);
    this.hint.textContent = knockHint(snap);
    this.note.textContent = "";
    this.box.hidden = false;
    for (const button of this.box.querySelectorAll("button")) button.disabled = false;
    const active = document.activeElement;
    if (first) this.returnFocus = active && active !== document.body ? active : null;
    if (isTyping(active)) {
      // Never pull focus out of a field mid-word; say it instead.
      this.announce(this.question.textContent);
    } else {
      this.question.focus();
    }
  }

  close(line) {
    const hadFocus = this.box.contains(document.activeElement);
    this.open = null;
    this.sent = null;
    this.box.hidden = true;
    this.note.textContent = line;
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => {
      this.note.textContent = "";
    }, NOTE_SHOWN_MS);
    if (hadFocus) {
      const back = this.returnFocus;
      if (back && back.isConnected && back.offsetParent !== null) back.focus();
      else document.getElementById("title").focus();
    }
    this.returnFocus = null;
  }
}
