"""Presence and seats: a short absence is forgiven, a long one pauses the room."""

from sessions.engine import apply, next_deadline, view_for
from tests.engine.helpers import (
    CHECKIN,
    INFO,
    SPEAK_A,
    T0,
    code_of,
    feeling,
    here,
    new_room,
    room_and_time,
    room_in,
    run,
    seated_room,
)

GRACE = 15_000


def gone(state, seat="b", now=T0):
    return run(state, "server", "presence", {"seat": seat, "connected": False}, now)


def test_a_screen_locking_briefly_does_not_stop_the_room():
    state, now = room_and_time("active", index=SPEAK_A)
    state = gone(state, now=now)
    assert next_deadline(state) == now + 5000  # the turn's limit comes first
    state = run(state, "server", "presence", {"seat": "b", "connected": True}, now + 3000)
    state = run(state, "server", "tick", {}, now + GRACE + 1)
    assert state["status"] == "active"
    assert next_deadline(state) is None


def test_sam_gone_longer_than_the_grace_period_pauses_the_room():
    state = gone(room_in("active", index=INFO), now=T0 + 100)
    assert next_deadline(state) == T0 + 100 + GRACE
    result = apply(state, "server", "tick", {}, T0 + 100 + GRACE)
    assert result.state["status"] == "paused"
    assert result.state["pause"]["by"] is None
    assert result.state["pause"]["reason"] == "connection"
    assert result.state["pause"]["seat"] == "b"


def test_coming_back_after_a_connection_pause_still_needs_both_ready():
    state = gone(room_in("active"))
    state = run(state, "server", "tick", {}, T0 + GRACE)
    state = run(state, "server", "presence", {"seat": "b", "connected": True}, T0 + GRACE + 5)
    assert state["status"] == "paused"
    state = run(state, "a", "ready", {}, T0 + GRACE + 6)
    assert run(state, "b", "ready", {}, T0 + GRACE + 7)["status"] == "active"


def test_a_late_ready_from_sam_after_he_dropped_does_not_count():
    state = run(gone(room_in("paused"), seat="b"), "a", "ready", {})
    late = apply(state, "b", "ready", {}, T0 + 1)
    assert late.state["status"] == "paused"
    assert late.state["pause"]["ready"] == ["a"]
    state = run(late.state, "server", "presence", {"seat": "b", "connected": True}, T0 + 2)
    assert run(state, "b", "ready", {}, T0 + 3)["status"] == "active"


def test_waiting_sessions_just_show_who_is_there():
    state = gone(seated_room(), seat="a")
    assert view_for(state, "b")["seats"]["a"]["connected"] is False
    assert next_deadline(state) is None
    assert run(state, "server", "tick", {}, T0 + 10**7)["status"] == "waiting"


def test_a_repeated_presence_report_changes_nothing():
    state = seated_room()
    again = apply(state, "server", "presence", {"seat": "a", "connected": True}, T0)
    assert again.state["version"] == state["version"]


def test_the_host_presence_is_shown_to_the_partners():
    state = seated_room(hosted=True)
    state = run(state, "server", "presence", {"seat": "host", "connected": False})
    assert view_for(state, "a")["host"] == {"name": "Dr. Rivera", "connected": False}


def test_a_session_without_a_counselor_has_no_host_presence():
    assert code_of(seated_room(), "server", "presence", {"seat": "host", "connected": True}) == (
        "bad_args"
    )


def test_releasing_a_seat_in_an_active_session_pauses_at_once():
    state = room_in("active")
    state = run(state, "server", "seat", {"seat": "b", "claimed": False}, T0 + 10)
    assert state["status"] == "paused"
    assert state["pause"]["reason"] == "connection"
    assert state["pause"]["seat"] == "b"
    assert state["seats"]["b"]["claimed"] is False


def test_releasing_a_seat_in_a_waiting_session_just_frees_it():
    state = run(seated_room(), "server", "seat", {"seat": "b", "claimed": False})
    assert state["status"] == "waiting"
    assert state["seats"]["b"]["claimed"] is False
    assert code_of(state, "a", "start") == "seats_not_taken"


def test_after_a_release_the_room_waits_for_a_new_claim_and_both_ready():
    state = run(room_in("active"), "server", "seat", {"seat": "b", "claimed": False})
    state = run(state, "a", "ready", {})
    state = run(state, "server", "seat", {"seat": "b", "name": "Sam", "claimed": True})
    state = run(state, "server", "presence", {"seat": "b", "connected": True})
    assert state["status"] == "paused"
    assert run(state, "b", "ready", {})["status"] == "active"


def test_a_new_device_taking_over_a_seat_does_not_inherit_the_answers():
    state = room_in("active", index=CHECKIN)
    state = run(state, "a", "checkin", here(state, **feeling("safe", 2)))
    result = apply(
        state, "server", "seat", {"seat": "a", "name": "Alex (phone)", "claimed": True}, T0
    )
    assert result.events == ({"type": "seat_taken_over", "seat": "a"},)
    assert result.state["checkins"][str(CHECKIN)]["a"] is None
    assert result.state["seats"]["a"]["name"] == "Alex (phone)"


def test_sam_is_told_when_alex_rejoins_on_another_device_even_with_nothing_to_clear():
    state = room_in("active", index=INFO)
    result = apply(state, "server", "seat", {"seat": "a", "name": "Alex", "claimed": True}, T0 + 5)
    assert result.state["version"] == state["version"] + 1
    assert result.events == ({"type": "seat_taken_over", "seat": "a"},)
    assert view_for(result.state, "b")["seats"]["a"]["rejoined_at"] == T0 + 5
    again = apply(
        result.state, "server", "seat", {"seat": "a", "name": "Alex", "claimed": True}, T0 + 5
    )
    assert again.state["version"] == result.state["version"] + 1


def test_a_first_claim_is_not_a_rejoin():
    state = seated_room()
    assert view_for(state, "a")["seats"]["b"]["rejoined_at"] is None


def test_someone_claiming_a_released_seat_does_not_inherit_the_answers():
    state = room_in("active", index=CHECKIN)
    state = run(state, "a", "checkin", here(state, **feeling("safe", 2)))
    state = run(state, "server", "seat", {"seat": "a", "claimed": False})
    state = run(state, "server", "seat", {"seat": "a", "name": "Jo", "claimed": True})
    assert state["checkins"][str(CHECKIN)]["a"] is None


def test_releasing_a_free_seat_changes_nothing():
    state = new_room()
    again = apply(state, "server", "seat", {"seat": "a", "claimed": False}, T0)
    assert again.state["version"] == state["version"]


def test_presence_and_seat_come_only_from_the_server():
    state = room_in("active")
    assert code_of(state, "a", "presence", {"seat": "a", "connected": False}) == "unknown_action"
    assert code_of(state, "host", "seat", {"seat": "a", "claimed": False}) == "unknown_action"
    assert code_of(state, "b", "tick") == "unknown_action"


def test_the_server_cannot_act_for_a_person():
    assert code_of(room_in("active"), "server", "next", here(room_in("active"))) == (
        "unknown_action"
    )
