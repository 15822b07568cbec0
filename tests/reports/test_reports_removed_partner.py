"""A partner who removed themselves after the session is named as such in every report (the
couple's page, Dana's summary, chart and exports), never by the name they had, and their
answers are gone while the steps' outcomes stay.
"""

from __future__ import annotations

import json
import re

import pytest

from sessions.models import CoupleSession
from sessions.reports.timeline import counselor_summary
from sessions.store import seats
from tests.reports.room_play import (
    forget,
    outcomes,
    partner_browser,
    skip_breathing_and_finish,
    summary_of,
)

pytestmark = pytest.mark.django_db(transaction=True)


# --- a partner who removed their answers ----------------------------------------------------


def test_after_sam_removes_himself_alex_s_summary_names_no_one_and_shows_no_answer(room):
    code = room["code"]
    skip_breathing_and_finish(code)
    forget(code, "b")
    page = partner_browser(room, "a").get(f"/s/{code}/summary/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "A partner (removed their answers)" in text
    assert not re.search(r"\bSam\b", text)
    assert "Mobilized" not in text and "On edge" not in text


def test_dana_s_summary_and_exports_show_a_removed_partner_without_the_name(room, dana_client):
    code = room["code"]
    skip_breathing_and_finish(code)
    forget(code, "b")
    html = dana_client.get(f"/counselor/s/{code}/summary/").content.decode()
    assert "A partner (removed their answers)" in html
    assert not re.search(r"\bSam\b", html)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "A partner (removed their answers): answer removed" in svg
    body = dana_client.get(f"/counselor/s/{code}/export.csv").content.decode()
    assert not re.search(r"\bSam\b", body) and "A partner (removed their answers)" in body
    data = json.loads(dana_client.get(f"/counselor/s/{code}/export.json").content)
    assert data["session"]["partners"] == {"a": "Alex", "b": "A partner (removed their answers)"}
    assert data["session"]["removed_their_answers"] == ["b"]
    assert all(row["state"] is None for row in data["checkins"] if row["seat"] == "b")


def test_when_both_partners_removed_themselves_they_are_still_told_apart(room, dana_client):
    code = room["code"]
    skip_breathing_and_finish(code)
    forget(code, "a")
    forget(code, "b")
    names = counselor_summary(CoupleSession.objects.get(pk=room["pk"]))["names"]
    assert names == {
        "a": "Partner A (removed their answers)",
        "b": "Partner B (removed their answers)",
    }
    assert dana_client.get(f"/counselor/s/{code}/summary/").status_code == 200


def test_after_sam_removes_himself_for_real_the_reports_keep_the_outcomes_and_lose_his_name(
    room, dana_client
):
    code = room["code"]
    skip_breathing_and_finish(code)
    seats.forget_seat(CoupleSession.objects.get(code=code), "b")
    summary = summary_of(room)
    assert outcomes(summary) == ["done", "done", "skipped", "done", "done"]
    assert summary["names"]["b"] == "A partner (removed their answers)"
    assert summary["arrival"]["b"] is None and summary["closing"]["b"] is None
    assert summary["arrival"]["a"]["state"] == "safe"
    for url in ("summary/", "export.csv", "export.json"):
        body = dana_client.get(f"/counselor/s/{code}/{url}").content.decode()
        assert not re.search(r"\bSam\b", body) and "removed their answers" in body
    text = partner_browser(room, "a").get(f"/s/{code}/summary/").content.decode()
    assert (
        not re.search(r"\bSam\b", text)
        and "You did 4 of 5 steps, 1 skipped by your counselor" in text
    )
