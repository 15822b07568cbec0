"""The store: what lands in the database when Alex and Sam act in their room."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.engine import next_deadline
from sessions.models import CoupleSession, Event
from sessions.store import rooms
from tests.support.persistence import BREATHE, CHECKIN, CLOSE, INFO, started_session

pytestmark = pytest.mark.django_db

CALM = {"state": "safe", "intensity": 2}


def _row(session):
    return CoupleSession.objects.get(pk=session.pk)


def _events(session):
    return list(Event.objects.filter(session=session).order_by("version"))


def test_an_accepted_move_saves_the_new_state_and_exactly_one_event():
    session, _ = started_session()
    rooms.submit(session.code, "b", "next", {"step": INFO})  # Sam is ready to move on
    before = _row(session)
    events_before = len(_events(session))

    result = rooms.submit(session.code, "a", "next", {"step": INFO}, rid="alex-1")

    assert result.accepted and result.changed and not result.duplicate
    row = _row(session)
    assert row.version == before.version + 1 == result.version
    assert row.state == result.state
    assert row.state["index"] == CHECKIN
    events = _events(session)
    assert len(events) == events_before + 1
    last = events[-1]
    assert (last.version, last.actor, last.action, last.rid) == (row.version, "a", "next", "alex-1")
    assert last.args == {"step": INFO}


def test_starting_the_session_marks_it_active_and_stops_its_expiry_clock():
    session, _ = started_session()
    row = _row(session)
    assert row.status == "active"
    assert row.expires_at is None


def test_a_refused_move_writes_nothing_and_says_why():
    session, _ = started_session()
    before = _row(session)
    events_before = len(_events(session))

    result = rooms.submit(session.code, "b", "next", {"step": CHECKIN}, rid="sam-stale")

    assert not result.accepted and not result.changed
    assert result.code == "stale"
    assert result.message
    assert result.version == before.version
    row = _row(session)
    assert (row.version, row.state) == (before.version, before.state)
    assert len(_events(session)) == events_before


def test_a_tick_with_nothing_due_is_accepted_but_writes_nothing():
    session, _ = started_session()
    before = _row(session)
    events_before = len(_events(session))

    result = rooms.submit(session.code, "server", "tick")

    assert result.accepted and not result.changed
    assert _row(session).version == before.version
    assert len(_events(session)) == events_before


def test_a_retried_frame_is_recognised_and_not_applied_twice():
    session, _ = started_session()
    rooms.submit(session.code, "a", "next", {"step": INFO})
    rooms.submit(session.code, "b", "next", {"step": INFO})
    first = rooms.submit(session.code, "a", "checkin", {"step": CHECKIN, **CALM}, rid="r-7")
    again = rooms.submit(session.code, "a", "checkin", {"step": CHECKIN, **CALM}, rid="r-7")

    assert first.accepted and not first.duplicate
    assert again.accepted and again.duplicate and not again.changed
    assert again.version == first.version
    assert Event.objects.filter(session=session, rid="r-7").count() == 1
    # Even after the room has moved on, the retry is acked with the version it produced.
    rooms.submit(session.code, "b", "checkin", {"step": CHECKIN, **CALM})
    late = rooms.submit(session.code, "a", "checkin", {"step": CHECKIN, **CALM}, rid="r-7")
    assert late.duplicate and late.version == first.version < late.state["version"]
    # Without the rid the same check-in is a real second attempt, and the engine refuses it.
    third = rooms.submit(session.code, "a", "checkin", {"step": CHECKIN, **CALM}, rid="r-8")
    assert third.code == "already_answered"


def test_sams_frame_is_never_answered_by_alexs_with_the_same_request_id():
    """A request id is the sender's: Sam's check-in lands even if Alex's client used its id."""
    session, _ = started_session()
    rooms.submit(session.code, "a", "next", {"step": INFO})
    rooms.submit(session.code, "b", "next", {"step": INFO})
    alex = rooms.submit(session.code, "a", "checkin", {"step": CHECKIN, **CALM}, rid="c1")

    sam = rooms.submit(session.code, "b", "checkin", {"step": CHECKIN, **CALM}, rid="c1")

    assert sam.accepted and sam.changed and not sam.duplicate
    assert sam.version > alex.version
    assert Event.objects.filter(session=session, rid="c1").count() == 2
    # Sam's retry is still recognised as Sam's own.
    again = rooms.submit(session.code, "b", "checkin", {"step": CHECKIN, **CALM}, rid="c1")
    assert again.duplicate and again.version == sam.version


