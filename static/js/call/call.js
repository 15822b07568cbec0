// The in-room call (issue 15): joining by video or audio only, muting, the camera, leaving,
// and what a pause does to the call. The room page (room.js) owns the socket; this script
// hears it through document events — `stay:state` (each new snapshot), `stay:call` (a
// `call.*` frame), `stay:status` ("connecting"/"online"/"offline"/"gone") and `stay:error`
// (an error answering no action) — and sends through `window.stayRoom.socket.sendFrame`.
// The frames are in docs/protocol.md section 12.
//
// Joining is optional and per person; nothing here changes the session itself. The server
// decides what a pause does (the snapshot's `call` key); this page applies it to the
// person's own tracks, remembering their choice (rules.js). The choice is kept in this
// tab's sessionStorage per room, so a reload rejoins by itself (with a new peer id), and a
// socket reconnect sends `call.join` again with the same peer id. When someone's socket
// closes (`call.left` reason `gone`) their connection is kept 15 s for them to come back.

import { gettext, interpolate } from "../i18n.js";
import { LocalMedia, unsupportedReason } from "./media.js";
import { Peer } from "./peers.js";
import {
  CAMERA_FAILED, NO_CALL_RULES, NOTHING_HELD, callName, controls, effective, hostCallLine, isPolite,
  newPeerId, nextHeld, normalise, pauseOwnLine, readChoice, rosterLine, toggleCamera, toggleMic,
  unmuteInPause,
} from "./rules.js";
import { Tiles } from "./tiles.js";

const GONE_WAIT_MS = 15000;
const ICE_EARLY_MS = 60000;
const REJOIN_SPACING_MS = 5000;
const STALE_AFTER_MS = 5000;

const $ = (id) => document.getElementById(id);
const section = $("call");
const room = $("room");

if (section && room) startCall();

