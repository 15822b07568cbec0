"""When an input is wrong in several ways at once, the first check in the documented order
decides the code, so every client sees the same code for the same mistake."""

from tests.engine.helpers import (
    CHECKIN,
    INFO,
    REFLECT_A,
    SPEAK_A,
    code_of,
    feeling,
    here,
    room_in,
    run,
)


def test_malformed_args_are_reported_before_the_pause():
    state = room_in("paused", index=CHECKIN)
    assert code_of(state, "a", "checkin", here(state, state="safe", intensity=99)) == "bad_args"


def test_a_finished_session_is_reported_before_who_is_asking():
    state = room_in("completed", hosted=True)
    assert code_of(state, "a", "skip", here(state)) == "finished"


def test_the_pause_is_reported_before_who_is_asking():
    state = room_in("paused", hosted=True, index=CHECKIN)
    assert code_of(state, "a", "skip", here(state)) == "paused"


def test_who_is_asking_is_reported_before_a_stale_step():
    state = room_in("active", hosted=True, index=CHECKIN)
    assert code_of(state, "a", "skip", {"step": INFO}) == "host_only"
    assert code_of(state, "host", "checkin", {"step": INFO, **feeling()}) == "partners_only"


def test_a_stale_step_is_reported_before_a_wrong_kind_of_step():
    state = room_in("active", index=SPEAK_A)
    assert code_of(state, "a", "checkin", {"step": CHECKIN, **feeling()}) == "stale"


def test_the_wrong_phase_is_reported_before_the_wrong_person():
    state = room_in("active", index=REFLECT_A)
    state = run(state, "b", "done", here(state))
    assert code_of(state, "b", "done", here(state)) == "not_now"


def test_a_stale_phase_is_reported_before_a_missing_turn():
    state = room_in("active", index=REFLECT_A)
    assert code_of(state, "a", "answer", {"step": REFLECT_A, "phase": "check", "value": "yes"}) == (
        "stale"
    )


def test_a_missing_phase_on_an_earlier_step_is_just_stale():
    state = room_in("active", index=REFLECT_A)
    assert code_of(state, "a", "done", {"step": SPEAK_A}) == "stale"


def test_start_in_a_waiting_room_with_a_free_seat_from_the_wrong_person_is_host_only():
    state = run(room_in("waiting", hosted=True), "server", "seat", {"seat": "b", "claimed": False})
    assert code_of(state, "a", "start") == "host_only"
    assert code_of(state, "host", "start") == "seats_not_taken"
