// The room page: turns each snapshot from the server into the screen this person
// needs now — only the buttons they may use, whose turn it is in words, the
// pacer, the pause space — and sends their actions. The server is the authority;
// this page never guesses ahead of it: a button shows exactly when its action is in
// the snapshot's `can`, and the page's fixed words, lists and limits that the server
// also uses (the ladder, the check-in's limits, which actions carry their step) come
// from the page itself (`#room-data`, rendered by the server), never from a copy here.
//
// This folder holds the scripts only the room page uses; those other pages share
// (the server clock, the socket, copy buttons, the summary watch) sit one level up.
//
// Other scripts on the page (the counselor's panel) use two DOM events instead of
// a second socket: `stay:state` (detail: the state frame) is dispatched on
// document after each new state, and `stay:act` (detail: {action, args, target})
// asks this page to send an action. The call (static/js/call/) also hears
// `stay:status` (detail: "connecting", "online", "offline" or "gone"), `stay:call`
// (detail: a `call.*` frame) and `stay:error` (an error frame answering no action).
// The counselor's desk (./desk.js: controls, resume for both, her message) is part of
// this page's own script, so its actions go through the same `act`.

import { ServerClock } from "../clock.js";
import { wireCopyButtons } from "../copy.js";
import { gettext, interpolate } from "../i18n.js";
import { CLOSE, RoomSocket } from "../socket.js";
import { deletionMark, watchSummary } from "../summary-watch.js";
import { CheckinPanel } from "./checkin.js";
import { buzz, chime, primeAudio } from "./cues.js";
import { Desk } from "./desk.js";
import { isPauseKey, isTyping } from "./keys.js";
import { KnockPrompt } from "./knock.js";
import { Pacer } from "./pacer.js";
import { BREAK_SOUND, PausePanel } from "./pause.js";
import { getFlag, setFlag } from "./prefs.js";
import { RejoinWatch } from "./rejoin.js";
import { keepAwake } from "./wakelock.js";
import { WorkshopPanel, isHeld } from "./workshop.js";
import {
  aboutCouple, capitalise, doneLabel, finishedStepsLine, hostWaitingLine, messageFrom, messageNews, movingOnLine,
  nameOf, otherSeat, presenceLines, rejoinedLine, setKnownNames, starterFor, timerText, turnLine,
} from "./words.js";

const $ = (id) => document.getElementById(id);
const root = $("room");
const code = root.dataset.code;
const clock = new ServerClock();
const page = JSON.parse($("room-data").textContent);
const STEP_ACTIONS = new Set(page.step_actions);
const isHost = root.dataset.role === "host";
// A workshop room (#workshop): the group timer, the facilitator's pace, "Ask for help".
const workshop = page.workshop ? new WorkshopPanel(root, clock) : null;
setKnownNames(isHost ? page.names : null);

let snap = null;
let lastFocusKey = null;
let lastAnnounceKey = null;
let summaryShownFor = null;
let summaryWatched = false;
let finishedCounts = null; // {done, skipped, notReached, count, outcomes} from the summary
let errorTimer = null;
let offlineTimer = null;
let rejoinedTimer = null;
let messageShown = null; // the message text last shown, to announce a new one once
let lastStep = null; // {index, phase} of the previous state, to notice a second mirror
let mirrorAgainFor = null; // reflect step whose speaker asked to be mirrored again
let tappedFor = null; // {key, tapped}: whether this partner had said ready to move on, per step
const rejoins = new RejoinWatch();
const REJOINED_SHOWN_MS = 60000;

const screens = {
  waiting: $("screen-waiting"),
  step: $("screen-step"),
  pause: $("screen-pause"),
  done: $("screen-done"),
  gone: $("screen-gone"),
};

// ---- sending ---------------------------------------------------------------

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
  clearTimeout(errorTimer);
  errorTimer = setTimeout(() => {
    box.hidden = true;
  }, 8000);
}

/** A refused action in words: the page's own for what the socket says itself, else the server's message. */
function errorText(err) {
  if (err && err.code === "offline") return gettext("You're offline right now; try again in a moment.");
  if (err && err.code === "gone") return gettext("This room is no longer open to this browser.");
  return (err && err.message) || "";
}

