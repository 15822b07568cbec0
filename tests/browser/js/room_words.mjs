// The room page's words that depend on what the server sends, checked under node: the
// flooding break's length as the room was set up, the "done" button by step, and the
// ladder's words taken from the server rather than from a copy in the scripts.
import assert from "node:assert/strict";
import { test } from "node:test";

import { describeAnswer } from "../../../static/js/room/checkin.js";
import * as words from "../../../static/js/room/words.js";

const { breakLeftText, doneLabel, minutesText } = words;

test("the break says the minutes the room was set up with, not twenty", () => {
  assert.equal(
    breakLeftText(0, 5),
    "5 minutes have passed. Come back together when you both feel settled.",
  );
  assert.match(breakLeftText(-30_000, 45), /^45 minutes have passed\./);
  assert.match(breakLeftText(-1, 1), /^1 minute has passed\./);
  assert.doesNotMatch(breakLeftText(0, 5), /20/);
});

test("while the break runs the timer counts down", () => {
  assert.equal(breakLeftText(61_000, 5), "1:01 left");
  assert.equal(breakLeftText(5 * 60_000, 5), "5:00 left");
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

test("the ladder's words come from the server, with no copy in the scripts", () => {
  assert.ok(!("LADDER" in words));
  const ladder = { safe: { label: "Calm and here", hint: "" } };
  assert.equal(
    describeAnswer({ state: "safe", intensity: 3, word: "rested" }, ladder),
    "Calm and here, 3 of 10 — “rested”",
  );
  assert.equal(describeAnswer({ state: "shutdown", intensity: 7 }, ladder), "shutdown, 7 of 10");
});