def test_the_same_request_id_in_another_session_is_independent():
    one, _ = started_session()
    other, _ = started_session()
    assert rooms.submit(one.code, "a", "next", {"step": INFO}, rid="same").changed
    assert rooms.submit(other.code, "a", "next", {"step": INFO}, rid="same").changed


def _into_breathing(session):
    rooms.submit(session.code, "a", "next", {"step": INFO})
    rooms.submit(session.code, "b", "next", {"step": INFO})
    for seat in "ab":
        rooms.submit(session.code, seat, "checkin", {"step": CHECKIN, **CALM})
    rooms.submit(session.code, "a", "next", {"step": CHECKIN})
    result = rooms.submit(session.code, "b", "next", {"step": CHECKIN})
    assert result.state["index"] == BREATHE, result
    return result.state


def test_time_passes_before_an_input_an_overdue_breathing_round_ends_first():
    session, _ = started_session()
    state = _into_breathing(session)
    due = next_deadline(state)
    assert due is not None
    events_before = len(_events(session))

    # Alex taps "next" on the closing step after the breathing round has run out,
    # before the server's timer got round to ending it.
    result = rooms.submit(session.code, "a", "next", {"step": CLOSE}, now=due + 50)

    assert result.accepted, result
    logged = _events(session)[events_before:]
    assert [(e.actor, e.action) for e in logged] == [("server", "tick"), ("a", "next")]
    assert [e.version for e in logged] == [state["version"] + 1, state["version"] + 2]
    assert _row(session).state["index"] == CLOSE
    # Sam taps too: moving on together, the session completes.
    rooms.submit(session.code, "b", "next", {"step": CLOSE}, now=due + 60)
    assert _row(session).status == "completed"


def test_an_overdue_tick_is_kept_even_when_the_input_after_it_is_refused():
    session, _ = started_session()
    state = _into_breathing(session)
    due = next_deadline(state)

    # Sam sits out the breathing round, but it is already over: refused as stale,
    # while the room still moves on (time really passed).
    result = rooms.submit(session.code, "b", "sit_out", {"step": BREATHE}, now=due + 50)

    assert not result.accepted and result.code == "stale"
    assert result.changed
    row = _row(session)
    assert row.state["index"] == CLOSE == result.state["index"]
    assert _events(session)[-1].action == "tick"


def test_finishing_starts_the_retention_clock(settings):
    session, _ = started_session()
    result = rooms.submit(session.code, "b", "end")
    assert result.accepted
    row = _row(session)
    assert row.status == "ended"
    assert row.finished_at is not None
    retention = timedelta(days=settings.STAY["FINISHED_RETENTION_DAYS"])
    assert row.expires_at == row.finished_at + retention


def test_an_expired_session_is_gone_for_reading_and_writing():
    session, _ = started_session()
    rooms.submit(session.code, "a", "end")
    CoupleSession.objects.filter(pk=session.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(rooms.SessionNotFound):
        rooms.load_state(session.code)
    with pytest.raises(rooms.SessionNotFound):
        rooms.submit(session.code, "server", "tick")


def test_an_unknown_code_is_not_found():
    with pytest.raises(rooms.SessionNotFound):
        rooms.load_state("no-such-code-0000000000000")


def test_load_state_returns_the_saved_snapshot():
    session, _ = started_session()
    assert rooms.load_state(session.code) == _row(session).state


@pytest.mark.parametrize(
    ("actor", "action", "args", "rid", "now", "complaint"),
    [
        ("mallory", "next", {}, None, None, "actor"),
        ("a", "", {}, None, None, "action"),
        ("a", "next", ["step", 0], None, None, "args"),
        ("a", "next", {"step": 0}, "x" * 65, None, "rid"),
        ("a", "next", {"step": 0}, "", None, "rid"),
        ("a", "next", {"step": 0}, None, 12.5, "now"),
    ],
)
def test_a_malformed_call_is_refused_naming_the_bad_part(actor, action, args, rid, now, complaint):
    session, _ = started_session()
    with pytest.raises(ValueError, match=complaint):
        rooms.submit(session.code, actor, action, args, rid=rid, now=now)


def test_a_room_too_busy_to_write_answers_busy_instead_of_hanging(monkeypatch):
    session, _ = started_session()
    monkeypatch.setattr(rooms, "_write", lambda *a, **k: False)
    monkeypatch.setattr(rooms.time, "sleep", lambda s: None)

    result = rooms.submit(session.code, "a", "next", {"step": INFO})

    assert not result.accepted and result.code == "busy"
    assert result.conflicts == rooms.MAX_ATTEMPTS
    assert _row(session).version == result.version
