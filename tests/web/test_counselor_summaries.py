"""After a session: Dana's summary (timeline, an accessible chart, her notes) and the CSV/JSON
exports, which carry the facts but never the join code or a spreadsheet formula; and every
counselor page is readable (one main heading, every field labelled).
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from sessions.models import Note
from sessions.store import creation
from tests.support.personas import join_as
from tests.web.counselor_support import GOOD_TOML, play_to_the_end

# --- summary and exports --------------------------------------------------------------------


@pytest.fixture
def finished_session(dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    join_as("Alex", session.code)
    join_as("Sam", session.code)
    play_to_the_end(session.code, arrival=("mobilized", 7), closing=("safe", 2))
    Note.objects.create(counselor=dana, session=session, text="They softened after the mirroring.")
    session.refresh_from_db()
    return session


@pytest.mark.django_db
def test_the_summary_shows_the_timeline_an_accessible_chart_and_the_notes(
    dana_client, finished_session
):
    response = dana_client.get(f"/counselor/s/{finished_session.code}/summary/")
    html = response.content.decode()
    assert response.status_code == 200

    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<title" in svg
    assert "<desc" in svg
    assert "Alex: On edge, 7 of 10" in svg
    assert "Alex: Safe and connected, 2 of 10" in svg
    # The same answers as a table, for anyone who cannot see the chart.
    table = html[html.index('class="checkins') :]
    assert "On edge" in table
    assert "hopeful" in table

    timeline = html[html.index('class="timeline') : html.index("</table>")]
    assert "Arriving" in timeline
    assert "Sam asked for a pause" in timeline
    assert "(skipped)" in timeline
    assert "Alex has the floor" in timeline
    assert "Sam has the floor" in timeline
    assert "They softened after the mirroring." in html


@pytest.mark.django_db
def test_the_chart_bars_are_as_long_as_the_intensity(dana_client, finished_session):
    html = dana_client.get(f"/counselor/s/{finished_session.code}/summary/").content.decode()
    intensities = re.findall(r'data-intensity="(\d+)"', html)
    assert intensities == ["7", "7", "2", "2"]


@pytest.mark.django_db
def test_the_csv_export_holds_timeline_check_ins_and_notes(dana_client, finished_session):
    response = dana_client.get(f"/counselor/s/{finished_session.code}/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    sections = {row["section"] for row in rows}
    assert sections == {"session", "step", "timeline", "checkin", "note"}
    checkins = [row for row in rows if row["section"] == "checkin"]
    assert [(r["title"], r["who"], r["state"], r["intensity"]) for r in checkins] == [
        ("arrival", "Alex", "mobilized", "7"),
        ("arrival", "Sam", "mobilized", "7"),
        ("closing", "Alex", "safe", "2"),
        ("closing", "Sam", "safe", "2"),
    ]
    assert any(r["text"] == "They softened after the mirroring." for r in rows)
    assert finished_session.code not in response.content.decode()


@pytest.mark.django_db
def test_the_json_export_has_the_same_facts_and_no_join_code(dana_client, finished_session):
    response = dana_client.get(f"/counselor/s/{finished_session.code}/export.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["session"]["protocol"]["slug"] == "daily-checkin"
    assert data["session"]["status"] == "completed"
    assert data["session"]["partners"] == {"a": "Alex", "b": "Sam"}
    assert data["checkins"][0] == {
        "moment": "arrival",
        "seat": "a",
        "who": "Alex",
        "state": "mobilized",
        "intensity": 7,
        "word": "tired",
        "missing": None,
    }
    assert data["notes"][0]["text"] == "They softened after the mirroring."
    assert any(item["kind"] == "step" for item in data["timeline"])
    assert finished_session.code not in response.content.decode()


@pytest.mark.django_db
def test_a_partner_name_cannot_smuggle_a_spreadsheet_formula_into_the_csv(dana_client, dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    join_as('=HYPERLINK("http://x")', session.code)
    body = dana_client.get(f"/counselor/s/{session.code}/export.csv").content.decode()
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body


@pytest.mark.django_db
def test_every_counselor_page_has_one_main_heading_and_labelled_fields(
    dana_client, finished_session
):
    code = finished_session.code
    dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    for url in (
        "/counselor/",
        "/counselor/protocols/",
        "/counselor/protocols/new/",
        "/counselor/protocols/dana-evening/edit/",
        "/counselor/sessions/new/",
        f"/counselor/s/{code}/",
        f"/counselor/s/{code}/summary/",
        f"/s/{code}/",
    ):
        html = dana_client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        assert '<html lang="en">' in html, url
        # In the room page, only the host tools are ours; the rest is the partners' page.
        ours = html[html.index('id="host-panel"') :] if url.startswith("/s/") else html
        for field_id in re.findall(r'<(?:textarea|select|input)[^>]*\bid="([^"]+)"', ours):
            assert f'for="{field_id}"' in ours, (url, field_id)
