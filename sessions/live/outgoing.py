"""Everything the server says down a room socket: its frames and its close codes.

One typed constructor per frame type, so a frame cannot gain or lose a field
without the schema test (tests/live/test_outgoing_frames.py) comparing it with
docs/protocol.md, section 4 (frames) and section 8 (close codes). The socket sends
only frames built here, through `text`.

The frames are msgspec Structs, tagged with their `type`: of the ways measured to
type a frame (bench/frame_cost.py, docs/benchmarks.md "Outgoing frames"), it is
the cheapest to build and serialise, and the state frame goes to every socket of
a room on every change. A Struct checks nothing when built; every value here
comes from the server itself (the engine's view, the store's versions).
"""

from __future__ import annotations

from typing import Any

import msgspec


class Frame(msgspec.Struct, frozen=True, tag_field="type"):
    """A frame the server sends: one JSON object whose `type` names it."""


class State(Frame, tag="state"):
    """The room as this socket's person may see it (`engine.view_for`), with its version."""

    version: int
    server: int  # server epoch ms when sent
    state: dict[str, Any]


class Ack(Frame, tag="ack"):
    """An action was accepted, or repeated an accepted rid: the version it produced."""

    rid: str | None
    version: int


class Error(Frame, tag="error"):
    """A refused frame: a machine `code` (protocol section 7) and plain words to show."""

    code: str
    message: str
    rid: str | None = None


# The `code` of an error frame for a frame that failed on the server (protocol section 7);
# unlike `Close.SERVER_ERROR`, the socket stays open. The other codes come from the engine's
# refusals and from `frames.FrameError`.
SERVER_ERROR_CODE = "server_error"


class TimePong(Frame, tag="time.pong"):
    """The answer to `time.ping`: its `t0` back, and the server's clock."""

    t0: int | float
    server: int


class Ok(Frame, tag="ok"):
    """The answer to a `sync` from a client that is up to date."""


# --- the call (issue 15): relayed between the sockets of one room, never stored ---------------


class CallIce(Frame, tag="call.ice"):
    """The ICE servers this socket's browser may use for the call (`sessions.live.ice`).

    `ice_servers` is handed to `RTCPeerConnection` as is (`urls`, and for TURN a
    short-lived `username`/`credential`); `policy` is `all` or `relay`; `expires` is
    the server ms when the TURN credential ends (null without TURN).
    """

    ice_servers: list[dict[str, Any]]
    policy: str
    expires: int | None


class CallMedia(Frame, tag="call.media"):
    """Someone is in the call with this microphone and camera (on join, change, or hello)."""

    role: str
    peer: str
    mic: bool
    camera: bool


class CallLeft(Frame, tag="call.left"):
    """Someone left the call: `hangup` by choice, `gone` when their socket closed."""

    role: str
    peer: str
    reason: str


class CallSignal(Frame, tag="call.signal", omit_defaults=True, kw_only=True):
    """A WebRTC offer/answer or ICE candidates from one person in the call to one other.

    Exactly one of `description` and `candidates` is sent; the other is left out
    (hence `omit_defaults`). `from` is the sender's role, `peer` the sender's peer id.
    """

    from_: str = msgspec.field(name="from")
    peer: str
    description: dict[str, Any] | None = None
    candidates: list[dict[str, Any]] | None = None


# --- the counselor's socket (issue 16, protocol section 13) -----------------------------------


class Changed(Frame, tag="changed"):
    """One of the counselor's rooms changed, in a line of plain words to announce.

    `room` is an opaque id (`notices.room_id`), never the join code.
    """

    room: str
    line: str


# --- the workshop console's socket (issue 17, protocol section 14) --------------------------


class Console(Frame, tag="console"):
    """The whole console: the workshop's header, one tile per room, the counts in a line.

    Sent on connect and whenever the workshop itself changed or gained a room. A tile
    (`workshop_console.tile`) names a room by its opaque id and holds no word anyone typed.
    """

    workshop: dict[str, Any]
    tiles: list[dict[str, Any]]
    counts: dict[str, Any]
    line: str


class Tile(Frame, tag="tile"):
    """One room changed: its new tile, and the whole workshop's counts after it."""

    tile: dict[str, Any]
    counts: dict[str, Any]
    line: str


FRAMES: tuple[type[Frame], ...] = (
    State,
    Ack,
    Error,
    TimePong,
    Ok,
    CallIce,
    CallMedia,
    CallLeft,
    CallSignal,
    Changed,
    Console,
    Tile,
)

_encode = msgspec.json.Encoder().encode


def text(frame: Frame) -> str:
    """The frame as the text of one WebSocket message."""
    return _encode(frame).decode()


class Close:
    """The close codes a room socket ends with (protocol section 8).

    Plain ints, not an IntEnum: Daphne's WebSocket library refuses any close code
    whose type is not exactly `int`.
    """

    # An unknown or expired session code (also when the session is deleted while open).
    NOT_FOUND = 4404
    # This browser holds no seat here (never had one, released it, or it was taken over).
    NO_SEAT = 4403
    # Kept sending too fast; also at connect, once an address has missed too often.
    FLOODING = 4429
    # This seat's socket was the oldest of more than `leases.SOCKETS_PER_SEAT`.
    TOO_MANY_TABS = 4409
    # A partner's socket of a couple whose standing link the counselor revoked, or whose
    # couple she deleted (`broadcast.end_access`); also at connect afterwards.
    ACCESS_ENDED = 4410
    # Something failed on the server (e.g. while opening the socket): reconnect with backoff.
    SERVER_ERROR = 1011
    # The channel layer (Redis) cannot be reached just now: reconnect with backoff.
    TRY_AGAIN = 1013


CLOSE_CODES = frozenset(value for name, value in vars(Close).items() if not name.startswith("_"))
