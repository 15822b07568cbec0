// The counselor's words in the room, checked under node: she reads the room about the
// couple ("Waiting for Alex and Sam to join"), never as one of them, and "Resume for both"
// asks in the names of the partners it overrides.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as words from "../../../static/js/room/words.js";

const seat = (name, claimed = true, connected = true) => ({ name, claimed, connected });
const hostSnap = (extra = {}) => ({
  you: "host",
  status: "waiting",
  seats: { a: seat(null, false, false), b: seat(null, false, false) },
  checkins: {},
  can: [],
  ...extra,
});

test("before anyone joins she waits for both partners, by name when she knows them", () => {
  words.setKnownNames(null);
  assert.equal(words.hostWaitingLine(hostSnap(), false), "Waiting for both partners to join.");
  words.setKnownNames({ a: "Alex", b: "Sam" });
  assert.equal(words.hostWaitingLine(hostSnap(), false), "Waiting for Alex and Sam to join.");
  const lines = words.presenceLines(hostSnap()).map((line) => line.text);
  assert.deepEqual(lines, ["Waiting for Alex to join", "Waiting for Sam to join"]);
  words.setKnownNames(null);
});

test("once both are here she begins when the time is right", () => {
  words.setKnownNames(null);
  const snap = hostSnap({ seats: { a: seat("Alex"), b: seat("Sam") } });
  assert.equal(
    words.hostWaitingLine(snap, true),
    "Alex and Sam are both here. Begin when the time is right.",
  );
  assert.equal(words.coupleNames(snap), "Alex and Sam");
});

test("no line she reads speaks as a partner", () => {
  words.setKnownNames(null);
  const snap = hostSnap({ seats: { a: seat("Alex"), b: seat(null, false, false) } });
  for (const line of words.presenceLines(snap)) assert.doesNotMatch(line.text, /your partner/);
  assert.doesNotMatch(words.hostWaitingLine(snap, false), /your partner|you're both/i);
});

test("resume for both names whom it overrides and whose pause it was", () => {
  const paused = (pause) =>
    hostSnap({ status: "paused", pause, seats: { a: seat("Alex"), b: seat("Sam") } });
  const sams = paused({ by: "b", reason: "need_a_moment", ready: [] });
  assert.equal(
    words.resumeQuestion(sams, ["b"]),
    "Resume for both even though Sam hasn't said they're ready? This overrides Sam's pause.",
  );
  assert.equal(
    words.resumeQuestion(sams, ["a", "b"]),
    "Resume for both even though Alex and Sam haven't said they're ready? This overrides Sam's pause.",
  );
  // Sam's pause, Sam ready, Alex not: nobody's pause is overridden, Alex's ready is.
  assert.equal(
    words.resumeQuestion(sams, ["a"]),
    "Resume for both even though Alex hasn't said they're ready? The room moves on without waiting for Alex.",
  );
  const danas = paused({ by: "host", reason: "need_a_moment", ready: [] });
  assert.equal(
    words.resumeQuestion(danas, ["a", "b"]),
    "Resume for both even though Alex and Sam haven't said they're ready? Neither has said they're ready yet.",
  );
  const dropped = paused({ by: null, reason: "connection", seat: "a", ready: [] });
  assert.match(words.resumeQuestion(dropped, ["a", "b"]), /This overrides Alex's pause\.$/);
  for (const snap of [sams, danas, dropped]) {
    assert.doesNotMatch(words.resumeQuestion(snap, ["a", "b"]), /their pause/);
  }
});

test("when someone to override is away the room waits, and says so", () => {
  const snap = hostSnap({
    status: "paused",
    pause: { ready: ["a"] },
    seats: { a: seat("Alex"), b: seat("Sam", true, false) },
    can: ["pause", "end", "say"],
  });
  assert.equal(words.resumeNote(snap), "Sam isn't here; the room waits for them.");
  assert.equal(words.resumeNote({ ...snap, can: ["resume"] }), "");
});

test("the desk shows both check-ins in the server's words", () => {
  const snap = hostSnap({
    status: "active",
    seats: { a: seat("Alex"), b: seat("Sam") },
    steps: [{ title: "Arriving", kind: "checkin" }],
    step: { index: 0, kind: "checkin" },
    checkins: { 0: { a: { line: "Safe and connected, 3 of 10" }, b: null } },
  });
  const lines = words.deskCheckinLines(snap);
  assert.equal(lines.title, "Check-ins at “Arriving”:");
  assert.deepEqual(lines.answers, { a: "Safe and connected, 3 of 10", b: "not checked in yet" });
});

test("the message card names the counselor", () => {
  assert.equal(words.messageFrom({ host: { name: "Dana" } }), "From Dana");
  assert.equal(words.messageFrom({ host: null }), "From your counselor");
});

test("the finished room's top line counts done and skipped as the summary does", () => {
  assert.equal(words.finishedStepsLine(null), "Finished");
  assert.equal(words.finishedStepsLine({ done: 9, skipped: 0, notReached: 0, count: 9 }), "All 9 steps done");
  assert.equal(
    words.finishedStepsLine({ done: 4, skipped: 5, notReached: 0, count: 9 }),
    "4 of 9 steps done, 5 skipped",
  );
  assert.equal(
    words.finishedStepsLine({ done: 2, skipped: 1, notReached: 6, count: 9 }),
    "2 of 9 steps done, 1 skipped, 6 not reached",
  );
});

test("a seat button names whose seat it frees", () => {
  assert.equal(words.freeSeatLabel("a", "Alex"), "Free Alex\u2019s seat");
  assert.equal(words.freeSeatLabel("a", null), "Free the first seat");
  assert.equal(words.freeSeatLabel("b", ""), "Free the second seat");
  assert.doesNotMatch(words.freeSeatLabel("b", "Sam"), /partner/i);
});

test("a message of only invisible characters or with direction controls is caught before sending", () => {
  for (const text of ["\u200b", " \u2060\ufeff ", "\ufeff", "\u2060\u200d", "\u00ad", "\u3164", "\u2800", "\u0301"]) {
    assert.equal(words.messageProblem(text), "Write a few words first.");
  }
  assert.match(words.messageProblem("hi \u202e there \u2066x\u2069"), /\(U\+202E, U\+2066, U\+2069\)/);
  for (const fine of ["", "   ", "Take\u200b your time", "\u{1F469}\u200d\u{1F466} welcome"]) {
    assert.equal(words.messageProblem(fine), "");
  }
});
