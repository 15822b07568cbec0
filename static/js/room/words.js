// Every sentence the room shows about people, in one place, so the tone stays
// consistent: warm, concrete, no blame, always saying what happens next. Words the
// server shows too are not copied here: the ladder's rungs come with the room page,
// and a check-in answer's line and the pause's line and break note come in the
// snapshot, all written once in sessions/engine/wording.py.
//
// The counselor reads the room about the couple, never as one of them: "Waiting for
// Alex and Sam to join", "Alex and Sam have both checked in". Her page may know the
// couple's names before they join (`setKnownNames`, from the server's page data).
//
// Each sentence is written whole in the reader's language (../i18n.js): names go in by
// named placeholders ("%(name)s is here"), never glued from pieces, so a translator can
// move them. A typed name is capitalised as the room always has; a description ("your
// partner") stays small and the sentence as a whole starts with a capital (`say`), so it
// reads right wherever a language puts the person.

import { gettext, interpolate, ngettext, pgettext } from "../i18n.js";

let knownNames = null;

/** The names the counselor gave the couple ({a, b}), for her page; null elsewhere. */
export function setKnownNames(names) {
  knownNames = names && typeof names === "object" ? names : null;
}

/** A sentence to start from, for the listener of a reflect phase ("" for none). */
export function starterFor(phase) {
  const starters = {
    mirror: gettext("What I heard you say is…"),
    check: gettext("Did I get it?"),
    validate: gettext("That makes sense, because…"),
    empathize: gettext("I imagine you might feel…"),
  };
  return starters[phase] || "";
}

/** The words on the "done" button for this step (null: the page's own default). */
export function doneLabel(step) {
  if (!step) return null;
  // The button that ends your part of a turn, by step kind or reflect phase.
  const labels = {
    speak: gettext("I'm done speaking"),
    mirror: gettext("I've said what I heard"),
    validate: gettext("I've said what makes sense"),
    empathize: gettext("I've said how I imagine it feels"),
  };
  if (step.kind === "speak") return labels.speak;
  if (step.kind === "reflect") return labels[step.phase] || null;
  return null;
}

export function otherSeat(seat) {
  if (seat === "a") return "b";
  if (seat === "b") return "a";
  return null;
}

/** A partner's name as this viewer should read it ("you" for themselves). */
export function nameOf(snap, seat) {
  if (seat === "host") return snap.workshop ? gettext("your facilitator") : gettext("your counselor");
  // Translators: the person reading, where a sentence names them among others (an answer's heading).
  if (seat === snap.you) return pgettext("the person reading", "you");
  const name = snap.seats && snap.seats[seat] && snap.seats[seat].name;
  if (name) return name;
  if (snap.you === "host") {
    return (knownNames && knownNames[seat]) || (seat === "a" ? gettext("Partner A") : gettext("Partner B"));
  }
  return gettext("your partner");
}

/** A person as a sentence names them: a typed name capitalised, a description ("your partner") as is. */
function who(snap, seat) {
  const name = nameOf(snap, seat);
  return seat !== snap.you && named(snap, seat) ? capitalise(name) : name;
}

/** A whole sentence with its people filled in, starting with a capital letter. */
function say(format, values) {
  return capitalise(interpolate(format, values));
}

/** Sentences said one after the other (empty ones left out). */
function joined(...sentences) {
  return sentences.filter(Boolean).join(" ");
}

/** Whether the counselor's page knows this partner's name (typed, or given to the couple). */
function named(snap, seat) {
  const name = snap.seats && snap.seats[seat] && snap.seats[seat].name;
  return Boolean(name || (knownNames && knownNames[seat]));
}

/** Whether the page knows both partners' names. */
function knowsBoth(snap) {
  return Boolean(snap) && named(snap, "a") && named(snap, "b");
}

/** "Alex and Sam" for the counselor (the desk's spans); "both partners" while she doesn't know both names. */
export function coupleNames(snap) {
  if (!knowsBoth(snap)) return gettext("both partners");
  return interpolate(gettext("%(a)s and %(b)s"), { a: nameOf(snap, "a"), b: nameOf(snap, "b") });
}

/**
 * A sentence about the couple: `withNames` ("%(a)s and %(b)s have finished") once the page
 * knows both names, else `nameless` ("Both partners have finished"), each a whole sentence.
 */
