"""Who is in the room, kept in the database as leases.

Presence cannot live in a server process: a process killed with SIGKILL never
says goodbye, and its partner may be connected to another process. So every
open socket holds a `Lease` row that expires unless its heartbeat renews it; a
seat is connected while any of its leases is live (two tabs count as one).
When the truth in the lease table and the room's state disagree, `reconcile`
feeds the engine's `presence` input, and the engine decides what that means
(the grace period, pausing an active room).

All functions here are synchronous and hold no transaction across calls; the
consumer runs them through `database_sync_to_async`.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Min

from sessions import store
from sessions.models import Lease

log = logging.getLogger(__name__)

ROLES = ("a", "b", "host")


def now_ms() -> int:
    return int(time.time() * 1000)


def _as_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def _as_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def lease_ms() -> int:
    return int(settings.STAY["LEASE_SECONDS"] * 1000)


def hold(session_id: int, role: str, channel_name: str, now: int) -> None:
    """Take or renew this socket's lease (a lease that already lapsed is simply re-created)."""
    Lease.objects.update_or_create(
        channel_name=channel_name,
        defaults={
            "session_id": session_id,
            "role": role,
            "expires_at": _as_datetime(now + lease_ms()),
        },
    )


def drop(channel_name: str) -> None:
    Lease.objects.filter(channel_name=channel_name).delete()


def expire_lapsed(session_id: int, now: int) -> int:
    """Remove leases whose heartbeat stopped (e.g. their server process died)."""
    deleted, _ = Lease.objects.filter(
        session_id=session_id, expires_at__lte=_as_datetime(now)
    ).delete()
    return deleted


def live_roles(session_id: int, now: int) -> set[str]:
    return set(
        Lease.objects.filter(session_id=session_id, expires_at__gt=_as_datetime(now))
        .values_list("role", flat=True)
        .distinct()
    )


def earliest_expiry(session_id: int) -> int | None:
    """When the next lease of this room lapses (ms), so a timer can notice it on time."""
    moment = Lease.objects.filter(session_id=session_id).aggregate(m=Min("expires_at"))["m"]
    return None if moment is None else _as_ms(moment)


def _shown_connected(state: dict, role: str) -> bool | None:
    """What the room's state currently says about `role`; None when the role has no place."""
    if role == "host":
        host = state.get("host")
        return None if host is None else bool(host.get("connected"))
    seat = state.get("seats", {}).get(role)
    if not seat or not seat.get("claimed"):
        return None
    return bool(seat.get("connected"))


def reconcile(code: str, session_id: int, state: dict, now: int) -> tuple[dict, bool]:
    """Feed `presence` for every role whose lease truth differs from the state.

    Returns the newest state and whether anything changed. Safe to run in several
    processes at once: a `presence` that repeats what the state says is a no-op.
    """
    live = live_roles(session_id, now)
    changed = False
    for role in ROLES:
        shown = _shown_connected(state, role)
        truth = role in live
        if shown is None or shown == truth:
            continue
        result = store.submit(code, "server", "presence", {"seat": role, "connected": truth})
        if not result.accepted:
            log.warning("presence for %s refused in %s: %s", role, code, result.code)
            continue
        state = result.state
        changed = changed or result.changed
    return state, changed
