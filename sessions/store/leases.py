"""Who is in the room, kept in the database as leases.

Presence cannot live in a server process: a process killed with SIGKILL never
says goodbye, and its partner may be connected to another process. So every
open socket holds a `Lease` row that expires unless its heartbeat renews it; a
seat is connected while any of its leases is live (two tabs count as one).
When the truth in the lease table and the room's state disagree, `reconcile`
feeds the engine's `presence` input, and the engine decides what that means
(the grace period, pausing an active room).

All functions here are synchronous and hold no transaction across calls; the
socket runs them on the database thread (`sessions.live.dbcall`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from sessions.engine import shown_connected
from sessions.engine.vocabulary import PEOPLE, SERVER
from sessions.models import CoupleSession, Lease
from sessions.store import hot_path, rooms

log = logging.getLogger(__name__)

# Open sockets one seat may hold (tabs, devices); a newer one pushes out the oldest.
SOCKETS_PER_SEAT = 5


def _as_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def _as_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def lease_ms() -> int:
    return int(settings.STAY["LEASE_SECONDS"] * 1000)


def needs_renewal(held_until: int | None, now: int) -> bool:
    """Whether a lease held until `held_until` should be renewed now: less than half is left.

    Each renewal is a committed write, and a heartbeat comes every 10 s. Renewing at
    half-time (with the default 30-s lease, two heartbeats in three write nothing)
    still leaves a missed heartbeat or two of slack before the seat shows as away,
    and a socket killed with its process still lapses one lease length after its
    last renewal.
    """
    return held_until is None or held_until - now < lease_ms() // 2


def hold(session_id: int, role: str, channel_name: str, now: int) -> int:
    """Take or renew this socket's lease (a lease that already lapsed is simply re-created).

    Renewing is one UPDATE. Returns the new expiry (ms), which the socket keeps so
    that it can tell, without a query, when the lease next needs renewing.
    """
    until = now + lease_ms()
    expires_at = _as_datetime(until)
    with hot_path.prepared_cursor() as cursor:
        cursor.execute(
            _renew_sql(connection.vendor),
            [session_id, role, hot_path.stamp(expires_at), channel_name],
        )
        renewed = cursor.rowcount
    if not renewed:
        try:
            with transaction.atomic():
                Lease.objects.create(
                    session_id=session_id,
                    role=role,
                    channel_name=channel_name,
                    expires_at=expires_at,
                )
        except IntegrityError:
            # The session was deleted under the open socket (its couple deleted by their
            # counselor, or both partners agreed): the socket closes 4404, no traceback.
            if not CoupleSession.objects.filter(pk=session_id).exists():
                raise rooms.SessionNotFound(session_id) from None
            raise
    return until


def evict_oldest(session_id: int, role: str, channel_name: str, now: int) -> list[str]:
    """Keep a seat's newest SOCKETS_PER_SEAT sockets; drop the older ones' leases.

    Returns the channels of the sockets pushed out, for the caller to close. The
    socket that just arrived (`channel_name`) is never among them. A pushed-out
    socket whose close never arrives (its process died) simply has no lease left.
    """
    rows = (
        Lease.objects.filter(session_id=session_id, role=role, expires_at__gt=_as_datetime(now))
        .order_by("-id")
        .values_list("id", "channel_name")
    )
    extra = [(pk, channel) for pk, channel in rows[SOCKETS_PER_SEAT:] if channel != channel_name]
    if extra:
        Lease.objects.filter(id__in=[pk for pk, _ in extra]).delete()
    return [channel for _, channel in extra]


def drop(channel_name: str) -> None:
    Lease.objects.filter(channel_name=channel_name).delete()


@cache
def _renew_sql(vendor: str) -> str:
    table = hot_path.quoted(Lease._meta.db_table)
    return f"UPDATE {table} SET session_id = %s, role = %s, expires_at = %s WHERE channel_name = %s"


@cache
def _version_and_leases_sql(vendor: str) -> str:
    rooms = hot_path.quoted(CoupleSession._meta.db_table)
    leases = hot_path.quoted(Lease._meta.db_table)
    return (
        f"SELECT s.version, l.role, l.expires_at FROM {rooms} s"
        f" LEFT JOIN {leases} l ON l.session_id = s.id WHERE s.id = %s"
    )


@dataclass(frozen=True)
class Leases:
    """The room's leases as of one read: who is connected, and when the next lease lapses."""

    live: frozenset[str]
    earliest_expiry: int | None
    # Some lease has run out and is still in the table: `live_leases` must remove it.
    lapsed: bool = False


