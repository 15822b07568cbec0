"""Pauses in the summaries: who paused and why in the room's own words, and honest lengths.

A longer break Dana calls is hers, called for the couple: the partners' summary says "Dana
called a longer break" and her timeline "You called a longer break", never that anyone felt
flooded. Sam's own flooding pause still says he asked for it, feeling flooded. A pause of a
second reads "a few seconds", not "0 seconds".
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from sessions.engine import view_for
from sessions.models import CoupleSession
from sessions.reports.partner_summary import partner_summary
from sessions.reports.timeline import counselor_summary
from sessions.store import rooms
from tests.reports.room_play import (
    ARRIVING,
    WELCOME,
    both_check_in,
    host_next,
    partner_browser,
    run,
    seated_room,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def named_room(dana) -> dict:
    """The report tests' room, hosted by Dana under the name the room shows for her."""
    dana.first_name = "Dana"
    dana.save(update_fields=["first_name"])
    return seated_room(dana)


def pause_and_resume(code: str, actor: str, reason: str) -> None:
    run(code, actor, "pause", {"reason": reason})
    run(code, "a", "ready")
    run(code, "b", "ready")


def session_of(room: dict) -> CoupleSession:
    return CoupleSession.objects.get(pk=room["pk"])


def pause_rows(room: dict) -> list[str]:
    timeline = counselor_summary(session_of(room))["timeline"]
    return [row["title"] for row in timeline if row["kind"] == "pause"]


def test_a_break_dana_calls_reads_as_hers_in_every_summary(named_room, dana_client):
    code = named_room["code"]
    host_next(code, WELCOME)
    pause_and_resume(code, "host", "flooding")
    run(code, "host", "end")

    for seat in ("a", "b"):
        [line] = partner_summary(session_of(named_room), seat)["pause_lines"]
        assert line.startswith("Dana called a longer break during “Arriving”: ")
        assert "flooded" not in line
        page = partner_browser(named_room, seat).get(reverse("web-summary", args=[code]))
        assert "Dana called a longer break during “Arriving”" in page.content.decode()

    assert pause_rows(named_room) == ["You called a longer break"]
    html = dana_client.get(reverse("counselor:summary", args=[code])).content.decode()
    timeline = html[html.index('class="timeline') : html.index("</table>")]
    assert "You called a longer break" in timeline
    assert "flooded" not in timeline and "asked for a break" not in timeline


def test_a_partners_flooding_pause_still_says_they_asked_for_it(named_room):
    code = named_room["code"]
    host_next(code, WELCOME)
    pause_and_resume(code, "b", "flooding")
    pause_and_resume(code, "host", "need_a_moment")
    run(code, "host", "end")

    alex = partner_summary(session_of(named_room), "a")["pause_lines"]
    sam = partner_summary(session_of(named_room), "b")["pause_lines"]
    assert alex[0].startswith("Sam asked for a pause (feeling flooded) during “Arriving”")
    assert sam[0].startswith("You asked for a pause (feeling flooded) during “Arriving”")
    assert alex[1].startswith("Dana asked for a pause during “Arriving”")
    assert pause_rows(named_room) == [
        "Sam asked for a pause (feeling flooded)",
        "You asked for a pause",
    ]


def test_a_counselor_without_a_name_is_your_counselor(room):
    code = room["code"]
    session = session_of(room)
    state = session.state
    state["host"]["name"] = None
    session.state = state
    session.save(update_fields=["state"])
    host_next(code, WELCOME)
    pause_and_resume(code, "host", "flooding")
    [line] = partner_summary(session_of(room), "a")["pause_lines"]
    assert line.startswith("Your counselor called a longer break")


def test_a_pause_of_a_second_reads_a_few_seconds(named_room):
    code = named_room["code"]
    host_next(code, WELCOME)
    pause_and_resume(code, "a", "need_a_moment")
    summary = partner_summary(session_of(named_room), "a")
    [pause], [line] = summary["pauses"], summary["pause_lines"]
    assert pause["seconds"] < 5
    assert line == "You asked for a pause during “Arriving”: a few seconds"
    assert "0 seconds" not in line


def test_an_answer_reads_the_same_in_the_room_the_summary_and_the_chart(named_room, dana_client):
    code = named_room["code"]
    host_next(code, WELCOME)
    run(
        code,
        "a",
        "checkin",
        {"step": ARRIVING, "state": "mobilized", "intensity": 7, "word": "tense"},
    )
    run(code, "b", "checkin", {"step": ARRIVING, "state": "safe", "intensity": 2})
    room_line = rooms_line(code)
    assert room_line == "On edge, 7 of 10 — “tense”"
    summary = partner_summary(session_of(named_room), "b")
    assert summary["checkin_rows"][0]["answers"][1] == room_line
    html = dana_client.get(reverse("counselor:summary", args=[code])).content.decode()
    assert f"Alex: {room_line}" in html[html.index("<svg") : html.index("</svg>")]


def rooms_line(code: str) -> str:
    """Alex's answer as Sam's room shows it: the snapshot's ready-made line."""
    return view_for(rooms.load_state(code), "b")["checkins"][str(ARRIVING)]["a"]["line"]


def test_both_check_ins_in_the_summary_come_from_one_line(named_room):
    code = named_room["code"]
    host_next(code, WELCOME)
    both_check_in(code, ARRIVING)
    rows = partner_summary(session_of(named_room), "a")["checkin_rows"]
    assert rows[0]["answers"] == ["Safe and connected, 3 of 10", "On edge, 6 of 10"]


def test_when_dana_resumes_before_sam_is_ready_both_summaries_and_her_timeline_say_so(
    named_room,
):
    code = named_room["code"]
    host_next(code, WELCOME)
    run(code, "b", "pause", {"reason": "need_a_moment"})
    run(code, "a", "ready")
    run(code, "host", "resume", {"override": ["b"]})
    run(code, "host", "end")

    session = session_of(named_room)
    [alex_line] = partner_summary(session, "a")["pause_lines"]
    [sam_line] = partner_summary(session, "b")["pause_lines"]
    assert alex_line.endswith("; Dana resumed it before Sam said ready")
    assert sam_line.endswith("; Dana resumed it before you said ready")
    [row] = [r for r in counselor_summary(session)["timeline"] if r["kind"] == "pause"]
    assert row["note"] == "you resumed it before Sam said ready"


def test_a_pause_both_ended_by_saying_ready_says_nothing_of_an_override(named_room):
    code = named_room["code"]
    host_next(code, WELCOME)
    pause_and_resume(code, "b", "need_a_moment")
    run(code, "host", "end")
    for seat in ("a", "b"):
        [line] = partner_summary(session_of(named_room), seat)["pause_lines"]
        assert "resumed it before" not in line