function clearError() {
  $("error").hidden = true;
}

/** Send an action; step actions carry the step (and its phase, if it has one) they were meant for. */
function act(action, args = {}, button = null) {
  const target = {};
  if (STEP_ACTIONS.has(action) && snap && snap.step) {
    target.step = snap.step.index;
    if (snap.step.phase) target.phase = snap.step.phase;
  }
  if (button) button.disabled = true;
  clearError();
  return socket
    .act(action, args, target)
    .catch((err) => {
      // `stale`: the room moved on a moment before; the new state is already on its way.
      // A refused resume for both says who isn't ready now: that one is worth reading.
      if (err && (err.code !== "stale" || action === "resume")) showError(errorText(err) || gettext("That didn't go through. Please try again."));
    })
    .finally(() => {
      if (button) button.disabled = false;
    });
}

root.addEventListener("click", (event) => {
  const button = event.target.closest("[data-act]");
  if (!button || !root.contains(button)) return;
  const action = button.dataset.act;
  const args = button.dataset.value ? { value: button.dataset.value } : {};
  if (action === "end") toggleConfirm("end", false);
  act(action, args, button);
});

document.addEventListener("stay:act", (event) => {
  const { action, args = {} } = event.detail || {};
  if (action) act(action, args);
});

$("pause-btn").addEventListener("click", (event) => act("pause", {}, event.currentTarget));
// Pause with one key from anywhere in the room: P (Alt+P while typing in a field).
document.addEventListener("keydown", (event) => {
  if (!isPauseKey(event, isTyping(event.target))) return;
  const button = $("pause-btn");
  if (button.hidden || button.disabled) return;
  event.preventDefault();
  button.click();
});
// Flooding (a racing heart, no room to listen) asks for a real break, not a moment.
$("flooded-btn").addEventListener("click", (event) =>
  act("pause", { reason: "flooding" }, event.currentTarget),
);

// ---- confirmations ----------------------------------------------------------

function toggleConfirm(name, open) {
  const ask = $(`${name}-ask`);
  const box = $(`${name}-confirm`);
  if (!ask || !box) return;
  box.hidden = !open;
  ask.setAttribute("aria-expanded", String(open));
  if (open) box.querySelector("button").focus();
  else ask.focus();
}

for (const name of ["end", "delete"]) {
  const ask = $(`${name}-ask`);
  if (!ask) continue;
  ask.addEventListener("click", () => toggleConfirm(name, $(`${name}-confirm`).hidden));
  $(`${name}-cancel`).addEventListener("click", () => toggleConfirm(name, false));
}

// ---- pacer and its options ---------------------------------------------------

const pacer = new Pacer($("pacer"), clock, {
  onPhase(phase) {
    if (phase !== "inhale" && phase !== "exhale") return;
    if (getFlag("sound")) chime(phase);
    if (getFlag("vibrate")) buzz();
  },
});

function setStill(still) {
  pacer.setStill(still);
  const button = $("still-btn");
  button.setAttribute("aria-pressed", String(still));
  button.textContent = still ? gettext("Start the animation again") : gettext("Stop the animation");
  pausePanel.pacer.setStill(still);
}

for (const [id, flag] of [["sound-toggle", "sound"], ["vibrate-toggle", "vibrate"]]) {
  const box = $(id);
  box.checked = getFlag(flag);
  box.addEventListener("change", () => {
    setFlag(flag, box.checked);
    if (flag === "sound" && box.checked) primeAudio();
  });
}
$("still-btn").addEventListener("click", () => {
  const still = $("still-btn").getAttribute("aria-pressed") !== "true";
  setFlag("still", still);
  setStill(still);
});

