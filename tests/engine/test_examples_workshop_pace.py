"""Dana's paced workshop, seen from Alex and Sam's room: the group's gate and her pace.

In a paced workshop a room moves on by itself only up to the group's step (``workshop.to``);
finishing that step holds it there, with nothing running, until Dana starts the next step
for everyone. A paused room is never moved by her pace: it stays paused and joins the group's
step when Alex and Sam resume. A room that starts late catches up by itself. Dana's own
``skip`` and ``next`` inside one room are not gated.
"""

from __future__ import annotations

import pytest

from sessions.engine import allowed_actions, next_deadline
from tests.engine.helpers import (
    BREATHE,
    CHECKIN,
    INFO,
    REFLECT_B,
    SPEAK_A,
    T0,
    apply_ok,
    apply_refused,
    both_next,
    code_of,
    finish_step,
    here,
    run,
    walk_to,
    workshop_room,
)


def started(to: int = INFO, paced: bool = True) -> dict:
    return run(workshop_room(paced=paced, to=to), "host", "start", {})


def held_at(index: int) -> tuple[dict, int]:
    """Alex and Sam have finished step ``index``, which is the group's step."""
    state, now = walk_to(started(to=index), index)
    state, now = finish_step(state, now)
    assert state["workshop"]["held"] and state["index"] == index
    return state, now


def test_finishing_the_groups_step_holds_alex_and_sam_there_with_nothing_running():
    state = started(to=INFO)
    state = run(state, "a", "next", here(state))
    result = apply_ok(state, "b", "next", here(state))
    held = result.state
    assert held["index"] == INFO and held["status"] == "active"
    assert held["workshop"]["held"] is True
    assert held["moving_on"] == []
    assert result.events[-1] == {"type": "held", "index": INFO}
    assert next_deadline(held) is None


def test_a_breathing_step_that_runs_out_at_the_gate_is_held_with_its_clocks_cleared():
    state, now = held_at(BREATHE)
    assert state["breathing"] is None and state["deadline"] is None
    assert state["remaining"] is None
    assert next_deadline(state) is None
    # A tick long after changes nothing: the room waits for Dana.
    assert apply_ok(state, "server", "tick", {}, now + 600_000).state == state


def test_a_held_room_refuses_alex_and_sams_step_actions_kindly():
    state, now = held_at(CHECKIN)
    refused = apply_refused(state, "a", "next", here(state), now)
    assert refused.code == "not_now"
    assert "facilitator will start the next one" in refused.message
    assert code_of(state, "b", "not_yet", here(state), now) == "not_now"
    assert code_of(state, "host", "next", here(state), now) == "not_now"
    assert allowed_actions(state, "a") == ["pause", "end", "raise_hand"]
    assert "skip" in allowed_actions(state, "host") and "back" in allowed_actions(state, "host")


def test_dana_pacing_the_group_on_starts_the_next_step_for_a_held_room():
    state, now = held_at(INFO)
    result = apply_ok(state, "host", "pace", {"step": CHECKIN}, now)
    assert [event["type"] for event in result.events] == ["paced", "step_started"]
    assert result.events[0] == {"type": "paced", "index": CHECKIN}
    assert result.state["index"] == CHECKIN
    assert result.state["workshop"]["to"] == CHECKIN
    assert result.state["workshop"]["held"] is False


def test_a_room_still_behind_the_new_step_is_moved_straight_to_it():
    state = started(to=INFO)  # Alex and Sam are still reading the first step
    state = run(state, "a", "next", here(state))
    state = run(state, "host", "pace", {"step": SPEAK_A})
    assert state["index"] == SPEAK_A and state["moving_on"] == []
    assert state["deadline"] is not None, "the step entered starts fresh, with its clock"


def test_a_paused_room_stays_paused_when_dana_paces_and_joins_her_step_on_resume():
    state = run(started(to=INFO), "a", "pause", {})
    paced = apply_ok(state, "host", "pace", {"step": BREATHE}, T0 + 1_000)
    assert [event["type"] for event in paced.events] == ["paced"]
    state = paced.state
    assert state["status"] == "paused" and state["index"] == INFO
    assert state["workshop"]["to"] == BREATHE
    state = run(state, "a", "ready", {}, T0 + 2_000)
    result = apply_ok(state, "b", "ready", {}, T0 + 3_000)
    assert [event["type"] for event in result.events] == ["ready", "resumed", "step_started"]
    assert result.state["status"] == "active" and result.state["index"] == BREATHE
    assert result.state["breathing"]["start"] > T0 + 3_000


def test_dana_resuming_a_paused_room_for_both_also_takes_it_to_the_groups_step():
    state = run(started(to=INFO), "b", "pause", {"reason": "flooding"})
    state = run(state, "host", "pace", {"step": CHECKIN})
    result = apply_ok(state, "host", "resume", {"override": ["a", "b"]})
    assert result.events[0]["by"] == "host" and result.events[0]["overrode"] == ["a", "b"]
    assert result.events[1] == {"type": "step_started", "index": CHECKIN, "kind": "checkin"}
    assert result.state["index"] == CHECKIN


