"""Rooms stored before a rule existed keep working: a state without ``moving_on``,
``knock``, a seat's ``forgotten`` or a step's ``advance`` reads as the rule's starting values
(nobody moving on yet, nobody knocking, nobody forgotten, moving on together)."""

import copy

from sessions.engine import next_deadline, view_for
from tests.engine.helpers import CHECKIN, INFO, apply_ok, here, room_in, run


def as_stored_before_trust(state: dict) -> dict:
    old = copy.deepcopy(state)
    for key in ("moving_on", "knock"):
        del old[key]
    for seat in old["seats"].values():
        del seat["forgotten"]
    for step in old["steps"]:
        del step["advance"]
    return old


def test_an_older_room_moves_on_when_both_tap_next():
    old = as_stored_before_trust(room_in("active", index=INFO))
    alex = apply_ok(old, "a", "next", here(old))
    assert alex.state["index"] == INFO and alex.state["moving_on"] == ["a"]
    assert alex.state["version"] == old["version"] + 1
    assert run(alex.state, "b", "next", here(alex.state))["index"] == CHECKIN


def test_a_no_op_on_an_older_room_stays_a_no_op():
    old = as_stored_before_trust(room_in("active", index=INFO))
    result = apply_ok(old, "server", "tick", {})
    assert result.events == ()
    assert result.state["version"] == old["version"]


def test_an_older_room_shows_the_new_fields_with_their_starting_values():
    old = as_stored_before_trust(room_in("active", index=INFO))
    view = view_for(old, "a")
    assert view["step"]["advance"] == "both" and view["step"]["moving_on"] == []
    assert view["knock"] is None
    assert view["seats"]["a"]["forgotten"] is False
    assert next_deadline(old) is None


def test_an_older_finished_room_can_forget_and_an_older_active_one_take_a_knock():
    finished = as_stored_before_trust(room_in("completed"))
    assert run(finished, "server", "forget", {"seat": "a"})["seats"]["a"]["forgotten"] is True
    active = as_stored_before_trust(room_in("active"))
    knocked = run(active, "server", "knock", {"seat": "b", "id": "k1"})
    assert knocked["knock"]["seat"] == "b"
