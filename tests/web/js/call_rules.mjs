// The call's pure rules (static/js/call/rules.js) under node: what a pause does to one
// person's microphone and camera, and that resuming gives their own choice back.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  NOTHING_HELD, batches, callName, connectionLine, controls, effective, featuredRole, hostCallLine,
  initial, isPolite, micLocked, newPeerId, nextHeld, normalise, pauseOwnLine, readChoice, rosterLine, speakingLine,
  tileInitial, tileLabel, toggleCamera, toggleMic, unmuteInPause,
} from "../../../static/js/call/rules.js";

const OFF = { microphones_off: false, cameras_off: false, own_unmute: false, since: null, line: null };
const PAUSE = { microphones_off: true, cameras_off: false, own_unmute: true, since: 1000, line: "Paused — microphones are off." };
const BREAK = { microphones_off: true, cameras_off: true, own_unmute: false, since: 2000, line: "Break — cameras and microphones are off until the room resumes." };
const ON = { mic: true, camera: true };

/** The holds after a sequence of snapshots' `call` keys, from a page that saw none before. */
function through(...rules) {
  let held = NOTHING_HELD;
  let before = null;
  for (const r of rules) {
    held = nextHeld(held, before, r);
    before = r;
  }
  return held;
}

test("a pause turns the microphone off and keeps the camera", () => {
  const held = through(OFF, PAUSE);
  assert.deepEqual(effective(ON, held), { mic: false, camera: true });
});

test("a flooding break turns both off", () => {
  assert.deepEqual(effective(ON, through(OFF, BREAK)), { mic: false, camera: false });
});

test("resuming gives each person's own choice back", () => {
  const held = through(OFF, PAUSE, OFF);
  assert.deepEqual(effective(ON, held), ON);
  assert.deepEqual(effective({ mic: false, camera: true }, held), { mic: false, camera: true });
  assert.deepEqual(effective({ mic: true, camera: false }, through(OFF, BREAK, OFF)), { mic: true, camera: false });
});

test("someone muted before the pause stays muted after it", () => {
  const choice = { mic: false, camera: true };
  const held = through(OFF, PAUSE, OFF);
  assert.equal(effective(choice, held).mic, false);
});

test("someone muted before a pause who turns it back on during the pause stays unmuted after", () => {
  // Sam mutes himself before the pause: his choice is "off".
  const muted = toggleMic(ON, NOTHING_HELD, OFF).choice;
  let held = through(OFF, PAUSE);
  assert.equal(effective(muted, held).mic, false);
  // During the pause he deliberately turns it back on ("Turn my microphone back on").
  const next = unmuteInPause(muted, held, PAUSE);
  assert.ok(next);
  assert.equal(effective(next.choice, next.held).mic, true);
  held = nextHeld(next.held, PAUSE, OFF);
  assert.equal(effective(next.choice, held).mic, true);
});

test("during a pause the microphone button only mutes; it never turns a microphone on", () => {
  const held = through(OFF, PAUSE);
  // Held off: the button says "Unmute", can do nothing, and a tap changes nothing.
  assert.deepEqual(controls(effective(ON, held), held, PAUSE, true).mic, { label: "Unmute", disabled: true });
  assert.equal(toggleMic(ON, held, PAUSE), null);
  // After the deliberate unmute it mutes; then it is back to doing nothing.
  const unmuted = unmuteInPause(ON, held, PAUSE);
  assert.deepEqual(controls(effective(unmuted.choice, unmuted.held), unmuted.held, PAUSE, true).mic, { label: "Mute", disabled: false });
  const muted = toggleMic(unmuted.choice, unmuted.held, PAUSE);
  assert.equal(effective(muted.choice, muted.held).mic, false);
  assert.equal(toggleMic(muted.choice, muted.held, PAUSE), null);
  // Outside a pause there is nothing to turn back on from.
  assert.equal(unmuteInPause(ON, NOTHING_HELD, OFF), null);
  assert.equal(unmuteInPause(ON, through(OFF, BREAK), BREAK), null);
});

