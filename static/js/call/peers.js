// One RTCPeerConnection to one other person in the call, negotiated with the "perfect
// negotiation" pattern (W3C WebRTC spec §10.7, MDN): either side may (re)start at any
// time, and when both offer at once the polite side (the later role in a < b < host)
// yields. A network change restarts ICE (`iceConnectionState` "failed", or the window's
// "online" event). ICE candidates go out in one `call.signal` frame per ~100 ms, so a
// burst of them costs the server a few frames, not dozens.

import { batches, isPolite } from "./rules.js";

const CANDIDATE_BATCH_MS = 100;
// A first connection that has not come up by then is worth saying so in words.
const GIVE_UP_MS = 20000;
// Settled but not connected for this long: try a fresh ICE session.
const STUCK_MS = 8000;
const STUCK_POLITE_MS = 16000;

export class Peer {
  /**
   * role/peerId: the other person; me: this page's role; ice: {iceServers, policy};
   * local: the LocalMedia; send(frame) sends on the room socket; onChange() re-renders.
   */
  constructor({ role, peerId, me, ice, local, send, onChange }) {
    this.role = role;
    this.peerId = peerId;
    this.polite = isPolite(me, role);
    this.send = send;
    this.onChange = onChange;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.pending = [];
    this.flushTimer = null;
    this.stream = new MediaStream();
    this.wasConnected = false;
    this.gaveUp = false;
    this.closed = false;
    this.pc = new RTCPeerConnection(configFor(ice));
    this.senders = {};
    this.local = local;
    for (const kind of ["audio", "video"]) {
      const track = local.track(kind);
      if (track) this.senders[kind] = this.pc.addTrack(track, local.stream);
      // Always ready to receive both, so someone on audio only (or with the camera off just
      // now) still sees the others. A camera turned on later is added then (replaceTrack).
      else this.pc.addTransceiver(kind, { direction: "recvonly" });
    }
    this.wire();
    this.giveUpTimer = setTimeout(() => this.giveUp(), GIVE_UP_MS);
    this.lastRestart = Date.now();
    this.watchdog = setInterval(() => this.nudge(), 2000);
  }

  /**
   * A negotiation that settled but never connected (a lost candidate, a collision at a bad
   * moment) gets a fresh ICE session; the impolite side asks first, the polite one later,
   * so the two rarely ask at once.
   */
  nudge() {
    const pc = this.pc;
    if (this.closed || pc.connectionState === "connected" || pc.signalingState !== "stable") return;
    if (!pc.remoteDescription) return;
    const wait = this.polite ? STUCK_POLITE_MS : STUCK_MS;
    if (Date.now() - this.lastRestart < wait) return;
    this.restart();
  }

  wire() {
    const pc = this.pc;
    pc.addEventListener("negotiationneeded", () => this.offer());
    pc.addEventListener("icecandidate", ({ candidate }) => {
      if (!candidate || !candidate.candidate) return;
      this.pending.push(candidate.toJSON());
      if (this.flushTimer === null) {
        this.flushTimer = setTimeout(() => this.flush(), CANDIDATE_BATCH_MS);
      }
    });
    pc.addEventListener("iceconnectionstatechange", () => {
      if (pc.iceConnectionState === "failed") this.restart();
    });
    pc.addEventListener("connectionstatechange", () => {
      if (pc.connectionState === "connected") {
        this.wasConnected = true;
        this.gaveUp = false;
        clearTimeout(this.giveUpTimer);
      } else if (pc.connectionState === "failed" || pc.connectionState === "disconnected") {
        clearTimeout(this.giveUpTimer);
        this.giveUpTimer = setTimeout(() => this.giveUp(), GIVE_UP_MS);
      }
      this.onChange();
    });
    pc.addEventListener("track", ({ track }) => {
      for (const old of this.stream.getTracks()) {
        if (old.kind === track.kind && old !== track) this.stream.removeTrack(old);
      }
      if (!this.stream.getTracks().includes(track)) this.stream.addTrack(track);
      // A remote video track goes "muted" when frames stop arriving (their network).
      track.addEventListener("mute", () => this.onChange());
      track.addEventListener("unmute", () => this.onChange());
      this.onChange();
    });
  }