def read_version_and_leases(session_id: int, now: int) -> tuple[int | None, Leases]:
    """The room's committed version and its leases, in one read that writes nothing.

    What a heartbeat needs when it expects nothing to do; the version is None when
    the session is gone.
    """
    with hot_path.prepared_cursor() as cursor:
        cursor.execute(_version_and_leases_sql(connection.vendor), [session_id])
        rows = cursor.fetchall()
    if not rows:
        return None, Leases(frozenset(), None)
    expiries = [
        (role, _as_ms(hot_path.aware(expires_at)))
        for _, role, expires_at in rows
        if role is not None
    ]
    return rows[0][0], _leases(expiries, now)


def shown(state: dict) -> tuple[bool | None, ...]:
    """How `state` shows each of PEOPLE: connected, away, or None (nobody in that seat).

    A socket keeps this, not the whole state, to check its heartbeats against.
    """
    return tuple(shown_connected(state, role) for role in PEOPLE)


def disagrees(shown: tuple[bool | None, ...], live: frozenset[str]) -> bool:
    """Whether `reconcile` would have something to tell the engine about these leases."""
    return any(
        seen is not None and seen != (role in live)
        for role, seen in zip(PEOPLE, shown, strict=True)
    )


def read_leases(session_id: int, now: int) -> Leases:
    """The room's leases at `now`, in one SELECT that writes nothing.

    The one reading of "who is connected" for everyone who asks (a heartbeat, a seat
    moving to a new device): a lease is live while its expiry is after `now`.
    """
    rows = Lease.objects.filter(session_id=session_id).values_list("role", "expires_at")
    return _leases([(role, _as_ms(expires_at)) for role, expires_at in rows], now)


def live_leases(session_id: int, now: int) -> Leases:
    """Read the room's leases once and remove those whose heartbeat stopped.

    One SELECT answers both questions a heartbeat has (who is connected, when the
    next lease lapses); the DELETE runs only when something lapsed (e.g. its server
    process died).
    """
    leases = read_leases(session_id, now)
    if leases.lapsed:
        Lease.objects.filter(session_id=session_id, expires_at__lte=_as_datetime(now)).delete()
    return replace(leases, lapsed=False)


def _leases(expiries: list[tuple[str, int]], now: int) -> Leases:
    """Who is connected at `now`, given each lease's (role, expiry in ms)."""
    live = [(role, until) for role, until in expiries if until > now]
    return Leases(
        live=frozenset(role for role, _ in live),
        earliest_expiry=min((until for _, until in live), default=None),
        lapsed=len(live) < len(expiries),
    )


def reconcile(code: str, state: dict, live: frozenset[str]) -> tuple[dict, bool]:
    """Feed `presence` for every role whose lease truth (`live`) differs from the state.

    Returns the newest state and whether anything changed. Safe to run in several
    processes at once: a `presence` that repeats what the state says is a no-op.
    """
    changed = False
    for role in PEOPLE:
        shown = shown_connected(state, role)
        truth = role in live
        if shown is None or shown == truth:
            continue
        result = rooms.submit(code, SERVER, "presence", {"seat": role, "connected": truth})
        if not result.accepted:
            log.warning("presence for %s refused in %s: %s", role, code, result.code)
            continue
        state = result.state
        changed = changed or result.changed
    return state, changed
