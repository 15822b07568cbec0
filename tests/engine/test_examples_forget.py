"""Remove me: once a session has finished, either partner can take their name and their
check-in answers out of it at once, without asking the other."""

import pytest

from sessions.engine import view_for
from tests.engine.helpers import CHECKIN, apply_ok, code_of, room_in, run


@pytest.mark.parametrize("status", ["completed", "ended"])
def test_alex_removes_his_name_and_answers_from_a_finished_session(status):
    state = room_in(status)
    result = apply_ok(state, "server", "forget", {"seat": "a"})
    seat = result.state["seats"]["a"]
    assert seat["name"] is None and seat["forgotten"] is True
    assert result.events == ({"type": "forgotten", "seat": "a"},)
    for answers in result.state["checkins"].values():
        assert answers["a"] is None
    assert result.state["status"] == status


def test_sams_name_and_answers_stay_when_alex_removes_himself():
    state = room_in("completed")
    sam_answer = state["checkins"][str(CHECKIN)]["b"]
    state = run(state, "server", "forget", {"seat": "a"})
    assert state["seats"]["b"]["name"] == "Sam" and state["seats"]["b"]["forgotten"] is False
    assert state["checkins"][str(CHECKIN)]["b"] == sam_answer
    # Sam still sees his own answer; Alex's is gone for everyone.
    shown = view_for(state, "b")["checkins"][str(CHECKIN)]
    assert shown["a"] is None
    assert {key: shown["b"][key] for key in sam_answer} == sam_answer


def test_the_view_says_a_seat_was_forgotten():
    state = run(room_in("completed"), "server", "forget", {"seat": "b"})
    assert view_for(state, "a")["seats"]["b"]["forgotten"] is True
    assert view_for(state, "a")["seats"]["b"]["name"] is None
    assert view_for(state, "a")["seats"]["a"]["forgotten"] is False


def test_forgetting_twice_is_a_no_op():
    state = run(room_in("completed"), "server", "forget", {"seat": "a"})
    again = apply_ok(state, "server", "forget", {"seat": "a"})
    assert again.state == state and again.events == ()


@pytest.mark.parametrize("status", ["waiting", "active", "paused"])
def test_a_session_still_going_cannot_forget_anyone(status):
    assert code_of(room_in(status), "server", "forget", {"seat": "a"}) == "not_now"


def test_a_forgotten_name_is_never_stored_on_the_seat_again():
    state = run(room_in("completed"), "server", "forget", {"seat": "a"})
    state = run(state, "server", "seat", {"seat": "a", "name": "Alex", "claimed": True})
    assert state["seats"]["a"]["name"] is None


def test_only_the_server_forgets_and_names_a_partner_seat():
    state = room_in("completed")
    assert code_of(state, "a", "forget", {"seat": "a"}) == "unknown_action"
    assert code_of(state, "server", "forget", {"seat": "host"}) == "bad_args"
    assert code_of(state, "server", "forget", {}) == "bad_args"
