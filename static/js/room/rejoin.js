// "Alex rejoined on another device": when a partner's seat moves to a new phone,
// the other person should hear it once, calmly, rather than wonder why their
// partner's check-in vanished. The server keeps only the time of the latest
// take-over (`seats.x.rejoined_at`), so each page remembers the newest one it
// has already told its person about.

/** A take-over older than this when the page opens is old news, not worth a notice. */
export const RECENT_MS = 60000;

export class RejoinWatch {
  constructor(recentMs = RECENT_MS) {
    this.recentMs = recentMs;
    this.seen = null; // seat -> rejoined_at already accounted for; null until the first state
  }

  /**
   * Seats (other than the viewer's own) whose take-over is news on this state.
   * On the first state only a recent take-over counts (the page may have been
   * reloaded just after it); afterwards, any newer `rejoined_at` does.
   */
  news(snap, serverNow) {
    const first = this.seen === null;
    if (first) this.seen = { a: null, b: null };
    const fresh = [];
    for (const seat of ["a", "b"]) {
      const at = snap.seats && snap.seats[seat] ? snap.seats[seat].rejoined_at : null;
      if (!Number.isFinite(at)) continue;
      const before = this.seen[seat];
      if (before !== null && at <= before) continue;
      this.seen[seat] = at;
      if (seat === snap.you) continue;
      if (!first || serverNow - at < this.recentMs) fresh.push(seat);
    }
    return fresh;
  }
}
