"""The rooms a process saw recently (`sessions/store/recent.py`) save a read, and never
decide anything.

Alex's and Sam's sockets may sit on two server processes. Each process keeps its
latest sight of the room, a guess at its row, and writes against it with the
usual version guard, so these tests make the guess stale in every way a real
deployment can (another process wrote, the room expired, a transaction rolled
back) and check that the room still ends exactly as if every input had read it.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from sessions.models import CoupleSession, Event
from sessions.store import recent, rooms
from tests.support.persistence import CHECKIN, INFO, started_session

pytestmark = pytest.mark.django_db(transaction=True)  # outside a test transaction, as in production

CALM = {"state": "safe", "intensity": 2}
TENSE = {"state": "mobilized", "intensity": 7}


def _as_if_only_this_process_had_seen(code: str, row) -> None:
    """Another process moved the room on; this one still holds its older sight of it."""
    recent.forget(code)
    recent.remember(code, row)


def test_alex_acting_on_a_stale_guess_lands_after_sams_change_not_over_it():
    session, _ = started_session()
    rooms.submit(session.code, "a", "next", {"step": INFO})
    rooms.submit(session.code, "b", "next", {"step": INFO})
    alex_process_saw = recent.cached_row(session.code)
    sam = rooms.submit(session.code, "b", "checkin", {"step": CHECKIN, **TENSE})
    _as_if_only_this_process_had_seen(session.code, alex_process_saw)

    alex = rooms.submit(session.code, "a", "checkin", {"step": CHECKIN, **CALM}, rid="alex-2")

    assert alex.accepted and alex.version == sam.version + 1
    row = CoupleSession.objects.get(pk=session.pk)
    answers = row.state["checkins"][str(CHECKIN)]
    assert answers["a"]["state"] == "safe" and answers["b"]["state"] == "mobilized"
    versions = list(Event.objects.filter(session=session).values_list("version", flat=True))
    assert versions == list(range(1, row.version + 1))


def test_a_stale_guess_that_would_refuse_is_asked_again_of_the_database():
    session, _ = started_session()
    before_next = recent.cached_row(session.code)
    rooms.submit(session.code, "a", "next", {"step": INFO})
    rooms.submit(session.code, "b", "next", {"step": INFO})
    _as_if_only_this_process_had_seen(session.code, before_next)

    # On the old sight of the room Sam's check-in is for a step not reached yet.
    sam = rooms.submit(session.code, "b", "checkin", {"step": CHECKIN, **CALM})

    assert sam.accepted and sam.changed


def test_a_retried_frame_on_a_stale_guess_gets_its_first_answer():
    session, _ = started_session()
    before_pause = recent.cached_row(session.code)
    first = rooms.submit(session.code, "a", "pause", {}, rid="alex-pause")
    _as_if_only_this_process_had_seen(session.code, before_pause)

    again = rooms.submit(session.code, "a", "pause", {}, rid="alex-pause")

    assert again.duplicate and again.version == first.version
    assert Event.objects.filter(session=session, rid="alex-pause").count() == 1


def test_a_room_that_expired_since_it_was_seen_is_gone_not_written():
    session, _ = started_session()
    assert recent.cached_row(session.code) is not None
    CoupleSession.objects.filter(pk=session.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    before = CoupleSession.objects.get(pk=session.pk).version

    with pytest.raises(rooms.SessionNotFound):
        rooms.submit(session.code, "a", "next", {"step": INFO})

    assert CoupleSession.objects.get(pk=session.pk).version == before
    assert recent.cached_row(session.code) is None


def test_a_write_rolled_back_by_its_caller_leaves_no_guess_behind():
    session, _ = started_session()
    with pytest.raises(RuntimeError), transaction.atomic():
        rooms.submit(session.code, "a", "next", {"step": INFO})
        raise RuntimeError("the caller's transaction fails after the write")
    seen = recent.cached_row(session.code)
    assert seen is not None and seen.version == session.version

    again = rooms.submit(session.code, "a", "next", {"step": INFO})

    assert again.accepted and again.version == session.version + 1


def test_a_broadcast_state_moves_the_guess_forward_but_never_back():
    session, _ = started_session()
    seen = recent.cached_row(session.code)
    newer = {**seen.state, "version": seen.version + 1}

    recent.remember_state(session.code, newer)
    recent.remember_state(session.code, seen.state)

    assert recent.cached_row(session.code).version == seen.version + 1


def test_a_finished_room_is_not_followed_from_broadcasts():
    session, _ = started_session()
    seen = recent.cached_row(session.code)

    recent.remember_state(
        session.code, {**seen.state, "version": seen.version + 1, "status": "ended"}
    )

    assert recent.cached_row(session.code) is None


def test_the_process_keeps_guesses_for_a_bounded_number_of_rooms(monkeypatch):
    monkeypatch.setattr(recent, "LIMIT", 2)
    rooms = [started_session()[0] for _ in range(3)]

    kept = [recent.cached_row(room.code) is not None for room in rooms]

    assert kept == [False, True, True]


def test_rooms_running_the_same_steps_share_one_copy_of_them():
    first, second = started_session()[0], started_session()[0]
    ours, theirs = recent.cached_row(first.code), recent.cached_row(second.code)
    if ours.state["steps"] != theirs.state["steps"]:  # the seeds chose different speakers
        second = next(
            room
            for room in (started_session()[0] for _ in range(20))
            if recent.cached_row(room.code).state["steps"] == ours.state["steps"]
        )
        theirs = recent.cached_row(second.code)

    assert theirs.state["steps"] is ours.state["steps"]
    # Sharing changes nothing a write would see.
    assert theirs.state == CoupleSession.objects.get(pk=second.pk).state


def test_a_retried_frame_after_a_deadline_passed_gets_its_first_answer_and_writes_nothing():
    session, _ = started_session()
    now = rooms.now_ms()
    first = rooms.submit(session.code, "a", "next", {"step": INFO}, rid="alex-1", now=now)
    events_before = Event.objects.filter(session=session).count()

    # Sam's grace period has run out by the time the retry arrives: a tick is due, and on
    # the guess alone the retry would be refused with the tick written in its name.
    again = rooms.submit(session.code, "a", "next", {"step": INFO}, rid="alex-1", now=now + 16_000)

    assert again.duplicate and again.accepted and again.version == first.version
    assert Event.objects.filter(session=session).count() == events_before
