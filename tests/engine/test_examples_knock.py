"""A seat belongs to the person who took it: a new device only knocks, and the partner who
is there (or the counselor) answers — never the knocked seat itself.

Riley stands for whoever is on the new device: it may be Sam on a new phone, or a stranger
with the link. The engine cannot tell; Alex or Dana can.
"""

import pytest

from sessions.engine import view_for
from tests.engine.helpers import (
    INFO,
    T0,
    apply_ok,
    apply_refused,
    code_of,
    room_in,
    run,
    seated_room,
)

RILEY = "riley-device-1"


def knocked(state: dict, seat: str = "b", knock_id: str = RILEY, now: int = T0) -> dict:
    return run(state, "server", "knock", {"seat": seat, "id": knock_id}, now)


def test_a_knock_on_sams_seat_is_recorded_and_waits_for_an_answer():
    state = room_in("active", index=INFO)
    result = apply_ok(state, "server", "knock", {"seat": "b", "id": RILEY}, T0 + 5)
    assert result.state["knock"] == {"seat": "b", "id": RILEY, "at": T0 + 5, "answer": None}
    assert result.events == ({"type": "knocked", "seat": "b"},)
    # Nothing else moves: Sam keeps the seat, the room its step.
    assert result.state["seats"] == state["seats"]
    assert result.state["index"] == INFO


@pytest.mark.parametrize("status", ["waiting", "active", "paused"])
def test_alex_lets_the_new_device_in(status):
    state = knocked(room_in(status))
    result = apply_ok(state, "a", "let_in", {"id": RILEY, "answer": "yes"})
    assert result.state["knock"]["answer"] == "yes"
    assert result.events == ({"type": "let_in", "seat": "b", "by": "a"},)
    assert result.state["status"] == status  # answering is not moving the room


def test_alex_keeps_the_new_device_out():
    state = knocked(room_in("active"))
    result = apply_ok(state, "a", "let_in", {"id": RILEY, "answer": "no"})
    assert result.state["knock"]["answer"] == "no"
    assert result.events == ({"type": "kept_out", "seat": "b", "by": "a"},)


def test_dana_can_answer_a_knock_in_a_hosted_session():
    state = knocked(room_in("active", hosted=True), seat="a")
    state = run(state, "host", "let_in", {"id": RILEY, "answer": "yes"})
    assert state["knock"]["answer"] == "yes"


def test_the_knocked_seat_cannot_let_itself_in():
    state = knocked(room_in("active"))
    assert code_of(state, "b", "let_in", {"id": RILEY, "answer": "yes"}) == "not_your_turn"
    # Not even with a guessed id: the knocked seat learns nothing about the request.
    assert code_of(state, "b", "let_in", {"id": "guess", "answer": "yes"}) == "not_your_turn"


def test_an_answer_to_an_older_knock_is_stale():
    state = knocked(knocked(room_in("active")), knock_id="riley-device-2")
    assert state["knock"]["id"] == "riley-device-2"
    assert code_of(state, "a", "let_in", {"id": RILEY, "answer": "yes"}) == "stale"


def test_an_answer_when_nobody_is_knocking_is_stale():
    assert code_of(room_in("active"), "a", "let_in", {"id": RILEY, "answer": "yes"}) == "stale"


def test_the_same_knock_again_is_a_no_op_and_keeps_its_answer():
    state = knocked(room_in("active"))
    state = run(state, "a", "let_in", {"id": RILEY, "answer": "no"})
    again = apply_ok(state, "server", "knock", {"seat": "b", "id": RILEY}, T0 + 1_000)
    assert again.state == state and again.events == ()


def test_a_second_answer_cannot_change_the_first():
    state = knocked(room_in("active"))
    state = run(state, "a", "let_in", {"id": RILEY, "answer": "no"})
    assert apply_ok(state, "a", "let_in", {"id": RILEY, "answer": "no"}).state == state
    assert code_of(state, "a", "let_in", {"id": RILEY, "answer": "yes"}) == "not_now"


def test_a_knock_on_a_seat_nobody_has_taken_is_not_now():
    state = run(room_in("waiting"), "server", "seat", {"seat": "b", "claimed": False})
    assert code_of(state, "server", "knock", {"seat": "b", "id": RILEY}) == "not_now"


@pytest.mark.parametrize("status", ["completed", "ended"])
def test_a_finished_session_takes_no_knocks_and_no_answers(status):
    state = room_in(status)
    assert code_of(state, "server", "knock", {"seat": "b", "id": RILEY}) == "not_now"
    assert code_of(state, "a", "let_in", {"id": RILEY, "answer": "yes"}) == "finished"


def test_a_knock_is_dropped_when_the_session_ends():
    state = knocked(room_in("active"))
    assert run(state, "a", "end", {})["knock"] is None


@pytest.mark.parametrize(
    "seat_input",
    [
        {"seat": "b", "name": "Sam", "claimed": True},  # the seat moved to the new device
        {"seat": "b", "claimed": False},  # the seat was released
    ],
)
def test_a_seat_input_for_the_knocked_seat_clears_the_knock(seat_input):
    state = run(knocked(room_in("active")), "a", "let_in", {"id": RILEY, "answer": "yes"})
    assert run(state, "server", "seat", seat_input)["knock"] is None


def test_a_seat_input_for_the_other_seat_leaves_the_knock():
    state = knocked(room_in("active"))
    state = run(state, "server", "seat", {"seat": "a", "name": "Alex", "claimed": True})
    assert state["knock"]["id"] == RILEY


def test_alex_and_dana_see_the_knock_and_sams_seat_does_not():
    state = knocked(room_in("active", hosted=True))
    shown = {"seat": "b", "id": RILEY, "answer": None}
    assert view_for(state, "a")["knock"] == shown
    assert view_for(state, "host")["knock"] == shown
    assert view_for(state, "b")["knock"] is None


def test_the_view_has_no_knock_when_nobody_knocks_and_never_a_name():
    state = room_in("active")
    assert view_for(state, "a")["knock"] is None
    state = knocked(state)
    assert "Sam" not in str(view_for(state, "a")["knock"])
    assert "at" not in view_for(state, "a")["knock"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"seat": "b", "id": ""}, "'id'"),
        ({"seat": "b", "id": "x" * 65}, "'id'"),
        ({"seat": "b", "id": "has space"}, "'id'"),
        ({"seat": "b", "id": "nul\u0000"}, "'id'"),
        ({"seat": "b", "id": 7}, "'id'"),
        ({"seat": "host", "id": RILEY}, "'seat'"),
        ({"seat": "b"}, "'id'"),
    ],
)
def test_a_malformed_knock_is_bad_args_naming_the_field(args, field):
    result = apply_refused(seated_room(), "server", "knock", args)
    assert result.code == "bad_args" and field in result.message


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"id": RILEY, "answer": "maybe"}, "'answer'"),
        ({"id": RILEY}, "'answer'"),
        ({"id": "../x", "answer": "yes"}, "'id'"),
    ],
)
def test_a_malformed_answer_is_bad_args_naming_the_field(args, field):
    result = apply_refused(knocked(seated_room()), "a", "let_in", args)
    assert result.code == "bad_args" and field in result.message


def test_only_the_server_knocks():
    state = room_in("active")
    for actor in ("a", "b"):
        assert code_of(state, actor, "knock", {"seat": "b", "id": RILEY}) == "unknown_action"
