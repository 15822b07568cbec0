"""A pause reaches the call: the snapshot tells every page which devices to hold off.

Alex, Sam and their counselor Dana are in a call inside the room. When anyone pauses, every
microphone goes off (and anyone may turn their own back on); a flooding break takes the
cameras too, with no way back on until the room resumes; resuming holds nothing off.
"""

from sessions.engine import view_for
from tests.engine.helpers import SPEAK_A, run, started_room, walk_to

ROLES = ("a", "b", "host")


def in_speak_step() -> tuple[dict, int]:
    return walk_to(started_room(hosted=True), SPEAK_A)


def test_a_running_room_holds_no_microphone_or_camera_off():
    state, _ = in_speak_step()
    for role in ROLES:
        assert view_for(state, role)["call"] == {
            "microphones_off": False,
            "cameras_off": False,
            "own_unmute": False,
            "since": None,
            "line": None,
        }


def test_sams_pause_turns_every_microphone_off_and_each_person_may_turn_their_own_back_on():
    state, now = in_speak_step()
    state = run(state, "b", "pause", {"reason": "need_a_moment"}, now + 1000)
    for role in ROLES:
        call = view_for(state, role)["call"]
        assert call["microphones_off"] and call["own_unmute"]
        assert not call["cameras_off"]
        assert call["since"] == state["pause"]["since"] == now + 1000
        assert call["line"] == "Paused — microphones are off."


def test_a_flooding_break_takes_cameras_too_and_nobody_turns_anything_back_on():
    state, now = in_speak_step()
    state = run(state, "host", "pause", {"reason": "flooding"}, now + 1000)
    for role in ROLES:
        call = view_for(state, role)["call"]
        assert call["microphones_off"] and call["cameras_off"]
        assert not call["own_unmute"]
        assert call["line"] == "Break — cameras and microphones are off until the room resumes."


def test_resuming_holds_nothing_off_and_the_next_pause_is_a_new_one():
    state, now = in_speak_step()
    state = run(state, "a", "pause", {"reason": "need_a_moment"}, now + 1000)
    first = view_for(state, "a")["call"]["since"]
    state = run(state, "a", "ready", {}, now + 2000)
    state = run(state, "b", "ready", {}, now + 3000)
    assert state["status"] == "active"
    assert view_for(state, "host")["call"]["microphones_off"] is False
    state = run(state, "b", "pause", {"reason": "need_a_moment"}, now + 9000)
    second = view_for(state, "a")["call"]["since"]
    assert second != first  # a page turns microphones off again, even after an unmute
