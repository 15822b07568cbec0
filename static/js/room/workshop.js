// A workshop room's own parts (templates/sessions/room.html, #workshop and #pair-card):
// the group timer, the calm card when a step is done and the facilitator moves everyone
// on, "Ask for help", and the starting partner's pairing word. Like the rest of the room
// it decides nothing: each part shows exactly what the snapshot's `workshop` block and
// `can` say (docs/protocol.md §5). The timer counts to `workshop.timer.ends_at` in
// server time (../clock.js), so every room of the group shows the same minute.
//
// Its words are in the reader's language (../i18n.js); the three fixed ones are read once,
// as this module loads, after the page's catalog (a classic script) has run.

import { gettext, interpolate, ngettext } from "../i18n.js";

export const HELD_TEXT = gettext(
  "You've finished this step. Your facilitator will start the next one for everyone — take your time.",
);
export const ASKED_TEXT = gettext("Your facilitator has been asked.");
// Translators: said once when the workshop's group timer runs out ("Time" as a referee calls it).
export const TIME_UP_TEXT = gettext("Group timer: Time.");

/** "Group timer: 4:32 left", or "Group timer: Time" once it has run out. */
export function groupTimerText(msLeft) {
  if (!Number.isFinite(msLeft) || msLeft <= 0) return gettext("Group timer: Time");
  const total = Math.ceil(msLeft / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return interpolate(gettext("Group timer: %(time)s left"), { time: `${minutes}:${seconds}` });
}

/** The words beside "Ask for help": for the couple, or (on her desk) for the facilitator. */
export function handText(snap) {
  const hand = snap.workshop && snap.workshop.hand;
  if (!hand) return "";
  if (snap.you !== "host") return ASKED_TEXT;
  const seat = snap.seats && snap.seats[hand.seat];
  const name = seat && seat.name;
  return name ? interpolate(gettext("%(name)s asked for help."), { name }) : gettext("Someone in this room asked for help.");
}

/** The held card's words: only while the room waits for the facilitator's next step. */
export function heldText(snap) {
  const w = snap.workshop;
  return w && w.held && snap.status === "active" ? HELD_TEXT : "";
}

/**
 * Whether the room is held: the step is done and waits for the facilitator's next one. The
 * step's own ways of moving on ("You'll move on together once you've both said you're
 * ready", "Waiting for Sam…") are over then; only the held card speaks.
 */
export function isHeld(snap) {
  return Boolean(heldText(snap));
}

/** Whether the starting partner still shows their word: their partner's seat is free. */
export function pairShown(snap) {
  return snap.you === "a" && snap.status === "waiting" && !(snap.seats && snap.seats.b && snap.seats.b.claimed);
}

const timerKey = (t) => (t ? `${t.started_at}:${t.ends_at}` : "");

/** Spoken once when the facilitator sets or clears the group timer. */
export function timerNews(before, after) {
  if (timerKey(before) === timerKey(after)) return "";
  if (!after) return before ? gettext("The group timer has been cleared.") : "";
  const minutes = after.seconds / 60;
  return Number.isInteger(minutes)
    ? interpolate(
        ngettext("A group timer of %(count)s minute has started.", "A group timer of %(count)s minutes has started.", minutes),
        { count: minutes },
      )
    : interpolate(
        ngettext(
          "A group timer of %(count)s second has started.",
          "A group timer of %(count)s seconds has started.",
          after.seconds,
        ),
        { count: after.seconds },
      );
}

/**
 * "Time", said once: when a group timer this page saw running runs out. `watching` is the
 * running timer last seen ("" for none); returns the next `watching` and the words to say.
 * A page opened after the timer ran out shows "Time" but does not call it out.
 */
export function timeUpNews(timer, now, watching) {
  if (!timer) return { watching: "", words: "" };
  const key = timerKey(timer);
  if (timer.ends_at - now > 0) return { watching: key, words: "" };
  return { watching: "", words: watching === key ? TIME_UP_TEXT : "" };
}

export class WorkshopPanel {
  /** `root`: the room; `clock`: the server clock (`serverNow()`). */
  constructor(root, clock) {
    this.root = root;
    this.clock = clock;
    this.timerBox = document.getElementById("group-timer");
    this.held = document.getElementById("held-card");
    this.hand = document.getElementById("hand-status");
    this.pair = document.getElementById("pair-card");
    this.timer = null;
    this.watching = "";
    this.seen = false;
  }

  /** Show this snapshot; returns words worth saying once (a new timer), else "". */
  render(snap, can) {
    const w = snap.workshop || null;
    const finished = snap.status === "completed" || snap.status === "ended";
    const timer = w && !finished ? w.timer : null;
    const news = this.seen ? timerNews(this.timer, timer) : "";
    this.seen = true;
    this.timer = timer;

    const held = heldText(snap);
    if (this.held.textContent !== held) this.held.textContent = held;

    const asking = this.root.querySelector('[data-act="raise_hand"]');
    const lowering = this.root.querySelector('[data-act="lower_hand"]');
    const focused = document.activeElement;
    const lost = (button) => button && (focused === button || focused === document.body || focused === null);
    const wasAsking = asking && !asking.hidden;
    if (asking) asking.hidden = !can.has("raise_hand");
    if (lowering) lowering.hidden = !can.has("lower_hand");
    const line = handText(snap);
    if (this.hand.textContent !== line) this.hand.textContent = line;
    // The button just pressed went away: keep the keyboard on the words that replaced it,
    // scrolled clear of the sticky "Leave quickly" pill (its scroll-margin, workshop.css);
    // "auto" is an instant jump (no stylesheet asks for smooth scrolling): nothing animates.
    if (wasAsking && asking.hidden && line && lost(asking)) {
      this.hand.focus({ preventScroll: true });
      this.hand.scrollIntoView({ block: "nearest", behavior: "auto" });
    }

    if (this.pair) this.pair.hidden = !pairShown(snap);
    return [news, this.tick(this.clock.serverNow())].filter(Boolean).join(" ");
  }

  /** Count the group timer on; returns "Group timer: Time." once as it runs out, else "". */
  tick(now) {
    const box = this.timerBox;
    const { watching, words } = timeUpNews(this.timer, now, this.watching);
    this.watching = watching;
    if (!this.timer) {
      box.hidden = true;
      return "";
    }
    box.hidden = false;
    const left = this.timer.ends_at - now;
    const text = groupTimerText(left);
    if (box.textContent !== text) box.textContent = text;
    box.classList.toggle("is-over", left <= 0);
    return words;
  }

  /** The room closed on this page: none of its parts stay shown. */
  leave() {
    this.timer = null;
    this.watching = "";
    if (this.pair) this.pair.hidden = true;
  }
}
