// A workshop room's words and what it shows, under node: the group timer counts down in
// server time and says "Time" at the end, "Ask for help" turns into "Your facilitator has
// been asked", the held card shows only while the room waits for the next step, and Alex's
// pairing word only while Sam's seat is free; Dana's message is "From your facilitator".
import assert from "node:assert/strict";
import { test } from "node:test";

import { messageFrom } from "../../../static/js/room/words.js";
import * as w from "../../../static/js/room/workshop.js";

const seat = (name, claimed = true) => ({ name, claimed, connected: claimed });
const snap = (extra = {}) => ({
  you: "a",
  status: "active",
  seats: { a: seat("Alex"), b: seat("Sam") },
  workshop: { paced: true, to: 0, held: false, hand: null, timer: null },
  ...extra,
});

test("the group timer reads minutes and seconds left, then Time", () => {
  assert.equal(w.groupTimerText(272000), "Group timer: 4:32 left");
  assert.equal(w.groupTimerText(60000), "Group timer: 1:00 left");
  assert.equal(w.groupTimerText(1), "Group timer: 0:01 left");
  assert.equal(w.groupTimerText(0), "Group timer: Time");
  assert.equal(w.groupTimerText(-5000), "Group timer: Time");
  assert.equal(w.groupTimerText(Number.NaN), "Group timer: Time");
});

test("a raised hand tells the couple their facilitator has been asked, and Dana who asked", () => {
  assert.equal(w.handText(snap()), "");
  const up = { paced: true, to: 0, held: false, hand: { seat: "b", at: 1 }, timer: null };
  assert.equal(w.handText(snap({ workshop: up })), w.ASKED_TEXT);
  assert.equal(w.handText(snap({ workshop: up, you: "b" })), "Your facilitator has been asked.");
  assert.equal(w.handText(snap({ workshop: up, you: "host" })), "Sam asked for help.");
  assert.equal(w.handText(snap({ workshop: null })), "");
});

test("a message in a workshop room is from the couple's facilitator, not a counselor", () => {
  assert.equal(messageFrom(snap({ host: null })), "From your facilitator");
  assert.equal(messageFrom(snap({ host: { name: "Dana" } })), "From Dana");
  assert.equal(messageFrom(snap({ host: null, workshop: null })), "From your counselor");
});

test("the held card shows only while an active room waits for the next step", () => {
  const held = { paced: true, to: 1, held: true, hand: null, timer: null };
  assert.equal(w.heldText(snap()), "");
  assert.equal(w.heldText(snap({ workshop: held })), w.HELD_TEXT);
  assert.equal(w.heldText(snap({ workshop: held, status: "paused" })), "");
  assert.ok(!/hurry|quick|now!/i.test(w.HELD_TEXT));
});

test("Alex shows the pairing word only while Sam's seat is free", () => {
  const alone = { a: seat("Alex"), b: seat(null, false) };
  assert.equal(w.pairShown(snap({ status: "waiting", seats: alone })), true);
  assert.equal(w.pairShown(snap({ status: "waiting" })), false);
  assert.equal(w.pairShown(snap({ status: "waiting", seats: alone, you: "host" })), false);
  assert.equal(w.pairShown(snap({ status: "active", seats: alone })), false);
});

test("a new or cleared group timer is said once", () => {
  const five = { started_at: 1000, ends_at: 301000, seconds: 300 };
  assert.equal(w.timerNews(null, five), "A group timer of 5 minutes has started.");
  assert.equal(w.timerNews(five, five), "");
  assert.equal(w.timerNews(five, null), "The group timer has been cleared.");
  assert.equal(w.timerNews(null, null), "");
  assert.equal(w.timerNews(null, { started_at: 1, ends_at: 30001, seconds: 30 }), "A group timer of 30 seconds has started.");
});
