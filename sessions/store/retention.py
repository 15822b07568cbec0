"""How long a couple's data is kept, from the session's status, and the purge that keeps it so.

Stay stores the least it can: a session nobody started goes after
UNSTARTED_EXPIRY_DAYS, a finished one after FINISHED_RETENTION_DAYS, and a
session in progress (active or paused) never expires under the couple's feet.
A session of a counselor's couple (``kept``) is part of that couple's history: once
started it stays until the counselor deletes the couple (or both partners delete it
from its summary), so a finished one never expires; only one nobody started still goes
after UNSTARTED_EXPIRY_DAYS.
The markers a deletion by agreement leaves go after FINISHED_RETENTION_DAYS too.
`purge_expired` is what `manage.py purge_expired` runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from sessions.engine.vocabulary import FINISHED, IN_PROGRESS, WAITING
from sessions.models import CoupleSession, DeletedSession


def expires_at_for(
    status: str, *, created_at: datetime, finished_at: datetime | None, kept: bool = False
) -> datetime | None:
    """When a session in `status` stops being available; None means never (yet).

    `kept`: the session belongs to a counselor's couple (`CoupleSession.couple` is set),
    whose history stays until the counselor deletes the couple.
    """
    stay = settings.STAY
    if status in IN_PROGRESS:
        return None
    if status in FINISHED:
        if finished_at is None:
            raise ValueError("a finished session needs finished_at to compute its expiry")
        if kept:
            return None
        return finished_at + timedelta(days=stay["FINISHED_RETENTION_DAYS"])
    if status == WAITING:
        return created_at + timedelta(days=stay["UNSTARTED_EXPIRY_DAYS"])
    raise ValueError(f"unknown session status {status!r}")


@dataclass(frozen=True)
class Purged:
    """How many expired sessions and old deletion markers one purge removed."""

    sessions: int
    markers: int


def count_expired(now: datetime) -> int:
    """How many sessions `purge_expired(now)` would delete."""
    return CoupleSession.objects.expired(now).count()


def purge_expired(now: datetime) -> Purged:
    """Delete the expired sessions (seats, events and leases go with them) and old markers.

    An active or paused session is never among them, whatever its dates say
    (`CoupleSession.objects.expired`). Counselor notes stay with the counselor,
    detached from the deleted session.
    """
    _, per_model = CoupleSession.objects.expired(now).delete()
    sessions = per_model.get(CoupleSession._meta.label, 0)
    return Purged(sessions=sessions, markers=drop_old_deletion_markers(now))


def drop_old_deletion_markers(now: datetime) -> int:
    """Forget deletions older than the finished-session retention; returns how many went."""
    keep_days = settings.STAY["FINISHED_RETENTION_DAYS"]
    deleted, _ = DeletedSession.objects.filter(
        deleted_at__lt=now - timedelta(days=keep_days)
    ).delete()
    return deleted
