"""A skipped step is not a done step: the summary reads each step's outcome from the log.

Alex (seat a) and Sam (seat b) in a session Dana (the counselor) hosts. Dana may skip a
step or go back; the session may end early. Every step gets one outcome, from the event
log: done, skipped, or not reached, and the couple's own summary page says which.
Dana's reports: tests/reports/test_reports_counselor.py; a partner who removed
themselves: tests/reports/test_reports_removed_partner.py.
"""

from __future__ import annotations

import pytest

from sessions.reports.partner_summary import describe_steps
from tests.reports.room_play import (
    ARRIVING,
    BREATHE,
    CLOSING,
    KIND_WORD,
    WELCOME,
    back,
    both_check_in,
    breathe_to_the_end,
    host_next,
    outcomes,
    partner_browser,
    run,
    skip,
    skip_breathing_and_finish,
    summary_of,
)

pytestmark = pytest.mark.django_db(transaction=True)


# --- outcomes from the log ------------------------------------------------------------------


def test_a_step_dana_skipped_is_counted_as_skipped_not_done(room):
    skip_breathing_and_finish(room["code"])
    summary = summary_of(room)
    assert outcomes(summary) == ["done", "done", "skipped", "done", "done"]
    assert summary["steps"][BREATHE]["skipped_by"] == "host"
    assert (summary["steps_done"], summary["steps_skipped"], summary["step_count"]) == (4, 1, 5)
    assert summary["steps_skipped_by_host"] == 1
    assert summary["steps_not_reached"] == 0


def test_steps_after_an_early_end_are_not_reached_and_the_one_it_ended_on_is_not_finished(room):
    code = room["code"]
    skip(code, WELCOME)
    both_check_in(code, ARRIVING)
    host_next(code, ARRIVING)
    run(code, "b", "end")
    summary = summary_of(room)
    assert outcomes(summary) == ["skipped", "done", "not_reached", "not_reached", "not_reached"]
    assert [step["started"] for step in summary["steps"]] == [True, True, True, False, False]
    words = [step["words"] for step in describe_steps(summary, "a")["steps"]]
    assert words == [
        "skipped by your counselor",
        "done",
        "not finished",
        "not reached",
        "not reached",
    ]


def test_a_skipped_step_dana_went_back_to_and_the_couple_then_did_is_done(room):
    code = room["code"]
    skip(code, WELCOME)
    back(code, ARRIVING)
    host_next(code, WELCOME)
    summary = summary_of(room)
    assert summary["steps"][WELCOME]["outcome"] == "done"
    assert summary["steps"][WELCOME]["skipped_by"] is None
    assert summary["steps_skipped"] == 0


def test_going_back_and_redoing_steps_counts_each_step_once(room):
    code = room["code"]
    host_next(code, WELCOME)
    both_check_in(code, ARRIVING)
    host_next(code, ARRIVING)
    back(code, BREATHE)  # Dana takes them back to the check-in; it starts blank again
    both_check_in(code, ARRIVING, alex=("safe", 1), sam=("safe", 2))
    host_next(code, ARRIVING)
    breathe_to_the_end(code)
    summary = summary_of(room)
    assert outcomes(summary)[:3] == ["done", "done", "done"]
    assert summary["steps_done"] == 3
    assert summary["arrival"]["b"]["intensity"] == 2


def test_a_step_done_once_stays_done_when_dana_goes_back_and_skips_ahead_again(room):
    code = room["code"]
    host_next(code, WELCOME)
    both_check_in(code, ARRIVING)
    host_next(code, ARRIVING)
    breathe_to_the_end(code)
    back(code, KIND_WORD)  # back to the breathing round for a moment…
    skip(code, BREATHE)  # …and on again to where they were
    summary = summary_of(room)
    assert outcomes(summary) == ["done", "done", "done", "not_reached", "not_reached"]
    assert summary["steps_skipped"] == 0


def test_moving_past_the_last_step_by_a_skip_leaves_it_skipped(room):
    code = room["code"]
    skip(code, WELCOME)
    skip(code, ARRIVING)
    skip(code, BREATHE)
    skip(code, KIND_WORD)
    skip(code, CLOSING)
    summary = summary_of(room)
    assert summary["status"] == "completed"
    assert outcomes(summary) == ["skipped"] * 5
    assert summary["steps_done"] == 0
    assert summary["arrival"]["outcome"] == "skipped"


# --- the couple's page ----------------------------------------------------------------------


def test_alex_reads_how_many_steps_were_done_and_that_dana_skipped_one(room):
    skip_breathing_and_finish(room["code"])
    page = partner_browser(room, "a").get(f"/s/{room['code']}/summary/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "You did 4 of 5 steps, 1 skipped by your counselor" in text
    assert "You did all" not in text
    assert "Breathe — skipped by your counselor" in text
    assert "One kind word — done" in text


def test_sam_reads_an_early_end_with_what_was_skipped_and_what_was_not_reached(room):
    code = room["code"]
    skip(code, WELCOME)
    both_check_in(code, ARRIVING)
    host_next(code, ARRIVING)
    run(code, "a", "end")
    text = partner_browser(room, "b").get(f"/s/{code}/summary/").content.decode()
    assert "You did 1 of 5 steps before ending, 1 skipped by your counselor" in text
    assert "Is now a good time? — skipped by your counselor" in text
    assert "Breathe — not finished" in text
    assert "Closing — not reached" in text


def test_a_session_with_nothing_skipped_still_reads_all_steps_done(room):
    code = room["code"]
    host_next(code, WELCOME)
    both_check_in(code, ARRIVING)
    host_next(code, ARRIVING)
    breathe_to_the_end(code)
    host_next(code, KIND_WORD)
    both_check_in(code, CLOSING)
    host_next(code, CLOSING)
    text = partner_browser(room, "a").get(f"/s/{code}/summary/").content.decode()
    assert "You did all 5 steps" in text
    assert "skipped" not in text


def test_alex_s_check_in_table_says_the_closing_check_in_was_skipped_not_unanswered(room):
    code = room["code"]
    host_next(code, WELCOME)
    both_check_in(code, ARRIVING)
    host_next(code, ARRIVING)
    breathe_to_the_end(code)
    host_next(code, KIND_WORD)
    skip(code, CLOSING)
    text = partner_browser(room, "a").get(f"/s/{code}/summary/").content.decode()
    assert '<th scope="row">Closing (skipped by your counselor)</th>' in text
    assert '<th scope="row">Arriving</th>' in text


def test_a_check_in_both_answered_before_the_session_ended_reads_not_finished_not_unreached(
    room,
):
    code = room["code"]
    host_next(code, WELCOME)
    both_check_in(code, ARRIVING)
    run(code, "a", "end")
    text = partner_browser(room, "b").get(f"/s/{code}/summary/").content.decode()
    assert '<th scope="row">Arriving (not finished)</th>' in text
    assert '<th scope="row">Closing (not reached)</th>' in text
