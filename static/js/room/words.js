// Every sentence the room shows about people, in one place, so the tone stays
// consistent: warm, concrete, no blame, always saying what happens next. Words the
// server shows too are not copied here: the ladder's rungs come with the room page,
// and a check-in answer's line and the pause's line and break note come in the
// snapshot, all written once in sessions/engine/wording.py.
//
// The counselor reads the room about the couple, never as one of them: "Waiting for
// Alex and Sam to join", "Alex and Sam have both checked in". Her page may know the
// couple's names before they join (`setKnownNames`, from the server's page data).

let knownNames = null;

/** The names the counselor gave the couple ({a, b}), for her page; null elsewhere. */
export function setKnownNames(names) {
  knownNames = names && typeof names === "object" ? names : null;
}

export const STARTERS = {
  mirror: "What I heard you say is…",
  check: "Did I get it?",
  validate: "That makes sense, because…",
  empathize: "I imagine you might feel…",
};

// The button that ends your part of a turn, by step kind or reflect phase.
const DONE_LABELS = {
  speak: "I'm done speaking",
  mirror: "I've said what I heard",
  validate: "I've said what makes sense",
  empathize: "I've said how I imagine it feels",
};

/** The words on the "done" button for this step (null: the page's own default). */
export function doneLabel(step) {
  if (!step) return null;
  if (step.kind === "speak") return DONE_LABELS.speak;
  if (step.kind === "reflect") return DONE_LABELS[step.phase] || null;
  return null;
}

export function otherSeat(seat) {
  if (seat === "a") return "b";
  if (seat === "b") return "a";
  return null;
}

/** A partner's name as this viewer should read it ("you" for themselves). */
export function nameOf(snap, seat) {
  if (seat === "host") return snap.workshop ? "your facilitator" : "your counselor";
  if (seat === snap.you) return "you";
  const name = snap.seats && snap.seats[seat] && snap.seats[seat].name;
  if (name) return name;
  if (snap.you === "host") return (knownNames && knownNames[seat]) || (seat === "a" ? "Partner A" : "Partner B");
  return "your partner";
}

/** Whether the counselor's page knows this partner's name (typed, or given to the couple). */
function named(snap, seat) {
  const name = snap.seats && snap.seats[seat] && snap.seats[seat].name;
  return Boolean(name || (knownNames && knownNames[seat]));
}

/** "Alex and Sam" for the counselor; "both partners" while she knows neither name. */
export function coupleNames(snap) {
  if (!snap || !named(snap, "a") || !named(snap, "b")) return "both partners";
  return `${nameOf(snap, "a")} and ${nameOf(snap, "b")}`;
}

/** The waiting screen's line for the counselor, about the couple. */
export function hostWaitingLine(snap, canStart) {
  const missing = ["a", "b"].filter((seat) => !snap.seats[seat].claimed);
  if (missing.length === 2) {
    return named(snap, "a") && named(snap, "b")
      ? `Waiting for ${coupleNames(snap)} to join.`
      : "Waiting for both partners to join.";
  }
  if (missing.length === 1) {
    const here = nameOf(snap, missing[0] === "a" ? "b" : "a");
    const away = named(snap, missing[0]) ? nameOf(snap, missing[0]) : "the other partner";
    return `${here} is here. Waiting for ${away} to join.`;
  }
  const both = `${coupleNames(snap) === "both partners" ? "Both partners are" : `${coupleNames(snap)} are both`} here.`;
  return canStart ? `${both} Begin when the time is right.` : both;
}

/** The desk's line per partner: who, and whether they're here ({seat, text, state}). */
export function deskPresenceLines(snap) {
  return ["a", "b"].map((seat) => {
    const s = snap.seats[seat];
    const name = capitalise(nameOf(snap, seat));
    if (!s || !s.claimed) return { seat, text: `${name} — not joined yet`, state: "absent" };
    if (s.connected) return { seat, text: `${name} — here`, state: "here" };
    if (snap.status === "completed" || snap.status === "ended") {
      return { seat, text: `${name} — has left`, state: "left" };
    }
    return { seat, text: `${name} — away (connection dropped)`, state: "dropped" };
  });
}

/**
 * Both partners' latest check-ins for the desk: the current check-in step, or the last
 * one with an answer. {title, answers: {a, b}} with each answer's line (server words).
 */