test("the buttons say what a tap does, and a line says how things are", () => {
  assert.deepEqual(controls(ON, NOTHING_HELD, OFF, true), {
    mic: { label: "Mute", disabled: false },
    camera: { label: "Turn camera off", disabled: false },
    state: "Your microphone is on · your camera is on.",
  });
  const off = controls({ mic: false, camera: false }, NOTHING_HELD, OFF, true);
  assert.equal(off.mic.label, "Unmute");
  assert.equal(off.camera.label, "Turn camera on");
  assert.equal(off.state, "Your microphone is off · your camera is off.");
  assert.equal(controls({ mic: true, camera: false }, NOTHING_HELD, OFF, false).state, "Your microphone is on.");
  const inBreak = controls({ mic: false, camera: false }, through(OFF, BREAK), BREAK, true);
  assert.equal(inBreak.mic.disabled, true);
  assert.equal(inBreak.camera.disabled, true);
});

test("the same pause arriving again (a newer snapshot) does not mute them again", () => {
  const unmuted = unmuteInPause(ON, through(OFF, PAUSE), PAUSE);
  const held = nextHeld(unmuted.held, PAUSE, { ...PAUSE });
  assert.equal(effective(unmuted.choice, held).mic, true);
});

test("a new pause (a new since) turns it off again, even after an unmute", () => {
  const unmuted = unmuteInPause(ON, through(OFF, PAUSE), PAUSE);
  const held = nextHeld(unmuted.held, PAUSE, { ...PAUSE, since: 5000 });
  assert.equal(effective(unmuted.choice, held).mic, false);
});

test("a pause that becomes a break turns an unmuted microphone off and locks it", () => {
  const unmuted = unmuteInPause(ON, through(OFF, PAUSE), PAUSE);
  const held = nextHeld(unmuted.held, PAUSE, { ...BREAK, since: PAUSE.since });
  assert.equal(effective(unmuted.choice, held).mic, false);
  assert.equal(micLocked(held, BREAK), true);
  assert.equal(toggleMic(unmuted.choice, held, BREAK), null);
  assert.equal(toggleCamera(unmuted.choice, held), null);
});

test("during a break nobody turns anything on; after it, the choice returns", () => {
  const held = through(OFF, BREAK);
  assert.equal(toggleMic(ON, held, BREAK), null);
  assert.deepEqual(effective(ON, nextHeld(held, BREAK, OFF)), ON);
});

test("muting during a pause is a choice that holds after it", () => {
  const held = through(OFF, PAUSE);
  const unmuted = unmuteInPause(ON, held, PAUSE);
  const muted = toggleMic(unmuted.choice, unmuted.held, PAUSE);
  assert.equal(muted.choice.mic, false);
  assert.equal(effective(muted.choice, nextHeld(muted.held, PAUSE, OFF)).mic, false);
});

test("a page opened during a pause starts with the microphone held", () => {
  assert.equal(effective(ON, through(PAUSE)).mic, false);
  assert.deepEqual(effective(ON, through(OFF)), ON);
});

test("a missing or odd call key holds nothing", () => {
  assert.deepEqual(normalise(undefined), OFF);
  assert.deepEqual(normalise({ microphones_off: "yes", since: "x" }), OFF);
  assert.deepEqual(through(null, {}), NOTHING_HELD);
});

test("toggles outside a pause simply flip the choice", () => {
  const muted = toggleMic(ON, NOTHING_HELD, OFF);
  assert.deepEqual(muted.choice, { mic: false, camera: true });
  assert.deepEqual(toggleMic(muted.choice, NOTHING_HELD, OFF).choice, ON);
  assert.deepEqual(toggleCamera(ON, NOTHING_HELD).choice, { mic: true, camera: false });
});

