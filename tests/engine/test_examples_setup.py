"""Creating a session: steps expanded from the protocol, chance drawn from the seed."""

import json

import pytest

from sessions.engine import DEFAULT_SETTINGS, REJECTION_CODES, expand_steps, new_state
from tests.engine.helpers import T0, new_room
from tests.support.protocols import short_protocol


def random_first_protocol():
    protocol = short_protocol()
    protocol["steps"][3]["first"] = "random"
    return protocol


def test_the_same_seed_always_gives_the_same_first_speaker():
    first = [expand_steps(random_first_protocol(), seed)[3]["floor"] for seed in range(20)]
    again = [expand_steps(random_first_protocol(), seed)[3]["floor"] for seed in range(20)]
    assert first == again
    assert set(first) == {"a", "b"}


def test_each_partner_holds_the_floor_once_in_a_block():
    steps = expand_steps(short_protocol(first="b"), seed=1)
    assert [(step["kind"], step["floor"]) for step in steps[3:]] == [
        ("speak", "b"),
        ("reflect", "b"),
        ("speak", "a"),
        ("reflect", "a"),
    ]


def test_a_speak_step_outside_a_block_is_refused():
    protocol = short_protocol()
    protocol["steps"].append({"kind": "speak", "title": "Alone", "prompt": "…", "limit_seconds": 5})
    with pytest.raises(ValueError, match="each_partner"):
        expand_steps(protocol, seed=1)


def test_a_protocol_without_steps_is_refused():
    with pytest.raises(ValueError, match="at least one step"):
        new_state({"slug": "x", "title": "X", "steps": []}, seed=1, now=T0)


def test_a_breathing_step_with_no_cycles_is_refused():
    protocol = short_protocol()
    protocol["steps"][2]["cycles"] = 0
    with pytest.raises(ValueError, match="cycles"):
        expand_steps(protocol, seed=1)


def test_a_new_session_waits_with_both_seats_free():
    state = new_room()
    assert state["status"] == "waiting"
    assert state["version"] == 0
    assert all(not seat["claimed"] for seat in state["seats"].values())
    assert state["host"] is None
    assert state["settings"] == dict(DEFAULT_SETTINGS)


def test_a_new_session_is_plain_json():
    state = new_room(hosted=True)
    assert json.loads(json.dumps(state)) == state


def test_unknown_settings_are_refused_loudly():
    with pytest.raises(ValueError, match="grace"):
        new_room(settings={"grace": 10})
    with pytest.raises(ValueError, match="grace_ms"):
        new_room(settings={"grace_ms": -1})


def test_the_closed_list_of_rejection_codes_has_a_message_for_each():
    assert {
        "not_started",
        "paused",
        "not_paused",
        "already_paused",
        "finished",
        "not_your_turn",
        "not_now",
        "already_answered",
        "stale",
        "host_only",
        "seats_not_taken",
        "unknown_action",
        "bad_args",
        "partners_only",
        "no_host",
    } == set(REJECTION_CODES)
    assert all(message.strip() for message in REJECTION_CODES.values())
