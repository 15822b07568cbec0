"""The room socket: one per open room page, speaking the protocol in docs/protocol.md.

The consumer is deliberately thin. It checks each frame against a schema, hands
engine inputs to the rooms, and relays the committed state to the room. It
never decides anything about actions (the engine does) and keeps no room state
of its own beyond the last snapshot it saw, which it uses only to shape frames
for its person and to know when the next deadline is due. The database is the
authority, so several server processes can serve one room.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer

from sessions import throttle
from sessions.access import find_session, role_for, seat_token
from sessions.engine import next_deadline, view_for
from sessions.live import dbcall, ratelimit
from sessions.live.frames import ActionFrame, FrameError, Sync, TimePing, loose_rid, parse
from sessions.live.ratelimit import FrameBudget, Verdict
from sessions.store import leases, recent, rooms, seats

log = logging.getLogger(__name__)

# Daphne loads the application (and with it this module) before it serves.
ratelimit.guard_daphne()

# Close codes (documented in docs/protocol.md).
CLOSE_NOT_FOUND = 4404
CLOSE_NO_SEAT = 4403
CLOSE_FLOODING = 4429
# This seat's socket was the oldest of more than leases.SOCKETS_PER_SEAT.
CLOSE_TOO_MANY_TABS = 4409
# Something failed on the server while opening the socket: reconnect with backoff.
CLOSE_SERVER_ERROR = 1011
# The channel layer (Redis) cannot be reached just now: reconnect with backoff.
CLOSE_TRY_AGAIN = 1013

# Frames the budget let in that may wait for the handler (which awaits the database).
# Past it a frame is refused `busy`: the budget bounds a client, this bounds a slow server.
MAX_WAITING_FRAMES = 64

# A channel layer call (Redis) that takes longer than this is given up as failed.
LAYER_TIMEOUT_S = 2.0
# While the layer is down, a socket retries what it could not do this often (then less).
LAYER_RETRY_S = (0.25, 0.5, 1.0, 2.0)

# A deadline that the engine still reports after a tick (nothing to do yet, or a
# clock a few ms apart between processes) is retried after this pause, not in a spin.
RETRY_DUE_MS = 250


@dataclass(frozen=True)
class Access:
    """Who a socket speaks for, settled once at connect; the token re-checks a revoke."""

    session_id: int
    role: str | None
    token: str | None


@dataclass(frozen=True)
class Settled:
    """The room after overdue work was applied: the newest state and the next lease expiry.

    `held_until` is when this socket's own lease lapses, when the call took or renewed it.
    """

    state: dict
    changed: bool
    lease_due: int | None
    held_until: int | None = None
    # On arrival: the channels of this seat's older sockets pushed out past the cap.
    evicted: tuple[str, ...] = ()


# --- Database work: one synchronous function per input, no transaction held open ---


def resolve_access(code: str, django_session, user, address: str) -> Access | int:
    """Who this socket speaks for, or the close code that turns it away.

    A socket that finds no place counts against its address's join attempts, as a join
    link that leads nowhere does, so the socket is no way around guessing at codes.
    """
    session = find_session(code)
    if session is not None:
        role = role_for(session, django_session, user)
        if role is not None:
            return Access(session.pk, role, seat_token(django_session, code))
    if not throttle.count_join_miss(address):
        return CLOSE_FLOODING
    return CLOSE_NOT_FOUND if session is None else CLOSE_NO_SEAT


def settle(code: str, session_id: int, now: int) -> Settled:
    """Apply whatever is overdue: lapsed leases (leases) and due deadlines (tick).

    Runs on every heartbeat of every socket, so it reads the leases and the row
    once each and writes only when something is due; a `tick` is submitted only
    when the engine says one would change something (`next_deadline`).
    """
    found = leases.survey(session_id, now)
    state, changed = leases.reconcile(code, rooms.load_state(code), found.live)
    deadline = next_deadline(state)
    if deadline is not None and deadline <= now:
        result = rooms.submit(code, "server", "tick", {})
        if result.accepted:
            state = result.state
            changed = changed or result.changed
    return Settled(state, changed, found.earliest_expiry)


def submit_action(
    code: str, role: str, action: str, args: dict, rid: str | None
) -> rooms.StoreResult:
    """Run a person's input; a repeated rid comes back with the version it produced first."""
    return rooms.submit(code, role, action, args, rid=rid)


