"""Moving through steps: next, skip, back, end, completing — and races that must not skip."""

import pytest

from sessions.engine import apply
from tests.engine.helpers import (
    BREATHE,
    CHECKIN,
    INFO,
    REFLECT_A,
    REFLECT_B,
    SPEAK_A,
    SPEAK_B,
    T0,
    both_next,
    code_of,
    feeling,
    finish_step,
    here,
    room_and_time,
    room_in,
    run,
)


def test_the_partners_together_or_the_counselor_alone_move_past_an_info_step():
    state = room_in("active", hosted=True, index=INFO)
    assert both_next(state, first="a")["index"] == CHECKIN
    assert both_next(state, first="b")["index"] == CHECKIN
    assert run(state, "host", "next", here(state))["index"] == CHECKIN


def test_next_on_a_step_that_ends_otherwise_is_not_now():
    for index in (BREATHE, SPEAK_A, REFLECT_A):
        state = room_in("active", index=index)
        assert code_of(state, "a", "next", here(state)) == "not_now"


def test_two_partners_tapping_next_at_once_move_one_step_not_two():
    state = room_in("active", index=INFO)
    alex_tap, sam_tap = here(state), here(state)
    state = run(state, "a", "next", alex_tap)
    state = run(state, "b", "next", sam_tap)
    assert state["index"] == CHECKIN
    assert code_of(state, "a", "next", alex_tap) == "stale"
    assert code_of(state, "b", "next", sam_tap) == "stale"
    assert state["index"] == CHECKIN


def test_a_done_that_races_a_skip_is_refused_rather_than_landing_on_the_next_step():
    state = room_in("active", hosted=True, index=SPEAK_A)
    alex_done = here(state)
    state = run(state, "host", "skip", here(state))
    assert state["index"] == REFLECT_A
    assert code_of(state, "a", "done", alex_done) == "stale"


def test_a_reflect_action_meant_for_an_earlier_phase_is_stale():
    state = room_in("active", index=REFLECT_A)
    mirror_done = here(state)
    state = run(state, "b", "done", mirror_done)
    assert code_of(state, "b", "done", mirror_done) == "stale"


def test_a_phase_sent_for_a_step_without_phases_is_stale():
    state = room_in("active", index=SPEAK_A)
    assert code_of(state, "a", "done", {"step": SPEAK_A, "phase": "mirror"}) == "stale"


def test_the_counselor_skips_and_goes_back_whole_steps():
    state = room_in("active", hosted=True, index=REFLECT_A)
    state = run(state, "b", "done", here(state))
    state = run(state, "host", "skip", here(state))
    assert (state["index"], state["phase"]) == (SPEAK_B, None)
    state = run(state, "host", "back", here(state))
    assert (state["index"], state["phase"]) == (REFLECT_A, "mirror")


def test_going_back_to_a_check_in_starts_it_fresh():
    state = room_in("active", hosted=True, index=BREATHE)
    assert state["checkins"][str(CHECKIN)]["a"] is not None
    state = run(state, "host", "back", here(state))
    assert state["index"] == CHECKIN
    assert state["checkins"][str(CHECKIN)] == {"a": None, "b": None}
    assert state["breathing"] is None


def test_skip_and_back_are_for_the_counselor_only():
    state = room_in("active", hosted=True, index=CHECKIN)
    assert code_of(state, "a", "skip", here(state)) == "host_only"
    assert code_of(state, "b", "back", here(state)) == "host_only"


def test_there_is_nothing_before_the_first_step():
    state = room_in("active", hosted=True, index=INFO)
    assert code_of(state, "host", "back", here(state)) == "not_now"


def test_moving_past_the_last_step_completes_the_session():
    state, now = room_and_time("active", index=REFLECT_B)
    result_state, _ = finish_step(state, now)
    assert result_state["status"] == "completed"
    assert result_state["deadline"] is None
    assert result_state["index"] == REFLECT_B


def test_the_counselor_skipping_the_last_step_completes_the_session():
    state = room_in("active", hosted=True, index=REFLECT_B)
    result = apply(state, "host", "skip", here(state), T0)
    assert result.state["status"] == "completed"
    assert result.events == ({"type": "completed"},)


@pytest.mark.parametrize("status", ["waiting", "active", "paused"])
def test_either_partner_may_end_early_and_any_pause_is_cleared(status):
    state = room_in(status, index=BREATHE)
    result = apply(state, "b", "end", {}, T0 + 10**6)
    assert result.state["status"] == "ended"
    assert result.state["pause"] is None
    assert result.state["deadline"] is None
    assert result.state["breathing"] is None
    assert result.events[0]["type"] == "ended"


def test_ending_a_paused_session_records_how_long_the_pause_lasted():
    state, now = room_and_time("paused")
    result = apply(state, "a", "end", {}, now + 1234)
    assert result.events[0]["paused_ms"] == 1234


@pytest.mark.parametrize("status", ["completed", "ended"])
def test_a_finished_session_stays_finished(status):
    state = room_in(status)
    assert code_of(state, "a", "end") == "finished"
    assert code_of(state, "a", "start") == "finished"
    assert code_of(state, "a", "next", here(state)) == "finished"
    late = apply(state, "server", "tick", {}, T0 + 10**9)
    assert late.state == state


def test_a_step_action_without_its_step_is_bad_args():
    state = room_in("active", index=INFO)
    assert code_of(state, "a", "next", {}) == "bad_args"
    assert code_of(state, "a", "next", {"step": "0"}) == "bad_args"
    assert code_of(state, "a", "next", {"step": -1}) == "bad_args"


def test_an_unknown_action_is_refused_before_anything_else():
    state = room_in("completed")
    assert code_of(state, "a", "dance", {"step": "nonsense"}) == "unknown_action"


def test_unknown_keys_are_refused_as_bad_args_with_the_key_named():
    state = room_in("active", index=CHECKIN)
    result = apply(state, "a", "checkin", here(state, **feeling(), mood="ok"), T0)
    assert result.code == "bad_args"
    assert "mood" in result.message


def test_every_accepted_change_raises_the_version_by_one():
    state = room_in("active", index=INFO)
    result = apply(state, "a", "next", here(state), T0)
    assert result.state["version"] == state["version"] + 1
