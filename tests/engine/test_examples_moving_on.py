"""Moving on needs both: a step that ends by a tap waits until Alex and Sam are both ready.

One partner's "Continue" must never carry the other along: each ``next`` says "I'm ready to
move on", the room moves when both have said it, either may take it back, and the counselor
can still move the room. A protocol may mark a step ``advance = "either"`` where one tap is
right.
"""

import pytest

from sessions.engine import expand_steps, view_for
from tests.engine.helpers import (
    BREATHE,
    CHECKIN,
    INFO,
    REFLECT_A,
    SPEAK_A,
    apply_ok,
    both_next,
    code_of,
    feeling,
    here,
    room_in,
    run,
    started_room,
)
from tests.support.protocols import short_protocol


def either_protocol() -> dict:
    """The short protocol with its info and check-in steps saying one tap is enough."""
    protocol = short_protocol()
    for step in protocol["steps"][:2]:
        step["advance"] = "either"
    return protocol


def revealed_checkin(*, hosted: bool = False) -> dict:
    state = room_in("active", hosted=hosted, index=CHECKIN)
    state = run(state, "a", "checkin", here(state, **feeling()))
    return run(state, "b", "checkin", here(state, **feeling("mobilized", 6)))


def test_alex_tapping_next_alone_does_not_move_sam_on():
    state = room_in("active", index=INFO)
    result = apply_ok(state, "a", "next", here(state))
    assert result.state["index"] == INFO
    assert result.state["moving_on"] == ["a"]
    assert result.events == ({"type": "moving_on", "seat": "a", "index": INFO},)


def test_the_room_moves_on_when_sam_taps_too():
    state = room_in("active", index=INFO)
    state = run(state, "a", "next", here(state))
    result = apply_ok(state, "b", "next", here(state))
    assert result.state["index"] == CHECKIN
    assert result.events[0] == {"type": "moving_on", "seat": "b", "index": INFO}
    assert result.events[1] == {"type": "step_started", "index": CHECKIN, "kind": "checkin"}


def test_the_step_entered_starts_with_nobody_moving_on():
    state = both_next(room_in("active", index=INFO))
    assert state["moving_on"] == []
    assert view_for(state, "a")["step"]["moving_on"] == []


def test_alex_tapping_next_twice_is_a_no_op_and_still_waits_for_sam():
    state = room_in("active", index=INFO)
    once = run(state, "a", "next", here(state))
    twice = apply_ok(once, "a", "next", here(once))
    assert twice.state == once
    assert twice.events == ()


def test_a_revealed_check_in_waits_for_both_to_move_on():
    state = revealed_checkin()
    state = run(state, "b", "next", here(state))
    assert state["index"] == CHECKIN
    assert view_for(state, "a")["step"]["moving_on"] == ["b"]
    assert run(state, "a", "next", here(state))["index"] == BREATHE


def test_moving_on_before_the_reveal_is_still_not_now():
    state = both_next(room_in("active", index=INFO))
    state = run(state, "a", "checkin", here(state, **feeling()))
    assert code_of(state, "a", "next", here(state)) == "not_now"


def test_alex_can_take_his_tap_back_with_not_yet():
    state = room_in("active", index=INFO)
    state = run(state, "a", "next", here(state))
    result = apply_ok(state, "a", "not_yet", here(state))
    assert result.state["moving_on"] == []
    assert result.events == ({"type": "not_yet", "seat": "a", "index": INFO},)
    # Sam's tap then only says Sam is ready: nobody is carried on.
    assert run(result.state, "b", "next", here(result.state))["index"] == INFO


def test_not_yet_without_a_tap_to_take_back_is_a_no_op():
    state = room_in("active", index=INFO)
    result = apply_ok(state, "b", "not_yet", here(state))
    assert result.state == state and result.events == ()


@pytest.mark.parametrize("index", [BREATHE, SPEAK_A, REFLECT_A])
def test_not_yet_on_a_step_that_does_not_end_by_a_tap_is_not_now(index):
    state = room_in("active", index=index)
    assert code_of(state, "a", "not_yet", here(state)) == "not_now"


def test_dana_cannot_take_back_a_partners_tap():
    state = room_in("active", hosted=True, index=INFO)
    state = run(state, "a", "next", here(state))
    assert code_of(state, "host", "not_yet", here(state)) == "partners_only"


def test_not_yet_meant_for_a_step_the_room_has_left_is_stale():
    state = room_in("active", index=INFO)
    alex_tap = here(state)
    state = both_next(state)
    assert code_of(state, "a", "not_yet", alex_tap) == "stale"


def test_dana_moves_the_room_on_at_once():
    state = room_in("active", hosted=True, index=INFO)
    result = apply_ok(state, "host", "next", here(state))
    assert result.state["index"] == CHECKIN
    assert result.events == ({"type": "step_started", "index": CHECKIN, "kind": "checkin"},)