test("the later role in a < b < host is the polite one", () => {
  assert.equal(isPolite("b", "a"), true);
  assert.equal(isPolite("a", "b"), false);
  assert.equal(isPolite("host", "a"), true);
  assert.equal(isPolite("host", "b"), true);
  assert.equal(isPolite("b", "host"), false);
});

test("a peer id is 16 characters the server accepts, new each time", () => {
  const id = newPeerId();
  assert.match(id, /^[A-Za-z0-9_-]{8,36}$/);
  assert.notEqual(id, newPeerId());
});

test("a stored choice is read only when it is whole", () => {
  assert.deepEqual(readChoice('{"mode":"video","mic":false,"camera":true}'), { mode: "video", mic: false, camera: true, unmutedSince: null });
  assert.equal(readChoice('{"mode":"audio","mic":true,"camera":false,"unmutedSince":1000}').unmutedSince, 1000);
  assert.equal(readChoice('{"mode":"audio","mic":true,"camera":false,"unmutedSince":"x"}').unmutedSince, null);
  assert.equal(readChoice(null), null);
  assert.equal(readChoice("{"), null);
  assert.equal(readChoice('{"mode":"radio","mic":true,"camera":true}'), null);
  assert.equal(readChoice('{"mode":"audio","mic":1,"camera":true}'), null);
});

test("candidates go in batches of at most twenty", () => {
  const list = Array.from({ length: 45 }, (_, i) => i);
  assert.deepEqual(batches(list).map((b) => b.length), [20, 20, 5]);
  assert.deepEqual(batches([]), []);
});

const speak = (floor, status = "active") => ({
  status, you: "a", host: { name: "Dana", connected: true },
  seats: { a: { name: "Alex" }, b: { name: "Sam" } },
  step: { kind: "speak", floor },
});

test("the floor holder's tile is large in speak and reflect steps, only when in the call", () => {
  assert.equal(featuredRole(speak("b"), ["a", "b"]), "b");
  assert.equal(featuredRole({ ...speak("b"), step: { kind: "reflect", floor: "b" } }, ["b"]), "b");
  assert.equal(featuredRole(speak("b"), ["a", "host"]), null);
  assert.equal(featuredRole(speak("b", "paused"), ["a", "b"]), null);
  assert.equal(featuredRole({ ...speak(null), step: { kind: "checkin", floor: null } }, ["a", "b"]), null);
});

test("labels use the seat's name, Your counselor, or You", () => {
  const s = speak("b");
  assert.equal(callName(s, "b"), "Sam");
  assert.equal(callName(s, "a"), "You");
  assert.equal(callName(s, "host"), "Your counselor");
  assert.equal(callName({ ...s, you: "host" }, "host"), "You");
  assert.equal(speakingLine(s, "b"), "Sam is speaking");
  assert.equal(speakingLine(s, "a"), "You're speaking");
});

