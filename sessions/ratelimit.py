"""Per-socket frame budget: a token bucket, and a second bucket for the overflow.

A person taps a few times a second at most; a well-behaved client adds a sync
every 10 s and a few clock pings. Anything far beyond that is a bug or abuse,
and it must not cost the other partner anything. Frames over the rate are
refused one by one (`rate_limited`); a socket whose refused frames keep piling
up — about three seconds' worth of excess — is cut off (close code 4429).
The overflow drains at the same rate, so a short burst is forgiven.

Time is passed in (monotonic seconds) so the rules are testable without sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

FRAMES_PER_SECOND = 20.0
BURST = 20.0
EXCESS_WINDOWS = 3


class Verdict(Enum):
    ALLOW = "allow"
    LIMITED = "limited"
    CUT_OFF = "cut_off"


@dataclass(slots=True)
class TokenBucket:
    rate: float
    capacity: float
    tokens: float | None = None  # starts full
    stamp: float | None = None

    def __post_init__(self) -> None:
        if self.tokens is None:
            self.tokens = self.capacity

    def refill(self, now: float) -> None:
        if self.stamp is not None:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self, now: float) -> bool:
        self.refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass(slots=True)
class FrameBudget:
    """Decides, frame by frame, whether a socket is within its rate."""

    rate: float = FRAMES_PER_SECOND
    burst: float = BURST
    excess_windows: int = EXCESS_WINDOWS
    frames: TokenBucket = field(init=False)
    overflow: TokenBucket = field(init=False)

    def __post_init__(self) -> None:
        self.frames = TokenBucket(self.rate, self.burst)
        # Each refused frame spends one overflow token; running out means the socket
        # has sent `excess_windows` seconds' worth of frames beyond its rate.
        self.overflow = TokenBucket(self.rate, self.rate * self.excess_windows)

    def take(self, now: float) -> Verdict:
        if self.frames.take(now):
            self.overflow.refill(now)  # an allowed frame lets the overflow drain too
            return Verdict.ALLOW
        if self.overflow.take(now):
            return Verdict.LIMITED
        return Verdict.CUT_OFF
