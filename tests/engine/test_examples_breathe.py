"""Breathing steps: a shared schedule in server time that ends by itself."""

from sessions.engine import apply, next_deadline, view_for
from tests.engine.helpers import BREATHE, SPEAK_A, T0, code_of, here, room_in, run


def at_breathe():
    return room_in("active", index=BREATHE)


def test_breathing_starts_after_a_lead_in_and_lasts_its_cycles():
    state = at_breathe()
    assert state["breathing"] == {
        "start": T0 + 3000,
        "pattern": {"inhale": 1.0, "hold_in": 0.0, "exhale": 1.0, "hold_out": 0.0},
        "cycles": 2,
    }
    assert state["deadline"] == T0 + 3000 + 2 * 2000
    assert next_deadline(state) == state["deadline"]


def test_the_breathing_step_ends_by_itself_when_the_schedule_is_over():
    state = at_breathe()
    early = apply(state, "server", "tick", {}, state["deadline"] - 1)
    assert early.state["version"] == state["version"]
    assert early.events == ()
    done = apply(state, "server", "tick", {}, state["deadline"])
    assert done.state["index"] == SPEAK_A
    assert done.state["breathing"] is None


def test_sam_may_sit_a_round_out_and_alex_sees_he_is_resting():
    state = at_breathe()
    result = apply(state, "b", "sit_out", here(state), T0)
    assert result.events == ({"type": "sat_out", "seat": "b", "index": BREATHE},)
    assert view_for(result.state, "a")["seats"]["b"]["resting"] is True
    assert result.state["deadline"] == state["deadline"]


def test_sitting_out_twice_changes_nothing():
    state = run(at_breathe(), "b", "sit_out", here(at_breathe()))
    again = apply(state, "b", "sit_out", here(state), T0)
    assert again.state["version"] == state["version"]
    assert again.events == ()


def test_resting_ends_with_the_breathing_step():
    state = run(at_breathe(), "b", "sit_out", here(at_breathe()))
    state = run(state, "server", "tick", {}, state["deadline"])
    assert state["seats"]["b"]["resting"] is False


def test_sitting_out_is_only_for_breathing_steps():
    state = room_in("active", index=SPEAK_A)
    assert code_of(state, "a", "sit_out", here(state)) == "not_now"


def test_a_pause_keeps_the_cycles_left_and_the_interrupted_one_restarts_after_a_lead_in():
    state = at_breathe()
    start = state["breathing"]["start"]
    # 1.5 cycles in: the first cycle is done, the second is interrupted.
    paused = run(state, "a", "pause", {}, start + 3000)
    assert paused["breathing"] is None
    assert paused["deadline"] is None
    assert paused["remaining"] == 2000
    resumed_at = start + 60_000
    paused = run(paused, "a", "ready", {}, resumed_at)
    resumed = run(paused, "b", "ready", {}, resumed_at)
    assert resumed["breathing"]["cycles"] == 1
    assert resumed["breathing"]["start"] == resumed_at + 3000
    assert resumed["deadline"] == resumed_at + 3000 + 2000


def test_a_pause_during_the_lead_in_keeps_every_cycle():
    state = at_breathe()
    paused = run(state, "a", "pause", {}, T0 + 1000)
    assert paused["remaining"] == 2 * 2000
