"""How long a couple's data is kept, from the session's status.

Stay stores the least it can: a session nobody started goes after
UNSTARTED_EXPIRY_DAYS, a finished one after FINISHED_RETENTION_DAYS, and a
session in progress (active or paused) never expires under the couple's feet.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from sessions.engine.vocabulary import FINISHED, IN_PROGRESS, WAITING


def expires_at_for(
    status: str, *, created_at: datetime, finished_at: datetime | None
) -> datetime | None:
    """When a session in `status` stops being available; None means never (yet)."""
    stay = settings.STAY
    if status in IN_PROGRESS:
        return None
    if status in FINISHED:
        if finished_at is None:
            raise ValueError("a finished session needs finished_at to compute its expiry")
        return finished_at + timedelta(days=stay["FINISHED_RETENTION_DAYS"])
    if status == WAITING:
        return created_at + timedelta(days=stay["UNSTARTED_EXPIRY_DAYS"])
    raise ValueError(f"unknown session status {status!r}")