  giveUp() {
    if (this.closed || this.pc.connectionState === "connected") return;
    // Only words: the watchdog (nudge) keeps trying, and a later success clears them.
    this.gaveUp = true;
    this.onChange();
  }

  flush() {
    this.flushTimer = null;
    const all = this.pending;
    this.pending = [];
    for (const candidates of batches(all)) {
      this.send({ type: "call.signal", to: this.role, peer: this.peerId, candidates });
    }
  }

  async offer() {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.sendDescription();
    } catch {
      // A collision or a closed connection: the next negotiationneeded tries again.
    } finally {
      this.makingOffer = false;
    }
  }

  sendDescription() {
    const { type, sdp } = this.pc.localDescription;
    this.send({ type: "call.signal", to: this.role, peer: this.peerId, description: { type, sdp } });
  }

  /** A `call.signal` frame from this person: a description or a batch of candidates. */
  async receive(frame) {
    if (this.closed) return;
    const pc = this.pc;
    try {
      if (frame.description) {
        const description = frame.description;
        const collision =
          description.type === "offer" && (this.makingOffer || pc.signalingState !== "stable");
        this.ignoreOffer = !this.polite && collision;
        if (this.ignoreOffer) return;
        await pc.setRemoteDescription(description);
        if (description.type === "offer") {
          await pc.setLocalDescription();
          this.sendDescription();
        }
      } else if (Array.isArray(frame.candidates)) {
        for (const candidate of frame.candidates) {
          // A candidate of an offer that lost a collision (or of an earlier ICE session)
          // no longer fits; the pattern ignores those.
          await pc.addIceCandidate(candidate).catch(() => {});
        }
      }
    } catch {
      // A description that no longer fits (the other side restarted): ask for a fresh one.
      this.restart();
    }
  }

  /** Ask for a new ICE session (a changed network); negotiationneeded sends the offer. */
  restart() {
    if (this.closed) return;
    this.lastRestart = Date.now();
    try {
      this.pc.restartIce();
    } catch {
      // Older browsers: nothing to do; the connection recovers by itself or gives up.
    }
  }

  /** Fresh TURN credentials: later ICE work uses them. */
  configure(ice) {
    try {
      this.pc.setConfiguration(configFor(ice));
    } catch {
      // A policy change cannot apply to a running connection; the next one takes it.
    }
  }

  /** A device change or the camera turned off/on (track null): swap without renegotiating. */
  replaceTrack(kind, track) {
    const sender = this.senders[kind];
    if (sender) {
      sender.replaceTrack(track).catch(() => {});
    } else if (track && !this.closed) {
      // No sender yet (the camera was off when this connection began): adding the track
      // takes over the receiving transceiver, and one renegotiation starts it sending.
      try {
        this.senders[kind] = this.pc.addTrack(track, this.local.stream);
      } catch {
        // A closed connection: nothing to send on.
      }
    }
  }

  /** Connection facts for the words on the tile. */
  status() {
    const video = this.stream.getVideoTracks()[0];
    return {
      connection: this.pc.connectionState,
      videoMuted: Boolean(video && video.muted),
      wasConnected: this.wasConnected,
      gaveUp: this.gaveUp,
    };
  }

  close() {
    this.closed = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.giveUpTimer);
    clearInterval(this.watchdog);
    this.pc.close();
  }
}

/** RTCConfiguration from the server's `call.ice` frame. */
export function configFor(ice) {
  const servers = (ice && ice.ice_servers) || [];
  return {
    iceServers: servers.map((s) => {
      const out = { urls: s.urls };
      if (s.username) out.username = s.username;
      if (s.credential) out.credential = s.credential;
      return out;
    }),
    iceTransportPolicy: ice && ice.policy === "relay" ? "relay" : "all",
  };
}
