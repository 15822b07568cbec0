"""A workshop room's raised hand and the group's timer, and rooms outside any workshop.

Alex or Sam can ask Dana over without pausing their room: one hand up at a time, which only
Dana lowers. Dana's group timer shows every room the same countdown; it is the group's
clock, so a room's pause does not stop it, and it never moves anything when it runs out.
Finishing a room clears both. A room that is not part of a workshop refuses all four actions.
"""

from __future__ import annotations

import copy

import pytest

from sessions.engine import allowed_actions, new_state, next_deadline, view_for
from tests.engine.helpers import (
    INFO,
    SPEAK_A,
    T0,
    apply_ok,
    apply_refused,
    code_of,
    room_in,
    run,
    walk_to,
    workshop_room,
)
from tests.support.protocols import short_protocol


def started() -> dict:
    return run(workshop_room(to=SPEAK_A), "host", "start", {})


def test_alex_raises_a_hand_and_everyone_in_the_room_sees_it():
    result = apply_ok(started(), "a", "raise_hand", {}, T0 + 5)
    assert result.events == ({"type": "hand_raised", "seat": "a"},)
    assert result.state["workshop"]["hand"] == {"seat": "a", "at": T0 + 5}
    for role in ("a", "b", "host"):
        assert view_for(result.state, role)["workshop"]["hand"] == {"seat": "a", "at": T0 + 5}


def test_a_second_hand_changes_nothing_until_dana_lowers_the_first():
    state = run(started(), "a", "raise_hand", {})
    again = apply_ok(state, "b", "raise_hand", {}, T0 + 9)
    assert again.state == state and again.events == ()
    assert "raise_hand" not in allowed_actions(state, "b")
    assert allowed_actions(state, "host")[-3:] == ["lower_hand", "pace", "group_timer"]
    lowered = apply_ok(state, "host", "lower_hand", {})
    assert lowered.events == ({"type": "hand_lowered"},)
    assert lowered.state["workshop"]["hand"] is None
    assert "raise_hand" in allowed_actions(lowered.state, "b")


def test_lowering_when_no_hand_is_up_changes_nothing():
    state = started()
    result = apply_ok(state, "host", "lower_hand", {})
    assert result.state == state and result.events == ()
    assert "lower_hand" not in allowed_actions(state, "host")


def test_a_hand_can_go_up_before_the_start_and_during_a_pause():
    waiting = run(workshop_room(), "b", "raise_hand", {})
    assert waiting["workshop"]["hand"]["seat"] == "b"
    paused = run(run(started(), "a", "pause", {}), "b", "raise_hand", {})
    assert paused["status"] == "paused" and paused["workshop"]["hand"]["seat"] == "b"


def test_only_the_partners_raise_a_hand_and_only_dana_lowers_it():
    state = started()
    assert code_of(state, "host", "raise_hand", {}) == "partners_only"
    up = run(state, "a", "raise_hand", {})
    assert code_of(up, "a", "lower_hand", {}) == "host_only"
    assert code_of(up, "b", "lower_hand", {}) == "host_only"


def test_dana_starts_the_group_timer_and_every_room_counts_to_the_same_moment():
    result = apply_ok(started(), "host", "group_timer", {"seconds": 300}, T0 + 1_000)
    timer = {"started_at": T0 + 1_000, "ends_at": T0 + 301_000, "seconds": 300}
    assert result.state["workshop"]["timer"] == timer
    assert result.events == ({"type": "group_timer", "seconds": 300},)
    assert view_for(result.state, "b")["workshop"]["timer"] == timer


def test_starting_the_timer_again_restarts_it_from_now_and_clearing_stops_it():
    state = run(started(), "host", "group_timer", {"seconds": 60}, T0)
    state = run(state, "host", "group_timer", {"seconds": 60}, T0 + 20_000)
    assert state["workshop"]["timer"]["ends_at"] == T0 + 80_000
    cleared = apply_ok(state, "host", "group_timer", {}, T0 + 21_000)
    assert cleared.state["workshop"]["timer"] is None
    assert cleared.events == ({"type": "group_timer", "seconds": None},)
    again = apply_ok(cleared.state, "host", "group_timer", {}, T0 + 22_000)
    assert again.state == cleared.state and again.events == ()


@pytest.mark.parametrize("seconds", [10, 3600])
def test_the_timer_takes_ten_seconds_to_an_hour(seconds):
    state = run(started(), "host", "group_timer", {"seconds": seconds})
    assert state["workshop"]["timer"]["seconds"] == seconds


