"""The room socket: one per open room page, speaking the protocol in docs/protocol.md.

The consumer is deliberately thin. It checks each frame against a schema, hands
engine inputs to the store, and relays the committed state to the room. It
never decides anything about actions (the engine does) and keeps no room state
of its own beyond the last snapshot it saw, which it uses only to shape frames
for its person and to know when the next deadline is due. The database is the
authority, so several server processes can serve one room.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

from sessions import dbcall, presence, recent, services, store
from sessions.engine import next_deadline, view_for
from sessions.frames import ActionFrame, FrameError, Sync, TimePing, loose_rid, parse
from sessions.ratelimit import FrameBudget, Verdict
from sessions.views_join import find_session, role_for, seat_token

log = logging.getLogger(__name__)

# Close codes (documented in docs/protocol.md).
CLOSE_NOT_FOUND = 4404
CLOSE_NO_SEAT = 4403
CLOSE_FLOODING = 4429

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


# --- Database work: one synchronous function per input, no transaction held open ---


def resolve_access(code: str, django_session, user) -> Access | None:
    session = find_session(code)
    if session is None:
        return None
    token = seat_token(django_session, code)
    return Access(session.pk, role_for(session, django_session, user), token)


def settle(code: str, session_id: int, now: int) -> Settled:
    """Apply whatever is overdue: lapsed leases (presence) and due deadlines (tick).

    Runs on every heartbeat of every socket, so it reads the leases and the row
    once each and writes only when something is due; a `tick` is submitted only
    when the engine says one would change something (`next_deadline`).
    """
    leases = presence.survey(session_id, now)
    state, changed = presence.reconcile(code, store.load_state(code), leases.live)
    deadline = next_deadline(state)
    if deadline is not None and deadline <= now:
        result = store.submit(code, "server", "tick", {})
        if result.accepted:
            state = result.state
            changed = changed or result.changed
    return Settled(state, changed, leases.earliest_expiry)


def submit_action(
    code: str, role: str, action: str, args: dict, rid: str | None
) -> store.StoreResult:
    """Run a person's input; a repeated rid comes back with the version it produced first."""
    return store.submit(code, role, action, args, rid=rid)


def arrive(code: str, session_id: int, role: str, channel: str) -> Settled:
    held_until = presence.hold(session_id, role, channel, presence.now_ms())
    return replace(settle(code, session_id, presence.now_ms()), held_until=held_until)


def beat(code: str, session_id: int, role: str, channel: str, held_until: int | None) -> Settled:
    """A heartbeat that has work to do: renew the lease if it is half gone, then settle.

    The consumer answers a heartbeat with nothing to do without calling this at all;
    when it does call, a lease with more than half left is not written again.
    """
    now = presence.now_ms()
    if presence.needs_renewal(held_until, now):
        held_until = presence.hold(session_id, role, channel, now)
    return replace(settle(code, session_id, now), held_until=held_until)


@dataclass(frozen=True)
class Pulse:
    """A quiet heartbeat's one look at the room: its version and leases, nothing applied."""

    version: int | None
    leases: presence.Leases
    held_until: int | None


def pulse(session_id: int, role: str, channel: str, held_until: int | None) -> Pulse:
    """A heartbeat expected to have nothing to do: renew the lease if half gone, then look.

    Most heartbeats of most sockets end here: one read (plus, every other beat, the
    lease's UPDATE). The consumer falls back to `beat` when the look shows work.
    """
    now = presence.now_ms()
    if presence.needs_renewal(held_until, now):
        held_until = presence.hold(session_id, role, channel, now)
    version, leases = presence.glance(session_id, now)
    return Pulse(version, leases, held_until)


def leave(code: str, session_id: int, channel: str) -> Settled:
    presence.drop(channel)
    return settle(code, session_id, presence.now_ms())


def still_seated(session_id: int, role: str, token: str | None) -> bool:
    """Whether this socket's token still holds `role` (one query; seats go with their session)."""
    return services.seat_for_token(session_id, token) == role


# --- The consumer --------------------------------------------------------------------


