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
import { CLOSE, RoomSocket } from "../socket.js";
import { deletionMark, watchSummary } from "../summary-watch.js";
import { CheckinPanel } from "./checkin.js";
import { buzz, chime, primeAudio } from "./cues.js";
import { Desk } from "./desk.js";
import { isPauseKey, isTyping } from "./keys.js";
import { KnockPrompt } from "./knock.js";
import { Pacer } from "./pacer.js";
import { PausePanel } from "./pause.js";
import { getFlag, setFlag } from "./prefs.js";
import { RejoinWatch } from "./rejoin.js";
import { keepAwake } from "./wakelock.js";
import { WorkshopPanel, isHeld } from "./workshop.js";
import {
  STARTERS, capitalise, coupleNames, doneLabel, finishedStepsLine, hostWaitingLine, messageFrom, movingOnLine, nameOf,
  otherSeat, presenceLines, rejoinedLine, setKnownNames, timerText, turnLine,
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
      if (err && (err.code !== "stale" || action === "resume")) showError(err.message || "That didn't go through. Please try again.");
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
  button.textContent = still ? "Start the animation again" : "Stop the animation";
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

const pausePanel = new PausePanel(screens.pause);
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
  if (screen === "waiting") return isHost ? "Getting ready" : "Getting ready together";
  if (screen === "pause") return "Taking a pause";
  if (screen === "done" && isHost) {
    return s.status === "completed" ? `${capitalise(coupleNames(s))} have finished` : "The session has ended";
  }
  if (screen === "done") return s.status === "completed" ? "You've finished" : "The session has ended";
  return s.step.title;
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
    counts || s.status === "completed" ? finishedStepsLine(counts) : `Step ${shown} of ${count}: ${step.title}`;
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
      ? "Waiting for your partner to join. Once you're both here, you'll begin together."
      : "Waiting for both partners to join.";
  } else if (!can.has("start")) {
    line = workshop
      ? "You're both here. Your facilitator will begin for everyone when the time is right."
      : "You're both here. Your counselor will begin when the time is right.";
  } else if (s.you === "host") {
    line = "Both partners are here. Begin when the time is right.";
  } else {
    line = `You're both here. When you're ready, either of you can begin.`;
  }
  if (isPartner && other && other.claimed && !other.connected) {
    line = `${capitalise(nameOf(s, otherSeat(s.you)))} has joined but isn't connected right now.`;
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
  const showStarter = !held && step.listener === you && STARTERS[step.phase];
  $("panel-starter").hidden = !showStarter;
  if (showStarter) $("starter").textContent = STARTERS[step.phase];

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
  setVisible('[data-act="next"]', can.has("next"), you === "host" ? "Move on" : "Continue");
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
    $("summary").textContent = "The summary couldn't be loaded just now. Reload the page to try again.";
  }
}

const DELETE_QUESTIONS = {
  partner_asked:
    "Your partner has already asked to delete it, so your yes deletes your names, check-ins and everything about this session now, for both of you. It can't be undone.",
  partner_left:
    "Your partner has left this session, so deleting removes everything about it at once. It can't be undone.",
};
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
  question.textContent = DELETE_QUESTIONS[mark] || deleteQuestion;
  // Here this button only closes the question; answering "keep it" to a partner's request
  // is on the summary page ("Other choices"), so it must not sound like that answer.
  $("delete-cancel").textContent = mark === "partner_asked" ? "Not now" : "Keep it";
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
  if (screen === "pause") return `Paused. ${$("pause-line").textContent}`;
  if (screen === "done") return titleFor(s, screen);
  if (screen === "waiting") return $("waiting-line").textContent;
  return `Step ${s.step.index + 1} of ${s.step.count}: ${s.step.title}. ${turnFor(s)}`;
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
        ? `The session is complete. Here is what ${coupleNames(s)} did together.`
        : `The session was ended early. Here is what ${coupleNames(s)} did together.`;
    showSummary();
  } else if (screen === "done") {
    $("done-line").textContent =
      s.status === "completed"
        ? "Thank you for staying with each other. Here is what you did together."
        : "The session was ended early. That's all right — stopping is part of taking care. Here is what you did together.";
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
  return `Message ${messageFrom(s).replace(/^From/, "from")}: ${message.text}`;
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
    $("gone-lead").textContent = "This link no longer works. Ask your counselor for a new one.";
  } else if (closeCode === CLOSE.NOT_FOUND && root.dataset.role === "host") {
    // Her own doing, from another tab (she deleted the couple), or the session expired.
    $("gone-lead").textContent =
      "This session has been deleted, so there is nothing more to do here. Your other sessions and couples are on your pages.";
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
  $("title").textContent = elsewhere ? "This room is open in another tab" : "This room is closed";
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
      send: (action, args) => socket.act(action, args, {}),
      maxLength: page.message_max,
    })
  : null;
wireCopyButtons(root);
socket.connect();
window.stayRoom = { clock, socket };
