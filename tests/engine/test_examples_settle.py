"""Time passes before an input: a tap meets the room as it really is at that moment.

A server timer can be late; these examples show that a person's input is still applied after
whatever fell due, with the server's tick and the input kept apart for the event log.
"""

import copy

import pytest

from sessions.engine import Accepted, Rejected, apply, apply_at, next_deadline, settle
from tests.engine.helpers import BREATHE, INFO, SPEAK_A, T0, here, room_and_time, room_in, run

GRACE = 15_000


def test_with_nothing_due_settling_hands_back_the_same_room():
    state, now = room_and_time("active", index=BREATHE)
    settled = settle(state, now)
    assert settled.state is state
    assert settled.events == ()


def test_an_overdue_breathing_round_ends_before_alexs_tap():
    state = room_in("active", index=BREATHE)
    due = next_deadline(state)
    before = copy.deepcopy(state)

    ticked, result = apply_at(state, "a", "done", {"step": SPEAK_A}, due + 50)

    assert state == before, "apply_at must not modify its input"
    assert ticked.state["index"] == SPEAK_A
    assert ticked.state["version"] == state["version"] + 1
    assert {"type": "step_started", "index": SPEAK_A, "kind": "speak"} in ticked.events
    assert isinstance(result, Accepted)
    assert result.state["version"] == state["version"] + 2
    assert result.state["index"] == SPEAK_A + 1


def test_the_tick_stands_when_sams_late_sit_out_is_refused():
    state = room_in("active", index=BREATHE)
    ticked, result = apply_at(state, "b", "sit_out", {"step": BREATHE}, next_deadline(state))
    assert isinstance(result, Rejected) and result.code == "stale"
    assert ticked.state["index"] == SPEAK_A


def test_alex_gone_past_the_grace_has_paused_the_room_before_sam_taps_next():
    state = run(
        room_in("active", index=INFO), "server", "presence", {"seat": "a", "connected": False}
    )
    ticked, result = apply_at(state, "b", "next", {"step": INFO}, T0 + GRACE)
    assert ticked.state["status"] == "paused"
    assert ticked.state["pause"]["seat"] == "a"
    assert isinstance(result, Rejected) and result.code == "paused"


def test_nothing_falls_due_while_paused():
    state = room_in("paused", index=BREATHE)
    far_later = T0 + 10**9
    assert settle(state, far_later).state is state
    ticked, result = apply_at(state, "a", "ready", {}, far_later)
    assert ticked.state is state
    assert result == apply(state, "a", "ready", {}, far_later)


def test_an_input_in_time_is_applied_exactly_as_apply_would():
    state = room_in("active", index=INFO)
    ticked, result = apply_at(state, "b", "next", here(state), T0 + 1)
    assert ticked.state is state and ticked.events == ()
    assert result == apply(state, "b", "next", here(state), T0 + 1)


def test_a_server_tick_is_itself_the_time_passing_and_is_applied_once():
    state = room_in("active", index=BREATHE)
    due = next_deadline(state)
    ticked, result = apply_at(state, "server", "tick", {}, due)
    assert ticked.state is state and ticked.events == ()
    assert result == apply(state, "server", "tick", {}, due)
    assert result.state["index"] == SPEAK_A


def test_settling_needs_an_int_time():
    with pytest.raises(ValueError, match="now must be epoch milliseconds"):
        settle(room_in("active"), 1.5e12)
