"""The call's signaling: what one room socket knows of the call, and how its frames travel.

The call itself goes directly between the browsers (WebRTC); the server only
introduces them. A browser in the call sends its offers, answers and ICE
candidates to one other person (`call.signal`), and tells the room when it joins,
changes its microphone or camera, or leaves. All of it is passed on through the
channel layer — to the room's group, or straight to one socket's channel — and
none of it is written to the database or the log: an SDP names the person's
addresses, and the call must leave no trace in Stay.

Each socket remembers only what it needs to route and check (socket memory, like
`seen_version`): its own client's place in the call (peer id, microphone, camera)
and, for each other role in the call, that role's peer id, channel and devices as
last heard. That is enough to refuse a signal to someone who is not in the call
(`not_in_call`) without asking anyone, and to answer a newly connected socket's
`call.hello` with who is in the call.

The room's group carries four message types, each mapped by Channels to the
consumer method of the same name (`call.hello` -> `call_hello`): `call.hello` (a
socket connected: everyone in the call answers its channel with `call.media`),
`call.media`, `call.left` and `call.signal` (this one only ever sent to one
channel). Everything a message carries was validated by `frames` where it came in.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from sessions.engine.wording import name_of
from sessions.live import ice, outgoing
from sessions.live.frames import CallIceAsk, CallJoin, CallMedia, CallSignal, FrameError
from sessions.live.ratelimit import SignalBudget, TokenBucket
from sessions.live.room_group import RoomGroup
from sessions.store import rooms

log = logging.getLogger(__name__)

# Words a person may read: worded in the socket's language when sent (`RoomConsumer._error`).
COUNSELOR = gettext_lazy("Your counselor")
JOIN_FIRST = gettext_lazy("Join the call first.")
NOT_REACHED = gettext_lazy("The call could not reach the room just now; try again.")
LIMITED = gettext_lazy("Too much call signaling at once; wait a moment and try again.")
# A page joins with a new peer id when it loads; a reconnect keeps its id and costs nothing.
# Each new id makes the others rebuild their connection to this person, so a page may do it
# a few times in a row and then about once every ten seconds.
NEW_PEERS_AT_ONCE = 3.0
NEW_PEER_EVERY_S = 10.0
JOINING_TOO_OFTEN = gettext_lazy(
    "Joining the call again so often; wait a few seconds and try again."
)


@dataclass(slots=True)
class InCall:
    """One person's place in the call: their page's peer id, devices and socket's channel."""

    peer: str
    channel: str
    mic: bool
    camera: bool


@dataclass(slots=True)
class CallMemory:
    """What one socket knows of its room's call, and its signaling budget.

    Every open socket holds one, in the call or not, so it is kept small (about 200
    bytes): the budget is made at the first call frame, the names are the state's own
    strings.
    """

    own: InCall | None = None
    others: dict[str, InCall] = field(default_factory=dict)
    # How the error words name partners a and b (from the last state this socket saw).
    names: tuple[str, str] = ("Partner A", "Partner B")
    budget: SignalBudget | None = None
    # The last `call.ice` this socket was given: asked again, the same credential comes
    # back until it nears its end, so a socket cannot mint TURN usernames by the thousand
    # (coturn's per-user quotas count usernames).
    ice: outgoing.CallIce | None = None
    new_peers: TokenBucket | None = None


class CallSocket(Protocol):
    """What the relay needs of a room socket (`sessions.live.consumer.RoomConsumer`)."""

    role: str | None
    channel_name: str
    call: CallMemory
    language: str  # what its person reads (`sessions.live.language`)
    room: RoomGroup | None

    async def _send(self, frame: outgoing.Frame) -> None: ...


def remember_names(memory: CallMemory, state: dict) -> None:
    """Keep how the partners are called, for `not_in_call`'s words ("Sam isn't ...")."""
    memory.names = (name_of(state, "a"), name_of(state, "b"))