function startCall() {
  const myRole = room.dataset.role;
  const storeKey = `stay.call.${room.dataset.code}`;
  // This page's place in the call; new after a long outage (the others had let it go).
  let peerId = newPeerId();
  const roster = new Map(); // role -> {peer, mic, camera, gone, goneTimer}
  const peers = new Map(); // role -> Peer
  let snap = null;
  let rules = NO_CALL_RULES;
  let rulesSeen = false;
  let held = { ...NOTHING_HELD };
  let choice = { mic: true, camera: true };
  // The `since` of the pause in which this person turned their microphone back on (kept
  // with the choice, so a reload during that pause does not mute them again).
  let unmutedSince = null;
  let mode = null; // "video" | "audio" while in the call
  let inCall = false;
  let joining = false;
  let online = false;
  let ice = null;
  let iceTimer = null;
  let waitingSignals = [];
  let lastSent = null;
  let rejoinAt = 0;
  let autoTried = false;
  let offlineSince = null;
  // Bumped by every leave: a join still waiting for the camera then knows it is not wanted.
  let joinGeneration = 0;

  const local = new LocalMedia({
    onTrack(kind, track) {
      for (const peer of peers.values()) peer.replaceTrack(kind, track);
      applyTracks();
      render();
    },
    // The camera could not be opened again (permission withdrawn, the device gone): it is
    // off now, by this person's choice as far as the buttons go, and they read why.
    onCameraFailed() {
      choice = { ...choice, camera: false };
      remember();
      applyTracks();
      cameraProblem(CAMERA_FAILED);
      render();
    },
  });
  const tiles = new Tiles($("call-tiles"), {
    onSoundBlocked() {
      $("call-sound").hidden = false;
    },
    announce(words) {
      $("call-live").textContent = words;
    },
  });

  const socket = () => (window.stayRoom ? window.stayRoom.socket : null);
  const send = (frame) => {
    const s = socket();
    return s ? s.sendFrame(frame) : false;
  };

  function note(text) {
    const el = $("call-note");
    if (el.textContent !== text) el.textContent = text;
    el.hidden = !text;
  }

  /** A word about this person's own camera, beside the call controls; "" clears it. */
  function cameraProblem(text) {
    const el = $("call-camera-problem");
    if (el.textContent !== text) el.textContent = text;
    el.hidden = !text;
  }

  // ---- the person's choice and the room's rules --------------------------------

  function remember() {
    try {
      sessionStorage.setItem(storeKey, JSON.stringify({ mode, ...choice, unmutedSince }));
    } catch {
      // Private mode without storage: a reload simply doesn't rejoin.
    }
  }

  function forget() {
    try {
      sessionStorage.removeItem(storeKey);
    } catch {
      // Nothing was stored.
    }
  }

  function stored() {
    try {
      return readChoice(sessionStorage.getItem(storeKey));
    } catch {
      return null;
    }
  }

  /** Tracks follow choice less holds; the others hear of any change (call.media). */
  function applyTracks() {
    const out = effective(choice, held);
    if (mode !== "video") out.camera = false;
    local.setEnabled("audio", out.mic);
    local.setEnabled("video", out.camera);
    if (!inCall) return;
    if (lastSent && lastSent.mic === out.mic && lastSent.camera === out.camera) return;
    lastSent = out;
    send({ type: "call.media", mic: out.mic, camera: out.camera });
  }

  function current() {
    const out = effective(choice, held);
    if (mode !== "video") out.camera = false;
    return out;
  }

  function sendJoin() {
    const out = current();
    lastSent = out;
    send({ type: "call.join", peer: peerId, mic: out.mic, camera: out.camera });
  }

  // ---- joining and leaving ------------------------------------------------------

  /**
   * `again`: the choice stored before a reload (an automatic rejoin), else null (a tap on
   * "Join by video" / "Audio only": only then does focus move to the call's controls).
   */
  async function join(wanted, again = null) {
    if (inCall || joining) return;
    const why = unsupportedReason();
    if (why) {
      showUnavailable(why);
      return;
    }
    joining = true;
    const generation = ++joinGeneration;
    note(wanted === "video" ? gettext("Starting your camera and microphone…") : gettext("Starting your microphone…"));
    render();
    let opened;
    try {
      // A camera chosen off (before a reload) or held off (a break) is not started at all.
      const cameraOn = (again ? again.camera : true) && !held.camera;
      opened = await local.open(wanted === "video", cameraOn);
    } catch (error) {
      if (generation !== joinGeneration) return;
      joining = false;
      forget();
      note(interpolate(gettext("%(problem)s The session goes on as usual."), { problem: error.message }));
      render();
      return;
    }
    // Left (or the room closed to this page) while the permission question was open:
    // the camera and microphone that just started are released at once.
    if (generation !== joinGeneration || section.hidden) {
      local.stop();
      return;
    }
    joining = false;
    inCall = true;
    mode = opened.video ? "video" : "audio";
    choice = again
      ? { mic: again.mic, camera: opened.video && again.camera }
      : { mic: true, camera: opened.video };
    unmutedSince = again ? again.unmutedSince : null;
    remember();
    note(opened.problem || "");
    // call.join first: a call.media before it would be refused (`not_in_call`).
    if (online) sendJoin();
    applyTracks();
    render();
    // Focus follows a deliberate tap only; a rejoin after a reload leaves it where it is.
    const focused = document.activeElement;
    if (!again && (!focused || focused === document.body || $("call-start").contains(focused))) {
      $("call-mic").focus();
    }
  }

  function leave(words = "", { hangup = true } = {}) {
    if (!inCall && !joining) return;
    joinGeneration += 1;
    joining = false;
    if (hangup && inCall) send({ type: "call.hangup" });
    for (const peer of peers.values()) peer.close();
    peers.clear();
    local.stop();
    tiles.clear();
    inCall = false;
    mode = null;
    ice = null;
    lastSent = null;
    waitingSignals = [];
    clearTimeout(iceTimer);
    forget();
    cameraProblem("");
    $("call-sound").hidden = true;
    note(words);
    render();
  }

  function showUnavailable(words) {
    const el = $("call-unavailable");
    el.textContent = words;
    el.hidden = false;
    $("call-start").hidden = true;
  }

  /**
   * Only a reload of this very page rejoins by itself. A duplicated tab (or one that came
   * back to the room another way) carries a copy of sessionStorage too, and must not take
   * the call from the tab that is in it.
   */
  function reloaded() {
    try {
      const entry = performance.getEntriesByType("navigation")[0];
      return Boolean(entry && entry.type === "reload");
    } catch {
      return false;
    }
  }

  function maybeAutoJoin() {
    if (autoTried || !online || !snap || inCall || joining) return;
    autoTried = true;
    const again = stored();
    if (again && reloaded() && !unsupportedReason()) join(again.mode, again);
  }

  // ---- the others ---------------------------------------------------------------

  function dropPeer(role) {
    const peer = peers.get(role);
    if (peer) peer.close();
    peers.delete(role);
  }

  function forgetPerson(role) {
    const entry = roster.get(role);
    if (entry) {
      clearTimeout(entry.goneTimer);
      clearTimeout(entry.offerTimer);
    }
    roster.delete(role);
    dropPeer(role);
  }

  /** A connection to `role` now (this page offers first, as the newcomer). */
  function connect(role) {
    const entry = roster.get(role);
    if (!inCall || !ice || !entry || entry.gone || peers.has(role)) return;
    clearTimeout(entry.offerTimer);
    peers.set(
      role,
      new Peer({ role, peerId: entry.peer, me: myRole, ice, local, send, onChange: onPeerChange }),
    );
  }

  /** On joining (the call's ICE servers arrived): connect to everyone already in the call. */
  function connectAll() {
    if (!inCall || !ice) return;
    for (const role of roster.keys()) connect(role);
    const waiting = waitingSignals;
    waitingSignals = [];
    for (const frame of waiting) onSignal(frame);
  }

  /**
   * Someone joined after this page: they offer first (the newcomer connects to everyone),
   * which keeps both sides from offering at once. Should their offer not come, this page
   * offers after a moment (the polite side a little later, so two never collide).
   */
  function expectOffer(role) {
    const entry = roster.get(role);
    if (!inCall || !ice || !entry || peers.has(role)) return;
    clearTimeout(entry.offerTimer);
    entry.offerTimer = setTimeout(() => connect(role), isPolite(myRole, role) ? 3000 : 1500);
  }

  function onSignal(frame) {
    if (!inCall) return;
    if (!ice) {
      waitingSignals.push(frame);
      return;
    }
    const role = frame.from;
    const entry = roster.get(role);
    if (!entry || entry.peer !== frame.peer) {
      if (entry) forgetPerson(role);
      roster.set(role, { peer: frame.peer, mic: null, camera: null, gone: false, goneTimer: null });
    }
    connect(role);
    const peer = peers.get(role);
    if (peer) peer.receive(frame);
  }

  function onIce(frame) {
    ice = frame;
    for (const peer of peers.values()) peer.configure(ice);
    clearTimeout(iceTimer);
    if (Number.isFinite(frame.expires) && window.stayRoom) {
      const wait = Math.max(10000, frame.expires - window.stayRoom.clock.serverNow() - ICE_EARLY_MS);
      iceTimer = setTimeout(() => send({ type: "call.ice" }), wait);
    }
    connectAll();
  }

  function onMedia(frame) {
    if (frame.role === myRole) {
      // The same person joined from another tab or device: this page steps out.
      if (inCall && frame.peer !== peerId) {
        leave(gettext("You joined the call on another device or tab."));
      }
      return;
    }
    const entry = roster.get(frame.role);
    if (entry && entry.peer !== frame.peer) forgetPerson(frame.role);
    const kept = roster.get(frame.role);
    if (kept) {
      clearTimeout(kept.goneTimer);
      clearTimeout(kept.offerTimer);
    }
    roster.set(frame.role, {
      peer: frame.peer, mic: frame.mic, camera: frame.camera, gone: false, goneTimer: null,
    });
    expectOffer(frame.role);
  }

  function onLeft(frame) {
    const entry = roster.get(frame.role);
    if (!entry || entry.peer !== frame.peer) return;
    if (frame.reason !== "gone") {
      forgetPerson(frame.role);
      return;
    }
    // A reload or a dropped network: keep the connection a little for the same peer.
    entry.gone = true;
    clearTimeout(entry.goneTimer);
    entry.goneTimer = setTimeout(() => {
      entry.goneTimer = null;
      entry.waited = true;
      letGo(frame.role);
    }, GONE_WAIT_MS);
  }

  /**
   * After the wait for someone whose socket closed: their connection goes, unless its media
   * still flows (only their socket to the server is down). Such a one is checked again
   * whenever its connection changes, and goes when it stops.
   */
  function letGo(role) {
    const entry = roster.get(role);
    if (!entry || !entry.gone || !entry.waited) return;
    const peer = peers.get(role);
    if (peer && peer.pc.connectionState === "connected") return;
    forgetPerson(role);
    render();
  }

  /** A connection changed: re-check anyone kept only because their media flowed. */
  function onPeerChange() {
    for (const role of [...roster.keys()]) letGo(role);
    render();
  }

  /**
   * Back online after longer than the others wait: they have let this page's place go (or
   * will), so it comes back as a newcomer — a new peer id and new connections.
   */
  function rejoinAsNewcomer() {
    for (const peer of peers.values()) peer.close();
    peers.clear();
    for (const entry of roster.values()) clearTimeout(entry.offerTimer);
    peerId = newPeerId();
    ice = null;
    waitingSignals = [];
    sendJoin();
  }

  // ---- events from the room page -----------------------------------------------

  document.addEventListener("stay:state", (event) => {
    snap = event.detail.state;
    const next = normalise(snap.call);
    const again = rulesSeen ? null : stored();
    held = nextHeld(held, rulesSeen ? rules : null, next, again && reloaded() ? again.unmutedSince : null);
    if (!next.microphones_off && unmutedSince !== null) {
      unmutedSince = null;
      if (inCall) remember();
    }
    rules = next;
    rulesSeen = true;
    applyTracks();
    render();
    maybeAutoJoin();
  });

  document.addEventListener("stay:call", (event) => {
    const frame = event.detail || {};
    if (frame.type === "call.ice") {
      if (inCall) onIce(frame);
    } else if (frame.type === "call.media") onMedia(frame);
    else if (frame.type === "call.left") onLeft(frame);
    else if (frame.type === "call.signal") onSignal(frame);
    render();
  });

  document.addEventListener("stay:status", (event) => {
    const status = event.detail;
    const wasOnline = online;
    online = status === "online";
    if (wasOnline && !online) offlineSince = Date.now();
    if (status === "gone") {
      leave("", { hangup: false });
      section.hidden = true;
      return;
    }
    // Others learn again who is in the call from the server's hello on this connection.
    // Anyone it does not name again within a few seconds left while this page was away.
    if (online && !wasOnline) {
      const away = offlineSince === null ? 0 : Date.now() - offlineSince;
      offlineSince = null;
      const before = new Map(roster);
      setTimeout(() => {
        for (const [role, entry] of before) if (roster.get(role) === entry) forgetPerson(role);
        render();
      }, STALE_AFTER_MS);
      if (inCall && away > GONE_WAIT_MS) rejoinAsNewcomer();
      else if (inCall) sendJoin();
    }
    maybeAutoJoin();
    render();
  });

  document.addEventListener("stay:error", (event) => {
    const frame = event.detail || {};
    // The server lost this page's place in the call (a restart): join again, calmly.
    if (frame.code === "not_in_call" && inCall && online && Date.now() - rejoinAt > REJOIN_SPACING_MS) {
      rejoinAt = Date.now();
      sendJoin();
    }
  });

  // A changed network (Wi-Fi to mobile): every connection looks for a new path.
  window.addEventListener("online", () => {
    for (const peer of peers.values()) peer.restart();
  });
  window.addEventListener("pagehide", () => {
    // A reload keeps the choice (sessionStorage) and rejoins; the others wait 15 s for it.
    for (const peer of peers.values()) peer.close();
  });

  // ---- buttons -----------------------------------------------------------------

  $("call-video").addEventListener("click", () => join("video"));
  $("call-audio").addEventListener("click", () => join("audio"));
  $("call-leave").addEventListener("click", () => {
    leave(gettext("You left the call. The session carries on."));
    $("call-video").focus();
  });
  /** A change of this person's own choice (a button): kept for a reload, applied now. */
  const choose = (next) => {
    if (!next) return;
    ({ choice, held } = next);
    remember();
    applyTracks();
    render();
  };
  $("call-mic").addEventListener("click", () => choose(toggleMic(choice, held, rules)));
  $("call-unmute").addEventListener("click", () => {
    const next = unmuteInPause(choice, held, rules);
    if (next) unmutedSince = rules.since;
    choose(next);
    $("call-mic").focus();
  });
  $("call-camera").addEventListener("click", () => {
    cameraProblem("");
    choose(toggleCamera(choice, held));
  });
  $("call-sound").addEventListener("click", () => {
    tiles.playAll();
    $("call-sound").hidden = true;
  });

  // ---- rendering ---------------------------------------------------------------

  function people() {
    // The others first; this person's own picture last (the floor holder goes first in tiles.js).
    const list = [];
    for (const role of ["a", "b", "host"]) {
      const entry = roster.get(role);
      const peer = peers.get(role);
      if (!entry || !peer) continue;
      list.push({
        role,
        name: callName(snap, role),
        self: false,
        stream: peer.stream,
        media: { mic: entry.mic, camera: entry.camera },
        status: peer.status(),
        gone: entry.gone,
      });
    }
    if (inCall) {
      list.push({
        role: myRole, name: callName(snap, myRole), self: true, stream: local.stream, media: current(),
      });
    }
    return list;
  }

  function render() {
    const why = unsupportedReason();
    if (why) showUnavailable(why);
    else $("call-start").hidden = inCall;
    for (const id of ["call-video", "call-audio"]) $(id).disabled = joining;
    $("call-controls").hidden = !inCall;
    $("call-tiles").hidden = !inCall;
    section.dataset.inCall = String(inCall);
    if (inCall) renderControls();
    renderPause();
    if (inCall) tiles.render(snap, people());
    renderRoster();
  }

  function renderControls() {
    const now = controls(current(), held, rules, mode === "video");
    const focused = document.activeElement;
    let lostFocus = false;
    for (const [id, button] of [["call-mic", now.mic], ["call-camera", now.camera]]) {
      const el = $(id);
      if (el.textContent !== button.label) el.textContent = button.label;
      el.classList.toggle("is-off", button.label === gettext("Unmute") || button.label === gettext("Turn camera on"));
      if (button.disabled && el === focused) lostFocus = true;
      el.disabled = button.disabled;
    }
    $("call-camera").hidden = mode !== "video";
    const state = $("call-self-state");
    if (state.textContent !== now.state) state.textContent = now.state;
    // A break disabled the focused button: focus goes somewhere that still works.
    if (lostFocus) $("call-leave").focus();
  }

  function renderPause() {
    const box = $("call-pause");
    const line = $("call-pause-line");
    const show = inCall && rules.microphones_off && Boolean(rules.line);
    box.hidden = !show;
    // A status: emptied while hidden, so showing it again is a change a screen reader says.
    const words = show ? rules.line : "";
    if (line.textContent !== words) line.textContent = words;
    // This person's own deliberate unmute, said plainly under the line.
    const own = $("call-pause-own");
    const ownWords = show ? pauseOwnLine(rules, current()) : "";
    if (own.textContent !== ownWords) own.textContent = ownWords;
    own.hidden = !ownWords;
    const unmute = $("call-unmute");
    const hide = !(show && rules.own_unmute && !current().mic);
    if (hide && !unmute.hidden && document.activeElement === unmute) {
      // A break took the choice away: focus goes where it still does something.
      $("call-leave").focus();
    }
    unmute.hidden = hide;
  }

  /** Who is in the call, in words: the call's own list and the room's presence list. */
  function renderRoster() {
    // In the call the tiles say all this; the list is for those not in it.
    const lines = [];
    for (const role of ["a", "b", "host"]) {
      const entry = roster.get(role);
      if (!entry || role === myRole || entry.mic === null) continue;
      lines.push({ role, text: rosterLine(callName(snap, role), entry) });
    }
    renderHostLine();
    const list = $("call-roster");
    list.hidden = inCall || lines.length === 0;
    list.replaceChildren(
      ...lines.map(({ role, text }) => {
        const li = document.createElement("li");
        li.dataset.role = role;
        li.textContent = text;
        return li;
      }),
    );
    for (const li of document.querySelectorAll("#presence li[data-seat]")) {
      const entry = roster.get(li.dataset.seat);
      let mark = li.querySelector(".presence-call");
      if (!entry || entry.mic === null) {
        if (mark) mark.remove();
        delete li.dataset.call;
        continue;
      }
      const words = presenceWords(entry);
      if (!mark) {
        mark = document.createElement("span");
        mark.className = "presence-call";
        li.append(mark);
      }
      mark.textContent = ` · ${words}`;
      li.dataset.call = `${entry.mic ? "mic" : "muted"} ${entry.camera ? "camera" : "camera-off"}`;
    }
  }

  /** After a name in the room's presence list (" · in the call, muted, camera off"). */
  function presenceWords(entry) {
    if (!entry.mic && !entry.camera) return gettext("in the call, muted, camera off");
    if (!entry.mic) return gettext("in the call, muted");
    if (!entry.camera) return gettext("in the call, camera off");
    return gettext("in the call");
  }

  /** The counselor's host panel: who is in the call, muted or with their camera off. */
  function renderHostLine() {
    const el = $("host-call");
    if (!el) return;
    const people = [];
    for (const role of ["a", "b", "host"]) {
      if (role === myRole) {
        if (inCall) people.push({ name: callName(snap, role), ...current() });
        continue;
      }
      const entry = roster.get(role);
      if (!entry || entry.mic === null) continue;
      people.push({ name: callName(snap, role), mic: entry.mic, camera: entry.camera, gone: entry.gone });
    }
    const words = hostCallLine(people);
    if (el.textContent !== words) el.textContent = words;
  }

  // The room may already be online (this script runs after room.js).
  const s = socket();
  if (s && s.isOpen()) online = true;
  render();
}
