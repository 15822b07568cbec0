"""Starting a session: who may start it and when."""

from sessions.engine import apply
from tests.engine.helpers import (
    CHECKIN,
    INFO,
    T0,
    code_of,
    new_room,
    run,
    seated_room,
    started_room,
)


def test_alex_starts_a_session_once_both_seats_are_taken():
    result = apply(seated_room(), "a", "start", {}, T0)
    assert result.state["status"] == "active"
    assert result.state["index"] == INFO
    assert [event["type"] for event in result.events] == ["started", "step_started"]


def test_nobody_can_start_before_sam_has_taken_a_seat():
    state = run(new_room(), "server", "seat", {"seat": "a", "name": "Alex", "claimed": True})
    assert code_of(state, "a", "start") == "seats_not_taken"


def test_in_a_hosted_session_only_the_counselor_starts():
    state = seated_room(hosted=True)
    assert code_of(state, "a", "start") == "host_only"
    assert run(state, "host", "start")["status"] == "active"


def test_there_is_no_counselor_to_act_in_a_session_without_one():
    assert code_of(seated_room(), "host", "start") == "no_host"
    assert code_of(started_room(), "host", "end") == "no_host"


def test_starting_twice_is_refused_as_already_started():
    state = started_room()
    assert code_of(state, "b", "start") == "not_now"


def test_starting_with_arguments_is_refused_as_bad_args():
    assert code_of(seated_room(), "a", "start", {"step": 0}) == "bad_args"


def test_a_partner_who_never_arrived_starts_their_grace_period_at_the_start():
    state = new_room(settings={"grace_ms": 1000})
    for seat in ("a", "b"):
        state = run(state, "server", "seat", {"seat": seat, "name": None, "claimed": True})
    state = run(state, "server", "presence", {"seat": "a", "connected": True})
    state = run(state, "a", "start", {}, T0)
    assert apply(state, "server", "tick", {}, T0 + 999).state["status"] == "active"
    paused = run(state, "server", "tick", {}, T0 + 1000)
    assert paused["status"] == "paused"
    assert paused["pause"]["reason"] == "connection"
    assert paused["pause"]["seat"] == "b"


def test_starting_enters_the_first_step_and_leaves_later_check_ins_untouched():
    state = started_room()
    assert str(CHECKIN) not in state["checkins"]
