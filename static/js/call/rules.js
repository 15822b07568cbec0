// What a pause does to one person's microphone and camera, as pure functions (tested
// under node in tests/web/js/call_rules.mjs). The server decides (the snapshot's `call`
// key, docs/protocol.md section 5); the page only applies it, remembering each person's
// own choice so that resuming gives it back exactly.
//
// The model: `choice` is what the person chose ({mic, camera}); `held` says which of the
// two the room is holding off right now. What goes out is the choice unless held. A
// person who turns their own microphone back on during a pause (when `own_unmute`
// allows it) both releases the hold and makes "on" their choice, so it stays on after
// the resume; a new pause (a new `since`) holds it again.

import { gettext, interpolate, pgettext } from "../i18n.js";

export const NO_CALL_RULES = Object.freeze({
  microphones_off: false,
  cameras_off: false,
  own_unmute: false,
  since: null,
  line: null,
});

/** The snapshot's `call` key with anything missing read as "nothing held". */
export function normalise(call) {
  if (!call || typeof call !== "object") return NO_CALL_RULES;
  return {
    microphones_off: call.microphones_off === true,
    cameras_off: call.cameras_off === true,
    own_unmute: call.own_unmute === true,
    since: Number.isFinite(call.since) ? call.since : null,
    line: typeof call.line === "string" && call.line ? call.line : null,
  };
}

/** Nothing held: a person's choice goes out as it is. */
export const NOTHING_HELD = Object.freeze({ mic: false, camera: false });

/**
 * The holds after the room's rules move from `before` to `after` (both snapshot `call`
 * keys; `before` null on the page's first state). A hold starts when the rule turns on or
 * a new pause begins (`since` changes), and when a pause becomes a break that allows no
 * unmuting; it ends only when the rule turns off. `unmutedSince` (a reloaded page only):
 * the `since` of the pause in which this person deliberately turned their microphone back
 * on before the reload — that same pause does not hold it again.
 */
export function nextHeld(held, before, after, unmutedSince = null) {
  const prev = before ? normalise(before) : null;
  const now = normalise(after);
  const newPause = !prev || prev.since !== now.since;
  let mic = held.mic;
  if (!now.microphones_off) mic = false;
  else if (!prev || !prev.microphones_off || newPause || !now.own_unmute) mic = true;
  const samePause = now.since !== null && now.since === unmutedSince;
  if (!prev && now.microphones_off && now.own_unmute && samePause) mic = false;
  return { mic, camera: now.cameras_off };
}

/** What actually goes out: the person's choice, less whatever the room holds off. */
export function effective(choice, held) {
  return { mic: Boolean(choice.mic) && !held.mic, camera: Boolean(choice.camera) && !held.camera };
}

/**
 * The person taps their microphone button ("Mute" / "Unmute"). Returns {choice, held}
 * after it, or null when the button may do nothing now: while a pause holds microphones
 * off it only mutes, so a tap on a highlighted button never turns a microphone on by
 * surprise. "Turn my microphone back on" (unmuteInPause) is the way back on then.
 */
export function toggleMic(choice, held, rules) {
  const on = effective(choice, held).mic;
  if (on) return { choice: { ...choice, mic: false }, held };
  if (normalise(rules).microphones_off) return null;
  return { choice: { ...choice, mic: true }, held };
}

/**
 * "Turn my microphone back on" during a pause (when `own_unmute` allows it): the
 * deliberate unmute releases the hold and becomes the choice. Null when not allowed.
 */
export function unmuteInPause(choice, held, rules) {
  const now = normalise(rules);
  if (!now.microphones_off || !now.own_unmute) return null;
  return { choice: { ...choice, mic: true }, held: { ...held, mic: false } };
}

/** The person taps their camera button; null while the room holds cameras off. */
export function toggleCamera(choice, held) {
  if (held.camera) return null;
  return { choice: { ...choice, camera: !choice.camera }, held };
}

/** Whether the microphone button can do anything now (false only in a break that holds it). */
export function micLocked(held, rules) {
  return held.mic && !normalise(rules).own_unmute;
}