export function deskCheckinLines(snap) {
  const indices = Object.keys(snap.checkins || {})
    .map(Number)
    .filter((i) => Number.isInteger(i))
    .sort((x, y) => y - x);
  const current = snap.step && snap.step.kind === "checkin" ? snap.step.index : null;
  const withAnswer = indices.find((i) => {
    const pair = snap.checkins[String(i)] || {};
    return pair.a || pair.b;
  });
  const index = current !== null ? current : withAnswer;
  if (index === undefined || index === null) return { title: "No check-ins yet.", answers: {} };
  const pair = (snap.checkins && snap.checkins[String(index)]) || {};
  const title = (snap.steps && snap.steps[index] && snap.steps[index].title) || "Check-in";
  const answers = {};
  for (const seat of ["a", "b"]) {
    answers[seat] = pair[seat] ? pair[seat].line : "not checked in yet";
  }
  return { title: `Check-ins at “${title}”:`, answers };
}

/**
 * The confirmation before the counselor resumes for both, naming whom it overrides and
 * whose pause it was: "This overrides Sam's pause." when Sam paused (or Sam's connection
 * dropped) and Sam is not ready; after her own pause, that they haven't said ready yet.
 */
export function resumeQuestion(snap, seats) {
  const names = seats.map((seat) => capitalise(nameOf(snap, seat)));
  const ask =
    names.length === 1
      ? `Resume for both even though ${names[0]} hasn't said they're ready?`
      : `Resume for both even though ${names.join(" and ")} haven't said they're ready?`;
  const pause = snap.pause || {};
  const owner = pause.reason === "connection" ? pause.seat : pause.by;
  if (seats.includes(owner)) return `${ask} This overrides ${capitalise(nameOf(snap, owner))}'s pause.`;
  if (names.length === 1) return `${ask} The room moves on without waiting for ${names[0]}.`;
  return `${ask} Neither has said they're ready yet.`;
}

/** Why "Resume for both" isn't offered while paused (someone to override isn't here). */
export function resumeNote(snap) {
  if (snap.status !== "paused" || (snap.can || []).includes("resume")) return "";
  const ready = (snap.pause && snap.pause.ready) || [];
  const away = ["a", "b"].filter((seat) => {
    const s = snap.seats[seat];
    return !ready.includes(seat) && !(s && s.claimed && s.connected);
  });
  if (away.length === 0) return "";
  const names = away.map((seat) => capitalise(nameOf(snap, seat)));
  return away.length === 1
    ? `${names[0]} isn't here; the room waits for them.`
    : `${names.join(" and ")} aren't here; the room waits for them.`;
}

/** The button that frees a seat: "Free Alex's seat", or "Free the first seat" with no name. */
export function freeSeatLabel(seat, name) {
  if (name) return `Free ${name}\u2019s seat`;
  return seat === "a" ? "Free the first seat" : "Free the second seat";
}

// What the server refuses in a message (sessions/engine/args.py, `say`), said before sending.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
// A message needs one letter, digit, punctuation mark or symbol that is not a blank filler.
const SHOWS = /[\p{L}\p{N}\p{P}\p{S}]/u;
const BLANK_FILLERS = /[\u115f\u1160\u3164\uffa0\u2800]/g;

/**
 * Why the counselor's message can't go as typed, or "" when it can (an empty one clears).
 * Only invisible characters (zero-width space, soft hyphen, blank fillers…) is no message;
 * text-direction controls could make it read differently, so they are named.
 */
export function messageProblem(text) {
  const found = [...new Set(text.match(BIDI) || [])]
    .map((char) => `U+${char.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`)
    .sort();
  if (found.length) {
    return `The message contains text-direction control characters (${found.join(", ")}) that could make it read differently. Remove them and send again.`;
  }
  // Spaces alone clear the message (the Clear button's way); anything else must show.
  // (JavaScript counts U+FEFF as a space; the server, like Python, does not.)
  const rest = text.replace(/(?!\ufeff)\s/g, "");
  if (rest && !SHOWS.test(text.replace(BLANK_FILLERS, ""))) return "Write a few words first.";
  return "";
}

/** Who the counselor's message is from, as the card names her (in a workshop room she is
 * the couple's facilitator, as every other line of the room calls her). */
export function messageFrom(snap) {
  const name = snap.host && snap.host.name;
  if (name) return `From ${name}`;
  return snap.workshop ? "From your facilitator" : "From your counselor";
}

export function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/**
 * Who may act in the current step, in words for this viewer. `again`: the speaker
 * has just answered "Not quite" or "there's more", so this mirror is a second go.
 */