export function aboutCouple(snap, withNames, nameless) {
  if (!knowsBoth(snap)) return nameless;
  return say(withNames, { a: who(snap, "a"), b: who(snap, "b") });
}

/** The waiting screen's line for the counselor, about the couple. */
export function hostWaitingLine(snap, canStart) {
  const missing = ["a", "b"].filter((seat) => !snap.seats[seat].claimed);
  if (missing.length === 2) {
    return aboutCouple(snap, gettext("Waiting for %(a)s and %(b)s to join."), gettext("Waiting for both partners to join."));
  }
  if (missing.length === 1) {
    const away = missing[0];
    const here = who(snap, otherSeat(away));
    return named(snap, away)
      ? say(gettext("%(here)s is here. Waiting for %(away)s to join."), { here, away: who(snap, away) })
      : say(gettext("%(name)s is here. Waiting for the other partner to join."), { name: here });
  }
  const both = aboutCouple(snap, gettext("%(a)s and %(b)s are both here."), gettext("Both partners are here."));
  return canStart ? joined(both, gettext("Begin when the time is right.")) : both;
}

/** The desk's line per partner: who, and whether they're here ({seat, text, state}). */
export function deskPresenceLines(snap) {
  return ["a", "b"].map((seat) => {
    const s = snap.seats[seat];
    const name = who(snap, seat);
    if (!s || !s.claimed) return { seat, text: say(gettext("%(name)s — not joined yet"), { name }), state: "absent" };
    if (s.connected) return { seat, text: say(gettext("%(name)s — here"), { name }), state: "here" };
    if (snap.status === "completed" || snap.status === "ended") {
      return { seat, text: say(gettext("%(name)s — has left"), { name }), state: "left" };
    }
    return { seat, text: say(gettext("%(name)s — away (connection dropped)"), { name }), state: "dropped" };
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
  if (index === undefined || index === null) return { title: gettext("No check-ins yet."), answers: {} };
  const pair = (snap.checkins && snap.checkins[String(index)]) || {};
  const title = (snap.steps && snap.steps[index] && snap.steps[index].title) || gettext("Check-in");
  const answers = {};
  for (const seat of ["a", "b"]) {
    answers[seat] = pair[seat] ? pair[seat].line : gettext("not checked in yet");
  }
  return { title: interpolate(gettext("Check-ins at “%(title)s”:"), { title }), answers };
}

/**
 * The confirmation before the counselor resumes for both, naming whom it overrides and
 * whose pause it was: "This overrides Sam's pause." when Sam paused (or Sam's connection
 * dropped) and Sam is not ready; after her own pause, that they haven't said ready yet.
 */
export function resumeQuestion(snap, seats) {
  const [first, second] = seats.map((seat) => who(snap, seat));
  const ask =
    seats.length === 1
      ? say(gettext("Resume for both even though %(name)s hasn't said they're ready?"), { name: first })
      : say(gettext("Resume for both even though %(a)s and %(b)s haven't said they're ready?"), { a: first, b: second });
  const pause = snap.pause || {};
  const owner = pause.reason === "connection" ? pause.seat : pause.by;
  if (seats.includes(owner)) {
    return joined(ask, say(gettext("This overrides %(name)s's pause."), { name: who(snap, owner) }));
  }
  if (seats.length === 1) {
    return joined(ask, say(gettext("The room moves on without waiting for %(name)s."), { name: first }));
  }
  return joined(ask, gettext("Neither has said they're ready yet."));
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
  const [first, second] = away.map((seat) => who(snap, seat));
  return away.length === 1
    ? say(gettext("%(name)s isn't here; the room waits for them."), { name: first })
    : say(gettext("%(a)s and %(b)s aren't here; the room waits for them."), { a: first, b: second });
}

/** The button that frees a seat: "Free Alex's seat", or "Free the first seat" with no name. */
export function freeSeatLabel(seat, name) {
  if (name) return interpolate(gettext("Free %(name)s’s seat"), { name });
  return seat === "a" ? gettext("Free the first seat") : gettext("Free the second seat");
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
    return interpolate(
      gettext(
        "The message contains text-direction control characters (%(codes)s) that could make it read differently. Remove them and send again.",
      ),
      { codes: found.join(", ") },
    );
  }
  // Spaces alone clear the message (the Clear button's way); anything else must show.
  // (JavaScript counts U+FEFF as a space; the server, like Python, does not.)
  const rest = text.replace(/(?!\ufeff)\s/g, "");
  if (rest && !SHOWS.test(text.replace(BLANK_FILLERS, ""))) return gettext("Write a few words first.");
  return "";
}

/** Who the counselor's message is from, as the card names her (in a workshop room she is
 * the couple's facilitator, as every other line of the room calls her). */
export function messageFrom(snap) {
  const name = snap.host && snap.host.name;
  if (name) return interpolate(gettext("From %(name)s"), { name });
  return snap.workshop ? gettext("From your facilitator") : gettext("From your counselor");
}

/** The counselor's message read out once, politely: "Message from Dana: …". */
export function messageNews(snap, text) {
  const name = snap.host && snap.host.name;
  if (name) return interpolate(gettext("Message from %(name)s: %(text)s"), { name, text });
  return snap.workshop
    ? interpolate(gettext("Message from your facilitator: %(text)s"), { text })
    : interpolate(gettext("Message from your counselor: %(text)s"), { text });
}

/** The first letter in capitals (after an opening ¿, ¡, bracket or quote mark). */
export function capitalise(text) {
  return text ? text.replace(/^([¿¡("“«']*)(.)/u, (whole, lead, first) => lead + first.toUpperCase()) : text;
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
  const speaker = floor ? who(snap, floor) : "";
  const listenerSeat = step.listener;
  const listener = listenerSeat ? who(snap, listenerSeat) : "";
  switch (step.kind) {
    case "speak":
      if (you === floor) return gettext("You have the floor. Say what matters to you, a sentence or two at a time.");
      if (you === "host") return say(gettext("%(speaker)s is speaking."), { speaker });
      return say(gettext("%(speaker)s is speaking — listen for what matters to them."), { speaker });
    case "reflect":
      if (again && step.phase === "mirror") return mirrorAgainLine(snap, floor, speaker, listener);
      return reflectLine(snap, step.phase, listenerSeat, speaker, listener);
    case "checkin":
      if (you === "host") return gettext("Each partner is noticing how they are right now.");
      return gettext("Notice how you are right now. There is no wrong answer.");
    case "breathe":
      if (you === "host") return gettext("The couple is breathing together; either may sit it out.");
      if (snap.seats && snap.seats[you] && snap.seats[you].resting) {
        return gettext("You're sitting this one out. Breathe along any time if you change your mind.");
      }
      return gettext("Breathe along if you like. You can sit this one out at any time.");
    case "info":
      if (step.advance === "both") {
        if (you === "host") {
          return gettext("The room moves on once both partners are ready. You can move it on at any time.");
        }
        return gettext("Take your time. You'll move on together once you've both said you're ready.");
      }
      if (you === "host") return gettext("Either partner, or you, can move on.");
      return gettext("When you're both ready, either of you can move on.");
    default:
      return "";
  }
}

function mirrorAgainLine(snap, floor, speaker, listener) {
  if (snap.you === "host") {
    return say(gettext("%(speaker)s is adding to it; %(listener)s will mirror again."), { speaker, listener });
  }
  if (snap.you === floor) {
    return say(
      gettext("Tell %(listener)s what was missing or what else there is. Then %(listener)s will say back what they heard."),
      { listener },
    );
  }
  return say(
    gettext("%(speaker)s would like to add something. Listen, then tell %(speaker)s again what you heard."),
    { speaker },
  );
}

function reflectLine(snap, phase, listenerSeat, speaker, listener) {
  const you = snap.you;
  let what;
  if (you === "host") {
    what = {
      mirror: gettext("%(listener)s is mirroring what %(speaker)s said."),
      check: gettext("%(speaker)s is saying whether %(listener)s got it."),
      validate: gettext("%(listener)s is saying what makes sense about it."),
      empathize: gettext("%(listener)s is imagining how it feels for %(speaker)s."),
    };
  } else if (you === listenerSeat) {
    what = {
      mirror: gettext("Tell %(speaker)s what you heard, in your own words. No need to agree or answer back."),
      check: gettext("Ask %(speaker)s whether you got it, then wait for their answer."),
      validate: gettext("Tell %(speaker)s what makes sense about it. Understanding is not agreeing."),
      empathize: gettext("Imagine how this feels for %(speaker)s, say it, then ask: “Is that how it feels?”"),
    };
  } else {
    what = {
      mirror: gettext("%(listener)s is telling you what they heard. Listen for whether it fits."),
      check: gettext("Did %(listener)s get it? Let them know."),
      validate: gettext("%(listener)s is telling you what makes sense about it."),
      empathize: gettext("%(listener)s is imagining how this feels for you."),
    };
  }
  return what[phase] ? say(what[phase], { speaker, listener }) : "";
}

/** One line per other person in the room: here, dropped (left, once it's over), or not yet joined. */
export function presenceLines(snap) {
  const lines = [];
  for (const seat of ["a", "b"]) {
    if (seat === snap.you) continue;
    const s = snap.seats[seat];
    const name = who(snap, seat);
    if (!s || !s.claimed) {
      let text = gettext("Waiting for your partner to join");
      if (snap.you === "host") {
        text = named(snap, seat)
          ? say(gettext("Waiting for %(name)s to join"), { name })
          : gettext("Waiting for a partner to join");
      }
      lines.push({ seat, text, state: "absent" });
    } else if (s.connected) {
      const resting = s.resting && snap.step && snap.step.kind === "breathe";
      const text = resting
        ? say(gettext("%(name)s is here, resting this round"), { name })
        : say(gettext("%(name)s is here"), { name });
      lines.push({ seat, text, state: "here" });
    } else if (snap.status === "completed" || snap.status === "ended") {
      // Nothing waits on anyone once the session is over: leaving is simply leaving.
      lines.push({ seat, text: say(gettext("%(name)s has left the room"), { name }), state: "left" });
    } else {
      lines.push({ seat, text: say(gettext("%(name)s's connection dropped — waiting"), { name }), state: "dropped" });
    }
  }
  // In a workshop room the facilitator is at her console, not in the room: her being away
  // is the usual thing, not a warning, so only her coming in is said ("Ask for help" calls her).
  if (snap.host && snap.you !== "host" && snap.workshop) {
    if (snap.host.connected) lines.push({ seat: "host", text: gettext("Your facilitator is here"), state: "here" });
  } else if (snap.host && snap.you !== "host") {
    lines.push({
      seat: "host",
      text: snap.host.connected ? gettext("Your counselor is here") : gettext("Your counselor isn't connected right now"),
      state: snap.host.connected ? "here" : "dropped",
    });
  }
  return lines;
}

/** Who has checked in on this check-in step and who the room waits for, for this viewer. */
export function checkinWaitLine(snap, answered) {
  const you = snap.you;
  const other = otherSeat(you);
  const bothIn = answered.includes("a") && answered.includes("b");
  if (other && answered.includes(you) && !bothIn) {
    return say(gettext("Waiting for %(name)s to check in. You'll see each other's answers together."), {
      name: who(snap, other),
    });
  }
  if (other && !bothIn && answered.includes(other)) {
    return say(gettext("%(name)s has checked in. You'll see both answers once you've shared yours — take your time."), {
      name: who(snap, other),
    });
  }
  if (!other && !bothIn) {
    const [first, second] = ["a", "b"].filter((seat) => !answered.includes(seat)).map((seat) => who(snap, seat));
    return second
      ? say(gettext("Waiting for %(a)s and %(b)s to check in."), { a: first, b: second })
      : say(gettext("Waiting for %(name)s to check in."), { name: first });
  }
  if (!other) {
    return say(
      gettext("%(a)s and %(b)s have both checked in. The room moves on once they're both ready, or when you move it on."),
      { a: who(snap, "a"), b: who(snap, "b") },
    );
  }
  if (!bothIn) return "";
  return gettext("You've both checked in. Take a moment with each other's answers, then continue when you're ready.");
}

/** The notice when a partner's seat moved to a new phone (their earlier answers went with the old one). */
export function rejoinedLine(snap, seats) {
  const [first, second] = seats.map((seat) => who(snap, seat));
  return seats.length === 1
    ? say(gettext("%(name)s rejoined on another device."), { name: first })
    : say(gettext("%(a)s and %(b)s rejoined on another device."), { a: first, b: second });
}

/** Who has said they are ready to continue, for both partners. */
export function readyLines(snap) {
  const ready = (snap.pause && snap.pause.ready) || [];
  return ["a", "b"].map((seat) => {
    const name = who(snap, seat);
    const isReady = ready.includes(seat);
    if (seat === snap.you) {
      return {
        seat,
        ready: isReady,
        text: isReady ? gettext("You're ready") : gettext("You're not ready yet — take your time"),
      };
    }
    const text = isReady ? say(gettext("%(name)s is ready"), { name }) : say(gettext("Waiting for %(name)s"), { name });
    return { seat, ready: isReady, text };
  });
}

/** "20 minutes" / "1 minute": a break's length as the room was set up. */
export function minutesText(minutes) {
  return interpolate(ngettext("%(count)s minute", "%(count)s minutes", minutes), { count: minutes });
}

/** "1:20 left": the minutes and seconds still to go. */
function leftText(msLeft) {
  const total = Math.ceil(msLeft / 1000);
  const time = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
  return interpolate(gettext("%(time)s left"), { time });
}

/**
 * What the break timer says: the time left while the break runs, then nothing. Once the
 * break's end (the snapshot's `pause.break_ends_at`) has come, the server's own
 * `pause.break_over_line` is the one sentence that says so (./pause.js).
 */
export function breakLeftText(msLeft) {
  return msLeft > 0 ? leftText(msLeft) : "";
}

/**
 * The finished room's top line, from the summary's own counts ({done, skipped, notReached,
 * count}: `reports/summary.py`'s outcomes), so it never claims a skipped step was done:
 * "All 9 steps done", "4 of 9 steps done, 5 skipped". Without counts yet: "Finished".
 */
export function finishedStepsLine(counts) {
  if (!counts || !Number.isInteger(counts.count)) return gettext("Finished");
  const { done, skipped, notReached, count } = counts;
  if (done === count) return interpolate(ngettext("All %(count)s step done", "All %(count)s steps done", count), { count });
  const parts = [
    interpolate(ngettext("%(done)s of %(count)s step done", "%(done)s of %(count)s steps done", count), { done, count }),
  ];
  if (skipped) parts.push(interpolate(ngettext("%(count)s skipped", "%(count)s skipped", skipped), { count: skipped }));
  if (notReached) {
    parts.push(interpolate(ngettext("%(count)s not reached", "%(count)s not reached", notReached), { count: notReached }));
  }
  return parts.join(", ");
}

/** "1:20 left" / over-time wording for a soft limit. */
export function timerText(msLeft, overTime) {
  if (overTime || msLeft <= 0) return gettext("Time's up — finish your thought when you're ready.");
  return leftText(msLeft);
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
    const [first, second] = ready.map((seat) => who(snap, seat));
    return ready.length === 1
      ? say(gettext("%(name)s is ready to move on."), { name: first })
      : say(gettext("%(a)s and %(b)s are ready to move on."), { a: first, b: second });
  }
  const other = otherSeat(snap.you);
  if (!other) return "";
  const mine = ready.includes(snap.you);
  const theirs = ready.includes(other);
  if (mine && !theirs) return say(gettext("Waiting for %(name)s…"), { name: who(snap, other) });
  if (theirs && !mine) {
    return say(gettext("%(name)s is ready to move on. Take the time you need."), { name: who(snap, other) });
  }
  return "";
}

/** The question when someone on a new device asks to continue in a seat. */
export function knockQuestion(snap) {
  const name = who(snap, snap.knock.seat);
  return say(gettext("Someone wants to continue as %(name)s on a new device. Is that %(name)s?"), { name });
}

export function knockHint(snap) {
  const name = who(snap, snap.knock.seat);
  return snap.you === "host"
    ? interpolate(
        gettext("Say yes only if you know it's them. If you're not sure, say no: nothing changes for %(name)s's place."),
        { name },
      )
    : interpolate(
        gettext(
          "Say yes only if you know it's them — they're with you, or just told you. If you're not sure, say no: nothing changes for %(name)s's place.",
        ),
        { name },
      );
}

/** What happened after the question was answered (`mine`: this viewer answered it). */
export function knockAnsweredLine(snap, seat, answer, mine) {
  const name = who(snap, seat);
  const thanks = mine ? gettext("Thank you.") : "";
  if (answer === "yes") {
    const line = mine
      ? say(gettext("%(name)s can carry on from the new device."), { name })
      : say(gettext("%(name)s can carry on from a new device."), { name });
    return joined(thanks, line);
  }
  if (answer === "no") {
    return joined(thanks, say(gettext("Nobody new was let in; %(name)s's place stays as it is."), { name }));
  }
  return "";
}