def test_a_held_room_paused_and_resumed_without_a_new_step_stays_held():
    state, now = held_at(BREATHE)
    state = run(state, "a", "pause", {}, now)
    assert state["remaining"] is None, "nothing left to freeze"
    state = run(state, "a", "ready", {}, now)
    state = run(state, "b", "ready", {}, now)
    assert state["status"] == "active" and state["workshop"]["held"]
    assert state["index"] == BREATHE and state["breathing"] is None


def test_a_waiting_room_only_records_the_groups_step():
    state = workshop_room(to=INFO)
    result = apply_ok(state, "host", "pace", {"step": SPEAK_A})
    assert result.state["status"] == "waiting" and result.state["index"] == INFO
    assert result.state["workshop"]["to"] == SPEAK_A
    assert result.events == ({"type": "paced", "index": SPEAK_A},)


def test_a_couple_starting_late_begins_at_the_start_and_catches_up_to_the_group():
    state = run(workshop_room(to=SPEAK_A), "host", "start", {})
    assert state["index"] == INFO
    state, now = walk_to(state, SPEAK_A)
    assert state["index"] == SPEAK_A and not state["workshop"]["held"]
    state, now = finish_step(state, now)
    assert state["index"] == SPEAK_A and state["workshop"]["held"]


def test_danas_skip_and_next_inside_one_room_pass_the_gate():
    state = started(to=INFO)
    state = run(state, "host", "next", here(state))
    assert state["index"] == CHECKIN, "her next moves the room at once, past the group's step"
    state = run(state, "host", "skip", here(state))
    assert state["index"] == BREATHE and not state["workshop"]["held"]
    state, now = finish_step(state)
    assert state["index"] == BREATHE and state["workshop"]["held"], "then it waits again"


def test_dana_can_still_skip_or_go_back_in_a_held_room():
    state, now = held_at(CHECKIN)
    skipped = run(state, "host", "skip", here(state), now)
    assert skipped["index"] == BREATHE and not skipped["workshop"]["held"]
    back = run(state, "host", "back", here(state), now)
    assert back["index"] == INFO and not back["workshop"]["held"]
    back = both_next(back, now)
    assert back["index"] == CHECKIN, "the group's step is still open to them"


def test_an_older_step_arriving_late_changes_nothing_for_alex_and_sam():
    state = run(started(to=SPEAK_A), "host", "pace", {"step": BREATHE})
    lower = apply_ok(state, "host", "pace", {"step": INFO})
    assert lower.state == state and lower.events == (), "the group's step never goes back"
    again = apply_ok(state, "host", "pace", {"step": BREATHE})
    assert again.state == state and again.events == ()


def test_a_paused_room_reached_by_two_waves_out_of_order_resumes_on_the_later_step():
    state = run(started(to=INFO), "a", "pause", {})
    state = run(state, "host", "pace", {"step": BREATHE})  # Dana's second "Next step"
    state = run(state, "host", "pace", {"step": CHECKIN})  # ...overtaken by her first
    assert state["workshop"]["to"] == BREATHE
    state = run(state, "a", "ready", {})
    state = run(state, "b", "ready", {})
    assert state["status"] == "active" and state["index"] == BREATHE


def test_finishing_the_last_step_completes_the_room_whatever_the_gate():
    state = started(to=INFO)
    while state["index"] < REFLECT_B:  # Dana takes this room to the last step by hand
        state = run(state, "host", "skip", here(state))
    assert state["workshop"]["to"] == INFO and not state["workshop"]["held"]
    state, _ = finish_step(state)
    assert state["status"] == "completed"
    assert state["workshop"]["held"] is False


def test_a_self_paced_workshop_room_never_holds_and_refuses_pace():
    state = started(to=INFO, paced=False)
    state = both_next(state)
    assert state["index"] == CHECKIN and not state["workshop"]["held"]
    refused = apply_refused(state, "host", "pace", {"step": BREATHE})
    assert refused.code == "not_now" and "own pace" in refused.message
    assert "pace" not in allowed_actions(state, "host")


@pytest.mark.parametrize(
    "args",
    [
        {"step": 7},
        {"step": 99},
        {"step": -1},
        {"step": "1"},
        {"step": 1.0},
        {"step": True},
        {"step": None},
        {},
        {"step": 1, "phase": "mirror"},
        {"step": 1, "everyone": True},
    ],
)
def test_a_malformed_pace_is_refused_as_bad_args_and_changes_nothing(args):
    state = started(to=INFO)
    assert code_of(state, "host", "pace", args) == "bad_args"


def test_only_dana_paces_the_group():
    state = started(to=INFO)
    assert code_of(state, "a", "pace", {"step": CHECKIN}) == "host_only"
    assert code_of(state, "server", "pace", {"step": CHECKIN}) == "unknown_action"