export function turnLine(snap, { again = false } = {}) {
  const step = snap.step;
  if (!step) return "";
  const you = snap.you;
  const floor = step.floor;
  const speaker = floor ? capitalise(nameOf(snap, floor)) : "";
  const listenerSeat = step.listener;
  const listener = listenerSeat ? capitalise(nameOf(snap, listenerSeat)) : "";
  switch (step.kind) {
    case "speak":
      if (you === floor) return "You have the floor. Say what matters to you, a sentence or two at a time.";
      if (you === "host") return `${speaker} is speaking.`;
      return `${speaker} is speaking — listen for what matters to them.`;
    case "reflect":
      if (again && step.phase === "mirror") return mirrorAgainLine(snap, floor, speaker, listener);
      return reflectLine(snap, step.phase, floor, listenerSeat, speaker, listener);
    case "checkin":
      if (you === "host") return "Each partner is noticing how they are right now.";
      return "Notice how you are right now. There is no wrong answer.";
    case "breathe":
      if (you === "host") return "The couple is breathing together; either may sit it out.";
      if (snap.seats && snap.seats[you] && snap.seats[you].resting) {
        return "You're sitting this one out. Breathe along any time if you change your mind.";
      }
      return "Breathe along if you like. You can sit this one out at any time.";
    case "info":
      if (step.advance === "both") {
        if (you === "host") return "The room moves on once both partners are ready. You can move it on at any time.";
        return "Take your time. You'll move on together once you've both said you're ready.";
      }
      if (you === "host") return "Either partner, or you, can move on.";
      return "When you're both ready, either of you can move on.";
    default:
      return "";
  }
}

function mirrorAgainLine(snap, floor, speaker, listener) {
  if (snap.you === "host") return `${speaker} is adding to it; ${listener} will mirror again.`;
  if (snap.you === floor) {
    return `Tell ${listener} what was missing or what else there is. Then ${listener} will say back what they heard.`;
  }
  return `${speaker} would like to add something. Listen, then tell ${speaker} again what you heard.`;
}

function reflectLine(snap, phase, floor, listenerSeat, speaker, listener) {
  const you = snap.you;
  if (you === "host") {
    const what = {
      mirror: `${listener} is mirroring what ${speaker} said.`,
      check: `${speaker} is saying whether ${listener} got it.`,
      validate: `${listener} is saying what makes sense about it.`,
      empathize: `${listener} is imagining how it feels for ${speaker}.`,
    };
    return what[phase] || "";
  }
  if (you === listenerSeat) {
    const what = {
      mirror: `Tell ${speaker} what you heard, in your own words. No need to agree or answer back.`,
      check: `Ask ${speaker} whether you got it, then wait for their answer.`,
      validate: `Tell ${speaker} what makes sense about it. Understanding is not agreeing.`,
      empathize: `Imagine how this feels for ${speaker}, say it, then ask: “Is that how it feels?”`,
    };
    return what[phase] || "";
  }
  const what = {
    mirror: `${listener} is telling you what they heard. Listen for whether it fits.`,
    check: `Did ${listener} get it? Let them know.`,
    validate: `${listener} is telling you what makes sense about it.`,
    empathize: `${listener} is imagining how this feels for you.`,
  };
  return what[phase] || "";
}

/** One line per other person in the room: here, dropped (left, once it's over), or not yet joined. */
export function presenceLines(snap) {
  const lines = [];
  for (const seat of ["a", "b"]) {
    if (seat === snap.you) continue;
    const s = snap.seats[seat];
    const name = capitalise(nameOf(snap, seat));
    if (!s || !s.claimed) {
      const text =
        snap.you === "host"
          ? named(snap, seat) ? `Waiting for ${name} to join` : "Waiting for a partner to join"
          : "Waiting for your partner to join";
      lines.push({ seat, text, state: "absent" });
    } else if (s.connected) {
      const resting = s.resting && snap.step && snap.step.kind === "breathe";
      lines.push({ seat, text: resting ? `${name} is here, resting this round` : `${name} is here`, state: "here" });
    } else if (snap.status === "completed" || snap.status === "ended") {
      // Nothing waits on anyone once the session is over: leaving is simply leaving.
      lines.push({ seat, text: `${name} has left the room`, state: "left" });
    } else {
      lines.push({ seat, text: `${name}'s connection dropped — waiting`, state: "dropped" });
    }
  }
  // In a workshop room the facilitator is at her console, not in the room: her being away
  // is the usual thing, not a warning, so only her coming in is said ("Ask for help" calls her).
  if (snap.host && snap.you !== "host" && snap.workshop) {
    if (snap.host.connected) lines.push({ seat: "host", text: "Your facilitator is here", state: "here" });
  } else if (snap.host && snap.you !== "host") {
    lines.push({
      seat: "host",
      text: snap.host.connected ? "Your counselor is here" : "Your counselor isn't connected right now",
      state: snap.host.connected ? "here" : "dropped",
    });
  }
  return lines;
}