def test_dana_moves_the_room_on_even_when_only_sam_is_ready():
    state = room_in("active", hosted=True, index=INFO)
    state = run(state, "b", "next", here(state))
    state = run(state, "host", "next", here(state))
    assert state["index"] == CHECKIN and state["moving_on"] == []


def test_on_an_either_step_one_tap_moves_the_room_on():
    state = started_room(either_protocol())
    result = apply_ok(state, "b", "next", here(state))
    assert result.state["index"] == CHECKIN
    assert result.state["moving_on"] == []
    assert [event["type"] for event in result.events] == ["step_started"]


def test_on_an_either_step_two_taps_at_once_move_one_step_not_two():
    state = started_room(either_protocol())
    alex_tap, sam_tap = here(state), here(state)
    state = run(state, "a", "next", alex_tap)
    assert code_of(state, "b", "next", sam_tap) == "stale"
    assert state["index"] == CHECKIN


def test_an_either_check_in_still_waits_for_both_answers():
    state = started_room(either_protocol())
    state = run(state, "a", "next", here(state))
    state = run(state, "a", "checkin", here(state, **feeling()))
    assert code_of(state, "a", "next", here(state)) == "not_now"
    state = run(state, "b", "checkin", here(state, **feeling()))
    assert run(state, "a", "next", here(state))["index"] == BREATHE


def test_a_pause_keeps_alexs_tap_and_refuses_moving_on_until_both_are_ready():
    state = room_in("active", index=INFO)
    state = run(state, "a", "next", here(state))
    state = run(state, "b", "pause", {})
    assert state["moving_on"] == ["a"]
    assert code_of(state, "b", "next", here(state)) == "paused"
    assert code_of(state, "a", "not_yet", here(state)) == "paused"
    state = run(run(state, "a", "ready", {}), "b", "ready", {})
    assert state["status"] == "active" and state["moving_on"] == ["a"]
    assert run(state, "b", "next", here(state))["index"] == CHECKIN


def test_a_new_device_on_alexs_seat_has_to_tap_again():
    state = room_in("active", index=INFO)
    state = run(state, "a", "next", here(state))
    state = run(state, "server", "seat", {"seat": "a", "name": "Alex", "claimed": True})
    assert state["moving_on"] == []


def test_a_released_seat_loses_its_tap():
    state = room_in("active", index=INFO)
    state = run(state, "a", "next", here(state))
    state = run(state, "server", "seat", {"seat": "a", "claimed": False})
    assert state["moving_on"] == []


def test_a_phone_locking_for_a_moment_keeps_the_tap():
    state = room_in("active", index=INFO)
    state = run(state, "a", "next", here(state))
    state = run(state, "server", "presence", {"seat": "a", "connected": False})
    state = run(state, "server", "presence", {"seat": "a", "connected": True})
    assert state["moving_on"] == ["a"]


def test_going_back_or_skipping_clears_who_was_moving_on():
    state = revealed_checkin(hosted=True)
    state = run(state, "a", "next", here(state))
    back = run(state, "host", "back", here(state))
    assert back["index"] == INFO and back["moving_on"] == []
    skipped = run(state, "host", "skip", here(state))
    assert skipped["index"] == BREATHE and skipped["moving_on"] == []


def test_the_view_says_how_the_step_moves_on_and_who_is_ready():
    state = room_in("active", index=INFO)
    state = run(state, "b", "next", here(state))
    for role in ("a", "b"):
        step = view_for(state, role)["step"]
        assert step["advance"] == "both"
        assert step["moving_on"] == ["b"]
    breathing = room_in("active", index=BREATHE)
    assert view_for(breathing, "a")["step"]["advance"] is None
    assert view_for(started_room(either_protocol()), "b")["step"]["advance"] == "either"


def test_expanded_steps_carry_their_rule_and_the_default_is_both():
    steps = expand_steps(either_protocol(), seed=1)
    assert [step["advance"] for step in steps[:3]] == ["either", "either", None]
    steps = expand_steps(short_protocol(), seed=1)
    assert [step["advance"] for step in steps[:3]] == ["both", "both", None]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ({"kind": "breathe", "advance": "both"}, "'advance' fits only steps that end by a tap"),
        ({"kind": "info", "advance": "one"}, "'advance' must be both or either"),
    ],
)
def test_a_hand_built_protocol_with_a_misplaced_rule_cannot_run(step, message):
    protocol = short_protocol()
    target = next(s for s in protocol["steps"] if s["kind"] == step["kind"])
    target["advance"] = step["advance"]
    with pytest.raises(ValueError, match=message):
        expand_steps(protocol, seed=1)
