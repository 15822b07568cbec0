"""What an open socket does to a room: arriving, acting, heartbeats, leaving.

One synchronous function per thing a socket does, each holding no transaction
across its statements, so the socket (``sessions.live``) only checks frames, calls
one of these on the database thread and answers. Each is safe to run twice (a
dropped connection is retried): leases are renewed or re-created, a repeated
`tick` or `presence` is a no-op in the engine, and an action's rid makes its
retry harmless.

Every open socket sends a heartbeat every few seconds, so the heartbeat has two
forms: `quick_heartbeat`, for the common case where nothing is due, reads one row
and writes nothing unless the lease needs renewing; `heartbeat` catches the room
up when the quick look shows work.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sessions.engine import next_deadline
from sessions.engine.vocabulary import SERVER
from sessions.store import leases, rooms, seats


@dataclass(frozen=True)
class CaughtUp:
    """The room after overdue work was applied: the newest state and the next lease expiry.

    `held_until` is when this socket's own lease lapses, when the call took or renewed it.
    """

    state: dict
    changed: bool
    lease_due: int | None
    held_until: int | None = None
    # On arrival: the channels of this seat's older sockets pushed out past the cap.
    evicted: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuickLook:
    """A quiet heartbeat's one look at the room: its version and leases, nothing applied."""

    version: int | None
    leases: leases.Leases
    held_until: int | None


def catch_up(code: str, session_id: int, now: int) -> CaughtUp:
    """Apply whatever is overdue: lapsed leases (presence) and due deadlines (tick).

    Reads the leases and the row once each and writes only when something is due;
    a `tick` is submitted only when the engine says one would change something
    (`next_deadline`).
    """
    found = leases.live_leases(session_id, now)
    state, changed = leases.reconcile(code, rooms.load_state(code), found.live)
    deadline = next_deadline(state)
    if deadline is not None and deadline <= now:
        result = rooms.submit(code, SERVER, "tick", {})
        if result.accepted:
            state = result.state
            changed = changed or result.changed
    return CaughtUp(state, changed, found.earliest_expiry)


def submit_action(
    code: str, role: str, action: str, args: dict, rid: str | None
) -> rooms.StoreResult:
    """Run a person's input; a repeated rid comes back with the version it produced first."""
    return rooms.submit(code, role, action, args, rid=rid)


def arrive(code: str, session_id: int, role: str, channel: str) -> CaughtUp:
    """Take this socket's lease, push out the seat's oldest sockets past the cap, catch up."""
    now = rooms.now_ms()
    held_until = leases.hold(session_id, role, channel, now)
    evicted = tuple(leases.evict_oldest(session_id, role, channel, now))
    caught_up = catch_up(code, session_id, rooms.now_ms())
    return replace(caught_up, held_until=held_until, evicted=evicted)


def heartbeat(
    code: str, session_id: int, role: str, channel: str, held_until: int | None
) -> CaughtUp:
    """A heartbeat that has work to do: renew the lease if it is half gone, then catch up.

    A lease with more than half left is not written again.
    """
    now = rooms.now_ms()
    if leases.needs_renewal(held_until, now):
        held_until = leases.hold(session_id, role, channel, now)
    return replace(catch_up(code, session_id, now), held_until=held_until)


def quick_heartbeat(session_id: int, role: str, channel: str, held_until: int | None) -> QuickLook:
    """A heartbeat expected to have nothing to do: renew the lease if half gone, then look.

    One read (plus the lease's UPDATE when it is half gone). The socket falls back to
    `heartbeat` when the look shows work.
    """
    now = rooms.now_ms()
    if leases.needs_renewal(held_until, now):
        held_until = leases.hold(session_id, role, channel, now)
    version, found = leases.read_version_and_leases(session_id, now)
    return QuickLook(version, found, held_until)


def leave(code: str, session_id: int, channel: str) -> CaughtUp:
    """Drop this socket's lease and catch up (the partner sees the seat away, if it was the last)."""
    leases.drop(channel)
    return catch_up(code, session_id, rooms.now_ms())


def seat_mark(state: dict, role: str) -> tuple | None:
    """What changes in the room's state whenever `role`'s seat changes hands.

    A take-over counts `rejoins`; a release and a new claim toggle `claimed`. A socket
    that sees its seat's mark change re-checks its claim, so it does not depend on the
    revoke message alone (a message the channel layer may lose, e.g. while Redis is
    down): the new state reaches it by broadcast or by its next `sync` repair.
    """
    seat = state["seats"].get(role)
    return None if seat is None else (seat["claimed"], seat.get("rejoins", 0))


def still_seated(session_id: int, role: str, token: str | None) -> bool:
    """Whether this socket's token still holds `role` (one query; seats go with their session)."""
    return seats.seat_for_token(session_id, token) == role