@pytest.mark.parametrize(
    "args",
    [
        {"seconds": 9},
        {"seconds": 3601},
        {"seconds": 0},
        {"seconds": -60},
        {"seconds": 60.0},
        {"seconds": "60"},
        {"seconds": True},
        {"seconds": None},
        {"minutes": 5},
    ],
)
def test_a_malformed_timer_is_refused_as_bad_args_and_changes_nothing(args):
    state = run(started(), "host", "group_timer", {"seconds": 120})
    assert code_of(state, "host", "group_timer", args) == "bad_args"


@pytest.mark.parametrize("action", ["raise_hand", "lower_hand"])
def test_a_hand_takes_no_arguments(action):
    refused = apply_refused(started(), "a" if action == "raise_hand" else "host", action, {"x": 1})
    assert refused.code == "bad_args"


def test_a_pause_does_not_stop_the_group_timer_and_it_is_never_a_deadline():
    state = run(started(), "host", "group_timer", {"seconds": 30}, T0)
    timer = state["workshop"]["timer"]
    assert next_deadline(state) is None, "the info step has no clock, the timer is none"
    paused = run(state, "a", "pause", {}, T0 + 1_000)
    assert paused["workshop"]["timer"] == timer
    later = apply_ok(paused, "server", "tick", {}, T0 + 60_000)
    assert later.state == paused, "nothing happens when it runs out"
    resumed = run(run(paused, "a", "ready", {}, T0 + 61_000), "b", "ready", {}, T0 + 61_000)
    assert resumed["workshop"]["timer"] == timer


def test_ending_the_room_clears_the_hand_and_the_timer():
    state = run(run(started(), "a", "raise_hand", {}), "host", "group_timer", {"seconds": 90})
    ended = run(state, "b", "end", {})
    assert ended["workshop"]["hand"] is None and ended["workshop"]["timer"] is None
    assert code_of(ended, "a", "raise_hand", {}) == "finished"
    assert code_of(ended, "host", "group_timer", {"seconds": 90}) == "finished"
    assert allowed_actions(ended, "host") == []


def test_completing_the_room_clears_the_hand_and_the_timer():
    state = run(workshop_room(to=6), "host", "start", {})
    state = run(run(state, "b", "raise_hand", {}), "host", "group_timer", {"seconds": 90})
    state, _ = walk_to(state, len(state["steps"]))
    assert state["status"] == "completed"
    assert state["workshop"] == {
        "paced": True,
        "to": 6,
        "held": False,
        "hand": None,
        "timer": None,
    }


@pytest.mark.parametrize(
    ("actor", "action", "args"),
    [
        ("a", "raise_hand", {}),
        ("host", "lower_hand", {}),
        ("host", "pace", {"step": 1}),
        ("host", "group_timer", {"seconds": 60}),
        ("host", "group_timer", {}),
    ],
)
def test_a_session_outside_any_workshop_refuses_the_workshop_actions(actor, action, args):
    state = room_in("active", hosted=True, index=INFO)
    refused = apply_refused(state, actor, action, args)
    assert refused.code == "not_now"
    assert refused.message == "This session is not part of a workshop."
    assert view_for(state, "a")["workshop"] is None
    for role in ("a", "b", "host"):
        assert not {"raise_hand", "lower_hand", "pace", "group_timer"} & set(
            allowed_actions(state, role)
        )


def test_a_room_stored_before_workshops_reads_as_outside_any_workshop():
    state = room_in("active", hosted=True, index=INFO)
    old = copy.deepcopy(state)
    del old["workshop"]
    assert view_for(old, "host")["workshop"] is None
    assert code_of(old, "a", "raise_hand", {}) == "not_now"
    noop = apply_ok(old, "host", "say", {"text": ""})
    assert noop.state["version"] == old["version"], "a no-op stays a no-op"


@pytest.mark.parametrize(
    "workshop",
    [
        {},
        {"paced": "yes"},
        {"paced": True, "to": 7},
        {"paced": True, "to": -1},
        {"paced": True, "to": True},
        {"paced": True, "colour": "blue"},
        ["paced"],
    ],
)
def test_a_workshop_room_is_made_only_from_a_well_formed_block(workshop):
    with pytest.raises(ValueError):
        new_state(short_protocol(), 7, T0, hosted=True, host_name="Dana", workshop=workshop)


def test_in_a_workshop_room_the_couple_reads_that_their_facilitator_called_the_break():
    state = run(workshop_room(), "host", "start", {})
    state = run(state, "host", "pause", {"reason": "flooding"})
    for seat in ("a", "b"):
        assert view_for(state, seat)["pause"]["line"] == "Your facilitator called a longer break."
    assert view_for(state, "host")["pause"]["line"] == "You called a longer break for Alex and Sam."
