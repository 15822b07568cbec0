"""Dana's short message to Alex and Sam (``say``): shown in both rooms, only hers to send,
plain text within 200 characters, and gone when the session finishes, so it never outlives
the moment it was written for."""

import pytest

from sessions.engine import view_for
from tests.engine.helpers import (
    CHECKIN,
    SPEAK_A,
    T0,
    apply_ok,
    apply_refused,
    code_of,
    finish_step,
    here,
    room_in,
    run,
    walk_to,
)

KIND = "Take your time. I'm here."


def test_dana_writes_to_alex_and_sam_and_both_rooms_show_it():
    state = room_in("active", hosted=True, index=SPEAK_A)
    result = apply_ok(state, "host", "say", {"text": f"  {KIND}  "}, T0 + 5)
    after = result.state
    assert after["message"] == {"text": KIND, "at": T0 + 5}, "trimmed, with its moment"
    assert after["version"] == state["version"] + 1
    assert result.events == ({"type": "message", "cleared": False},), "no words in the log"
    for role in ("a", "b", "host"):
        assert view_for(after, role)["message"] == {"text": KIND, "at": T0 + 5}


def test_before_anything_is_said_every_room_shows_no_message():
    state = room_in("waiting", hosted=True)
    assert state["message"] is None
    assert all(view_for(state, role)["message"] is None for role in ("a", "b", "host"))


@pytest.mark.parametrize("status", ["waiting", "active", "paused"])
def test_dana_can_write_while_waiting_running_or_paused(status):
    state = room_in(status, hosted=True, index=SPEAK_A)
    assert run(state, "host", "say", {"text": KIND})["message"]["text"] == KIND


def test_an_empty_message_clears_it_and_clearing_nothing_changes_nothing():
    state = room_in("active", hosted=True)
    shown = run(state, "host", "say", {"text": KIND})
    cleared = apply_ok(shown, "host", "say", {"text": "   "})
    assert cleared.state["message"] is None
    assert cleared.events == ({"type": "message", "cleared": True},)
    again = apply_ok(cleared.state, "host", "say", {"text": ""})
    assert again.state == cleared.state and again.events == ()


def test_the_same_message_again_is_a_no_op_that_keeps_its_moment():
    state = run(room_in("active", hosted=True), "host", "say", {"text": KIND}, T0)
    again = apply_ok(state, "host", "say", {"text": KIND}, T0 + 60_000)
    assert again.state == state and again.events == ()
    assert again.state["message"]["at"] == T0


def test_a_new_message_replaces_the_old_one():
    state = run(room_in("active", hosted=True), "host", "say", {"text": KIND})
    later = run(state, "host", "say", {"text": "We'll stop in five minutes."}, T0 + 9)
    assert later["message"] == {"text": "We'll stop in five minutes.", "at": T0 + 9}


@pytest.mark.parametrize("partner", ["a", "b"])
def test_alex_and_sam_cannot_send_a_message_to_the_room(partner):
    state = room_in("active", hosted=True)
    assert code_of(state, partner, "say", {"text": "Hello"}) == "host_only"


def test_without_a_counselor_nobody_writes_messages():
    state = room_in("active")
    assert code_of(state, "a", "say", {"text": "Hi"}) == "host_only"
    assert code_of(state, "host", "say", {"text": "Hi"}) == "no_host"


def test_the_message_is_at_most_200_characters():
    state = room_in("active", hosted=True)
    assert run(state, "host", "say", {"text": "x" * 200})["message"]["text"] == "x" * 200
    refused = apply_refused(state, "host", "say", {"text": "x" * 201})
    assert refused.code == "bad_args" and "200" in refused.message


@pytest.mark.parametrize(
    "args",
    [
        {"text": "a\u0000b"},
        {"text": "line\nbreak"},
        {"text": "\udfff"},
        {"text": None},
        {"text": 7},
        {},
        {"text": "hi", "to": "a"},
    ],
)
def test_a_message_that_is_not_plain_text_is_refused_naming_the_field(args):
    refused = apply_refused(room_in("active", hosted=True), "host", "say", args)
    assert refused.code == "bad_args"


def test_the_message_is_gone_when_the_session_ends():
    state = run(room_in("paused", hosted=True, index=SPEAK_A), "host", "say", {"text": KIND})
    ended = run(state, "host", "end")
    assert ended["message"] is None
    assert all(view_for(ended, role)["message"] is None for role in ("a", "b", "host"))
    assert code_of(ended, "host", "say", {"text": KIND}) == "finished"


def test_the_message_is_gone_when_the_session_completes():
    state, now = walk_to(room_in("active", hosted=True), CHECKIN)
    state = run(state, "host", "say", {"text": KIND}, now)
    while state["status"] == "active":
        state, now = finish_step(state, now)
    assert state["status"] == "completed"
    assert state["message"] is None


def test_moving_through_steps_keeps_the_message_while_the_room_runs():
    state = run(room_in("active", hosted=True, index=CHECKIN), "host", "say", {"text": KIND})
    moved = run(state, "host", "skip", here(state))
    assert moved["message"]["text"] == KIND


def test_a_room_stored_before_messages_existed_reads_as_having_none():
    state = room_in("active", hosted=True)
    old = {key: value for key, value in state.items() if key != "message"}
    assert view_for(old, "a")["message"] is None
    assert run(old, "host", "say", {"text": KIND})["message"]["text"] == KIND
