"""Practice between sessions, counted: what a couple did of each assignment this week.

"This week" runs from Monday 00:00 in the server's time zone (`STAY_TIME_ZONE`), and a
practice counts as done once it is completed, for the counselor's page and the couple's
link alike. The counts come from the database in one query for a list (`with_counts`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import ngettext

from sessions.engine.vocabulary import COMPLETED
from sessions.models import Couple, CoupleSession, Practice


def week_start(now: datetime | None = None) -> datetime:
    """Monday 00:00 of this week, in the server's time zone: "this week" for practice."""
    local = timezone.localtime(now or timezone.now())
    monday = local - timedelta(days=local.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


def done_this_week(practice: Practice, now: datetime | None = None) -> int:
    """Practice sessions of this assignment completed since Monday."""
    counted = getattr(practice, "done_week", None)
    if counted is not None:
        return counted
    return CoupleSession.objects.filter(
        practice=practice, status=COMPLETED, finished_at__gte=week_start(now)
    ).count()


def _done_total(practice: Practice) -> int:
    counted = getattr(practice, "done_all", None)
    if counted is not None:
        return counted
    return CoupleSession.objects.filter(practice=practice, status=COMPLETED).count()


def with_counts(practices_qs, now: datetime | None = None):
    """Practice rows with `done_week` and `done_all` counted by the database, in one query."""
    completed = Q(sessions__status=COMPLETED)
    # Each protocol's document comes with the row, for its title in the reader's language.
    return practices_qs.with_protocol_doc().annotate(
        done_week=Count(
            "sessions", filter=completed & Q(sessions__finished_at__gte=week_start(now))
        ),
        done_all=Count("sessions", filter=completed),
    )


def practice_facts(practice: Practice, now: datetime | None = None) -> dict:
    done = done_this_week(practice, now)
    title = practice.protocol_title_in()  # in the reader's language where the protocol has it
    return {
        "pk": practice.pk,
        "protocol": title,
        "protocol_slug": practice.protocol_slug,
        "times_per_week": practice.times_per_week,
        "note": practice.note,
        "created_at": practice.created_at,
        "stopped_at": practice.stopped_at,
        "active": practice.stopped_at is None,
        "done_this_week": done,
        "done_total": _done_total(practice),
        "line": ngettext(
            "%(protocol)s, %(times)s time a week: done %(done)s of %(times)s this week",
            "%(protocol)s, %(times)s times a week: done %(done)s of %(times)s this week",
            practice.times_per_week,
        )
        % {"protocol": title, "times": practice.times_per_week, "done": done},
    }


def practices(couple: Couple, now: datetime | None = None) -> list[dict]:
    rows = with_counts(couple.practices.order_by("-created_at", "-pk"), now)
    return [practice_facts(p, now) for p in rows]
