"""The line Dana's dashboard says about a room, and who is told when a session appears.

`notices.status_line` words a room's state for its counselor (the socket's `changed`
frames and the dashboard say the same), never with a check-in answer in it;
`notices.session_created` tells the counselor's group after commit: Dana for a session
she hosts and for practice her couple starts, nobody for a couple on their own.
"""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

import pytest

from sessions.engine import new_state
from sessions.models import Couple, CoupleSession
from sessions.store import creation, notices
from tests.support.protocols import short_protocol


def room(status: str = "waiting", **seats) -> dict:
    """A state of the short protocol ("Short test"), seats as {seat: (name, connected)}."""
    state = new_state(short_protocol(), seed=1, now=0, hosted=True, host_name="Dana")
    state["status"] = status
    for seat, (name, connected) in seats.items():
        state["seats"][seat].update(name=name, claimed=True, connected=connected)
    return state


def test_nobody_yet_then_alex_waiting_then_both_here():
    title = room()["protocol"]["title"]
    assert notices.status_line(room()) == f"{title}: waiting for the couple to join"
    assert notices.status_line(room(a=("Alex", True))) == (
        f"Alex · {title}: Alex is waiting for their partner"
    )
    both = room(a=("Alex", True), b=("Sam", True))
    assert notices.status_line(both) == f"Alex and Sam · {title}: both are here, ready to start"


def test_a_couples_names_stand_in_for_a_seat_nobody_has_claimed_yet():
    line = notices.status_line(room(a=("Alex", True)), names=("Alex", "Sam"))
    assert line.startswith("Alex and Sam · ")
    assert line.endswith(": Alex is waiting for Sam")


@pytest.mark.parametrize(
    ("pause", "words"),
    [
        ({"by": "b", "reason": "need_a_moment"}, "paused — Sam asked for a pause"),
        ({"by": "b", "reason": "flooding"}, "paused — Sam asked for a pause (feeling flooded)"),
        ({"by": "host", "reason": "flooding"}, "paused — you called a longer break"),
        ({"seat": "a", "reason": "connection"}, "paused — Alex's connection dropped"),
    ],
)
def test_a_pause_is_said_with_who_and_why_in_the_counselors_words(pause, words):
    state = room("paused", a=("Alex", True), b=("Sam", True))
    state["pause"] = pause
    assert notices.status_line(state).endswith(f": {words}")


def test_started_under_way_finished_and_ended_early():
    state = room("active", a=("Alex", True), b=("Sam", True))
    assert notices.now_words(state) == "started"
    state["index"] = 2
    assert notices.now_words(state) == f"under way, step 3 of {len(state['steps'])}"
    assert notices.now_words(room("completed")) == "finished"
    assert notices.now_words(room("ended")) == "ended early"


def test_a_practice_line_says_practice_and_nothing_of_the_check_in_answers():
    state = room("active", a=("Alex", True), b=("Sam", True))
    state["checkins"] = {
        "1": {
            "a": {"state": "mobilized", "intensity": 8, "word": "hopeful"},
            "b": {"state": "shutdown", "intensity": 3, "word": "tender"},
        }
    }
    line = notices.status_line(state, names=("Alex", "Sam"), practice=True)
    assert "(practice)" in line
    for secret in ("hopeful", "tender", "On edge", "Shut down", "8", "mobilized"):
        assert secret not in line


# --- who is told of a new session ------------------------------------------------------


def _session(counselor=None, couple=None) -> CoupleSession:
    doc = short_protocol()
    session = creation.create_session(doc["slug"], counselor, protocol=SimpleNamespace(doc=doc))
    if couple is not None:
        CoupleSession.objects.filter(pk=session.pk).update(couple=couple)
        session.refresh_from_db()
    return session


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["hosted", "practice", "alone"])
def test_a_new_session_tells_its_counselor_after_commit(kind, dana):
    couple = Couple.objects.create(counselor=dana, name_a="Alex", name_b="Sam")
    session = _session(
        counselor=dana if kind == "hosted" else None,
        couple=couple if kind != "alone" else None,
    )
    with mock.patch.object(notices.broadcast, "tell_counselor") as tell:
        notices.session_created(session)
    if kind == "alone":
        tell.assert_not_called()
    else:
        tell.assert_called_once_with(dana.pk, session.code)


@pytest.mark.django_db
def test_danas_watched_rooms_are_hers_and_her_couples_practice_never_robins(dana, robin):
    couple = Couple.objects.create(counselor=dana, name_a="Alex", name_b="Sam")
    hosted = _session(counselor=dana)
    practice = _session(couple=couple)
    _session(counselor=robin)
    _session()
    watched = {w.code: w for w in notices.watched_rooms(dana.pk)}
    assert set(watched) == {hosted.code, practice.code}
    assert watched[practice.code].practice and watched[practice.code].names == ("Alex", "Sam")
    assert not watched[hosted.code].practice
    assert notices.watched_room(robin.pk, practice.code) is None


@pytest.mark.django_db
def test_a_practice_the_couple_starts_reaches_danas_dashboard_only_once_committed(
    dana, django_capture_on_commit_callbacks
):
    couple = Couple.objects.create(counselor=dana, name_a="Alex", name_b="Sam")
    doc = short_protocol()
    with (
        mock.patch.object(notices.broadcast, "_send_to") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        session = creation.create_session(
            doc["slug"], protocol=SimpleNamespace(doc=doc), couple=couple
        )
        send.assert_not_called()  # not before the commit
    send.assert_called_once_with(
        notices.broadcast.counselor_group(dana.pk),
        {"type": notices.broadcast.COUNSELOR_SESSION, "code": session.code},
    )
