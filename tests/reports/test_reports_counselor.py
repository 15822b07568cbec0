"""Dana's summary, chart and exports count a step she skipped as skipped by her, and an early
end's remaining steps as not reached, never as done.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from sessions.models import CoupleSession
from sessions.reports.timeline import counselor_summary
from tests.reports.room_play import (
    ARRIVING,
    CLOSING,
    KIND_WORD,
    WELCOME,
    both_check_in,
    breathe_to_the_end,
    host_next,
    run,
    skip,
    skip_breathing_and_finish,
)

pytestmark = pytest.mark.django_db(transaction=True)


# --- Dana's summary, chart and exports -----------------------------------------------------


def test_dana_s_summary_counts_the_step_she_skipped_as_skipped_by_her(room, dana_client):
    skip_breathing_and_finish(room["code"])
    html = dana_client.get(f"/counselor/s/{room['code']}/summary/").content.decode()
    assert "4 of 5 steps done, 1 skipped by you." in html
    assert "5 of 5 steps done" not in html
    steps = html[html.index('class="summary-list step-outcomes') :]
    assert "Breathe — skipped by you" in steps
    assert "Closing — done" in steps


def test_dana_s_summary_of_an_early_end_says_how_many_steps_were_not_reached(room, dana_client):
    code = room["code"]
    host_next(code, WELCOME)
    skip(code, ARRIVING)
    run(code, "host", "end")
    context = counselor_summary(CoupleSession.objects.get(pk=room["pk"]))
    assert context["steps_line"] == "1 of 5 steps done, 1 skipped by you, 3 not reached."
    html = dana_client.get(f"/counselor/s/{code}/summary/").content.decode()
    assert "Arriving — skipped by you" in html
    assert "Breathe — not finished" in html


def test_a_skipped_closing_check_in_reads_skipped_in_the_chart_and_the_table(room, dana_client):
    code = room["code"]
    host_next(code, WELCOME)
    both_check_in(code, ARRIVING)
    host_next(code, ARRIVING)
    breathe_to_the_end(code)
    host_next(code, KIND_WORD)
    skip(code, CLOSING)
    html = dana_client.get(f"/counselor/s/{code}/summary/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "Closing (skipped)" in svg
    assert "Alex: step skipped" in svg and "Sam: step skipped" in svg
    assert "no answer" not in svg
    table = html[html.index('class="checkins') :]
    assert "Step skipped" in table


def test_the_csv_export_gives_each_step_its_outcome(room, dana_client):
    code = room["code"]
    skip_breathing_and_finish(code)
    body = dana_client.get(f"/counselor/s/{code}/export.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    steps = [(r["order"], r["title"], r["note"]) for r in rows if r["section"] == "step"]
    assert steps == [
        ("1", "Is now a good time?", "done"),
        ("2", "Arriving", "done"),
        ("3", "Breathe", "skipped by the counselor"),
        ("4", "One kind word", "done"),
        ("5", "Closing", "done"),
    ]
    [session_row] = [r for r in rows if r["section"] == "session"]
    assert session_row["note"] == "4 of 5 steps done, 1 skipped, 0 not reached"


def test_the_json_export_counts_skipped_and_not_reached_steps(room, dana_client):
    code = room["code"]
    host_next(code, WELCOME)
    skip(code, ARRIVING)
    run(code, "host", "end")
    data = json.loads(dana_client.get(f"/counselor/s/{code}/export.json").content)
    facts = data["session"]
    assert (facts["steps_done"], facts["steps_skipped"], facts["steps_not_reached"]) == (1, 1, 3)
    assert [step["outcome"] for step in data["steps"]] == [
        "done",
        "skipped",
        "not_reached",
        "not_reached",
        "not_reached",
    ]
    assert data["steps"][ARRIVING]["skipped_by"] == "host"
    assert data["checkins"][0]["missing"] == "step skipped"
