// The room's WebSocket. Keeps one connection alive (reconnecting with backoff and
// jitter so a restarted server is not stampeded), measures the clock offset with
// `time.ping`, sends the `sync` heartbeat that renews presence and repairs missed
// broadcasts, and hands on only states newer than the last one applied (two server
// processes may deliver out of order).

// The heartbeat and ping rules in one object, so the breathing-sync benchmark
// (bench/sync_phase.py) imports the very numbers the page uses. A burst of `connectBurst`
// pings `burstSpacingMs` apart on connect (and when the page comes back into view), one of
// `laterBurst` every `pingEveryMs`; a `sync` every `syncEveryMs`. A busy phone or server can
// stretch every round trip of a burst, and the offset error is up to half the best one:
// until a quick one comes back, ask again every `refineEveryMs`, at most `refineLimit`
// times per burst (a few pings a second at most, far under the server's frame budget).
export const PING_RULES = Object.freeze({
  syncEveryMs: 10000,
  pingEveryMs: 30000,
  connectBurst: 5,
  laterBurst: 3,
  burstSpacingMs: 120,
  refineEveryMs: 250,
  refineLimit: 24,
});
// The close codes the server sends (docs/protocol.md, section "Close codes"; the server's
// names are `Close` in sessions/live/outgoing.py, and tests/live/test_outgoing_frames.py
// checks the two agree). Pages import these names rather than repeat the numbers.
export const CLOSE = Object.freeze({
  NO_SEAT: 4403,
  NOT_FOUND: 4404,
  TOO_MANY_TABS: 4409,
  ACCESS_ENDED: 4410,
  FLOODING: 4429,
  SERVER_ERROR: 1011,
  TRY_AGAIN: 1013,
});
// No seat, no room, pushed out by a newer tab of the same seat (the server keeps a few
// per seat: reconnecting would only push another tab out in turn), or the couple's link
// ended by their counselor: reconnecting cannot help.
export const GONE_CODES = new Set([
  CLOSE.NO_SEAT,
  CLOSE.NOT_FOUND,
  CLOSE.TOO_MANY_TABS,
  CLOSE.ACCESS_ENDED,
]);

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, half jittered. */
export function backoffDelay(attempt, { base = 500, cap = 15000, random = Math.random } = {}) {
  const ceiling = Math.min(cap, base * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** A request id, unique enough that the server can spot a repeated frame. */
export function newRid() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** Whether a state frame should replace what is on screen. */
export function isNewer(frameVersion, lastVersion) {
  return Number.isInteger(frameVersion) && (lastVersion === null || frameVersion > lastVersion);
}

export class RoomSocket {
  /**
   * handlers: onState(frame), onStatus("connecting"|"online"|"offline"),
   * onGone(closeCode) for a room this browser may no longer open, and optionally
   * onCall(frame) for every `call.*` frame (the call's signaling, docs/protocol.md).
   */
  constructor(url, clock, handlers) {
    this.url = url;
    this.clock = clock;
    this.handlers = handlers;
    this.ws = null;
    this.attempt = 0;
    this.lastVersion = null;
    this.pending = new Map();
    this.timers = [];
    this.gone = false;
    this.reconnectTimer = null;
    this.refineTimer = null;
    this.refinesLeft = 0;
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState !== "visible") return;
      if (this.isOpen()) {
        this.pingBurst(PING_RULES.connectBurst);
        this.sync();
      } else if (!this.gone) {
        this.reconnectNow();
      }
    });
    window.addEventListener("online", () => this.reconnectNow());
  }

  isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  connect() {
    if (this.gone) return;
    this.handlers.onStatus("connecting");
    // A socket replaced while it was still closing never reaches onClose (its close is
    // ignored below), so its heartbeat timers are stopped here, not left running twice.
    this.timers.forEach(clearInterval);
    this.timers = [];
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("open", () => {
      if (ws === this.ws) this.onOpen();
    });
    ws.addEventListener("message", (e) => this.onMessage(e));
    ws.addEventListener("close", (e) => this.onClose(e, ws));
  }

  reconnectNow() {
    if (this.gone || this.isOpen() || (this.ws && this.ws.readyState === WebSocket.CONNECTING)) {
      return;
    }
    clearTimeout(this.reconnectTimer);
    this.connect();
  }

  onOpen() {
    this.handlers.onStatus("online");
    // Actions sent but not acknowledged before a drop go again with the same rid:
    // the server applies each rid once, so this can only fill a gap, never double.
    for (const { frame } of this.pending.values()) this.sendFrame(frame);
    this.pingBurst(PING_RULES.connectBurst);
    this.timers.push(setInterval(() => this.sync(), PING_RULES.syncEveryMs));
    this.timers.push(
      setInterval(() => this.pingBurst(PING_RULES.laterBurst), PING_RULES.pingEveryMs),
    );
  }

  onClose(event, ws) {
    if (ws !== this.ws) return;
    this.timers.forEach(clearInterval);
    this.timers = [];
    if (GONE_CODES.has(event.code)) {
      for (const { reject } of this.pending.values()) {
        // Worded by the page (room.js `errorText`): this module imports nothing, so the sync
        // benchmark can load it on its own under node.
        reject({ code: "gone" });
      }
      this.pending.clear();
      this.gone = true;
      this.handlers.onGone(event.code);
      return;
    }
    this.handlers.onStatus("offline");
    const extra = event.code === CLOSE.FLOODING ? 5000 : 0;
    const delay = backoffDelay(this.attempt) + extra;
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  onMessage(event) {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (frame.type === "time.pong") {
      this.clock.addSample(frame.t0, this.clock.now(), frame.server);
      this.refineClock();
    } else if (frame.type === "state") {
      this.attempt = 0;
      if (Number.isFinite(frame.server)) this.clock.roughGuess(frame.server, this.clock.now());
      if (isNewer(frame.version, this.lastVersion)) {
        this.lastVersion = frame.version;
        this.handlers.onState(frame);
      }
    } else if (frame.type === "ack") {
      const p = this.pending.get(frame.rid);
      if (p) p.resolve(frame);
      this.pending.delete(frame.rid);
    } else if (frame.type === "error") {
      const p = this.pending.get(frame.rid);
      if (p) p.reject(frame);
      this.pending.delete(frame.rid);
      // Errors without a pending action (call signaling is not acknowledged) go on too.
      if (!p && this.handlers.onError) this.handlers.onError(frame);
    } else if (typeof frame.type === "string" && frame.type.startsWith("call.")) {
      if (this.handlers.onCall) this.handlers.onCall(frame);
    }
  }

  sendFrame(frame) {
    if (!this.isOpen()) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  pingBurst(count) {
    this.refinesLeft = PING_RULES.refineLimit;
    for (let i = 0; i < count; i += 1) {
      const at = i * PING_RULES.burstSpacingMs;
      setTimeout(() => this.sendFrame({ type: "time.ping", t0: this.clock.now() }), at);
    }
  }

  refineClock() {
    if (this.clock.settled || this.refinesLeft <= 0 || this.refineTimer !== null) return;
    this.refinesLeft -= 1;
    this.refineTimer = setTimeout(() => {
      this.refineTimer = null;
      this.sendFrame({ type: "time.ping", t0: this.clock.now() });
    }, PING_RULES.refineEveryMs);
  }

  sync() {
    this.sendFrame({ type: "sync", version: this.lastVersion ?? 0 });
  }

  /** Send an engine action; resolves on ack, rejects with the server's error frame. */
  act(action, args = {}, target = {}) {
    const rid = newRid();
    const frame = { type: "action", action, args, rid, ...target };
    return new Promise((resolve, reject) => {
      if (!this.sendFrame(frame)) {
        reject({ code: "offline" });
        return;
      }
      this.pending.set(rid, { frame, resolve, reject });
    });
  }
}