/**
 * The two toggle buttons' words (each says what a tap does) and whether each can act now,
 * and this person's state in words for beside them. `out` is what goes out ({mic, camera},
 * see effective); `video` whether this person joined with a camera.
 */
export function controls(out, held, rules, video) {
  const now = normalise(rules);
  return {
    mic: { label: out.mic ? gettext("Mute") : gettext("Unmute"), disabled: !out.mic && now.microphones_off },
    camera: {
      label: out.camera ? gettext("Turn camera off") : gettext("Turn camera on"),
      disabled: held.camera,
    },
    state: selfState(out, video),
  };
}

/** This person's microphone (and camera, with one) in words, beside the buttons. */
function selfState(out, video) {
  if (!video) return out.mic ? gettext("Your microphone is on.") : gettext("Your microphone is off.");
  if (out.mic) {
    return out.camera
      ? gettext("Your microphone is on · your camera is on.")
      : gettext("Your microphone is on · your camera is off.");
  }
  return out.camera
    ? gettext("Your microphone is off · your camera is on.")
    : gettext("Your microphone is off · your camera is off.");
}

/** The fixed order of the roles; of two people the later one is the polite peer. */
export const ROLE_ORDER = Object.freeze(["a", "b", "host"]);

/** Whether `me` yields when both sides offer at once (perfect negotiation's polite side). */
export function isPolite(me, other) {
  return ROLE_ORDER.indexOf(me) > ROLE_ORDER.indexOf(other);
}

/** A peer id for this page load: 8–36 characters of [A-Za-z0-9_-] (docs/protocol.md). */
export function newPeerId(random = () => Math.random()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let id = "";
  for (let i = 0; i < 16; i += 1) id += alphabet[Math.floor(random() * alphabet.length)];
  return id;
}

/**
 * Whether a stored choice (sessionStorage) is one this page can use. `unmutedSince`: the
 * pause in which the person turned their microphone back on (see nextHeld), or null.
 */
export function readChoice(text) {
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== "object") return null;
    if (typeof value.mic !== "boolean" || typeof value.camera !== "boolean") return null;
    if (value.mode !== "video" && value.mode !== "audio") return null;
    const unmutedSince = Number.isFinite(value.unmutedSince) ? value.unmutedSince : null;
    return { mode: value.mode, mic: value.mic, camera: value.camera, unmutedSince };
  } catch {
    return null;
  }
}

/** Split ICE candidates into batches the server accepts (1–20 per call.signal frame). */
export function batches(candidates, size = 20) {
  const out = [];
  for (let i = 0; i < candidates.length; i += size) out.push(candidates.slice(i, i + size));
  return out;
}

/**
 * Whose tile is large on this person's (`me`) device: the person holding the floor in a
 * speak or reflect step, when they are in the call (`present`: the roles with a tile).
 * On the floor holder's own device it is the listener (or, should the step name none,
 * the other partner) instead: a speaker needs to see who they speak to, not themselves.
 * Otherwise null: tiles are equal.
 */
export function featuredRole(state, present, me = null) {
  const step = state && state.status === "active" ? state.step : null;
  if (!step || (step.kind !== "speak" && step.kind !== "reflect")) return null;
  const floor = step.floor && present.includes(step.floor) ? step.floor : null;
  if (!floor || floor !== me) return floor;
  const other = step.listener || (floor === "a" ? "b" : floor === "b" ? "a" : null);
  return other && other !== me && present.includes(other) ? other : null;
}

/**
 * A tile's label: its name, except the person holding the floor ("Sam is speaking" /
 * "You're speaking") and, large on the speaker's own device, the one listening ("Alex is
 * listening").
 */
export function tileLabel(state, role, featured) {
  const step = state && state.status === "active" ? state.step : null;
  const floor = step && (step.kind === "speak" || step.kind === "reflect") ? step.floor : null;
  if (floor && role === floor) return speakingLine(state, role);
  if (role === featured) return interpolate(gettext("%(name)s is listening"), { name: callName(state, role) });
  return callName(state, role);
}

