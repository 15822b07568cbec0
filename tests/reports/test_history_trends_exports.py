"""Alex and Sam's trends drawn as SVG, and their whole history as CSV and JSON.

The charts carry meaning in words as well as colour: partners are named in a legend
with their marker and line, each point has a title in words, the CSI-4 chart draws
the 13.5 cut-off as a dashed line labelled in words. The exports hold every session,
pause, shared check-in, CSI-4 answer, practice and note, and never a link or a code.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from sessions.models import CoupleSession, Note
from sessions.reports.history import history, session_history
from sessions.reports.history_export import history_csv, history_json, pause_count_words
from sessions.reports.trends import CUT_OFF_LABEL, checkin_trend_svg, csi4_trend_svg
from tests.support.couple_play import alex_and_sam, answer_csi4, give_practice, play, seated

pytestmark = pytest.mark.django_db

NAMES = {"a": "Alex", "b": "Sam"}


@pytest.fixture
def two_weeks(dana):
    """Week one and week two hosted (CSI-4 both times), practice between: one shared, one not."""
    couple = alex_and_sam(dana, measure_on=True, note="Referred by Dr. K")
    week_one = play(seated(couple), pause=("b", "flooding"), alex=("mobilized", 8))
    answer_csi4(week_one, "a", [3, 3, 3, 3])  # 12: below 13.5
    answer_csi4(week_one, "b", None)  # skipped
    practice = give_practice(couple, times=3)
    shared = play(seated(couple, practice), alex=("safe", 4))
    CoupleSession.objects.filter(pk=shared.pk).update(share_a=True, share_b=True)
    play(seated(couple, practice), alex=("shutdown", 9))  # not shared
    week_two = play(seated(couple), alex=("safe", 2))
    answer_csi4(week_two, "a", [4, 4, 4, 4])
    answer_csi4(week_two, "b", [5, 4, 4, 4])
    Note.objects.create(counselor=dana, session=week_two, text="=SUM(A1) they laughed")
    return couple


# --- the SVG ----------------------------------------------------------------------------


def test_the_checkin_trend_names_each_partner_and_each_state_in_words(two_weeks):
    svg = checkin_trend_svg(session_history(two_weeks), NAMES)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert ">Alex</text>" in svg and ">Sam</text>" in svg  # one panel each
    for legend in (
        "Safe and connected (circle)",
        "On edge (triangle up)",
        "Shut down (triangle down)",
    ):
        assert legend in svg
    assert "Alex, first check-in" in svg and "On edge, 8 of 10" in svg
    assert "style=" not in svg and "<script" not in svg


def test_the_checkin_trend_leaves_out_practice_that_was_not_shared(two_weeks):
    svg = checkin_trend_svg(session_history(two_weeks), NAMES)
    assert "Safe and connected, 4 of 10" in svg  # the shared practice
    assert "Shut down, 9 of 10" not in svg  # the unshared one
    assert svg.count('class="point point-a"') == 6  # 3 sessions, first and last


def test_the_csi4_trend_draws_the_cut_off_dashed_and_labelled(two_weeks):
    svg = csi4_trend_svg(history(two_weeks)["measures"], NAMES)
    assert 'class="cut-off"' in svg and 'stroke-dasharray="8 5"' in svg
    assert CUT_OFF_LABEL in svg
    assert CUT_OFF_LABEL == "13.5: below this suggests notable distress (CSI-4)"
    assert "Alex, CSI-4 on" in svg and "12 (below 13.5)" in svg
    assert "Alex (circles, solid line)" in svg and "Sam (squares, dashed line)" in svg
    assert "skipped" in svg  # Sam's first week, in the description


def test_nothing_to_draw_draws_nothing(dana):
    couple = alex_and_sam(dana)
    assert checkin_trend_svg(session_history(couple), NAMES) == ""
    assert csi4_trend_svg(history(couple)["measures"], NAMES) == ""


def test_names_are_escaped_in_the_charts(dana):
    couple = alex_and_sam(dana)
    play(seated(couple))
    svg = checkin_trend_svg(session_history(couple), {"a": "<b>A</b>", "b": "S&"})
    assert "<b>" not in svg and "&lt;b&gt;A&lt;/b&gt;" in svg and "S&amp;" in svg


def test_the_couple_page_shows_both_trends_with_tables_and_below_13_5(two_weeks, dana_client):
    text = dana_client.get(f"/counselor/couples/{two_weeks.pk}/").content.decode()
    assert text.count('class="trend-chart"') == 2
    assert "Check-ins, newest first" in text and "CSI-4 totals, newest first" in text
    assert "12 of 21, below 13.5" in text and 'class="below-cut-off"' in text
    assert "Sam asked for a pause (feeling flooded)" in text
    assert "not shared with you" in text
    assert "Shut down, 9 of 10" not in text
    main = text.split("<main", 1)[1].split("</main>", 1)[0].lower()  # not the help footer
    for alarm in ("alarm", "warning", "danger", "risk", "crisis", "red flag"):
        assert alarm not in main.replace("btn-danger", "")


# --- the exports -------------------------------------------------------------------------


def test_the_json_export_holds_the_whole_history(two_weeks, dana_client):
    response = dana_client.get(f"/counselor/couples/{two_weeks.pk}/export.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["format"] == "stay-couple-history/1"
    assert data["couple"]["name_a"] == "Alex" and data["couple"]["note"] == "Referred by Dr. K"
    kinds = [s["kind"] for s in data["sessions"]]
    assert kinds == ["hosted", "practice", "practice", "hosted"]
    first = data["sessions"][0]
    assert first["pauses"][0]["reason"] == "flooding" and first["pauses"][0]["by"] == "b"
    assert first["csi4"]["a"]["total"] == 12 and first["csi4"]["a"]["below_cut_off"]
    assert first["csi4"]["b"]["skipped"] and first["csi4"]["b"]["items"] == []
    assert data["sessions"][1]["checkins"]["first"]["a"]["intensity"] == 4
    assert data["sessions"][2]["checkins"] is None
    assert [row["a"]["items"] for row in data["csi4"]] == [[3, 3, 3, 3], [4, 4, 4, 4]]
    assert data["practice"][0]["times_per_week"] == 3 and data["practice"][0]["completed"] == 2
    assert data["notes"][0]["text"] == "=SUM(A1) they laughed"
    assert data["measure"]["cut_off"] == 13.5


def test_no_export_carries_a_link_or_a_code(two_weeks, dana_client):
    codes = [two_weeks.link_code, *CoupleSession.objects.values_list("code", flat=True)]
    for fmt in ("csv", "json"):
        body = dana_client.get(f"/counselor/couples/{two_weeks.pk}/export.{fmt}").content.decode()
        assert not any(code in body for code in codes)
        assert "shutdown" not in body and "Shut down" not in body  # the unshared practice


def test_the_csv_export_has_a_row_per_session_pause_checkin_csi4_practice_and_note(two_weeks):
    data = history(two_weeks)
    notes = list(Note.objects.all())
    rows = list(csv.DictReader(io.StringIO(history_csv(two_weeks, data, notes))))
    sections = [row["section"] for row in rows]
    assert sections.count("session") == 4 and sections.count("pause") == 1
    assert sections.count("checkin") == 12  # 3 visible sessions x 2 moments x 2 partners
    assert sections.count("csi4") == 4 and sections.count("practice") == 1
    note = next(row for row in rows if row["section"] == "note")
    assert note["text"].startswith("'=SUM")  # never run as a formula
    below = [row for row in rows if row["section"] == "csi4" and row["note"] == "below 13.5"]
    assert [row["who"] for row in below] == ["Alex"]
    assert any(r["section"] == "csi4" and r["note"] == "skipped" for r in rows)


def test_the_csv_counts_pauses_as_a_person_would_write_them(two_weeks):
    rows = list(csv.DictReader(io.StringIO(history_csv(two_weeks, history(two_weeks), []))))
    notes = [row["note"] for row in rows if row["section"] == "session"]
    assert notes == [
        "1 pause",
        "no pauses",
        "no pauses; check-ins not shared",
        "no pauses",
    ]
    assert pause_count_words(2) == "2 pauses"


def test_history_json_is_plain_json(two_weeks):
    data = history(two_weeks)
    json.dumps(history_json(two_weeks, data, []))