def arrive(code: str, session_id: int, role: str, channel: str) -> Settled:
    """Take this socket's lease, push out the seat's oldest sockets past the cap, settle."""
    now = leases.now_ms()
    held_until = leases.hold(session_id, role, channel, now)
    evicted = tuple(leases.evict_oldest(session_id, role, channel, now))
    settled = settle(code, session_id, leases.now_ms())
    return replace(settled, held_until=held_until, evicted=evicted)


def beat(code: str, session_id: int, role: str, channel: str, held_until: int | None) -> Settled:
    """A heartbeat that has work to do: renew the lease if it is half gone, then settle.

    The consumer answers a heartbeat with nothing to do without calling this at all;
    when it does call, a lease with more than half left is not written again.
    """
    now = leases.now_ms()
    if leases.needs_renewal(held_until, now):
        held_until = leases.hold(session_id, role, channel, now)
    return replace(settle(code, session_id, now), held_until=held_until)


@dataclass(frozen=True)
class Pulse:
    """A quiet heartbeat's one look at the room: its version and leases, nothing applied."""

    version: int | None
    leases: leases.Leases
    held_until: int | None


def pulse(session_id: int, role: str, channel: str, held_until: int | None) -> Pulse:
    """A heartbeat expected to have nothing to do: renew the lease if half gone, then look.

    Most heartbeats of most sockets end here: one read (plus, every other beat, the
    lease's UPDATE). The consumer falls back to `beat` when the look shows work.
    """
    now = leases.now_ms()
    if leases.needs_renewal(held_until, now):
        held_until = leases.hold(session_id, role, channel, now)
    version, found = leases.glance(session_id, now)
    return Pulse(version, found, held_until)


def leave(code: str, session_id: int, channel: str) -> Settled:
    leases.drop(channel)
    return settle(code, session_id, leases.now_ms())


def seat_mark(state: dict, role: str) -> tuple | None:
    """What changes in the room's state whenever `role`'s seat changes hands.

    A take-over counts `rejoins`; a release and a new claim toggle `claimed`. A socket
    that sees its seat's mark change re-checks its claim, so it does not depend on the
    `room.revoke` message alone (a message the channel layer may lose, e.g. while Redis
    is down): the new state reaches it by broadcast or by its next `sync` repair.
    """
    seat = state["seats"].get(role)
    return None if seat is None else (seat["claimed"], seat.get("rejoins", 0))


def still_seated(session_id: int, role: str, token: str | None) -> bool:
    """Whether this socket's token still holds `role` (one query; seats go with their session)."""
    return seats.seat_for_token(session_id, token) == role


# --- The consumer --------------------------------------------------------------------


