// The room page's pure logic, checked under node (no browser needed): the pacer's
// phase at a server time, the clock estimate, reconnect timing and the words shown.
import assert from "node:assert/strict";
import { test } from "node:test";

import { CLOCK_RULES, ServerClock, bestSample, pruneSamples, sampleFrom } from "../../../static/js/clock.js";
import { phaseAt } from "../../../static/js/room/pacer.js";
import { CLOSE, GONE_CODES, backoffDelay, isNewer } from "../../../static/js/socket.js";
import { RejoinWatch } from "../../../static/js/room/rejoin.js";
import { isPauseKey, isTyping } from "../../../static/js/room/keys.js";
import { doublePress } from "../../../static/js/quick-exit.js";
import {
  knockAnsweredLine, knockHint, knockQuestion, movingOnLine, presenceLines, readyLines,
  rejoinedLine, timerText, turnLine,
} from "../../../static/js/room/words.js";

const box = { start: 10_000, pattern: { inhale: 4, hold_in: 2, exhale: 4, hold_out: 0 }, cycles: 2 };

test("before the schedule starts the pacer counts down the lead-in", () => {
  const at = phaseAt(box, 7_500);
  assert.equal(at.phase, "lead_in");
  assert.equal(at.secondsLeft, 3);
});

test("the pacer walks inhale, hold, exhale and skips a hold of zero", () => {
  assert.equal(phaseAt(box, 10_000).phase, "inhale");
  assert.equal(phaseAt(box, 12_000).progress, 0.5);
  assert.equal(phaseAt(box, 14_500).phase, "hold_in");
  assert.equal(phaseAt(box, 16_000).phase, "exhale");
  assert.equal(phaseAt(box, 19_999).phase, "exhale");
  const second = phaseAt(box, 20_000);
  assert.equal(second.phase, "inhale");
  assert.equal(second.cycle, 2);
});

test("the circle is fullest on the hold and emptiest between breaths", () => {
  assert.equal(phaseAt(box, 10_000).fullness, 0);
  assert.equal(phaseAt(box, 15_000).fullness, 1);
  assert.ok(phaseAt(box, 18_000).fullness < 0.51);
});

test("after the last cycle the pacer says the round is over", () => {
  assert.equal(phaseAt(box, 30_000).phase, "done");
});

test("the clock trusts the ping with the shortest round trip", () => {
  const samples = [sampleFrom(0, 80, 5_100), sampleFrom(100, 104, 5_102), sampleFrom(200, 260, 5_300)];
  assert.equal(bestSample(samples).rtt, 4);
  let fake = 0;
  const clock = new ServerClock(() => fake);
  for (const [t0, t1, server] of [[0, 80, 5_100], [100, 104, 5_102], [200, 260, 5_300]]) {
    clock.addSample(t0, t1, server);
  }
  assert.equal(clock.offset, 5_000);
  fake = 1_000;
  assert.equal(clock.serverNow(), 6_000);
});

test("old clock samples are forgotten so drift is followed", () => {
  const kept = pruneSamples([{ at: 0, rtt: 1 }, { at: 200_000, rtt: 9 }], 200_000);
  assert.deepEqual(kept.map((s) => s.rtt), [9]);
});

test("reconnect waits grow, stay jittered and are capped", () => {
  assert.equal(backoffDelay(0, { random: () => 0 }), 250);
  assert.equal(backoffDelay(0, { random: () => 1 }), 500);
  assert.equal(backoffDelay(3, { random: () => 0 }), 2_000);
  assert.equal(backoffDelay(20, { random: () => 1 }), 15_000);
});

test("the socket stops for good only on the codes that say the room is not for it", () => {
  assert.deepEqual(
    [...GONE_CODES].sort(),
    [CLOSE.NO_SEAT, CLOSE.NOT_FOUND, CLOSE.TOO_MANY_TABS, CLOSE.ACCESS_ENDED],
  );
  for (const code of [CLOSE.FLOODING, CLOSE.SERVER_ERROR, CLOSE.TRY_AGAIN, 1000, 1006]) {
    assert.ok(!GONE_CODES.has(code), `${code} reconnects`);
  }
});

