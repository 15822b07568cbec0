// The room page's words that depend on what the server sends, checked under node: the
// flooding break's length as the room was set up, the "done" button by step, the
// ladder's words, a check-in answer's line, the pause's words and the check-in's limits
// taken from the server rather than from a copy in the scripts, and the listener named by
// the server.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as checkin from "../../../static/js/room/checkin.js";
import * as words from "../../../static/js/room/words.js";

const { checkinArgs } = checkin;
const { breakLeftText, doneLabel, minutesText } = words;

test("once the break's end has come the timer says nothing of its own", () => {
  // The server's pause.break_over_line is the one sentence that the time is up.
  assert.equal(breakLeftText(0), "");
  assert.equal(breakLeftText(-30_000), "");
});

test("while the break runs the timer counts down", () => {
  assert.equal(breakLeftText(61_000), "1:01 left");
  assert.equal(breakLeftText(5 * 60_000), "5:00 left");
});

test("a break's length reads as words", () => {
  assert.equal(minutesText(20), "20 minutes");
  assert.equal(minutesText(1), "1 minute");
});

test("the done button names what the person has just finished", () => {
  assert.equal(doneLabel({ kind: "speak", phase: null }), "I'm done speaking");
  assert.equal(doneLabel({ kind: "reflect", phase: "mirror" }), "I've said what I heard");
  assert.equal(doneLabel({ kind: "reflect", phase: "empathize" }), "I've said how I imagine it feels");
  assert.equal(doneLabel({ kind: "reflect", phase: "check" }), null);
  assert.equal(doneLabel({ kind: "info", phase: null }), null);
});

const LIMITS = { intensity_min: 0, intensity_max: 10, word_max: 40 };

test("the ladder's words, an answer's line and the pause's words come from the server", () => {
  assert.ok(!("LADDER" in words));
  // The snapshot carries a revealed answer's `line` and the pause's `line` and
  // `break_note`, written once in sessions/engine/wording.py: no composer of their own here.
  assert.ok(!("describeAnswer" in checkin));
  assert.ok(!("pauseLine" in words));
});

/** Form fields as `FormData.get` reads them (null when absent). */
const fields = (values) => ({ get: (name) => (name in values ? String(values[name]) : null) });

test("a check-in is held to the limits the server sends, not to numbers of its own", () => {
  const ladder = { safe: { label: "Calm and here", hint: "" } };
  const narrow = { intensity_min: 1, intensity_max: 7, word_max: 5 };
  assert.deepEqual(checkinArgs(fields({ state: "safe", intensity: 7, word: " tired " }), ladder, narrow), {
    args: { state: "safe", intensity: 7, word: "tired" },
  });
  assert.equal(
    checkinArgs(fields({ state: "safe", intensity: 8 }), ladder, narrow).problem,
    "Set how strongly you feel it, from 1 to 7.",
  );
  assert.ok(checkinArgs(fields({ state: "safe", intensity: 0 }), ladder, narrow).problem);
  assert.equal(
    checkinArgs(fields({ state: "safe", intensity: 3, word: "rested" }), ladder, narrow).problem,
    "Keep the word to 5 characters or fewer.",
  );
  assert.ok(checkinArgs(fields({ state: "safe", intensity: 10 }), ladder, LIMITS).args);
  assert.ok(checkinArgs(fields({ state: "calm", intensity: 3 }), ladder, LIMITS).problem);
});

test("the listener is the one the server names, not one the page works out", () => {
  const seats = {
    a: { name: "Alex", claimed: true, connected: true, resting: false },
    b: { name: "Sam", claimed: true, connected: true, resting: false },
  };
  const reflect = (you, listener) => ({
    you, seats, host: null, pause: null,
    step: { kind: "reflect", floor: "a", listener, phase: "mirror", index: 4, count: 7 },
  });
  assert.match(words.turnLine(reflect("b", "b")), /^Tell Alex what you heard/);
  assert.equal(words.turnLine(reflect("host", "b")), "Sam is mirroring what Alex said.");
  // Nobody named as listening: Sam is not told to mirror.
  assert.doesNotMatch(words.turnLine(reflect("b", null)), /^Tell Alex/);
});