class RoomConsumer(AsyncWebsocketConsumer):
    """One person's live connection to one room.

    A socket runs as three parts (see `__call__`): a gate that takes every frame
    off the server's queue the moment it arrives and applies the frame budget to
    it, a listener for the room's broadcasts, and one handler that works through
    what the other two let in, one message at a time. Whatever goes wrong in a
    message, the person's socket either carries on (answered `server_error`) or
    is closed with its disconnect path run: the lease dropped, the partner told.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role: str | None = None
        self.group = ""
        self.budget = FrameBudget()
        self.closing = False
        self.timer: asyncio.Task | None = None
        self.wake = asyncio.Event()
        # What the gate and the listener let in, for the handler, in arrival order. A list:
        # it holds one message or none almost always, and an empty deque costs 0.6 KB.
        self.inbox: list[dict] = []
        self.inbox_ready: asyncio.Future | None = None
        self.waiting_frames = 0
        self.departed = False
        # Channel layer work that failed (Redis down), retried by `_mend`.
        self.unsubscribed = False
        self.unsent: dict | None = None
        self.mender: asyncio.Task | None = None
        # How the room showed this socket's seat changing hands (see `seat_mark`).
        self.seat_mark: tuple | None = None

    async def __call__(self, scope, receive, send) -> None:
        """Run the socket: gate and listener as tasks, the handler in this one.

        Replaces Channels' loop, which reads the next frame only when the previous
        one has been handled: a flood then waited in the server's unbounded queue,
        and the budget saw frames as they were handled, seconds after they came.
        """
        self.scope = scope
        self.base_send = send
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        try:
            self.channel_name = await asyncio.wait_for(
                self.channel_layer.new_channel(), LAYER_TIMEOUT_S
            )
        except Exception:
            log.warning("the channel layer is unreachable; refusing a socket for now")
            await self._refuse(receive, CLOSE_TRY_AGAIN)
            return
        helpers = [asyncio.create_task(self._gate(receive)), asyncio.create_task(self._listen())]
        try:
            await self._handle()
        finally:
            for task in helpers:
                task.cancel()
            await self._depart()

    async def _refuse(self, receive, code: int) -> None:
        """Accept and close at once (a close before accept reaches a browser as a bare 1006)."""
        if (await receive())["type"] == "websocket.connect":
            await self.accept()
            await self.close(code)

    # --- the gate: every frame as it arrives ---------------------------------------------

    async def _gate(self, receive) -> None:
        """Take each message off the server's queue at once; frames pass the budget here.

        Taking a message that is already queued does not wait, so a burst is worked
        through in one go at a few microseconds a frame; only frames within the
        budget reach the handler. A socket over it is closed on the spot, and
        whatever the server still reads from it until the close completes is dropped.
        """
        while True:
            message = await receive()
            if message["type"] != "websocket.receive":
                self._post(message)
                if message["type"] == "websocket.disconnect":
                    return
                continue
            try:
                await self._admit(message)
            except Exception:  # the gate must not die quietly: the socket goes, properly
                log.exception("a room socket's gate failed; closing the socket")
                with contextlib.suppress(Exception):
                    await self._close(CLOSE_SERVER_ERROR)
                self._post({"type": "websocket.disconnect", "code": CLOSE_SERVER_ERROR})
                return

    async def _admit(self, message: dict) -> None:
        if self.closing:
            return
        verdict = self.budget.take(time.monotonic())
        if verdict is Verdict.ALLOW:
            if self.waiting_frames >= MAX_WAITING_FRAMES:
                rid = loose_rid(message.get("text"))
                await self._error("busy", "We're catching up; send that again in a moment.", rid)
                return
            self.waiting_frames += 1
            self._post(message)
        elif verdict is Verdict.LIMITED:
            await self._error("rate_limited", "Too many frames; slow down and try again.")
        else:
            # Frames still waiting are the flood's too: none of them is handled.
            self.inbox = [m for m in self.inbox if m["type"] != "websocket.receive"]
            self.waiting_frames = 0
            await self._close(CLOSE_FLOODING)

    async def _listen(self) -> None:
        """Bring the room's broadcasts to the handler; a failing layer is waited out."""
        failures = 0
        while True:
            try:
                message = await self.channel_layer.receive(self.channel_name)
            except Exception:
                (log.debug if failures else log.warning)(
                    "channel layer receive failed; trying again", exc_info=True
                )
                await asyncio.sleep(LAYER_RETRY_S[min(failures, len(LAYER_RETRY_S) - 1)])
                failures += 1
                continue
            failures = 0
            self._post(message)

    def _post(self, message: dict) -> None:
        self.inbox.append(message)
        if self.inbox_ready is not None and not self.inbox_ready.done():
            self.inbox_ready.set_result(None)

    # --- the handler: one message at a time -------------------------------------------------

    async def _handle(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self.inbox:
                self.inbox_ready = loop.create_future()
                await self.inbox_ready
                continue
            message = self.inbox.pop(0)
            if message["type"] == "websocket.receive":
                self.waiting_frames -= 1
            try:
                await self.dispatch(message)
            except StopConsumer:
                return
            except Exception:
                if not await self._survive(message):
                    return

    async def _survive(self, message: dict) -> bool:
        """After an unexpected exception in `message`: answer it, or close. Carry on?

        A frame is answered `server_error` (with its rid) and the socket stays; a
        broadcast is skipped (the next `sync` repairs it); a failed connect closes
        the socket with 1011; in every case that ends the socket, `_depart` runs.
        """
        kind = message["type"]
        log.exception("room socket failed on %s", kind)
        try:
            if kind == "websocket.receive":
                rid = loose_rid(message.get("text"))
                await self._error(
                    "server_error", "Something went wrong on our side; try again.", rid
                )
                return True
            if kind == "websocket.connect":
                await self._depart()  # first: a client that sees the close finds the room told
                await self._close(CLOSE_SERVER_ERROR)
                return True  # the disconnect still comes, and ends the loop
            return kind != "websocket.disconnect"
        except Exception:
            log.exception("answering a failure on a room socket failed too")
            return False

    async def connect(self) -> None:
        self.code: str = self.scope["url_route"]["kwargs"]["code"]
        self.sent_version = -1
        # Of the last state seen, only what the socket needs between frames: its version,
        # its next step deadline, and how it shows each of leases.ROLES (None: nobody).
        # Not the state itself: a room's state is a few KB, and 2,000 sockets held one each.
        self.seen_version: int | None = None
        self.state_due: int | None = None
        self.shown: tuple[bool | None, ...] = ()
        self.lease_due: int | None = None
        self.held_until: int | None = None
        # Accept first: a close before accept reaches a browser only as a bare 1006.
        await self.accept()
        access = await dbcall.run(
            resolve_access,
            self.code,
            self.scope.get("session"),
            self.scope.get("user"),
            throttle.socket_address(self.scope),
        )
        if not isinstance(access, Access):
            await self._close(access)
            return
        self.session_id, self.role, self.token = access.session_id, access.role, access.token
        self.group = f"room.{self.code}"
        await self._join_group()
        settled = await dbcall.run(arrive, self.code, self.session_id, self.role, self.channel_name)
        self.held_until = settled.held_until
        for channel in settled.evicted:
            await self._layer(
                "evicting an older socket", self.channel_layer.send, channel, {"type": "room.evict"}
            )
        await self._after_settle(settled, reply_version=-1)
        self.timer = asyncio.create_task(self._keep_time())

    async def dispatch(self, message: dict) -> None:
        """Route a message to its handler, without Channels' per-message thread hop.

        Channels' own `dispatch` first runs `close_old_connections` on the database
        thread for every message, so each frame and each broadcast delivery queued
        behind the whole process's database work (about 12 % of the server's CPU
        at 1,000 rooms). Every database call here goes through `dbcall.run`, which
        already closes stale connections on that thread, before and after.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code: int) -> None:
        await self._depart()

    async def _depart(self) -> None:
        """Leave the room once, whatever ended the socket: lease dropped, partner told."""
        if self.departed:
            return
        self.departed = True
        self.closing = True
        self.wake.set()
        for task in (self.timer, self.mender):
            if task is not None:
                task.cancel()
        if self.role is None:
            return
        await self._layer(
            "leaving the room group",
            self.channel_layer.group_discard,
            self.group,
            self.channel_name,
        )
        try:
            settled = await dbcall.run(leave, self.code, self.session_id, self.channel_name)
        except rooms.SessionNotFound:
            return
        except Exception:  # the lease is gone or will lapse; the partner's timer catches up
            log.exception("leaving a room failed")
            return
        if settled.changed:
            await self._broadcast(settled.state)

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
        try:
            await self.handlers[frame.type](self, frame)
        except FrameError as exc:
            await self._error(exc.code, exc.message, rid)
        except rooms.SessionNotFound:
            await self._close(CLOSE_NOT_FOUND)
        except Exception:  # one failed frame must not take the person's connection with it
            log.exception("room frame %s failed", frame.type)
            await self._error("server_error", "Something went wrong on our side; try again.", rid)

    async def on_ping(self, frame: TimePing) -> None:
        await self._send({"type": "time.pong", "t0": frame.t0, "server": leases.now_ms()})

    async def on_action(self, frame: ActionFrame) -> None:
        args = (self.code, self.role, frame.action, frame.engine_args(), frame.rid)
        # Without a rid a retried action could apply twice: such a frame is not retried.
        result = await dbcall.run(submit_action, *args, retry=frame.rid is not None)
        if result.accepted:
            await self._send({"type": "ack", "rid": frame.rid, "version": result.version})
        else:
            await self._error(result.code, result.message, frame.rid)
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
        if self._nothing_due(frame.version, leases.now_ms()):
            look = await dbcall.run(
                pulse, self.session_id, self.role, self.channel_name, self.held_until
            )
            self.held_until = look.held_until
            if self._quiet(look):
                self._set_lease_due(look.leases.earliest_expiry)
                await self._send({"type": "ok"})
                return
        settled = await dbcall.run(
            beat, self.code, self.session_id, self.role, self.channel_name, self.held_until
        )
        self.held_until = settled.held_until
        await self._after_settle(settled, reply_version=frame.version)

    def _nothing_due(self, version: int, now: int) -> bool:
        """Whether, as far as this socket knows, a heartbeat has nothing to apply.

        Every open socket sends one every 10 s, so most must not settle the room.
        That needs the client to have the last state this socket sent, and nothing of
        the room to be due: no step deadline of the last state and no lease in the
        room (as last seen) run out; the timer handles those.
        """
        if version != self.sent_version:
            return False
        due = self._next_due()
        return due is None or due > now

    def _quiet(self, look: Pulse) -> bool:
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
    }

    # --- messages from the room group ------------------------------------------------

    async def room_state(self, event: dict) -> None:
        """A committed state from any process; shaped here for this socket's person."""
        state = event["state"]
        recent.follow(self.code, state)  # this process's next write to the room skips a read
        if state["version"] <= self.sent_version:
            return
        await self._send_state(state)

    async def room_evict(self, event: dict) -> None:
        """A newer socket of the same seat pushed this one out (more than the cap were open)."""
        if not self.closing:
            await self._close(CLOSE_TOO_MANY_TABS)

    async def room_revoke(self, event: dict) -> None:
        """A seat was released or taken over: a socket no longer holding it must go."""
        if event["seat"] != self.role or self.closing:
            return
        if not await dbcall.run(still_seated, self.session_id, self.role, self.token):
            await self._close(CLOSE_NO_SEAT)

    # --- deadlines -----------------------------------------------------------------------

    def _next_due(self) -> int | None:
        due = [moment for moment in (self.lease_due, self.state_due) if moment is not None]
        return min(due) if due else None

    async def _keep_time(self) -> None:
        """Sleep until the room's next deadline (or lease expiry), then settle the room.

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
        delay = (due - leases.now_ms()) / 1000
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
            settled = await dbcall.run(settle, self.code, self.session_id, leases.now_ms())
        except rooms.SessionNotFound:
            await self._close(CLOSE_NOT_FOUND)
            return due
        except Exception:  # a failed tick must not kill the timer; the next one retries
            log.exception("deadline tick failed in a room")
            return due
        self.lease_due = settled.lease_due
        if settled.changed:
            await self._broadcast(settled.state)
        return due

    # --- frames out ----------------------------------------------------------------------

    async def _after_settle(self, settled: Settled, reply_version: int) -> None:
        self._set_lease_due(settled.lease_due)
        if reply_version < settled.state["version"]:
            await self._send_state(settled.state)
        else:
            self._remember(settled.state)
            await self._send({"type": "ok"})
        if settled.changed:
            await self._broadcast(settled.state)

    def _remember(self, state: dict) -> None:
        if self.seen_version is None or state["version"] >= self.seen_version:
            self.seen_version = state["version"]
            self.state_due = next_deadline(state)
            self.shown = leases.shown(state)
            self.wake.set()

    async def _send_state(self, state: dict) -> None:
        if not await self._still_holds_seat(state):
            return
        self._remember(state)
        self.sent_version = max(self.sent_version, state["version"])
        await self._send(
            {
                "type": "state",
                "version": state["version"],
                "server": leases.now_ms(),
                "state": view_for(state, self.role),
            }
        )

    async def _still_holds_seat(self, state: dict) -> bool:
        """False (and the socket closed 4403) when the seat moved to another device."""
        mark = seat_mark(state, self.role)
        if self.seat_mark is None or mark == self.seat_mark:
            self.seat_mark = mark
            return True
        self.seat_mark = mark
        if await dbcall.run(still_seated, self.session_id, self.role, self.token):
            return True
        await self._close(CLOSE_NO_SEAT)
        return False

    async def _broadcast(self, state: dict) -> None:
        """Send a committed state to the room; if the layer fails, this socket's own person
        gets it at once and the room gets it when the layer is back (or at its next sync).

        The change is committed either way: an `ack` already sent stands.
        """
        message = {"type": "room.state", "state": state}
        layer_down = self.mender is not None and not self.mender.done()
        # While the layer is known to be down, the state goes straight to the mender:
        # waiting out a failing call on every tap would hold up this person's next frame.
        if not layer_down and await self._layer(
            "broadcasting a state", self.channel_layer.group_send, self.group, message
        ):
            return
        if self.unsent is None or state["version"] > self.unsent["version"]:
            self.unsent = state
        if not self.closing and state["version"] > self.sent_version:
            await self._send_state(state)
        self._start_mending()

    async def _join_group(self) -> None:
        if not await self._layer(
            "joining the room group", self.channel_layer.group_add, self.group, self.channel_name
        ):
            self.unsubscribed = True
            self._start_mending()

    async def _layer(self, what: str, call, *args, retry: bool = False) -> bool:
        """One channel layer call, bounded in time; False (logged) when it failed.

        A retry's failure is logged at debug level: during an outage every socket that
        acted retries every few seconds, and the first failure was already logged.
        """
        try:
            await asyncio.wait_for(call(*args), LAYER_TIMEOUT_S)
        except Exception as exc:
            (log.debug if retry else log.warning)("channel layer failed %s: %r", what, exc)
            return False
        return True

    def _start_mending(self) -> None:
        if not self.closing and (self.mender is None or self.mender.done()):
            self.mender = asyncio.create_task(self._mend())

    async def _mend(self) -> None:
        """While the layer is down: join the room group and send the newest unsent state.

        Only sockets that saw the layer fail run this, only until it works again; of
        the states it was handed, only the newest is sent.
        """
        failures = 0
        while not self.closing and (self.unsubscribed or self.unsent is not None):
            await asyncio.sleep(LAYER_RETRY_S[min(failures, len(LAYER_RETRY_S) - 1)])
            failures += 1
            if self.unsubscribed:
                joined = await self._layer(
                    "joining the room group",
                    self.channel_layer.group_add,
                    self.group,
                    self.channel_name,
                    retry=True,
                )
                self.unsubscribed = not joined
                if not joined:
                    continue
            state = self.unsent
            if state is None:
                continue
            message = {"type": "room.state", "state": state}
            sent = await self._layer(
                "broadcasting a state again",
                self.channel_layer.group_send,
                self.group,
                message,
                retry=True,
            )
            if sent and self.unsent is state:
                self.unsent = None

    async def _error(self, code: str, message: str, rid: str | None = None) -> None:
        await self._send({"type": "error", "code": code, "message": message, "rid": rid})

    async def _send(self, content: dict) -> None:
        if not self.closing:
            await self.send(text_data=json.dumps(content, separators=(",", ":")))

    async def _close(self, code: int) -> None:
        self.closing = True
        self.wake.set()
        await self.close(code)