def within_budget(memory: CallMemory, text: str) -> bool:
    """Whether this call frame's bytes fit the socket's signaling budget (and spend them)."""
    if memory.budget is None:
        memory.budget = SignalBudget()
    return memory.budget.take(len(text.encode("utf-8", "surrogatepass")), time.monotonic())


def _contained(handler: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """Run a call handler so that a failure is logged by its kind only, never its contents.

    The consumer logs a failed frame with its traceback; a call frame's SDP or
    candidates could ride along in an exception's message, so here only the
    exception's class is logged, and a frame is answered `server_error`.
    """

    @functools.wraps(handler)
    async def run(socket: CallSocket, item: Any) -> None:
        try:
            await handler(socket, item)
        except FrameError:
            raise
        except Exception as exc:
            log.error("call %s failed: %s", handler.__name__, type(exc).__name__)
            if not isinstance(item, dict):  # a frame, not a room message: answer it
                raise FrameError(outgoing.SERVER_ERROR_CODE, NOT_REACHED) from None

    return run


# --- frames from this socket's browser ------------------------------------------------------


@_contained
async def on_join(socket: CallSocket, frame: CallJoin) -> None:
    """Enter the call: the ICE servers to the browser, then this person to the room."""
    memory = socket.call
    if memory.own is None or memory.own.peer != frame.peer:
        if memory.new_peers is None:
            memory.new_peers = TokenBucket(1 / NEW_PEER_EVERY_S, NEW_PEERS_AT_ONCE)
        if not memory.new_peers.take(time.monotonic()):
            raise FrameError("rate_limited", JOINING_TOO_OFTEN)
    memory.own = InCall(frame.peer, socket.channel_name, frame.mic, frame.camera)
    await socket._send(current_ice(socket))
    await _tell(socket, _media_message(socket.role, memory.own, answer=False))


@_contained
async def on_media(socket: CallSocket, frame: CallMedia) -> None:
    own = _own(socket)
    own.mic, own.camera = frame.mic, frame.camera
    await _tell(socket, _media_message(socket.role, own, answer=False))


@_contained
async def on_hangup(socket: CallSocket, frame: object) -> None:
    """Leave the call; a hang-up from a socket not in it changes nothing (they race)."""
    own = socket.call.own
    if own is None:
        return
    socket.call.own = None
    await _tell(socket, _left_message(socket.role, own, "hangup"))


@_contained
async def on_ice(socket: CallSocket, frame: CallIceAsk) -> None:
    _own(socket)
    await socket._send(current_ice(socket))


@_contained
async def on_signal(socket: CallSocket, frame: CallSignal) -> None:
    """Relay an offer, answer or candidates to the one socket of `to` in the call."""
    own = _own(socket)
    if frame.to == socket.role:
        raise FrameError("bad_frame", "Field 'to' names you; a call.signal goes to someone else.")
    target = socket.call.others.get(frame.to)
    if target is None or target.peer != frame.peer:
        with translation.override(socket.language):
            absent = gettext("%(name)s isn't in the call right now.") % {
                "name": _name(socket.call, frame.to)
            }
        raise FrameError("not_in_call", absent)
    message = {
        "type": "call.signal",
        "from": socket.role,
        "peer": own.peer,
        "to_peer": target.peer,
        **frame.payload(),
    }
    if not await socket.room.send_to(target.channel, message):
        raise FrameError(outgoing.SERVER_ERROR_CODE, NOT_REACHED)


def _own(socket: CallSocket) -> InCall:
    if socket.call.own is None:
        raise FrameError("not_in_call", JOIN_FIRST)
    return socket.call.own


def _name(memory: CallMemory, role: str) -> str:
    return COUNSELOR if role == "host" else memory.names[role == "b"]


async def _tell(socket: CallSocket, message: dict) -> None:
    if not await socket.room.tell(message):
        raise FrameError(outgoing.SERVER_ERROR_CODE, NOT_REACHED)


def current_ice(socket: CallSocket) -> outgoing.CallIce:
    """This socket's ICE servers (`sessions.live.ice`): the last ones given while their
    TURN credential has more than a quarter of its time left, else fresh ones."""
    memory, now = socket.call, rooms.now_ms()
    given = memory.ice
    if given is not None and (given.expires is None or given.expires - now > _quarter_ttl_ms()):
        return given
    memory.ice = ice.ice_frame(socket.role, now)
    return memory.ice


def _quarter_ttl_ms() -> int:
    return settings.STAY["TURN_TTL_SECONDS"] * 1000 // 4


# --- the socket's arrival and departure --------------------------------------------------------


async def hello(socket: CallSocket) -> None:
    """Ask the room who is in the call; each answers this socket's channel with call.media."""
    await socket.room.tell({"type": "call.hello", "channel": socket.channel_name})


async def depart(socket: CallSocket) -> None:
    """The socket is closing: if its person was in the call, the room hears they are gone."""
    own = socket.call.own
    if own is None:
        return
    socket.call.own = None
    await socket.room.tell(_left_message(socket.role, own, "gone"))


# --- messages from the room --------------------------------------------------------------------


@_contained
async def heard_hello(socket: CallSocket, event: dict) -> None:
    own = socket.call.own
    if own is None or event["channel"] == socket.channel_name:
        return
    await socket.room.send_to(event["channel"], _media_message(socket.role, own, answer=True))


@_contained
async def heard_media(socket: CallSocket, event: dict) -> None:
    """Someone is in the call with these devices: remember them and tell the browser.

    Another socket of this socket's own role joining the call (a second tab or
    device, or this page back on a new socket) takes the call over: this socket is no
    longer in it, and its browser sees its own role with the new peer id and leaves.
    An answer to a hello never takes over: it tells of someone already in the call, and
    never replaces what a later join of that role (another socket) said.
    """
    if event["channel"] == socket.channel_name:
        return
    memory, role = socket.call, event["role"]
    who = InCall(event["peer"], event["channel"], event["mic"], event["camera"])
    known = memory.others.get(role)
    if event["answer"] and known is not None and known.channel != who.channel:
        # A late answer to this socket's hello, from a socket since replaced: what was heard
        # after connecting (a join) is newer than anything an answer can say.
        return
    if role == socket.role:
        if memory.own is not None and not event["answer"]:
            memory.own = None
    else:
        memory.others[role] = who
    await socket._send(outgoing.CallMedia(role=role, peer=who.peer, mic=who.mic, camera=who.camera))


@_contained
async def heard_left(socket: CallSocket, event: dict) -> None:
    """Someone left the call; a late word about a page or socket since replaced is dropped."""
    if event["channel"] == socket.channel_name:
        return
    role = event["role"]
    known = socket.call.others.get(role)
    if known is not None:
        if (known.peer, known.channel) != (event["peer"], event["channel"]):
            return
        del socket.call.others[role]
    await socket._send(outgoing.CallLeft(role=role, peer=event["peer"], reason=event["reason"]))


@_contained
async def heard_signal(socket: CallSocket, event: dict) -> None:
    """An offer, answer or candidates for this socket's page; dropped if the page changed."""
    own = socket.call.own
    if own is None or own.peer != event["to_peer"]:
        return
    await socket._send(
        outgoing.CallSignal(
            from_=event["from"],
            peer=event["peer"],
            description=event.get("description"),
            candidates=event.get("candidates"),
        )
    )


def _media_message(role: str, who: InCall, *, answer: bool) -> dict:
    return {
        "type": "call.media",
        "role": role,
        "peer": who.peer,
        "channel": who.channel,
        "mic": who.mic,
        "camera": who.camera,
        "answer": answer,
    }


def _left_message(role: str, who: InCall, reason: str) -> dict:
    return {
        "type": "call.left",
        "role": role,
        "peer": who.peer,
        "channel": who.channel,
        "reason": reason,
    }
