"""Check-ins: answers are hidden until both have answered, then wait for `next`."""

from sessions.engine import apply, view_for
from tests.engine.helpers import (
    BREATHE,
    CHECKIN,
    T0,
    code_of,
    feeling,
    here,
    room_in,
    run,
)


def at_checkin(hosted=False):
    return room_in("active", index=CHECKIN, hosted=hosted)


def test_alex_sees_his_own_answer_but_not_sams_until_both_have_answered():
    state = run(
        at_checkin(), "a", "checkin", here(at_checkin(), **feeling("mobilized", 7, "tense"))
    )
    alex_view, sam_view = view_for(state, "a"), view_for(state, "b")
    assert alex_view["checkins"][str(CHECKIN)]["a"] == {
        "state": "mobilized",
        "intensity": 7,
        "word": "tense",
        "line": "On edge, 7 of 10 — “tense”",
    }
    assert sam_view["checkins"][str(CHECKIN)]["a"] is None
    assert sam_view["step"]["answered"] == ["a"]


def test_both_answers_are_revealed_together_when_sam_answers_too():
    state = at_checkin()
    state = run(state, "a", "checkin", here(state, **feeling("safe", 2)))
    result = apply(state, "b", "checkin", here(state, **feeling("shutdown", 5)), T0)
    assert [event["type"] for event in result.events] == ["checked_in", "revealed"]
    alex_view = view_for(result.state, "a")
    assert alex_view["checkins"][str(CHECKIN)]["b"] == {
        "state": "shutdown",
        "intensity": 5,
        "line": "Shut down, 5 of 10",
    }


def test_the_counselor_sees_each_answer_as_soon_as_it_is_given():
    state = at_checkin(hosted=True)
    state = run(state, "a", "checkin", here(state, **feeling("safe", 1)))
    assert view_for(state, "host")["checkins"][str(CHECKIN)]["a"]["state"] == "safe"


def test_after_the_reveal_the_step_waits_for_next():
    state = at_checkin()
    state = run(state, "a", "checkin", here(state, **feeling()))
    state = run(state, "b", "checkin", here(state, **feeling()))
    assert state["index"] == CHECKIN
    state = run(state, "a", "next", here(state))
    assert state["index"] == CHECKIN
    assert run(state, "b", "next", here(state))["index"] == BREATHE


def test_next_before_both_answered_is_not_now():
    state = at_checkin()
    state = run(state, "a", "checkin", here(state, **feeling()))
    assert code_of(state, "a", "next", here(state)) == "not_now"


def test_checking_in_twice_on_the_same_step_is_already_answered():
    state = at_checkin()
    state = run(state, "a", "checkin", here(state, **feeling()))
    assert code_of(state, "a", "checkin", here(state, **feeling("shutdown", 9))) == (
        "already_answered"
    )


def test_the_counselor_does_not_check_in():
    state = at_checkin(hosted=True)
    assert code_of(state, "host", "checkin", here(state, **feeling())) == "partners_only"


def test_a_blank_word_is_left_out_and_a_word_is_trimmed():
    state = at_checkin()
    state = run(state, "a", "checkin", here(state, **feeling(word="   ")))
    state = run(state, "b", "checkin", here(state, **feeling(word="  heavy ")))
    answers = state["checkins"][str(CHECKIN)]
    assert "word" not in answers["a"]
    assert answers["b"]["word"] == "heavy"


def test_check_in_answers_outside_the_ladder_are_bad_args():
    state = at_checkin()
    assert code_of(state, "a", "checkin", here(state, state="angry", intensity=3)) == "bad_args"
    assert code_of(state, "a", "checkin", here(state, state="safe", intensity=11)) == "bad_args"
    assert code_of(state, "a", "checkin", here(state, state="safe", intensity=True)) == "bad_args"
    assert code_of(state, "a", "checkin", here(state, **feeling(word="x" * 41))) == "bad_args"


def test_checking_in_on_a_step_that_is_not_a_check_in_is_not_now():
    state = room_in("active", index=BREATHE)
    assert code_of(state, "a", "checkin", here(state, **feeling())) == "not_now"


def test_the_message_of_a_refusal_is_plain_language():
    state = at_checkin()
    state = run(state, "a", "checkin", here(state, **feeling()))
    message = apply(state, "a", "next", here(state), T0).message
    assert "both" in message


def test_an_untouched_slider_is_stored_as_no_intensity_never_a_middle_value():
    state = at_checkin()
    state = run(state, "a", "checkin", here(state, state="safe", word="calm"))
    state = run(state, "b", "checkin", here(state, state="mobilized", intensity=None))
    answers = state["checkins"][str(CHECKIN)]
    assert answers["a"] == {"state": "safe", "word": "calm"}
    assert answers["b"] == {"state": "mobilized"}
    shown = view_for(state, "a")["checkins"][str(CHECKIN)]
    assert shown["a"] == {
        "state": "safe",
        "word": "calm",
        "intensity": None,
        "line": "Safe and connected — “calm”",
    }
    assert shown["b"] == {"state": "mobilized", "intensity": None, "line": "On edge"}


def test_an_intensity_that_is_sent_must_still_be_a_whole_number_from_0_to_10():
    state = at_checkin()
    for wrong in ("7", 2.5, -1, [5]):
        args = here(state, state="safe", intensity=wrong)
        assert code_of(state, "a", "checkin", args) == "bad_args", wrong
    state = run(state, "a", "checkin", here(state, state="shutdown", intensity=0))
    assert state["checkins"][str(CHECKIN)]["a"]["intensity"] == 0
