"""Pausing: anyone may stop the room; it resumes only when both partners are ready."""

import pytest

from sessions.engine import apply, next_deadline
from tests.engine.helpers import (
    BREATHE,
    INFO,
    SPEAK_A,
    T0,
    code_of,
    here,
    room_in,
    run,
)


def test_sam_asks_for_a_moment_and_the_room_pauses():
    state = room_in("active", index=SPEAK_A)
    result = apply(state, "b", "pause", {}, T0 + 1000)
    assert result.state["status"] == "paused"
    assert result.state["pause"] == {
        "by": "b",
        "reason": "need_a_moment",
        "since": T0 + 1000,
        "ready": [],
        "suggest_break_minutes": None,
    }
    assert result.events == (
        {"type": "paused", "by": "b", "reason": "need_a_moment", "index": SPEAK_A},
    )


def test_flooding_suggests_a_twenty_minute_break():
    state = run(room_in("active"), "a", "pause", {"reason": "flooding"})
    assert state["pause"]["suggest_break_minutes"] == 20


def test_a_person_cannot_claim_a_connection_pause():
    assert code_of(room_in("active"), "a", "pause", {"reason": "connection"}) == "bad_args"


def test_the_counselor_may_pause_but_cannot_say_ready_for_the_partners():
    state = run(room_in("active", hosted=True), "host", "pause", {})
    assert state["pause"]["by"] == "host"
    assert code_of(state, "host", "ready") == "partners_only"


def test_the_room_resumes_only_when_both_partners_are_ready():
    state = run(room_in("active", index=INFO), "a", "pause", {}, T0)
    after_alex = apply(state, "a", "ready", {}, T0 + 4000)
    assert after_alex.state["status"] == "paused"
    assert after_alex.events == ({"type": "ready", "seat": "a"},)
    after_sam = apply(after_alex.state, "b", "ready", {}, T0 + 4200)
    assert after_sam.state["status"] == "active"
    assert after_sam.state["pause"] is None
    assert after_sam.events == (
        {"type": "ready", "seat": "b"},
        {"type": "resumed", "paused_ms": 4200, "index": INFO},
    )


def test_saying_ready_twice_changes_nothing():
    state = run(run(room_in("active"), "a", "pause", {}), "a", "ready", {})
    again = apply(state, "a", "ready", {}, T0)
    assert again.state["version"] == state["version"]
    assert again.events == ()


def test_pausing_a_paused_room_is_already_paused():
    assert code_of(room_in("paused"), "b", "pause", {}) == "already_paused"


def test_ready_in_a_room_that_is_not_paused_is_not_paused():
    assert code_of(room_in("active"), "a", "ready") == "not_paused"


@pytest.mark.parametrize("action", ["next", "skip", "back", "sit_out", "done"])
def test_nothing_moves_on_while_paused(action):
    state = room_in("paused", hosted=True, index=BREATHE)
    actor = "host" if action in ("skip", "back") else "a"
    assert code_of(state, actor, action, here(state)) == "paused"


def test_no_deadline_fires_while_paused():
    state = room_in("active", index=BREATHE)
    paused = run(state, "a", "pause", {}, T0 + 100)
    assert next_deadline(paused) is None
    later = apply(paused, "server", "tick", {}, T0 + 10**9)
    assert later.state == paused
    assert later.events == ()


def test_a_partner_who_drops_while_paused_loses_their_ready():
    state = run(room_in("paused"), "a", "ready", {})
    state = run(state, "server", "presence", {"seat": "a", "connected": False}, T0 + 10)
    assert state["pause"]["ready"] == []
    state = run(state, "server", "presence", {"seat": "a", "connected": True}, T0 + 20)
    state = run(state, "b", "ready", {}, T0 + 30)
    assert state["status"] == "paused"
    assert run(state, "a", "ready", {}, T0 + 40)["status"] == "active"
