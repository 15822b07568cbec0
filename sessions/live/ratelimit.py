"""Per-socket frame budget: a token bucket, and a second bucket for the overflow.

A person taps a few times a second at most; a well-behaved client adds a sync
every 10 s and a few clock pings. Anything far beyond that is a bug or abuse,
and it must not cost the other partner anything. Frames over the rate are
refused one by one (`rate_limited`); a socket whose refused frames keep piling
up — about three seconds' worth of excess — is cut off (close code 4429).
The overflow drains at the same rate, so a short burst is forgiven.

Time is passed in (monotonic seconds) so the rules are testable without sleeping.

The call's signaling (`call.*` frames, relayed to another person's browser) has a
byte budget of its own on top (`SignalBudget`): a few offers and a batch of
candidates pass at once, a stream of large frames is refused `rate_limited` with
the socket left open, and a flood of frames of any size still meets the frame
budget and its 4429.

The budget is applied to each frame as it arrives (the socket's gate, in
`socket_loop`), and two settings of the server (`guard_daphne`) keep a flood from
costing the other sockets more than a few milliseconds: see that function.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum

from sessions.live.outgoing import Close

log = logging.getLogger(__name__)

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


# A person's browser entering a call of three sends an offer to each of the two others
# (3-8 KiB of SDP each) and a few batches of ICE candidates; an ICE restart after a
# network change sends that again. 64 KiB at once and 16 KiB a second after that is
# several times what such a browser sends, and a twentieth of what the frame budget
# alone lets through in 20 KiB frames (400 KiB a second).
SIGNAL_BYTES_PER_SECOND = 16 * 1024
SIGNAL_BURST_BYTES = 64 * 1024


@dataclass(slots=True)
class SignalBudget:
    """Bytes of call signaling one socket may relay: a token bucket counted in bytes.

    A refused frame costs nothing, so a client that waits a moment is let through.
    """

    rate: float = SIGNAL_BYTES_PER_SECOND
    burst: float = SIGNAL_BURST_BYTES
    bytes: TokenBucket = field(init=False)

    def __post_init__(self) -> None:
        self.bytes = TokenBucket(self.rate, self.burst)

    def take(self, size: int, now: float) -> bool:
        self.bytes.refill(now)
        if self.bytes.tokens >= size:
            self.bytes.tokens -= size
            return True
        return False


# --- the server's side of a flood ---------------------------------------------------------

# Daphne (Twisted) reads up to 64 KiB from a socket per turn of the event loop and
# parses every frame in it before anything else runs, during which no other socket
# is served (docs/benchmarks.md, floods). A 4 KiB read still takes Stay's largest
# frame (4 KiB) in one go.
READ_CHUNK_BYTES = 4096

# Close codes after which the server stops reading the socket at once instead of
# waiting (up to a second, parsing everything the client still sends) for the
# client's half of the close handshake.
DROP_AFTER_CLOSE = frozenset({Close.FLOODING})
# How long a dropped socket's close frame has to reach the client before the
# connection is cut (a flooder may not read either).
DROP_GRACE_S = 0.5


def guard_daphne() -> bool:
    """Make Daphne's WebSocket connections read small chunks and drop a flooder at once.

    Applied when the consumer module loads (Daphne imports the application before it
    serves), so `daphne facilitator.asgi:application` gets it however it is started;
    a no-op when Daphne is not installed or was already guarded. Returns whether the
    guard is in place. Both changes are measured by `bench/flood.py`.
    """
    try:
        from daphne.ws_protocol import WebSocketProtocol
    except ImportError:  # another ASGI server; it brings its own limits
        return False
    if getattr(WebSocketProtocol, "_stay_guarded", False):
        return True
    if not all(hasattr(WebSocketProtocol, name) for name in ("onConnect", "serverClose")):
        log.warning("this Daphne has no onConnect/serverClose to guard; floods cost more")
        return False
    on_connect = WebSocketProtocol.onConnect
    server_close = WebSocketProtocol.serverClose

    def guarded_on_connect(self, request):
        transport = getattr(self, "transport", None)
        if transport is not None and hasattr(transport, "bufferSize"):
            transport.bufferSize = READ_CHUNK_BYTES
        return on_connect(self, request)

    def guarded_server_close(self, code=None):
        server_close(self, code)
        if code not in DROP_AFTER_CLOSE or self.transport is None:
            return
        # Read nothing more from it. The close frame stays queued for the client; the
        # connection is cut a moment later (cutting it at once, with the flood unread,
        # would send a reset that can overtake the close frame and lose its code).
        transport = self.transport
        stop = getattr(transport, "stopReading", None) or getattr(transport, "pauseProducing", None)
        if stop is not None:  # a TLS wrapper has only the producer's pause
            stop()

        from twisted.internet import reactor

        def cut() -> None:
            if getattr(transport, "connected", False) and hasattr(transport, "abortConnection"):
                transport.abortConnection()

        reactor.callLater(DROP_GRACE_S, cut)

    WebSocketProtocol.onConnect = guarded_on_connect
    WebSocketProtocol.serverClose = guarded_server_close
    WebSocketProtocol._stay_guarded = True
    return True
