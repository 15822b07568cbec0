// Server clock estimate. The room's breathing schedule is in server time, so each
// page needs "what time is it on the server?" to stay in step with the other
// phone. One `time.ping` round trip gives an offset whose error is at most half
// the round trip; the sample with the lowest round trip is the most trustworthy,
// so we keep a handful of recent samples and use the best one.

/** Offset (server minus client) and round trip from one ping/pong exchange. */
export function sampleFrom(t0, t1, server) {
  const rtt = Math.max(0, t1 - t0);
  return { offset: server - (t0 + t1) / 2, rtt, at: t1 };
}

/** The sample to trust: lowest round trip; ties go to the newest. */
export function bestSample(samples) {
  let best = null;
  for (const s of samples) {
    if (best === null || s.rtt < best.rtt || (s.rtt === best.rtt && s.at > best.at)) best = s;
  }
  return best;
}

/**
 * The clock's rules in one object, so the breathing-sync benchmark (bench/sync_phase.py)
 * imports the very numbers the page uses. goodRttMs: a round trip this short bounds the
 * offset error at half of it, so two pages that both settled are within one animation
 * frame (16.7 ms) of each other; until a sample this good arrives the socket keeps asking
 * (docs/benchmarks.md, breathing sync). maxAgeMs and sampleLimit: samples older than that
 * are forgotten (clocks drift), and at most that many of the newest are kept.
 */
export const CLOCK_RULES = Object.freeze({ goodRttMs: 16, maxAgeMs: 120000, sampleLimit: 16 });

/** Keep samples younger than `maxAgeMs` (clocks drift), at most `limit` of the newest. */
export function pruneSamples(
  samples,
  now,
  maxAgeMs = CLOCK_RULES.maxAgeMs,
  limit = CLOCK_RULES.sampleLimit,
) {
  return samples.filter((s) => now - s.at <= maxAgeMs).slice(-limit);
}

/** This device's clock in epoch ms; monotonic between NTP adjustments. */
export function deviceNow() {
  return performance.timeOrigin + performance.now();
}

export class ServerClock {
  constructor(now = deviceNow) {
    this.now = now;
    this.samples = [];
    this.offset = 0;
    this.rtt = null;
  }

  /** Record one pong; returns the offset now in use. */
  addSample(t0, t1, server) {
    this.samples.push(sampleFrom(t0, t1, server));
    this.samples = pruneSamples(this.samples, t1);
    const best = bestSample(this.samples);
    this.offset = best.offset;
    this.rtt = best.rtt;
    return this.offset;
  }

  /** Before any pong: a state frame's `server` time gives a rough offset (off by one trip). */
  roughGuess(server, receivedAt) {
    if (this.samples.length === 0) this.offset = server - receivedAt;
  }

  get ready() {
    return this.samples.length > 0;
  }

  /** True once a sample is good enough for the pacer to be in step within a frame. */
  get settled() {
    return this.rtt !== null && this.rtt <= CLOCK_RULES.goodRttMs;
  }

  /** Best estimate of the server's epoch ms right now. */
  serverNow() {
    return this.now() + this.offset;
  }
}
