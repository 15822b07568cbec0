"""The couple's own summary: the check-in chart Dana sees, and their session as CSV and JSON.

Alex and Sam's finished session with Dana: the summary draws the same SVG chart, and its
downloads hold this session only, as the partner sees it: no counselor notes, no CSI-4,
no join code. The downloads open for whoever opens the summary, and nobody else.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from sessions.models import Note
from tests.web.standing_support import (
    check_in_and_end,
    hosted,
    make_couple,
    run,
    through_link,
)

pytestmark = pytest.mark.django_db

NOTE = "Dana's private thought about the session"


@pytest.fixture
def finished(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    alex, sam = through_link(couple, "a"), through_link(couple, "b")
    check_in_and_end(session, alex=("safe", 3), sam=("mobilized", 7))
    Note.objects.create(counselor=dana, session=session, couple=couple, text=NOTE)
    return session, alex, sam


def test_the_summary_draws_the_check_in_chart_with_its_words(finished):
    session, alex, _ = finished
    text = alex.get(f"/s/{session.code}/summary/").content.decode()
    assert "<svg" in text and 'role="img"' in text
    assert "Alex: " in text and "Sam: " in text
    assert f"/s/{session.code}/summary.csv" in text and f"/s/{session.code}/summary.json" in text


def test_the_json_holds_this_session_as_the_partner_sees_it_and_no_notes(finished):
    session, alex, _ = finished
    response = alex.get(f"/s/{session.code}/summary.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["format"] == "stay-partner-session/1"
    assert data["session"]["partners"] == {"a": "Alex", "b": "Sam"}
    arriving = {row["who"]: row for row in data["checkins"] if row["moment"] == "arrival"}
    assert arriving["Alex"]["intensity"] == 3 and arriving["Sam"]["state"] == "mobilized"
    raw = response.content.decode()
    assert NOTE not in raw and session.code not in raw and "note" not in data


def test_the_csv_holds_the_same_rows_and_no_notes(finished):
    session, _, sam = finished
    response = sam.get(f"/s/{session.code}/summary.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["section"] == "session"
    assert {row["section"] for row in rows} >= {"session", "step", "checkin"}
    assert NOTE not in response.content.decode() and session.code not in response.content.decode()


def test_an_answer_the_room_never_revealed_stays_out_of_the_download(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    alex, _ = through_link(couple, "a"), through_link(couple, "b")
    for seat in ("a", "b"):
        run(session.code, "server", "presence", {"seat": seat, "connected": True})
    run(session.code, "host", "start")
    for seat in ("b", "a"):
        run(session.code, seat, "next", {"step": 0})
    run(session.code, "b", "checkin", {"step": 1, "state": "shutdown", "intensity": 9})
    run(session.code, "host", "end")
    data = json.loads(alex.get(f"/s/{session.code}/summary.json").content)
    sams = [row for row in data["checkins"] if row["who"] == "Sam"]
    assert all(row["intensity"] is None for row in sams)
    assert "shutdown" not in json.dumps(data)


def test_nobody_else_gets_the_downloads(finished, dana, riley, robin_client, dana_client):
    session, _, _ = finished
    other = make_couple(dana, names=("Jo", "Kim"))
    hosted(other)
    jo = through_link(other, "a")
    for fmt in ("csv", "json"):
        path = f"/s/{session.code}/summary.{fmt}"
        for outsider in (riley, jo, robin_client):
            response = outsider.get(path)
            assert response.status_code == 404, (fmt, outsider)
            assert "Alex" not in response.content.decode()
        assert dana_client.get(path).status_code == 200  # as the summary page: hers to see
        assert NOTE not in dana_client.get(path).content.decode()


def test_a_stranger_with_a_malformed_code_gets_a_404(riley):
    assert riley.get("/s/nope/summary.csv").status_code == 404
    assert Client().get("/s/nope/summary.json").status_code == 404