/**
 * A person's name for the call's labels: "You", their seat's name, or "Your counselor"
 * ("Your facilitator" in a workshop's room).
 */
export function callName(state, role) {
  if (state && role === state.you) return gettext("You");
  // The couple knows the counselor as that, as in the room's presence list.
  if (role === "host") return state && state.workshop ? gettext("Your facilitator") : gettext("Your counselor");
  if (!state) return gettext("Your partner");
  const seat = state.seats && state.seats[role];
  return (seat && seat.name) || gettext("Your partner");
}

/** The large tile's label: "Sam is speaking" / "You're speaking". */
export function speakingLine(state, role) {
  if (state && role === state.you) return gettext("You're speaking");
  return interpolate(gettext("%(name)s is speaking"), { name: callName(state, role) });
}

/**
 * One remote person's connection in words, or "" when all is well. `connection` is the
 * peer connection's connectionState; `media` what they told the room ({mic, camera});
 * `videoMuted` whether their video track has stopped arriving; `wasConnected` whether it
 * ever connected (a drop after that is a reconnect, not a first connect).
 */
export function connectionLine(name, { connection, media, videoMuted, wasConnected, gaveUp }) {
  if (gaveUp) return interpolate(gettext("The call couldn't reach %(name)s. The session goes on as usual."), { name });
  if (connection === "failed" || connection === "disconnected") return gettext("Reconnecting…");
  if (connection !== "connected") return wasConnected ? gettext("Reconnecting…") : gettext("Connecting…");
  // A camera turned off is said once, in the tile's caption ("Sam · camera off").
  if (media && media.camera === false) return "";
  if (videoMuted) return interpolate(gettext("%(name)s's video is paused by their network"), { name });
  return "";
}

/** A person's state in the call for the room's list: "Sam — in the call, muted, camera off". */
export function rosterLine(name, media) {
  const muted = media.mic === false;
  const dark = media.camera === false;
  if (muted && dark) return interpolate(gettext("%(name)s — in the call, muted, camera off"), { name });
  if (muted) return interpolate(gettext("%(name)s — in the call, muted"), { name });
  if (dark) return interpolate(gettext("%(name)s — in the call, camera off"), { name });
  return interpolate(gettext("%(name)s — in the call"), { name });
}

/**
 * The counselor's line about the call (the host panel): who is in it and who is muted or
 * has their camera off. people: [{name, mic, camera, gone?}], this person included.
 */
export function hostCallLine(people) {
  if (people.length === 0) return gettext("No one is in the call.");
  const parts = people.map(({ name, mic, camera, gone }) => {
    const marks = [];
    if (gone) marks.push(pgettext("in the call", "reconnecting"));
    if (mic === false) marks.push(pgettext("in the call", "muted"));
    if (camera === false) marks.push(pgettext("in the call", "camera off"));
    if (!marks.length) return name;
    return interpolate(gettext("%(name)s (%(marks)s)"), { name, marks: marks.join(", ") });
  });
  return interpolate(gettext("In the call: %(people)s."), { people: parts.join("; ") });
}

/**
 * The letter on a tile without a picture: the person's own name's first character, also
 * on their own tile (never the "Y" of "You").
 */
export function tileInitial(state, role) {
  if (!state) return "?";
  if (role === "host") return initial(state.host && state.host.name);
  const seat = state.seats && state.seats[role];
  return initial(seat && seat.name);
}

/**
 * Under the pause's line, for a person who turned their own microphone back on during it:
 * they are heard, in words, so nobody speaks believing they're muted. "" otherwise.
 */
export function pauseOwnLine(rules, out) {
  const now = normalise(rules);
  return now.microphones_off && out.mic ? gettext("Your microphone is on.") : "";
}

/** The words when the camera could not be opened again on "Turn camera on". */
export const CAMERA_FAILED = gettext("Your camera couldn't start; the call goes on with sound.");

/** The first character of a name for a tile without a picture (an emoji is one character). */
export function initial(name) {
  const first = Array.from(name || "?")[0] || "?";
  return first.toUpperCase();
}
