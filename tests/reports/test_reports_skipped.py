"""A skipped step is not a done step: summaries, exports and the chart read outcomes from the log.

Alex (seat a) and Sam (seat b) in a session Dana (the counselor) hosts. Dana may skip a
step or go back; the session may end early. Every step gets one outcome, from the event
log: done, skipped, or not reached. A partner who removed themselves after the session is
named as such, never by the name they had.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.test import Client

from sessions.access import SEATS_KEY
from sessions.codes import new_seat_token
from sessions.models import CoupleSession, Protocol
from sessions.protocols.loader import load_protocol_text
from sessions.reports.summary import describe_steps, session_summary
from sessions.reports.timeline import counselor_summary
from sessions.store import creation, rooms, seats

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "calm-harbour-lantern-42"

# Two check-ins, a breathing round and two info steps: every way out of a step in a few inputs.
REPORTS_TOML = """
slug = "reports-test"
title = "Reports test protocol"
minutes = 3
for_whom = "Tests of the summaries."
summary = "Arrive, breathe, a kind word, close."

[[steps]]
kind = "info"
title = "Is now a good time?"
prompt = "Check with each other that now is a good time."

[[steps]]
kind = "checkin"
title = "Arriving"
prompt = "Where are you right now?"

[[steps]]
kind = "breathe"
title = "Breathe"
prompt = "Breathe together, if you like."
inhale = 1.0
exhale = 1.0
cycles = 1

[[steps]]
kind = "info"
title = "One kind word"
prompt = "Say one kind thing to each other."

[[steps]]
kind = "checkin"
title = "Closing"
prompt = "Where are you now?"
"""

WELCOME, ARRIVING, BREATHE, KIND_WORD, CLOSING = range(5)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dana(django_user_model):
    return django_user_model.objects.create_user("dana", password=PASSWORD)


@pytest.fixture
def dana_client(dana):
    client = Client()
    client.force_login(dana)
    return client


@pytest.fixture
def room(dana):
    """Alex and Sam seated in a session Dana hosts, both phones connected, started by Dana."""
    protocol = Protocol(source=REPORTS_TOML)
    protocol.fill_from_doc(load_protocol_text(REPORTS_TOML, source="reports-test.toml"))
    protocol.save()
    session = creation.create_session(protocol.slug, dana, protocol=protocol)
    tokens = {"a": new_seat_token(), "b": new_seat_token()}
    assert seats.claim_seat(session, "Alex", tokens["a"]) == "a"
    assert seats.claim_seat(session, "Sam", tokens["b"]) == "b"
    for seat in ("a", "b"):
        run(session.code, "server", "presence", {"seat": seat, "connected": True})
    run(session.code, "host", "start")
    return {"code": session.code, "tokens": tokens, "pk": session.pk}


def run(code: str, actor: str, action: str, args: dict | None = None, now: int | None = None):
    result = rooms.submit(code, actor, action, args or {}, now=now)
    assert result.accepted, (actor, action, args, result.code, result.message)
    return result.state


def index_of(code: str) -> int:
    return rooms.load_state(code)["index"]


def host_next(code: str, step: int) -> None:
    """Dana moves the room on from a step that ends by a tap (the host may, at once)."""
    assert index_of(code) == step
    run(code, "host", "next", {"step": step})


def skip(code: str, step: int) -> None:
    assert index_of(code) == step
    run(code, "host", "skip", {"step": step})


def back(code: str, step: int) -> None:
    assert index_of(code) == step
    run(code, "host", "back", {"step": step})


def both_check_in(code: str, step: int, alex=("safe", 3), sam=("mobilized", 6)) -> None:
    for seat, (feeling, intensity) in (("a", alex), ("b", sam)):
        run(code, seat, "checkin", {"step": step, "state": feeling, "intensity": intensity})


def breathe_to_the_end(code: str) -> None:
    """The breathing round runs out on its own clock."""
    assert index_of(code) == BREATHE
    run(code, "server", "tick", {}, now=rooms.now_ms() + 60_000)
    assert index_of(code) == KIND_WORD


def summary_of(room: dict) -> dict:
    return session_summary(CoupleSession.objects.get(pk=room["pk"]))


def outcomes(summary: dict) -> list[str]:
    return [step["outcome"] for step in summary["steps"]]


def partner_browser(room: dict, seat: str) -> Client:
    """A partner's browser holding their seat, as after claiming it through the link."""
    client = Client()
    django_session = client.session
    django_session[SEATS_KEY] = {room["code"]: room["tokens"][seat]}
    django_session.save()
    return client


def skip_breathing_and_finish(code: str) -> None:
    """Everything done except the breathing round, which Dana skips."""
    host_next(code, WELCOME)
    both_check_in(code, ARRIVING)
    host_next(code, ARRIVING)
    skip(code, BREATHE)
    host_next(code, KIND_WORD)
    both_check_in(code, CLOSING, alex=("safe", 2), sam=("safe", 4))
    host_next(code, CLOSING)
    assert rooms.load_state(code)["status"] == "completed"


def forget(code: str, seat: str) -> None:
    """What the engine's `forget` leaves in the state: no name, `forgotten`, no answers."""
    session = CoupleSession.objects.get(code=code)
    state = session.state
    state["seats"][seat].update(name=None, forgotten=True)
    for answers in state["checkins"].values():
        if seat in answers:
            answers[seat] = None
    session.state = state
    session.save(update_fields=["state"])


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


# --- a partner who removed their answers ----------------------------------------------------


def test_after_sam_removes_himself_alex_s_summary_names_no_one_and_shows_no_answer(room):
    code = room["code"]
    skip_breathing_and_finish(code)
    forget(code, "b")
    page = partner_browser(room, "a").get(f"/s/{code}/summary/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "A partner (removed their answers)" in text
    assert "Sam" not in text
    assert "Mobilized" not in text and "On edge" not in text


def test_dana_s_summary_and_exports_show_a_removed_partner_without_the_name(room, dana_client):
    code = room["code"]
    skip_breathing_and_finish(code)
    forget(code, "b")
    html = dana_client.get(f"/counselor/s/{code}/summary/").content.decode()
    assert "A partner (removed their answers)" in html
    assert "Sam" not in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "A partner (removed their answers): answer removed" in svg
    body = dana_client.get(f"/counselor/s/{code}/export.csv").content.decode()
    assert "Sam" not in body and "A partner (removed their answers)" in body
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
        assert "Sam" not in body and "removed their answers" in body
    text = partner_browser(room, "a").get(f"/s/{code}/summary/").content.decode()
    assert "Sam" not in text and "You did 4 of 5 steps, 1 skipped by your counselor" in text
