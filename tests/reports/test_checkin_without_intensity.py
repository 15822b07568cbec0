"""A check-in answered with the slider left untouched has no intensity, and no report invents one.

The room stores such an answer with its rung (and word) but no number. Alex's arriving
check-in below is "Safe and connected" with nothing on the slider: the partners' summary,
Dana's chart, timeline table and exports, and the couple's trend say the rung in words,
draw no bar or point for it, and write "—" (or leave the cell empty), never a 0 or a 5.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from sessions.models import CoupleSession
from sessions.reports.charts import checkin_chart_svg
from sessions.reports.partner_export import partner_csv
from sessions.reports.partner_summary import partner_summary
from sessions.reports.timeline import counselor_summary
from sessions.reports.trends import checkin_trend_svg
from tests.reports.room_play import ARRIVING, CLOSING, WELCOME, host_next, run, skip

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = {"a": "Alex", "b": "Sam"}
UNTOUCHED = {"state": "safe", "intensity": None, "word": ""}


def _alex_leaves_the_slider_untouched(room) -> CoupleSession:
    """Alex answers the arriving check-in with a rung only, Sam with a number; then the end."""
    code = room["code"]
    host_next(code, WELCOME)
    run(code, "a", "checkin", {"step": ARRIVING, "state": "safe"})
    run(code, "b", "checkin", {"step": ARRIVING, "state": "mobilized", "intensity": 6})
    host_next(code, ARRIVING)
    run(code, "host", "end")
    session = CoupleSession.objects.get(pk=room["pk"])
    assert session.state["checkins"][str(ARRIVING)]["a"].get("intensity") is None
    return session


def test_the_chart_draws_no_bar_and_writes_a_dash_for_an_untouched_slider():
    """One bar (Sam's), and Alex's row says "—" where a number would be."""
    svg = checkin_chart_svg(
        {"arrival": {"a": UNTOUCHED, "b": {"state": "safe", "intensity": 4}}}, NAMES
    )
    assert re.findall(r'class="bar bar-(\w)"', svg) == ["b"]
    assert ">—</text>" in svg
    assert "0/10" not in svg and "5/10" not in svg
    assert "Alex: Safe and connected;" in svg  # the rung in words, no "of 10"


def test_the_partners_summary_says_the_rung_without_a_number(room):
    """Alex reads his own answer as "Safe and connected", Sam's with her number."""
    session = _alex_leaves_the_slider_untouched(room)
    arriving = partner_summary(session, "a")["checkin_rows"][0]
    assert arriving["answers"] == ["Safe and connected", "On edge, 6 of 10"]


def test_dana_s_table_shows_a_dash_and_her_exports_leave_the_cell_empty(room):
    """The timeline's table writes "–"; the session's CSV has an empty intensity cell."""
    session = _alex_leaves_the_slider_untouched(room)
    rows = counselor_summary(session)["checkin_rows"]
    alex = next(r for r in rows if r["moment"] == "Arriving" and r["who"] == "Alex")
    assert alex["intensity"] == "–" and alex["state"] == "Safe and connected"
    exported = list(csv.DictReader(io.StringIO(partner_csv(session, "a"))))
    [mine] = [r for r in exported if r["title"] == "arrival" and r["who"] == "Alex"]
    assert mine["state"] == "safe" and mine["intensity"] == ""


def test_the_trend_leaves_out_the_point_but_says_the_answer():
    """No point at a made-up height; the chart's words still give Alex's rung."""
    session = {
        "date": None,
        "checkins_shared": True,
        "first": {"a": UNTOUCHED, "b": {"state": "safe", "intensity": 3}},
        "last": {"a": {"state": "safe", "intensity": 2}, "b": None},
    }
    svg = checkin_trend_svg([session], NAMES)
    points = re.findall(r'class="point point-(\w)"', svg)
    assert points == ["a", "b"]  # Alex's last and Sam's first: two points, not three
    assert "first on : Safe and connected;" in svg


def test_a_skipped_closing_check_in_is_still_said_as_skipped(room):
    """An untouched slider is not a missing answer: the skipped step keeps its own words."""
    code = room["code"]
    host_next(code, WELCOME)
    run(code, "a", "checkin", {"step": ARRIVING, "state": "shutdown"})
    run(code, "b", "checkin", {"step": ARRIVING, "state": "shutdown"})
    host_next(code, ARRIVING)
    for step in range(ARRIVING + 1, CLOSING + 1):
        skip(code, step)
    session = CoupleSession.objects.get(pk=room["pk"])
    chart = checkin_chart_svg(counselor_summary(session)["checkins"], NAMES)
    assert chart.count(">—</text>") == 2 and "step skipped" in chart