test("connection state in words", () => {
  const media = { mic: true, camera: true };
  assert.equal(connectionLine("Sam", { connection: "connecting", media }), "Connecting…");
  assert.equal(connectionLine("Sam", { connection: "new", media, wasConnected: true }), "Reconnecting…");
  assert.equal(connectionLine("Sam", { connection: "disconnected", media, wasConnected: true }), "Reconnecting…");
  assert.equal(connectionLine("Sam", { connection: "connected", media, videoMuted: true }), "Sam's video is paused by their network");
  // A camera turned off is said once, by the tile's caption ("Sam · camera off"), not here too.
  assert.equal(connectionLine("Sam", { connection: "connected", media: { mic: true, camera: false }, videoMuted: true }), "");
  assert.equal(connectionLine("Sam", { connection: "connected", media }), "");
  assert.match(connectionLine("Sam", { connection: "failed", media, gaveUp: true }), /couldn't reach Sam\. The session goes on/);
});

test("who is in the call, in words", () => {
  assert.equal(rosterLine("Sam", { mic: true, camera: true }), "Sam — in the call");
  assert.equal(rosterLine("Sam", { mic: false, camera: false }), "Sam — in the call, muted, camera off");
});

test("a reload during the pause in which they unmuted keeps them unmuted; another pause does not", () => {
  // The reloaded page's first state is that same pause: no hold.
  assert.equal(effective(ON, nextHeld(NOTHING_HELD, null, PAUSE, PAUSE.since)).mic, true);
  // A different pause, or a break, holds it as ever.
  assert.equal(effective(ON, nextHeld(NOTHING_HELD, null, { ...PAUSE, since: 9000 }, PAUSE.since)).mic, false);
  assert.equal(effective(ON, nextHeld(NOTHING_HELD, null, { ...BREAK, since: PAUSE.since }, PAUSE.since)).mic, false);
  assert.equal(effective(ON, nextHeld(NOTHING_HELD, null, PAUSE, null)).mic, false);
});

test("the counselor's line says who is in the call, muted or with the camera off", () => {
  assert.equal(hostCallLine([]), "No one is in the call.");
  assert.equal(
    hostCallLine([
      { name: "Alex", mic: false, camera: true },
      { name: "Sam", mic: true, camera: false, gone: true },
      { name: "You", mic: true, camera: true },
    ]),
    "In the call: Alex (muted); Sam (reconnecting, camera off); You.",
  );
});

test("a tile's initial is the name's first character, an emoji whole", () => {
  assert.equal(initial("sam"), "S");
  assert.equal(initial("🌻 Sunny"), "🌻");
  assert.equal(initial(""), "?");
});

const speakTo = (floor, listener, you) => ({ ...speak(floor), you, step: { kind: "speak", floor, listener } });

test("on the speaker's own device the listener is large; everyone else sees the speaker large", () => {
  const all = ["a", "b", "host"];
  // Sam (b) holds the floor, Alex (a) listens.
  assert.equal(featuredRole(speakTo("b", "a", "b"), all, "b"), "a");
  assert.equal(featuredRole(speakTo("b", "a", "a"), all, "a"), "b");
  assert.equal(featuredRole(speakTo("b", "a", "host"), all, "host"), "b");
  // A reflect step the same way; no listener named: the other partner.
  const reflect = { ...speak("a"), you: "a", step: { kind: "reflect", floor: "a", listener: null } };
  assert.equal(featuredRole(reflect, all, "a"), "b");
  // The listener not in the call: tiles are equal on the speaker's device.
  assert.equal(featuredRole(speakTo("b", "a", "b"), ["b", "host"], "b"), null);
  // Labels: the speaker's own tile still says so; the large tile says who listens.
  const mine = speakTo("b", "a", "b");
  assert.equal(tileLabel(mine, "b", "a"), "You're speaking");
  assert.equal(tileLabel(mine, "a", "a"), "Alex is listening");
  assert.equal(tileLabel(mine, "host", "a"), "Your counselor");
  assert.equal(tileLabel(speakTo("b", "a", "a"), "b", "b"), "Sam is speaking");
  assert.equal(tileLabel(speakTo("b", "a", "a"), "a", "b"), "You");
});

test("a tile without a picture shows the person's own initial, on their own tile too", () => {
  const s = { ...speak(null), host: { name: "dana", connected: true } };
  assert.equal(tileInitial(s, "a"), "A");
  assert.equal(tileInitial({ ...s, you: "b" }, "b"), "S");
  assert.equal(tileInitial(s, "host"), "D");
});

test("during a pause, a person who turned their own microphone back on reads that it is on", () => {
  assert.equal(pauseOwnLine(PAUSE, { mic: true, camera: true }), "Your microphone is on.");
  assert.equal(pauseOwnLine(PAUSE, { mic: false, camera: true }), "");
  assert.equal(pauseOwnLine(OFF, { mic: true, camera: true }), "");
});
