"""What each person is shown: nothing private, and the right answers at the right time."""

import json

from sessions.engine import view_for
from tests.engine.helpers import (
    BREATHE,
    CHECKIN,
    INFO,
    SPEAK_A,
    T0,
    here,
    room_in,
    run,
)


def test_the_seed_and_bookkeeping_never_leave_the_server():
    state = run(
        room_in("active", index=SPEAK_A), "server", "presence", {"seat": "b", "connected": False}
    )
    text = json.dumps(view_for(state, "a"))
    assert "seed" not in text
    assert "gone_since" not in text
    assert "rejoins" not in text
    assert "limit_seconds" not in text


def test_the_view_names_the_viewer_and_the_current_step():
    view = view_for(room_in("active", index=SPEAK_A), "b")
    assert view["you"] == "b"
    assert view["step"]["index"] == SPEAK_A
    assert view["step"]["count"] == 7
    assert view["step"]["kind"] == "speak"
    assert view["step"]["floor"] == "a"
    assert [step["kind"] for step in view["steps"]][:3] == ["info", "checkin", "breathe"]


def test_remaining_time_is_shown_only_while_paused():
    state = room_in("active", index=SPEAK_A)
    assert view_for(state, "a")["step"]["remaining"] is None
    paused = run(state, "a", "pause", {}, state["deadline"] - 4000)
    assert view_for(paused, "a")["step"]["remaining"] == 4000


def test_breathing_schedule_is_shared_with_everyone():
    state = room_in("active", index=BREATHE, hosted=True)
    for role in ("a", "b", "host"):
        assert view_for(state, role)["breathing"]["cycles"] == 2


def test_the_view_survives_a_json_round_trip():
    state = room_in("paused", index=CHECKIN)
    state = run(state, "a", "ready", {})
    view = view_for(state, "b")
    assert json.loads(json.dumps(view)) == view


def test_the_view_does_not_share_structure_with_the_state():
    state = room_in("paused", index=INFO)
    view = view_for(state, "a")
    view["pause"]["ready"].append("b")
    view["seats"]["a"]["name"] = "changed"
    assert state["pause"]["ready"] == []
    assert state["seats"]["a"]["name"] == "Alex"


def test_a_revealed_check_in_is_visible_to_both_after_the_room_moves_on():
    state = room_in("active", index=CHECKIN)
    state = run(state, "a", "checkin", here(state, state="safe", intensity=1))
    state = run(state, "b", "checkin", here(state, state="safe", intensity=2))
    state = run(state, "a", "next", here(state), T0)
    assert view_for(state, "b")["checkins"][str(CHECKIN)]["a"]["intensity"] == 1