const pausePanel = new PausePanel(screens.pause, { announce, clock });
// A sound chosen on an earlier visit may play only after a tap on this page: the first one.
for (const type of ["pointerdown", "keydown"]) {
  document.addEventListener(
    type,
    () => {
      if (getFlag("sound") || getFlag(BREAK_SOUND)) primeAudio();
    },
    { once: true, capture: true },
  );
}
const knock = new KnockPrompt($("knock"), $("knock-note"), {
  answer: (id, answer, button) => act("let_in", { id, answer }, button),
  announce,
});
const checkinPanel = new CheckinPanel($("panel-checkin"), {
  ladder: page.ladder,
  limits: page.checkin,
  submit: (args, button) => act("checkin", args, button),
  showProblem: showError,
});
setStill(getFlag("still"));

// ---- rendering ---------------------------------------------------------------

function screenFor(s) {
  if (s.status === "waiting") return "waiting";
  if (s.status === "paused") return "pause";
  if (s.status === "completed" || s.status === "ended") return "done";
  return "step";
}

function showScreen(name) {
  for (const [key, el] of Object.entries(screens)) el.hidden = key !== name;
}

function setVisible(selector, visible, label) {
  for (const el of root.querySelectorAll(selector)) {
    el.hidden = !visible;
    if (label && visible) el.textContent = label;
  }
}

function titleFor(s, screen) {
  if (screen === "waiting") return isHost ? gettext("Getting ready") : gettext("Getting ready together");
  if (screen === "pause") return gettext("Taking a pause");
  if (screen === "done" && isHost) {
    return s.status === "completed"
      ? aboutCouple(s, gettext("%(a)s and %(b)s have finished"), gettext("Both partners have finished"))
      : gettext("The session has ended");
  }
  if (screen === "done") return s.status === "completed" ? gettext("You've finished") : gettext("The session has ended");
  return s.step.title;
}

/** "Step 2 of 7: Arriving" */
function stepLine(number, count, title) {
  return interpolate(gettext("Step %(number)s of %(count)s: %(title)s"), { number, count, title });
}

function renderProgress(s) {
  const step = s.step;
  const box = $("progress");
  box.hidden = !step || s.status === "waiting";
  if (!step) return;
  const count = step.count;
  const shown = Math.min(step.index + 1, count);
  const finished = s.status === "completed" || s.status === "ended";
  // Once it's over the line counts what was done and skipped, as the summary does (its
  // counts come with it, `finishedCounts`); until then an ended room says where it stopped.
  const counts = finished ? finishedCounts : null;
  $("progress-text").textContent =
    counts || s.status === "completed" ? finishedStepsLine(counts) : stepLine(shown, count, step.title);
  const bar = $("progress-bar");
  bar.max = count;
  bar.value = counts ? counts.done : shown;
  const list = $("step-list");
  list.replaceChildren(
    ...(s.steps || []).map((item, i) => {
      const li = document.createElement("li");
      li.textContent = item.title;
      const outcome = counts ? counts.outcomes[i] : null;
      if (counts ? outcome === "done" : i < step.index) li.className = "is-done";
      else if (outcome === "skipped") li.className = "is-skipped";
      if (i === step.index && !finished) li.setAttribute("aria-current", "step");
      return li;
    }),
  );
}

/** The summary's step outcomes (`data-outcome` on its step list), for the finished room's top line. */
function countsFrom(summary) {
  const outcomes = [...summary.querySelectorAll(".summary-list li[data-outcome]")].map((li) => li.dataset.outcome);
  if (outcomes.length === 0) return null;
  const tally = (outcome) => outcomes.filter((o) => o === outcome).length;
  return {
    done: tally("done"),
    skipped: tally("skipped"),
    notReached: tally("not_reached"),
    count: outcomes.length,
    outcomes,
  };
}

function renderPresence(s) {
  $("presence").replaceChildren(
    ...presenceLines(s).map((line) => {
      const li = document.createElement("li");
      li.className = `presence-${line.state}`;
      li.dataset.seat = line.seat;
      li.textContent = line.text;
      return li;
    }),
  );
}