test("a state is applied only when newer than the last one", () => {
  assert.ok(isNewer(1, null));
  assert.ok(isNewer(5, 4));
  assert.ok(!isNewer(4, 4));
  assert.ok(!isNewer(3, 4));
});

const snap = (overrides) => ({
  you: "b",
  seats: {
    a: { name: "Alex", claimed: true, connected: true, resting: false },
    b: { name: "Sam", claimed: true, connected: true, resting: false },
  },
  host: null,
  step: { kind: "speak", floor: "a", listener: "b", phase: null, index: 2, count: 5 },
  pause: null,
  ...overrides,
});

test("the listener is told who speaks and what to listen for", () => {
  assert.equal(turnLine(snap({})), "Alex is speaking — listen for what matters to them.");
  assert.match(turnLine(snap({ you: "a" })), /^You have the floor/);
});

test("a pause lists who is ready to go on", () => {
  // Who paused, in words, comes with the snapshot (pause.line): see room_words.mjs.
  const paused = snap({ pause: { by: "a", reason: "need_a_moment", ready: ["a"] } });
  assert.deepEqual(readyLines(paused).map((l) => l.text), ["Alex is ready", "You're not ready yet — take your time"]);
});

test("presence says who is here, who dropped, and whether the counselor is in", () => {
  const s = snap({ host: { name: "Dana", connected: true } });
  s.seats.a.connected = false;
  assert.deepEqual(presenceLines(s).map((l) => l.text), [
    "Alex's connection dropped — waiting",
    "Your counselor is here",
  ]);
  // Once the session is over nobody is waited for.
  s.status = "ended";
  assert.equal(presenceLines(s)[0].text, "Alex has left the room");
});

test("the soft timer counts down, then invites rather than cuts off", () => {
  assert.equal(timerText(61_000, false), "1:01 left");
  assert.match(timerText(0, true), /finish your thought/);
});

test("a state frame gives a rough clock until the first pong, which then wins", () => {
  let fake = 1_000;
  const clock = new ServerClock(() => fake);
  clock.roughGuess(9_000, 1_000);
  assert.equal(clock.serverNow(), 9_000);
  clock.addSample(1_000, 1_010, 9_105);
  clock.roughGuess(50_000, 1_010);
  assert.equal(clock.offset, 8_100);
});

test("a partner's take-over is news once, and on opening the page only while recent", () => {
  const seats = (a, b) => ({
    you: "b",
    seats: { a: { name: "Alex", rejoined_at: a }, b: { name: "Sam", rejoined_at: b } },
  });
  const watch = new RejoinWatch(60_000);
  assert.deepEqual(watch.news(seats(1_000, null), 100_000), [], "old news when the page opens");
  assert.deepEqual(watch.news(seats(1_000, null), 100_500), []);
  assert.deepEqual(watch.news(seats(100_000, null), 100_500), ["a"]);
  assert.deepEqual(watch.news(seats(100_000, null), 101_000), [], "told once");
  assert.deepEqual(watch.news(seats(100_000, 101_000), 101_000), [], "your own take-over is not news");

  const reloaded = new RejoinWatch(60_000);
  assert.deepEqual(reloaded.news(seats(100_000, null), 130_000), ["a"], "a reload just after");
  assert.equal(rejoinedLine(seats(1, null), ["a"]), "Alex rejoined on another device.");
});

test("the clock counts as settled only once a quick round trip came back", () => {
  const clock = new ServerClock(() => 0);
  assert.equal(clock.settled, false);
  clock.addSample(0, 300, 10_150);
  assert.equal(clock.settled, false, "a 300 ms round trip leaves up to 150 ms of doubt");
  const good = CLOCK_RULES.goodRttMs;
  clock.addSample(400, 400 + good, 10_400 + good / 2);
  assert.equal(clock.settled, true);
  assert.equal(clock.offset, 10_000);
});