/** The notice when a partner's seat moved to a new phone (their earlier answers went with the old one). */
export function rejoinedLine(snap, seats) {
  const names = seats.map((seat) => capitalise(nameOf(snap, seat)));
  return `${names.join(" and ")} rejoined on another device.`;
}

/** Who has said they are ready to continue, for both partners. */
export function readyLines(snap) {
  const ready = (snap.pause && snap.pause.ready) || [];
  return ["a", "b"].map((seat) => {
    const name = capitalise(nameOf(snap, seat));
    const isReady = ready.includes(seat);
    if (seat === snap.you) return { seat, ready: isReady, text: isReady ? "You're ready" : "You're not ready yet — take your time" };
    return { seat, ready: isReady, text: isReady ? `${name} is ready` : `Waiting for ${name}` };
  });
}

/** "20 minutes" / "1 minute": a break's length as the room was set up. */
export function minutesText(minutes) {
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

/**
 * What the break timer says: the time left, then that the suggested break is over
 * (to the counselor, `host`, about the couple rather than to them).
 */
export function breakLeftText(msLeft, minutes, host = false) {
  if (msLeft <= 0) {
    const passed = minutes === 1 ? "has passed" : "have passed";
    const then = host
      ? "The room resumes once both have said they're ready, or when you resume for both."
      : "Come back together when you both feel settled.";
    return `${minutesText(minutes)} ${passed}. ${then}`;
  }
  const total = Math.ceil(msLeft / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")} left`;
}

/**
 * The finished room's top line, from the summary's own counts ({done, skipped, notReached,
 * count}: `reports/summary.py`'s outcomes), so it never claims a skipped step was done:
 * "All 9 steps done", "4 of 9 steps done, 5 skipped". Without counts yet: "Finished".
 */
export function finishedStepsLine(counts) {
  if (!counts || !Number.isInteger(counts.count)) return "Finished";
  const { done, skipped, notReached, count } = counts;
  if (done === count) return `All ${count} steps done`;
  const parts = [`${done} of ${count} steps done`];
  if (skipped) parts.push(`${skipped} skipped`);
  if (notReached) parts.push(`${notReached} not reached`);
  return parts.join(", ");
}

/** "about 1:20 left" / over-time wording for a soft limit. */
export function timerText(msLeft, overTime) {
  if (overTime || msLeft <= 0) return "Time's up — finish your thought when you're ready.";
  const total = Math.ceil(msLeft / 1000);
  const m = Math.floor(total / 60);
  const s = String(total % 60).padStart(2, "0");
  return `${m}:${s} left`;
}

/**
 * Who has said they're ready to move on from a step that needs both, for this viewer:
 * "Waiting for Sam…" after your own tap, a calm note when Sam tapped first, and for
 * the host each partner who is ready. Empty when there is nothing to say.
 */
export function movingOnLine(snap) {
  const step = snap.step;
  if (!step || step.advance !== "both" || snap.status !== "active") return "";
  const ready = (step.moving_on || []).filter((seat) => seat === "a" || seat === "b");
  if (snap.you === "host") {
    if (ready.length === 0) return "";
    const names = ready.map((seat) => capitalise(nameOf(snap, seat)));
    return `${names.join(" and ")} ${names.length === 1 ? "is" : "are"} ready to move on.`;
  }
  const other = otherSeat(snap.you);
  if (!other) return "";
  const mine = ready.includes(snap.you);
  const theirs = ready.includes(other);
  if (mine && !theirs) return `Waiting for ${nameOf(snap, other)}…`;
  if (theirs && !mine) {
    return `${capitalise(nameOf(snap, other))} is ready to move on. Take the time you need.`;
  }
  return "";
}

/** The question when someone on a new device asks to continue in a seat. */
export function knockQuestion(snap) {
  const name = nameOf(snap, snap.knock.seat);
  return `Someone wants to continue as ${name} on a new device. Is that ${name}?`;
}

export function knockHint(snap) {
  const name = nameOf(snap, snap.knock.seat);
  const check = snap.you === "host" ? "you know it's them" : "you know it's them — they're with you, or just told you";
  return `Say yes only if ${check}. If you're not sure, say no: nothing changes for ${name}'s place.`;
}

/** What happened after the question was answered (`mine`: this viewer answered it). */
export function knockAnsweredLine(snap, seat, answer, mine) {
  const name = nameOf(snap, seat);
  if (answer === "yes") {
    return mine ? `Thank you. ${capitalise(name)} can carry on from the new device.` : `${capitalise(name)} can carry on from a new device.`;
  }
  if (answer === "no") {
    return mine ? `Thank you. Nobody new was let in; ${name}'s place stays as it is.` : `Nobody new was let in; ${name}'s place stays as it is.`;
  }
  return "";
}
