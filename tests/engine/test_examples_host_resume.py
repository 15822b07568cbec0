"""Dana resumes for both (``resume``): only while paused, only by naming exactly the partners
who have not said they are ready (whom it overrides), never over someone who is not there.
When both have said ready the room has already resumed by itself, as it always did."""

import pytest

from sessions.engine import allowed_actions, view_for
from tests.engine.helpers import (
    BREATHE,
    SPEAK_A,
    T0,
    apply_ok,
    apply_refused,
    code_of,
    room_in,
    run,
)


def paused(by: str = "b", index: int = SPEAK_A) -> dict:
    """Hosted, on Alex's turn to speak, paused by ``by`` at T0."""
    return run(room_in("active", hosted=True, index=index), by, "pause", {}, T0)


def test_dana_resumes_for_both_overriding_sams_pause_once_alex_is_ready():
    state = run(paused(), "a", "ready")
    assert "resume" in allowed_actions(state, "host")
    result = apply_ok(state, "host", "resume", {"override": ["b"]}, T0 + 30_000)
    after = result.state
    assert after["status"] == "active" and after["pause"] is None
    assert result.events == (
        {"type": "resumed", "paused_ms": 30_000, "index": SPEAK_A, "by": "host", "overrode": ["b"]},
    )


def test_dana_can_override_both_when_neither_has_said_ready():
    result = apply_ok(paused(), "host", "resume", {"override": ["b", "a"]}, T0 + 5)
    assert result.state["status"] == "active"
    assert result.events[0]["overrode"] == ["a", "b"], "named in seat order"


def test_the_turn_clock_carries_on_from_where_the_pause_froze_it():
    state = paused()
    left = state["remaining"]
    after = run(state, "host", "resume", {"override": ["a", "b"]}, T0 + 60_000)
    assert after["deadline"] == T0 + 60_000 + left and after["remaining"] is None


def test_breathing_starts_again_with_a_fresh_lead_in():
    state = paused("a", index=BREATHE)
    after = run(state, "host", "resume", {"override": ["a", "b"]}, T0 + 1_000)
    assert after["breathing"]["start"] == T0 + 1_000 + after["settings"]["lead_in_ms"]


def test_naming_someone_else_than_who_is_not_ready_is_stale_and_says_who_is():
    state = run(paused(), "a", "ready")  # Dana's page still showed Alex as not ready
    for override in (["a", "b"], ["a"], []):
        refused = apply_refused(state, "host", "resume", {"override": override})
        assert refused.code == "stale"
        assert "Sam" in refused.message and "changed" in refused.message


def test_a_partner_who_is_not_here_cannot_be_overridden():
    state = run(paused(), "server", "presence", {"seat": "b", "connected": False})
    assert "resume" not in allowed_actions(state, "host")
    refused = apply_refused(state, "host", "resume", {"override": ["a", "b"]})
    assert refused.code == "not_now"
    assert refused.message == "Sam isn't here; the room waits for them."


def test_a_freed_seat_cannot_be_overridden_either():
    state = run(paused(), "server", "seat", {"seat": "a", "claimed": False})
    assert code_of(state, "host", "resume", {"override": ["a", "b"]}) == "not_now"


def test_when_both_say_ready_the_room_resumes_by_itself_as_before():
    state = run(run(paused(), "a", "ready"), "b", "ready")
    assert state["status"] == "active"
    assert "resume" not in allowed_actions(state, "host")
    assert code_of(state, "host", "resume", {"override": []}) == "not_paused"


@pytest.mark.parametrize("partner", ["a", "b"])
def test_alex_and_sam_never_resume_for_both(partner):
    state = paused()
    assert "resume" not in allowed_actions(state, partner)
    assert code_of(state, partner, "resume", {"override": ["a", "b"]}) == "host_only"


def test_resume_is_only_for_a_paused_room():
    assert code_of(room_in("waiting", hosted=True), "host", "resume", {"override": []}) == (
        "not_started"
    )
    active = room_in("active", hosted=True)
    assert code_of(active, "host", "resume", {"override": ["a", "b"]}) == "not_paused"
    ended = run(paused(), "host", "end")
    assert code_of(ended, "host", "resume", {"override": ["a", "b"]}) == "finished"


def test_without_a_counselor_there_is_nobody_to_resume_for_both():
    state = run(room_in("active", index=SPEAK_A), "a", "pause")
    assert code_of(state, "host", "resume", {"override": ["a", "b"]}) == "no_host"


@pytest.mark.parametrize(
    "args",
    [{}, {"override": "b"}, {"override": ["c"]}, {"override": ["b", "b"]}, {"override": [1]}],
)
def test_an_override_that_is_not_a_list_of_seats_is_bad_args(args):
    refused = apply_refused(run(paused(), "a", "ready"), "host", "resume", args)
    assert refused.code == "bad_args" and "override" in refused.message


def test_the_pause_screen_still_tells_everyone_who_is_ready():
    state = run(paused(), "a", "ready")
    assert view_for(state, "host")["pause"]["ready"] == ["a"]
    assert "resume" in view_for(state, "host")["can"]
    assert "resume" not in view_for(state, "a")["can"]