const infoStep = (movingOn, advance = "both") => ({
  kind: "info", floor: null, listener: null, phase: null, index: 1, count: 5, advance, moving_on: movingOn,
});

test("moving on together: Alex waits for Sam, Sam is told calmly, the host sees who is ready", () => {
  const alex = (movingOn) => snap({ you: "a", status: "active", step: infoStep(movingOn) });
  const sam = (movingOn) => snap({ you: "b", status: "active", step: infoStep(movingOn) });
  assert.equal(movingOnLine(alex([])), "");
  assert.equal(movingOnLine(alex(["a"])), "Waiting for Sam…");
  assert.equal(movingOnLine(sam(["a"])), "Alex is ready to move on. Take the time you need.");
  assert.equal(movingOnLine(sam(["a", "b"])), "");
  const dana = (movingOn) => snap({ you: "host", status: "active", step: infoStep(movingOn) });
  assert.equal(movingOnLine(dana([])), "");
  assert.equal(movingOnLine(dana(["b"])), "Sam is ready to move on.");
  assert.equal(movingOnLine(dana(["a", "b"])), "Alex and Sam are ready to move on.");
  // One tap is enough on an `either` step, and a pause has its own screen.
  assert.equal(movingOnLine(snap({ you: "a", status: "active", step: infoStep(["a"], "either") })), "");
  assert.equal(movingOnLine(snap({ you: "a", status: "paused", step: infoStep(["a"]) })), "");
  assert.match(turnLine(alex([])), /move on together once you've both said you're ready/);
  assert.match(turnLine(dana([])), /You can move it on at any time/);
  assert.match(turnLine(snap({ step: infoStep([], "either") })), /either of you can move on/);
});

test("a knock asks in plain words whether it is really Sam, and says what followed", () => {
  const alex = snap({ you: "a", knock: { seat: "b", id: "k1", answer: null } });
  assert.equal(knockQuestion(alex), "Someone wants to continue as Sam on a new device. Is that Sam?");
  assert.match(knockHint(alex), /If you're not sure, say no: nothing changes for Sam's place\.$/);
  assert.equal(knockAnsweredLine(alex, "b", "yes", true), "Thank you. Sam can carry on from the new device.");
  assert.equal(knockAnsweredLine(alex, "b", "no", false), "Nobody new was let in; Sam's place stays as it is.");
  assert.equal(knockAnsweredLine(alex, "b", null, false), "");
});

test("P pauses unless it is a letter being typed; Alt+P pauses anywhere", () => {
  const key = (fields) => ({ key: "p", code: "KeyP", altKey: false, ctrlKey: false, metaKey: false, repeat: false, ...fields });
  assert.ok(isPauseKey(key({}), false));
  assert.ok(isPauseKey(key({ key: "P" }), false));
  assert.ok(!isPauseKey(key({}), true));
  assert.ok(isPauseKey(key({ altKey: true, key: "π" }), true));
  assert.ok(!isPauseKey(key({ ctrlKey: true }), false), "Ctrl+P is the browser's print");
  assert.ok(!isPauseKey(key({ repeat: true }), false));
  assert.ok(!isPauseKey(key({ key: "o", code: "KeyO" }), false));
  assert.ok(isTyping({ tagName: "INPUT", type: "text" }));
  assert.ok(isTyping({ tagName: "TEXTAREA" }));
  assert.ok(!isTyping({ tagName: "INPUT", type: "radio" }));
  assert.ok(!isTyping({ tagName: "INPUT", type: "range" }));
  assert.ok(!isTyping({ tagName: "BUTTON" }));
});

test("the quick exit needs Escape twice within a moment, not once, not slowly", () => {
  const escape = doublePress(1500);
  assert.equal(escape(0), false);
  assert.equal(escape(2000), false, "too slow: this press starts again");
  assert.equal(escape(3000), true);
  assert.equal(escape(3100), false, "a third press starts a new pair");
});
