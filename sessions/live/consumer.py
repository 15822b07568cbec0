"""The room socket: one per open room page, speaking the protocol in docs/protocol.md.

The consumer is deliberately thin. It checks each frame against a schema
(`frames`), calls the store for what the frame asks (`store.connections`), and
answers with frames built in `outgoing`. It never decides anything about actions
(the engine does) and keeps no room state of its own beyond a little of the last
snapshot it saw, which it uses only to shape frames for its person and to know
when the next deadline is due. The database is the authority, so several server
processes can serve one room.

The call's frames (`call.*`) are wired here and handled in `call_relay`: they are
relayed between the room's sockets through the channel layer and never touch the
database.

Each socket speaks its own person's language (`language.socket_language`: the seat's
own, else the browser's), settled at connect: every state it sends is worded by
`view_for(state, role, words)` inside `translation.override`, and so is every error
message, so two partners of one room read the same moment in two languages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from django.utils import translation

from sessions import access, throttle
from sessions.engine import next_deadline, view_for
from sessions.engine.vocabulary import PARTNERS
from sessions.live import call_relay, dbcall, outgoing, ratelimit
from sessions.live.frames import (
    CALL_FRAME_TYPES,
    ActionFrame,
    FrameError,
    Sync,
    TimePing,
    loose_rid,
    parse,
)
from sessions.live.language import socket_language
from sessions.live.outgoing import Close
from sessions.live.socket_loop import SERVER_ERROR_MESSAGE, SocketLoop
from sessions.store import connections, leases, recent, rooms, seats
from sessions.store.connections import CaughtUp, QuickLook

log = logging.getLogger(__name__)

# Daphne loads the application (and with it this module) before it serves.
ratelimit.guard_daphne()

# A deadline that the engine still reports after a tick (nothing to do yet, or a
# clock a few ms apart between processes) is retried after this pause, not in a spin.
RETRY_DUE_MS = 250

# How a socket turned away at connect says why.
REFUSED = {
    access.Refusal.NO_SUCH_SESSION: Close.NOT_FOUND,
    access.Refusal.NO_SEAT: Close.NO_SEAT,
    access.Refusal.TOO_MANY_MISSES: Close.FLOODING,
    access.Refusal.ACCESS_ENDED: Close.ACCESS_ENDED,
}


class RoomConsumer(SocketLoop):
    """One person's live connection to one room.

    How it runs (a gate, a listener, one handler) is `SocketLoop`'s; what it says
    is here. Whatever ends it, its departure runs once: the lease dropped, the
    partner told.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role: str | None = None
        self.timer: asyncio.Task | None = None
        self.wake = asyncio.Event()
        self.departed = False
        # How the room showed this socket's seat changing hands (`connections.seat_mark`).
        self.seat_mark: tuple | None = None
        # This socket's place in the call and what it heard of the others (`call_relay`).
        self.call = call_relay.CallMemory()

    async def connect(self) -> None:
        self.code: str = self.scope["url_route"]["kwargs"]["code"]
        self.sent_version = -1
        # Of the last state seen, only what the socket needs between frames: its version,
        # its next step deadline, and how it shows each person (`leases.shown`). Not the
        # state itself: every open socket would hold a copy of its room's.
        self.seen_version: int | None = None
        self.state_due: int | None = None
        self.shown: tuple[bool | None, ...] = ()
        self.lease_due: int | None = None
        self.held_until: int | None = None
        self.language = socket_language(self.scope)  # the browser's, until the seat says
        # Accept first: a close before accept reaches a browser only as a bare 1006.
        await self.accept()
        found = await dbcall.run(
            access.for_socket,
            self.code,
            self.scope.get("session"),
            self.scope.get("user"),
            throttle.socket_address(self.scope),
        )
        if isinstance(found, access.Refusal):
            await self._close(REFUSED[found])
            return
        self.session_id, self.role, self.token = found.session_id, found.role, found.token
        if self.role in PARTNERS:
            chosen = await dbcall.run(seats.seat_language, self.session_id, self.role)
            self.language = socket_language(self.scope, chosen)
        await self.room.join(self.code)
        caught_up = await dbcall.run(
            connections.arrive, self.code, self.session_id, self.role, self.channel_name
        )
        self.held_until = caught_up.held_until
        for channel in caught_up.evicted:
            await self.room.evict(channel)
        await self._after_catching_up(caught_up, reply_version=-1)
        self.timer = asyncio.create_task(self._keep_time())
        await call_relay.hello(self)

    async def disconnect(self, code: int) -> None:
        await self._depart()

    async def _depart(self) -> None:
        """Leave the room once, whatever ended the socket: lease dropped, partner told."""
        if self.departed:
            return
        self.departed = True
        self.closing = True
        self.wake.set()
        if self.timer is not None:
            self.timer.cancel()
        if self.room is not None:
            self.room.stop()
        if self.role is None:
            return
        await call_relay.depart(self)
        await self.room.leave()
        try:
            left = await dbcall.run(
                connections.leave, self.code, self.session_id, self.channel_name
            )
        except rooms.SessionNotFound:
            return
        except Exception:  # the lease is gone or will lapse; the partner's timer catches up
            log.exception("leaving a room failed")
            return
        if left.changed:
            await self._broadcast(left.state)

    # --- frames in ---------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """One frame the gate let in (the budget was applied when it arrived)."""
        if self.closing or self.role is None:
            return
        try:
            frame = parse(text_data)
        except FrameError as exc:
            await self._error(exc.code, exc.message, loose_rid(text_data))
            return
        rid = getattr(frame, "rid", None)
        # A hang-up is never refused: leaving the call must always work, and it is tiny.
        if (
            frame.type in CALL_FRAME_TYPES
            and frame.type != "call.hangup"
            and not call_relay.within_budget(self.call, text_data)
        ):
            await self._error("rate_limited", call_relay.LIMITED)
            return
        try:
            await self.handlers[frame.type](self, frame)
        except FrameError as exc:
            await self._error(exc.code, exc.message, rid)
        except rooms.SessionNotFound:
            await self._close(Close.NOT_FOUND)
        except Exception:  # one failed frame must not take the person's connection with it
            log.exception("room frame %s failed", frame.type)
            await self._error(outgoing.SERVER_ERROR_CODE, SERVER_ERROR_MESSAGE, rid)

    async def on_ping(self, frame: TimePing) -> None:
        await self._send(outgoing.TimePong(t0=frame.t0, server=rooms.now_ms()))

    async def on_action(self, frame: ActionFrame) -> None:
        args = (self.code, self.role, frame.action, frame.engine_args(), frame.rid)
        # Without a rid a retried action could apply twice: such a frame is not retried.
        result = await dbcall.run(connections.submit_action, *args, retry=frame.rid is not None)
        if result.accepted:
            await self._send(outgoing.Ack(rid=frame.rid, version=result.version))
        else:
            await self._error(result.code, self._refusal_words(result), frame.rid)
        # Even a refused input can follow an overdue deadline the store applied first.
        if result.changed:
            # This socket's person sees the change at once, without the channel layer's
            # round trip (and whether or not the layer is up); the room copy is skipped.
            if result.state["version"] > self.sent_version:
                await self._send_state(result.state)
            await self._broadcast(result.state)

    async def on_sync(self, frame: Sync) -> None:
        # The database look is what makes the heartbeat repair a broadcast the channel
        # layer dropped: this socket's own idea of "current" would have missed it too.
        if self._nothing_due(frame.version, rooms.now_ms()):
            look = await dbcall.run(
                connections.quick_heartbeat,
                self.session_id,
                self.role,
                self.channel_name,
                self.held_until,
            )
            self.held_until = look.held_until
            if self._quiet(look):
                self._set_lease_due(look.leases.earliest_expiry)
                await self._send(outgoing.Ok())
                return
        caught_up = await dbcall.run(
            connections.heartbeat,
            self.code,
            self.session_id,
            self.role,
            self.channel_name,
            self.held_until,
        )
        self.held_until = caught_up.held_until
        await self._after_catching_up(caught_up, reply_version=frame.version)

    def _nothing_due(self, version: int, now: int) -> bool:
        """Whether, as far as this socket knows, a heartbeat has nothing to apply.

        Every open socket sends one every 10 s, so most must not catch the room up.
        That needs the client to have the last state this socket sent, and nothing of
        the room to be due: no step deadline of the last state and no lease in the
        room (as last seen) run out; the timer handles those.
        """
        if version != self.sent_version:
            return False
        due = self._next_due()
        return due is None or due > now

    def _quiet(self, look: QuickLook) -> bool:
        """Whether the database agrees: nothing newer, no lapsed lease, presence as shown."""
        return (
            look.version == self.sent_version
            and not look.leases.lapsed
            and self.seen_version is not None
            and not leases.disagrees(self.shown, look.leases.live)
        )

    def _set_lease_due(self, due: int | None) -> None:
        if due != self.lease_due:
            self.lease_due = due
            self.wake.set()

    handlers: dict[str, Callable[[RoomConsumer, object], Awaitable[None]]] = {
        "time.ping": on_ping,
        "action": on_action,
        "sync": on_sync,
        "call.join": call_relay.on_join,
        "call.media": call_relay.on_media,
        "call.hangup": call_relay.on_hangup,
        "call.ice": call_relay.on_ice,
        "call.signal": call_relay.on_signal,
    }

    # --- messages from the room group ------------------------------------------------

    async def room_state(self, event: dict) -> None:
        """A committed state from any process; shaped here for this socket's person."""
        state = event["state"]
        recent.remember_state(self.code, state)  # this process's next write skips a read
        if state["version"] <= self.sent_version:
            return
        await self._send_state(state)

    async def room_evict(self, event: dict) -> None:
        """A newer socket of the same seat pushed this one out (more than the cap were open)."""
        if not self.closing:
            await self._close(Close.TOO_MANY_TABS)

    async def room_revoke(self, event: dict) -> None:
        """A seat was released or taken over: a socket no longer holding it must go."""
        if event["seat"] != self.role or self.closing:
            return
        if not await dbcall.run(connections.still_seated, self.session_id, self.role, self.token):
            await self._close(Close.NO_SEAT)

    async def room_end_access(self, event: dict) -> None:
        """The couple's standing link was revoked or the couple deleted: partners go (4410).

        The host stays: the room is still hers, and a deleted couple's room closes 4404
        on its own once its row is gone.
        """
        if self.role in PARTNERS and not self.closing:
            await self._close(Close.ACCESS_ENDED)

    async def room_deleted(self, event: dict) -> None:
        """The room's row is gone (its couple deleted by their counselor): everyone goes."""
        if not self.closing:
            await self._close(Close.NOT_FOUND)

    # The call's room messages (`call_relay`): never stored, never logged.
    call_hello = call_relay.heard_hello
    call_media = call_relay.heard_media
    call_left = call_relay.heard_left
    call_signal = call_relay.heard_signal

    # --- deadlines -----------------------------------------------------------------------

    def _next_due(self) -> int | None:
        due = [moment for moment in (self.lease_due, self.state_due) if moment is not None]
        return min(due) if due else None

    async def _keep_time(self) -> None:
        """Sleep until the room's next deadline (or lease expiry), then catch the room up.

        Every consumer of the room does this, possibly in several processes; the
        engine makes a repeated `tick` a no-op, so the deadline fires once.
        """
        last_fired: int | None = None
        while not self.closing:
            try:
                last_fired = await self._next_moment(last_fired)
            except Exception:  # the timer must outlive any one failure; it tries again
                log.exception("a room's timer failed; trying again shortly")
                await asyncio.sleep(RETRY_DUE_MS / 1000)

    async def _next_moment(self, last_fired: int | None) -> int | None:
        """Wait for the next due moment and apply it; returns the moment last fired."""
        self.wake.clear()
        due = self._next_due()
        if due is not None and last_fired is not None and due <= last_fired:
            due = last_fired + RETRY_DUE_MS
        if due is None:
            await self.wake.wait()
            return last_fired
        delay = (due - rooms.now_ms()) / 1000
        if delay > 0:
            # A few ms late rather than early: the event loop's clock is not the wall's.
            # A timer handle, not `asyncio.wait_for`: that costs a second task per socket.
            alarm = asyncio.get_running_loop().call_later(delay + 0.005, self.wake.set)
            try:
                await self.wake.wait()
            finally:
                alarm.cancel()
            return last_fired  # re-armed by a newer state, or time to check `due` again
        try:
            caught_up = await dbcall.run(
                connections.catch_up, self.code, self.session_id, rooms.now_ms()
            )
        except rooms.SessionNotFound:
            await self._close(Close.NOT_FOUND)
            return due
        except Exception:  # a failed tick must not kill the timer; the next one retries
            log.exception("deadline tick failed in a room")
            return due
        self.lease_due = caught_up.lease_due
        if caught_up.changed:
            await self._broadcast(caught_up.state)
        return due

    # --- frames out ----------------------------------------------------------------------

    async def _after_catching_up(self, caught_up: CaughtUp, reply_version: int) -> None:
        self._set_lease_due(caught_up.lease_due)
        if reply_version < caught_up.state["version"]:
            await self._send_state(caught_up.state)
        else:
            self._remember(caught_up.state)
            await self._send(outgoing.Ok())
        if caught_up.changed:
            await self._broadcast(caught_up.state)

    def _remember(self, state: dict) -> None:
        if self.seen_version is None or state["version"] >= self.seen_version:
            self.seen_version = state["version"]
            self.state_due = next_deadline(state)
            self.shown = leases.shown(state)
            call_relay.remember_names(self.call, state)
            self.wake.set()

    async def _send_state(self, state: dict) -> None:
        if not await self._still_holds_seat(state):
            return
        self._remember(state)
        self.sent_version = max(self.sent_version, state["version"])
        with translation.override(self.language):
            view = view_for(state, self.role, translation)
        await self._send(
            outgoing.State(version=state["version"], server=rooms.now_ms(), state=view)
        )

    async def _still_holds_seat(self, state: dict) -> bool:
        """False (and the socket closed 4403) when the seat moved to another device."""
        mark = connections.seat_mark(state, self.role)
        if self.seat_mark is None or mark == self.seat_mark:
            self.seat_mark = mark
            return True
        self.seat_mark = mark
        if await dbcall.run(connections.still_seated, self.session_id, self.role, self.token):
            return True
        await self._close(Close.NO_SEAT)
        return False

    async def _broadcast(self, state: dict) -> None:
        """Send a committed state to the room; if the layer fails, this socket's own person
        gets it at once and the room gets it when the layer is back (or at its next sync).

        The change is committed either way: an `ack` already sent stands.
        """
        if await self.room.broadcast(state):
            return
        if not self.closing and state["version"] > self.sent_version:
            await self._send_state(state)

    def _refusal_words(self, result: rooms.StoreResult) -> str:
        """The engine's refusal in this socket's person's language (names as typed)."""
        if result.refusal is None:
            return result.message or ""
        with translation.override(self.language):
            return result.refusal.worded(translation)

    async def _close(self, code: int) -> None:
        self.closing = True
        self.wake.set()
        await self.close(code)