/** A calm, passing notice when a partner carries on from another phone; returns its words. */
function renderRejoined(s, serverNow) {
  const seats = rejoins.news(s, serverNow);
  if (seats.length === 0) return "";
  const note = $("rejoined");
  note.textContent = rejoinedLine(s, seats);
  note.hidden = false;
  clearTimeout(rejoinedTimer);
  rejoinedTimer = setTimeout(() => {
    note.hidden = true;
  }, REJOINED_SHOWN_MS);
  return note.textContent;
}

function renderWaiting(s, can) {
  const isPartner = s.you === "a" || s.you === "b";
  const other = isPartner ? s.seats[otherSeat(s.you)] : null;
  const both = s.seats.a.claimed && s.seats.b.claimed;
  let line;
  if (s.you === "host") {
    $("waiting-line").textContent = hostWaitingLine(s, can.has("start"));
    $("share").hidden = true;
    setVisible('[data-act="start"]', can.has("start"));
    return;
  }
  if (!both) {
    line = isPartner
      ? gettext("Waiting for your partner to join. Once you're both here, you'll begin together.")
      : gettext("Waiting for both partners to join.");
  } else if (!can.has("start")) {
    line = workshop
      ? gettext("You're both here. Your facilitator will begin for everyone when the time is right.")
      : gettext("You're both here. Your counselor will begin when the time is right.");
  } else {
    line = gettext("You're both here. When you're ready, either of you can begin.");
  }
  if (isPartner && other && other.claimed && !other.connected) {
    line = capitalise(
      interpolate(gettext("%(name)s has joined but isn't connected right now."), {
        name: capitalise(nameOf(s, otherSeat(s.you))),
      }),
    );
  }
  $("waiting-line").textContent = line;
  // A workshop couple pairs by their word (#pair-card), not by the room's own link.
  $("share").hidden = !isPartner || both || Boolean(workshop);
  setVisible('[data-act="start"]', can.has("start"));
}

/** A "Not quite" / "there's more" shows as check → mirror on the same step: a second go. */
function noteMirrorAgain(s) {
  const step = s.step;
  if (!step || step.kind !== "reflect" || step.phase !== "mirror") {
    mirrorAgainFor = null;
  } else if (lastStep && lastStep.index === step.index && lastStep.phase === "check") {
    mirrorAgainFor = step.index;
  } else if (mirrorAgainFor !== step.index) {
    mirrorAgainFor = null;
  }
  lastStep = step ? { index: step.index, phase: step.phase } : null;
}

function turnFor(s) {
  return turnLine(s, { again: Boolean(s.step) && mirrorAgainFor === s.step.index });
}

function renderStep(s, can) {
  const step = s.step;
  const you = s.you;
  const isPartner = you === "a" || you === "b";
  // A held workshop room's step is done: its own ways of moving on give way to the held card.
  const held = Boolean(workshop) && isHeld(s);
  $("prompt").textContent = step.prompt;
  const turn = held ? "" : turnFor(s);
  $("turn").textContent = turn;
  $("turn").hidden = !turn;

  // A sentence to start from, for the listener of a reflect phase (phases are reflect's own).
  const starter = held || step.listener !== you ? "" : starterFor(step.phase);
  $("panel-starter").hidden = !starter;
  if (starter) $("starter").textContent = starter;

  $("panel-checkin").hidden = step.kind !== "checkin";
  if (step.kind === "checkin") checkinPanel.render(s);

  const breathing = step.kind === "breathe" && s.breathing;
  const resting = isPartner && s.seats[you] && s.seats[you].resting;
  $("panel-breathe").hidden = step.kind !== "breathe";
  $("resting-line").hidden = !(step.kind === "breathe" && resting);
  if (breathing) pacer.show(s.breathing);
  else pacer.hide();
  keepAwake(Boolean(breathing && !resting));

  renderMovingOn(s, can);
  setVisible('[data-act="done"]', can.has("done"), doneLabel(step));
  for (const action of ["answer", "sit_out", "skip", "back"]) {
    setVisible(`[data-act="${action}"]`, can.has(action));
  }
  updateTimers({ group: false });
}

/**
 * "Continue" on a step that ends by a tap. On a step that needs both, a partner who
 * has tapped sees "Waiting for Sam…" and "Not yet" instead (the server offers
 * `not_yet` in place of `next`); the host's own button moves the room at once.
 */
