"""Speak and reflect: only the floor holder speaks, only the listener reflects."""

import pytest

from sessions.engine import apply, view_for
from tests.engine.helpers import (
    REFLECT_A,
    REFLECT_B,
    SPEAK_A,
    SPEAK_B,
    T0,
    code_of,
    here,
    room_and_time,
    room_in,
    run,
)
from tests.support.protocols import short_protocol


def test_only_alex_who_holds_the_floor_can_finish_his_turn():
    state = room_in("active", index=SPEAK_A)
    assert state["steps"][SPEAK_A]["floor"] == "a"
    refusal = apply(state, "b", "done", here(state), T0)
    assert refusal.code == "not_your_turn"
    assert refusal.message == "Alex has the floor. You'll have yours next."
    assert run(state, "a", "done", here(state))["index"] == REFLECT_A


def test_the_counselor_cannot_finish_a_partners_turn():
    state = room_in("active", index=SPEAK_A, hosted=True)
    assert code_of(state, "host", "done", here(state)) == "not_your_turn"


def test_the_soft_limit_marks_the_turn_over_time_without_cutting_alex_off():
    state, now = room_and_time("active", index=SPEAK_A)
    assert state["deadline"] == now + 5000
    result = apply(state, "server", "tick", {}, now + 5000)
    assert result.events == ({"type": "over_time", "index": SPEAK_A},)
    assert result.state["over_time"] is True
    assert result.state["index"] == SPEAK_A
    assert view_for(result.state, "b")["step"]["over_time"] is True
    again = apply(result.state, "server", "tick", {}, now + 9000)
    assert again.state["version"] == result.state["version"]


def test_a_pause_keeps_the_time_left_of_a_turn_and_gives_it_back():
    state, now = room_and_time("active", index=SPEAK_A)
    paused = run(state, "b", "pause", {}, now + 2000)
    assert paused["remaining"] == 3000
    assert view_for(paused, "a")["step"]["remaining"] == 3000
    paused = run(paused, "b", "ready", {}, now + 50_000)
    resumed = run(paused, "a", "ready", {}, now + 60_000)
    assert resumed["deadline"] == now + 63_000
    assert resumed["remaining"] is None


def test_sam_mirrors_then_alex_says_that_was_it_then_sam_validates_and_empathizes():
    state = room_in("active", index=REFLECT_A)
    assert state["phase"] == "mirror"
    state = run(state, "b", "done", here(state))
    assert state["phase"] == "check"
    state = run(state, "a", "answer", here(state, value="yes"))
    assert state["phase"] == "validate"
    state = run(state, "b", "done", here(state))
    assert state["phase"] == "empathize"
    state = run(state, "b", "done", here(state))
    assert state["index"] == SPEAK_B
    assert state["phase"] is None


@pytest.mark.parametrize("value", ["not_quite", "more"])
def test_when_alex_says_not_quite_or_more_sam_mirrors_again(value):
    state = room_in("active", index=REFLECT_A)
    state = run(state, "b", "done", here(state))
    result = apply(state, "a", "answer", here(state, value=value), T0)
    assert result.state["phase"] == "mirror"
    assert result.events == ({"type": "phase_started", "index": REFLECT_A, "phase": "mirror"},)


def test_the_speaker_cannot_mirror_for_the_listener():
    state = room_in("active", index=REFLECT_A)
    refusal = apply(state, "a", "done", here(state), T0)
    assert refusal.code == "not_your_turn"
    assert "Sam" in refusal.message


def test_only_the_speaker_answers_did_i_get_it():
    state = room_in("active", index=REFLECT_A)
    state = run(state, "b", "done", here(state))
    assert code_of(state, "b", "answer", here(state, value="yes")) == "not_your_turn"


def test_answering_outside_the_check_phase_is_not_now():
    state = room_in("active", index=REFLECT_A)
    assert code_of(state, "a", "answer", here(state, value="yes")) == "not_now"


def test_done_during_the_check_phase_is_not_now_even_for_the_speaker():
    state = room_in("active", index=REFLECT_A)
    state = run(state, "b", "done", here(state))
    assert code_of(state, "a", "done", here(state)) == "not_now"
    assert code_of(state, "b", "done", here(state)) == "not_now"


def test_an_answer_outside_yes_not_quite_more_is_bad_args():
    state = room_in("active", index=REFLECT_A)
    state = run(state, "b", "done", here(state))
    assert code_of(state, "a", "answer", here(state, value="maybe")) == "bad_args"


def test_a_reflect_action_without_its_phase_is_bad_args():
    state = room_in("active", index=REFLECT_A)
    assert code_of(state, "b", "done", {"step": REFLECT_A}) == "bad_args"


def test_in_the_second_round_sam_speaks_and_alex_reflects():
    state = room_in("active", index=REFLECT_B)
    assert state["steps"][SPEAK_B]["floor"] == "b"
    assert code_of(state, "b", "done", here(state)) == "not_your_turn"
    assert run(state, "a", "done", here(state))["phase"] == "check"


def test_who_speaks_first_can_be_fixed_by_the_protocol():
    state = room_in("active", protocol=short_protocol(first="b"), index=SPEAK_A)
    assert state["steps"][SPEAK_A]["floor"] == "b"
    assert code_of(state, "a", "done", here(state)) == "not_your_turn"
