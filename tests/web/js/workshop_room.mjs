// A workshop room's words and what it shows, under node: the group timer counts down in
// server time and says "Time" at the end, "Ask for help" turns into "Your facilitator has
// been asked", the held card shows only while the room waits for the next step, and Alex's
// pairing word only while Sam's seat is free; Dana's message is "From your facilitator".
// Dana is at her console, not in each room: her being away is no warning, and nowhere in
// a workshop room is she "your counselor". "Time" is said once when the timer runs out.
import assert from "node:assert/strict";
import { test } from "node:test";

import { messageFrom, nameOf, presenceLines } from "../../../static/js/room/words.js";
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

test("a held room is one whose step is done and waits for Dana's next step", () => {
  const held = { paced: true, to: 1, held: true, hand: null, timer: null };
  assert.equal(w.isHeld(snap({ workshop: held })), true);
  assert.equal(w.isHeld(snap()), false);
  assert.equal(w.isHeld(snap({ workshop: held, status: "paused" })), false);
  assert.equal(w.isHeld(snap({ workshop: null })), false);
});

test("Time is said once, as a timer Alex saw running runs out, and not on a page opened after", () => {
  const five = { started_at: 1000, ends_at: 301000, seconds: 300 };
  let seen = w.timeUpNews(five, 200000, "");
  assert.deepEqual(seen, { watching: "1000:301000", words: "" });
  seen = w.timeUpNews(five, 301000, seen.watching);
  assert.equal(seen.words, w.TIME_UP_TEXT);
  assert.equal(w.TIME_UP_TEXT, "Group timer: Time.");
  // Every later tick: silent, though the timer still reads "Time".
  seen = w.timeUpNews(five, 301250, seen.watching);
  assert.deepEqual(seen, { watching: "", words: "" });
  assert.equal(w.timeUpNews(five, 302000, seen.watching).words, "");
  // Opened after it ran out: shown, not called out.
  assert.equal(w.timeUpNews(five, 400000, "").words, "");
  // A new timer that replaces it is watched afresh; a cleared one says nothing.
  const two = { started_at: 2000, ends_at: 122000, seconds: 120 };
  assert.equal(w.timeUpNews(two, 130000, "1000:301000").words, "");
  assert.deepEqual(w.timeUpNews(null, 130000, "1000:301000"), { watching: "", words: "" });
});

test("Dana at her console is no warning in Alex's room; in it she is the facilitator", () => {
  const away = snap({ host: { connected: false, name: null } });
  const lines = presenceLines(away);
  assert.deepEqual(lines.map((l) => l.seat), ["b"]);
  assert.ok(lines.every((l) => l.state !== "dropped" && !/counselor/i.test(l.text)));
  const here = presenceLines(snap({ host: { connected: true, name: null } }));
  assert.deepEqual(here.at(-1), { seat: "host", text: "Your facilitator is here", state: "here" });
  assert.equal(nameOf(snap(), "host"), "your facilitator");
  // Outside a workshop her counselor's room reads as it always has.
  const hosted = snap({ workshop: null, host: { connected: false, name: null } });
  assert.equal(presenceLines(hosted).at(-1).text, "Your counselor isn't connected right now");
  assert.equal(nameOf(hosted, "host"), "your counselor");
});