function renderMovingOn(s, can) {
  const you = s.you;
  const tapped = can.has("not_yet");
  const next = root.querySelector('[data-act="next"]');
  const notYet = root.querySelector('[data-act="not_yet"]');
  const focused = document.activeElement;
  setVisible('[data-act="next"]', can.has("next"), you === "host" ? gettext("Move on") : gettext("Continue"));
  setVisible('[data-act="not_yet"]', tapped);
  const line = workshop && isHeld(s) ? "" : movingOnLine(s);
  if ($("moving-on").textContent !== line) $("moving-on").textContent = line;
  // The button just pressed went away (a disabled button may already have lost focus
  // to the page): keep the keyboard on its counterpart.
  const lost = (button) => focused === button || focused === document.body || focused === null;
  const key = `${s.step.index}:${s.step.phase}`;
  if (tappedFor !== null && tappedFor.key === key && tappedFor.tapped !== tapped) {
    if (tapped && lost(next)) notYet.focus();
    if (!tapped && !next.hidden && lost(notYet)) next.focus();
  }
  tappedFor = { key, tapped };
}

async function showSummary() {
  if (summaryShownFor === code) return;
  summaryShownFor = code;
  try {
    const response = await fetch(root.dataset.summaryUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    showSummaryFrom(doc);
    watchDeleting();
  } catch {
    summaryShownFor = null;
    $("summary").textContent = gettext("The summary couldn't be loaded just now. Reload the page to try again.");
  }
}

/** The delete question once the partner has answered theirs (the page's own words otherwise). */
function deleteQuestionFor(mark) {
  const questions = {
    partner_asked: gettext(
      "Your partner has already asked to delete it, so your yes deletes your names, check-ins and everything about this session now, for both of you. It can't be undone.",
    ),
    partner_left: gettext(
      "Your partner has left this session, so deleting removes everything about it at once. It can't be undone.",
    ),
  };
  return questions[mark] || deleteQuestion;
}
const deleteQuestion = $("delete-question")?.textContent;

function showSummaryFrom(doc) {
  const summary = doc.getElementById("summary-content");
  if (summary) {
    $("summary").replaceChildren(document.adoptNode(summary));
    finishedCounts = countsFrom(summary);
    if (snap) renderProgress(snap);
  }
  const question = $("delete-question");
  if (!question) return;
  const mark = deletionMark(document).split("+")[0];
  question.textContent = deleteQuestionFor(mark);
  // Here this button only closes the question; answering "keep it" to a partner's request
  // is on the summary page ("Other choices"), so it must not sound like that answer.
  $("delete-cancel").textContent = mark === "partner_asked" ? gettext("Not now") : gettext("Keep it");
}

/** A partner's answer about deleting comes by HTTP: look for it while the summary is shown. */
function watchDeleting() {
  if (summaryWatched || (snap && snap.you === "host")) return;
  summaryWatched = true;
  watchSummary(
    root.dataset.summaryUrl,
    (doc) => {
      if (deletionMark(doc) === deletionMark(document)) return;
      showSummaryFrom(doc);
      const news = $("deletion-news");
      if (news && news.textContent.trim()) announce(news.textContent.trim());
    },
    // Deleted by agreement (or this place was released): the page says so in words.
    () => location.reload(),
  );
}

function announce(text) {
  const live = $("live");
  live.textContent = "";
  // A fresh text node after a tick makes screen readers read it even if it repeats.
  setTimeout(() => {
    live.textContent = text;
  }, 50);
}

function announcement(s, screen) {
  if (screen === "pause") return [gettext("Paused."), $("pause-line").textContent].filter(Boolean).join(" ");
  if (screen === "done") return titleFor(s, screen);
  if (screen === "waiting") return $("waiting-line").textContent;
  const where = interpolate(gettext("Step %(number)s of %(count)s: %(title)s."), {
    number: s.step.index + 1,
    count: s.step.count,
    title: s.step.title,
  });
  return [where, turnFor(s)].filter(Boolean).join(" ");
}

function render(serverNow) {
  const s = snap;
  const can = new Set(s.can || []);
  const screen = screenFor(s);
  showScreen(screen);
  $("title").textContent = titleFor(s, screen);
  renderProgress(s);
  renderPresence(s);
  const rejoined = renderRejoined(s, serverNow);
  $("pause-btn").hidden = !can.has("pause");
  $("flooded-btn").hidden = !can.has("pause");
  $("end-area").hidden = !can.has("end");
  $("keys-pause").hidden = !can.has("pause");
  // The host's one shortcut is Pause: no "Keyboard:" line with nothing after it.
  if (s.you === "host") $("keys").hidden = !can.has("pause");

  if (screen === "waiting") renderWaiting(s, can);
  knock.render(s);
  if (screen === "step") renderStep(s, can);
  else {
    pacer.hide();
    keepAwake(false);
  }
  if (screen === "pause") {
    pausePanel.render(s);
    pausePanel.tick(serverNow);
  } else pausePanel.leave();
  const said = [renderMessage(s), workshop ? workshop.render(s, can) : ""].filter(Boolean).join(" ");
  if (desk) desk.render(s);
  if (screen === "done" && isHost) {
    $("done-line").textContent =
      s.status === "completed"
        ? aboutCouple(
            s,
            gettext("The session is complete. Here is what %(a)s and %(b)s did together."),
            gettext("The session is complete. Here is what both partners did together."),
          )
        : aboutCouple(
            s,
            gettext("The session was ended early. Here is what %(a)s and %(b)s did together."),
            gettext("The session was ended early. Here is what both partners did together."),
          );
    showSummary();
  } else if (screen === "done") {
    $("done-line").textContent =
      s.status === "completed"
        ? gettext("Thank you for staying with each other. Here is what you did together.")
        : gettext(
            "The session was ended early. That's all right — stopping is part of taking care. Here is what you did together.",
          );
    showSummary();
  }

  const step = s.step || {};
  const focusKey = `${screen}:${step.index}`;
  const announceKey = `${focusKey}:${step.phase}:${s.pause ? s.pause.reason : ""}`;
  if (focusKey !== lastFocusKey) {
    // Only move focus when the screen really changed, and never away from a text field.
    const typing = document.activeElement && document.activeElement.matches("input[type=text]");
    if (lastFocusKey !== null && !typing) {
      // A new screen starts at the top, with its heading focused for screen readers.
      window.scrollTo(0, 0);
      $("title").focus({ preventScroll: true });
    }
    lastFocusKey = focusKey;
  }
  if (announceKey !== lastAnnounceKey) {
    lastAnnounceKey = announceKey;
    announce([rejoined, announcement(s, screen), said].filter(Boolean).join(" "));
  } else if (rejoined || said) {
    announce([rejoined, said].filter(Boolean).join(" "));
  }
}

/**
 * The counselor's message: a quiet card. Returns the words to read out politely once
 * when it is new (with the page's other news, never as an alert), else "".
 */
function renderMessage(s) {
  const message = s.message;
  $("message").hidden = !message;
  if (!message) {
    messageShown = null;
    return "";
  }
  $("message-from").textContent = messageFrom(s);
  $("message-text").textContent = message.text;
  if (messageShown === message.text) return "";
  messageShown = message.text;
  return messageNews(s, message.text);
}

/** The step's and the pause's clocks; `group`: the workshop's timer too (its own render ticks it). */
function updateTimers({ group = true } = {}) {
  if (!snap) return;
  const now = clock.serverNow();
  const step = snap.step;
  const timer = $("timer");
  const soft = snap.status === "active" && step && step.soft_limit;
  if (soft && step.deadline) {
    timer.hidden = false;
    timer.textContent = timerText(step.deadline - now, step.over_time);
    timer.classList.toggle("is-over", step.over_time || step.deadline <= now);
  } else {
    timer.hidden = true;
  }
  if (snap.status === "paused") pausePanel.tick(now);
  // The group timer running out is said once, politely, with nothing else.
  const timeUp = group && workshop ? workshop.tick(now) : "";
  if (timeUp) announce(timeUp);
}
setInterval(updateTimers, 250);

// ---- connection ----------------------------------------------------------------

function onState(frame) {
  snap = frame.state;
  root.dataset.version = String(frame.version);
  root.dataset.status = snap.status;
  noteMirrorAgain(snap);
  render(Number.isFinite(frame.server) ? frame.server : clock.serverNow());
  document.dispatchEvent(new CustomEvent("stay:state", { detail: frame }));
}

function onStatus(status) {
  clearTimeout(offlineTimer);
  document.dispatchEvent(new CustomEvent("stay:status", { detail: status }));
  if (status === "online") {
    $("offline").hidden = true;
    root.dataset.connection = "online";
  } else if (status === "offline") {
    root.dataset.connection = "offline";
    // A blink of a reconnect is not worth a banner.
    offlineTimer = setTimeout(() => {
      $("offline").hidden = false;
    }, 1000);
  }
}

function onGone(closeCode) {
  document.dispatchEvent(new CustomEvent("stay:status", { detail: "gone" }));
  // No seat here any more (released, or taken over elsewhere): the way back in.
  $("rejoin").hidden = closeCode !== CLOSE.NO_SEAT;
  // The same seat opened in too many tabs; a newer one took over from this one.
  const elsewhere = closeCode === CLOSE.TOO_MANY_TABS;
  $("gone-lead").hidden = elsewhere;
  // The counselor revoked the couple's standing link (or deleted the couple): say so.
  if (closeCode === CLOSE.ACCESS_ENDED) {
    $("gone-lead").textContent = gettext("This link no longer works. Ask your counselor for a new one.");
  } else if (closeCode === CLOSE.NOT_FOUND && root.dataset.role === "host") {
    // Her own doing, from another tab (she deleted the couple), or the session expired.
    $("gone-lead").textContent = gettext(
      "This session has been deleted, so there is nothing more to do here. Your other sessions and couples are on your pages.",
    );
  }
  // A seat code that can no longer open anything is not offered any more.
  if (closeCode === CLOSE.ACCESS_ENDED || closeCode === CLOSE.NOT_FOUND) {
    for (const id of ["seat-code", "hosted-note"]) {
      const box = document.getElementById(id);
      if (box) box.hidden = true;
    }
  }
  $("elsewhere").hidden = !elsewhere;
  pacer.hide();
  pausePanel.leave();
  keepAwake(false);
  showScreen("gone");
  $("progress").hidden = true;
  $("pause-btn").hidden = true;
  $("end-area").hidden = true;
  $("presence").replaceChildren();
  $("rejoined").hidden = true;
  $("message").hidden = true;
  if (workshop) {
    $("workshop").hidden = true;
    workshop.leave();
  }
  $("offline").hidden = true;
  knock.render({ status: "gone", knock: null, can: [] });
  $("keys").hidden = true;
  $("title").textContent = elsewhere ? gettext("This room is open in another tab") : gettext("This room is closed");
  root.dataset.status = "gone";
  $("title").focus();
}

const scheme = location.protocol === "https:" ? "wss" : "ws";
// The socket's path comes from the server (`data-socket-path`), which also routes it.
const socket = new RoomSocket(`${scheme}://${location.host}${root.dataset.socketPath}`, clock, {
  onState,
  onStatus,
  onGone,
  // The call (static/js/call/) listens for these on document: its signaling frames, and
  // errors that answer no action of the room's (a refused signaling frame).
  onCall: (frame) => document.dispatchEvent(new CustomEvent("stay:call", { detail: frame })),
  onError: (frame) => document.dispatchEvent(new CustomEvent("stay:error", { detail: frame })),
});
const desk = isHost
  ? new Desk(root, {
      act,
      send: (action, args) =>
        socket.act(action, args, {}).catch((err) => Promise.reject({ ...err, message: errorText(err) })),
      maxLength: page.message_max,
    })
  : null;
wireCopyButtons(root);
socket.connect();
window.stayRoom = { clock, socket };