class RoomConsumer(AsyncWebsocketConsumer):
    """One person's live connection to one room."""

    async def connect(self) -> None:
        self.code: str = self.scope["url_route"]["kwargs"]["code"]
        self.role: str | None = None
        self.group = ""
        self.budget = FrameBudget()
        self.sent_version = -1
        # Of the last state seen, only what the socket needs between frames: its version,
        # its next step deadline, and how it shows each of presence.ROLES (None: nobody).
        # Not the state itself: a room's state is a few KB, and 2,000 sockets held one each.
        self.seen_version: int | None = None
        self.state_due: int | None = None
        self.shown: tuple[bool | None, ...] = ()
        self.lease_due: int | None = None
        self.held_until: int | None = None
        self.timer: asyncio.Task | None = None
        self.wake = asyncio.Event()
        self.closing = False
        # Accept first: a close before accept reaches a browser only as a bare 1006.
        await self.accept()
        access = await dbcall.run(
            resolve_access, self.code, self.scope.get("session"), self.scope.get("user")
        )
        if access is None:
            await self._close(CLOSE_NOT_FOUND)
            return
        if access.role is None:
            await self._close(CLOSE_NO_SEAT)
            return
        self.session_id, self.role, self.token = access.session_id, access.role, access.token
        self.group = f"room.{self.code}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        settled = await dbcall.run(arrive, self.code, self.session_id, self.role, self.channel_name)
        self.held_until = settled.held_until
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
        if self.timer is not None:
            self.timer.cancel()
        if self.role is None:
            return
        await self.channel_layer.group_discard(self.group, self.channel_name)
        try:
            settled = await dbcall.run(leave, self.code, self.session_id, self.channel_name)
        except store.SessionNotFound:
            return
        except Exception:  # the lease is gone or will lapse; the partner's timer catches up
            log.exception("leaving a room failed")
            return
        if settled.changed:
            await self._broadcast(settled.state)

    # --- frames in ---------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.closing or self.role is None:
            return
        verdict = self.budget.take(time.monotonic())
        if verdict is Verdict.CUT_OFF:
            await self._close(CLOSE_FLOODING)
            return
        if verdict is Verdict.LIMITED:
            await self._error("rate_limited", "Too many frames; slow down and try again.")
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
        except store.SessionNotFound:
            await self._close(CLOSE_NOT_FOUND)
        except Exception:  # one failed frame must not take the person's connection with it
            log.exception("room frame %s failed", frame.type)
            await self._error("server_error", "Something went wrong on our side; try again.", rid)

    async def on_ping(self, frame: TimePing) -> None:
        await self._send({"type": "time.pong", "t0": frame.t0, "server": presence.now_ms()})

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
            await self._broadcast(result.state)

    async def on_sync(self, frame: Sync) -> None:
        # The database look is what makes the heartbeat repair a broadcast the channel
        # layer dropped: this socket's own idea of "current" would have missed it too.
        if self._nothing_due(frame.version, presence.now_ms()):
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
            and not presence.disagrees(self.shown, look.leases.live)
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
            self.wake.clear()
            due = self._next_due()
            if due is not None and last_fired is not None and due <= last_fired:
                due = last_fired + RETRY_DUE_MS
            if due is None:
                await self.wake.wait()
                continue
            delay = (due - presence.now_ms()) / 1000
            if delay > 0:
                # A few ms late rather than early: the event loop's clock is not the wall's.
                # A timer handle, not `asyncio.wait_for`: that costs a second task per socket.
                alarm = asyncio.get_running_loop().call_later(delay + 0.005, self.wake.set)
                try:
                    await self.wake.wait()
                finally:
                    alarm.cancel()
                continue  # re-armed by a newer state, or time to check `due` again
            last_fired = due
            try:
                settled = await dbcall.run(settle, self.code, self.session_id, presence.now_ms())
            except store.SessionNotFound:
                await self._close(CLOSE_NOT_FOUND)
                return
            except Exception:  # a failed tick must not kill the timer; the next one retries
                log.exception("deadline tick failed in a room")
                continue
            self.lease_due = settled.lease_due
            if settled.changed:
                await self._broadcast(settled.state)

    # --- frames out ----------------------------------------------------------------------

    async def _after_settle(self, settled: Settled, reply_version: int) -> None:
        self._set_lease_due(settled.lease_due)
        if settled.changed:
            await self._broadcast(settled.state)
        if reply_version < settled.state["version"]:
            await self._send_state(settled.state)
        else:
            self._remember(settled.state)
            await self._send({"type": "ok"})

    def _remember(self, state: dict) -> None:
        if self.seen_version is None or state["version"] >= self.seen_version:
            self.seen_version = state["version"]
            self.state_due = next_deadline(state)
            self.shown = presence.shown(state)
            self.wake.set()

    async def _send_state(self, state: dict) -> None:
        self._remember(state)
        self.sent_version = max(self.sent_version, state["version"])
        await self._send(
            {
                "type": "state",
                "version": state["version"],
                "server": presence.now_ms(),
                "state": view_for(state, self.role),
            }
        )

    async def _broadcast(self, state: dict) -> None:
        await self.channel_layer.group_send(self.group, {"type": "room.state", "state": state})

    async def _error(self, code: str, message: str, rid: str | None = None) -> None:
        await self._send({"type": "error", "code": code, "message": message, "rid": rid})

    async def _send(self, content: dict) -> None:
        if not self.closing:
            await self.send(text_data=json.dumps(content, separators=(",", ":")))

    async def _close(self, code: int) -> None:
        self.closing = True
        self.wake.set()
        await self.close(code)
