"""How long a couple's sessions are kept: once started, until Dana deletes the couple.

A session of a counselor's couple is part of their history (README, "Working with
couples over time"): finished, it never expires (`expires_at` stays null) and the purge
leaves it. One nobody started still goes after UNSTARTED_EXPIRY_DAYS. A session with no
couple, hosted or not, keeps the 30-day rule exactly as before.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.models import CoupleSession
from sessions.store import creation, retention, rooms
from sessions.store.recent import clear as forget_every_room
from tests.support.couple_play import alex_and_sam, give_practice, play, seated

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days(settings, key: str) -> timedelta:
    return timedelta(days=settings.STAY[key])


# --- the rule -----------------------------------------------------------------------------


def test_a_kept_finished_session_never_expires():
    for status in ("completed", "ended"):
        assert retention.expires_at_for(status, created_at=NOW, finished_at=NOW, kept=True) is None


def test_a_kept_session_nobody_started_still_expires(settings):
    expires = retention.expires_at_for("waiting", created_at=NOW, finished_at=None, kept=True)
    assert expires == NOW + days(settings, "UNSTARTED_EXPIRY_DAYS")


def test_a_session_without_a_couple_keeps_the_finished_retention(settings):
    expires = retention.expires_at_for("completed", created_at=NOW, finished_at=NOW)
    assert expires == NOW + days(settings, "FINISHED_RETENTION_DAYS")


def test_a_running_session_never_expires_kept_or_not():
    for kept in (True, False):
        for status in ("active", "paused"):
            assert (
                retention.expires_at_for(status, created_at=NOW, finished_at=None, kept=kept)
                is None
            )


# --- what the store writes ------------------------------------------------------------------


def test_a_couples_new_session_expires_only_if_nobody_starts_it(dana, settings):
    session = seated(alex_and_sam(dana))["session"]
    assert session.expires_at == session.created_at + days(settings, "UNSTARTED_EXPIRY_DAYS")


def test_a_finished_hosted_session_of_a_couple_is_kept(dana):
    session = play(seated(alex_and_sam(dana)))
    assert session.finished_at is not None
    assert session.expires_at is None


def test_a_couples_practice_ended_early_is_kept(dana):
    couple = alex_and_sam(dana)
    session = play(seated(couple, give_practice(couple)), end_early=True)
    assert session.status == "ended" and session.expires_at is None


def test_a_couples_session_finished_from_a_cached_row_is_kept(dana):
    """The hot path may write from this process's cached row: it knows the couple too."""
    room = seated(alex_and_sam(dana))
    rooms.load_state(room["code"])  # cached now
    session = play(room, end_early=True)
    assert session.expires_at is None
    forget_every_room()


def test_a_hosted_session_without_a_couple_still_expires_after_finishing(dana, settings):
    session = creation.create_session("daily-checkin", dana)
    for seat in ("a", "b"):
        rooms.submit(session.code, "server", "presence", {"seat": seat, "connected": True})
    rooms.submit(session.code, "host", "start")
    assert rooms.submit(session.code, "host", "end").accepted
    row = CoupleSession.objects.get(pk=session.pk)
    assert row.expires_at == row.finished_at + days(settings, "FINISHED_RETENTION_DAYS")


def test_the_purge_keeps_a_couples_finished_sessions_and_drops_the_others(dana):
    couple = alex_and_sam(dana)
    kept = play(seated(couple))
    plain = creation.create_session("daily-checkin", dana)
    CoupleSession.objects.filter(pk=plain.pk).update(
        status="ended", finished_at=NOW, expires_at=NOW - timedelta(days=1)
    )
    unstarted = seated(couple)["session"]
    CoupleSession.objects.filter(pk=unstarted.pk).update(expires_at=NOW - timedelta(days=1))

    purged = retention.purge_expired(NOW + timedelta(days=3650))

    assert purged.sessions == 2
    assert list(CoupleSession.objects.values_list("pk", flat=True)) == [kept.pk]
