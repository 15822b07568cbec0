"""The partners' pages around the room, over plain HTTP: home, starting, summary, deleting.

Alex and Sam are the couple; a stranger's browser must learn and change nothing.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sessions.access import SEATS_KEY
from sessions.models import CoupleSession, Event, Note, Seat
from sessions.protocols.loader import builtin_protocols
from sessions.reports.partner_summary import describe_length
from sessions.reports.summary import for_viewer, session_summary
from sessions.store import rooms
from sessions.web import qr
from tests.support.persistence import BREATHE, CHECKIN, CLOSE, INFO, seated_session

pytestmark = pytest.mark.django_db(transaction=True)


def browser_for(session, token: str) -> Client:
    """A browser that holds a seat, as after claiming it through the link."""
    client = Client()
    django_session = client.session
    django_session[SEATS_KEY] = {session.code: token}
    django_session.save()
    return client


def run(code: str, actor: str, action: str, args: dict | None = None, now: int | None = None):
    result = rooms.submit(code, actor, action, args or {}, now=now)
    assert result.accepted, result
    return result


def both_move_on(code: str, step: int) -> None:
    """Moving on needs both: Sam taps Continue, then Alex."""
    run(code, "b", "next", {"step": step})
    run(code, "a", "next", {"step": step})


def finish_tiny_session(code: str, *, pause: bool = True) -> None:
    """Alex and Sam through the whole tiny protocol, with one pause Alex asks for."""
    for seat in ("a", "b"):  # both phones connected, as the room socket would report
        run(code, "server", "presence", {"seat": seat, "connected": True})
    run(code, "a", "start")
    both_move_on(code, INFO)
    run(code, "a", "checkin", {"step": CHECKIN, "state": "safe", "intensity": 3, "word": "rested"})
    if pause:
        run(code, "a", "pause")
        run(code, "a", "ready")
        run(code, "b", "ready")
    run(code, "b", "checkin", {"step": CHECKIN, "state": "shutdown", "intensity": 6})
    both_move_on(code, CHECKIN)
    breathing = rooms.load_state(code)["breathing"]
    assert breathing is not None
    run(code, "server", "tick", {}, now=rooms.now_ms() + 60_000)
    assert rooms.load_state(code)["index"] == CLOSE
    both_move_on(code, CLOSE)
    assert rooms.load_state(code)["status"] == "completed"


# --- Home ------------------------------------------------------------------------------


def test_home_offers_every_builtin_protocol_with_its_length_and_who_it_is_for():
    page = Client().get("/").content.decode()
    for doc in builtin_protocols().values():
        assert doc["title"] in page
        assert f"About {doc['minutes']} minutes" in page
        assert f'value="{doc["slug"]}"' in page
    assert "Start a session together" in page
    assert 'href="/counselor/login/"' in page


def test_home_says_stay_is_not_therapy_and_links_to_urgent_help(settings):
    page = Client().get("/").content.decode()
    assert "does not replace" in page
    assert f'href="{settings.STAY["HELP_URL"]}"' in page
    # Unset, the help line is Stay's own sentence (in the reader's language).
    assert "If you or someone else is in danger, find urgent help near you" in page


# --- Starting a session --------------------------------------------------------------------


def test_starting_a_session_gives_the_link_a_qr_code_and_join_on_this_device():
    alex = Client()
    response = alex.post("/start/", {"protocol": "daily-checkin"})
    assert response.status_code == 302
    code = re.fullmatch(r"/new/([\w-]+)/", response["Location"]).group(1)
    session = CoupleSession.objects.get(code=code)
    assert session.protocol_slug == "daily-checkin"
    page = alex.get(response["Location"]).content.decode()
    assert f'value="http://testserver/j/{code}/"' in page
    assert "<svg" in page and "Copy link" in page
    assert f'href="/j/{code}/"' in page and "Join on this device" in page


def test_only_the_browser_that_started_a_session_sees_its_share_page():
    alex = Client()
    location = alex.post("/start/", {"protocol": "daily-checkin"})["Location"]
    assert Client().get(location).status_code == 404


def test_an_unknown_protocol_is_refused_with_a_plain_reason():
    response = Client().post("/start/", {"protocol": "no-such-thing"})
    assert response.status_code == 400
    assert b"Choose one of the sessions listed" in response.content
    assert not CoupleSession.objects.exists()


def test_starting_sessions_is_limited_per_address_with_a_kind_page(settings):
    settings.STAY = {**settings.STAY, "CREATE_RATE_PER_HOUR": 2}
    busy = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(2):
        assert busy.post("/start/", {"protocol": "daily-checkin"}).status_code == 302
    refused = busy.post("/start/", {"protocol": "daily-checkin"})
    assert refused.status_code == 429
    assert "Please wait a little and try again" in refused.content.decode()
    assert CoupleSession.objects.count() == 2
    elsewhere = Client(REMOTE_ADDR="198.51.100.1")
    assert elsewhere.post("/start/", {"protocol": "daily-checkin"}).status_code == 302


def test_starting_a_session_needs_the_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/start/", {"protocol": "daily-checkin"})
    assert response.status_code == 403


def test_the_qr_code_is_an_inline_svg_the_content_security_policy_allows():
    svg = qr.svg_for("https://stay.example.org/j/abc/")
    assert svg.startswith("<svg") and "viewBox" in svg
    assert "style=" not in svg and "<script" not in svg
    assert svg != qr.svg_for("https://stay.example.org/j/abd/")
    with pytest.raises(ValueError, match="non-empty link"):
        qr.svg_for("")


# --- Summary -----------------------------------------------------------------------------


def test_the_summary_counts_steps_pauses_and_sets_the_check_ins_side_by_side():
    session, _ = seated_session()
    finish_tiny_session(session.code)
    summary = session_summary(CoupleSession.objects.get(pk=session.pk))
    assert summary["status"] == "completed"
    assert (summary["steps_done"], summary["step_count"]) == (4, 4)
    assert summary["names"] == {"a": "Alex", "b": "Sam"}
    [pause] = summary["pauses"]
    assert pause["by"] == "a" and pause["reason"] == "need_a_moment"
    assert pause["step_title"] == "Arrive" and pause["seconds"] >= 0
    assert summary["arrival"]["a"]["state"] == "safe"
    assert summary["arrival"]["b"]["state"] == "shutdown"
    assert summary["closing"] is None  # the tiny protocol has one check-in only


def test_a_partner_never_learns_an_answer_from_the_summary_the_room_kept_hidden():
    session, _ = seated_session()
    code = session.code
    run(code, "a", "start")
    both_move_on(code, INFO)
    run(code, "a", "checkin", {"step": CHECKIN, "state": "mobilized", "intensity": 8})
    run(code, "b", "end")
    summary = session_summary(CoupleSession.objects.get(pk=session.pk))
    assert summary["status"] == "ended" and summary["steps_done"] == 1
    assert for_viewer(summary, "b")["arrival"]["a"] is None
    assert for_viewer(summary, "a")["arrival"]["a"]["state"] == "mobilized"
    assert for_viewer(summary, "host")["arrival"]["a"]["state"] == "mobilized"


def test_each_partner_reads_the_summary_in_their_own_words():
    session, tokens = seated_session()
    finish_tiny_session(session.code)
    alex_page = browser_for(session, tokens["a"]).get(f"/s/{session.code}/summary/")
    sam_page = browser_for(session, tokens["b"]).get(f"/s/{session.code}/summary/")
    assert alex_page.status_code == sam_page.status_code == 200
    alex_text, sam_text = alex_page.content.decode(), sam_page.content.decode()
    assert "You did all 4 steps" in alex_text
    assert "You asked for a pause during “Arrive”" in alex_text
    assert "Alex asked for a pause during “Arrive”" in sam_text
    assert "Safe and connected, 3 of 10 — “rested”" in sam_text
    assert "Shut down, 6 of 10" in alex_text


def test_a_stranger_gets_no_summary():
    session, _ = seated_session()
    finish_tiny_session(session.code)
    assert Client().get(f"/s/{session.code}/summary/").status_code == 404
    assert Client().get("/s/not-a-real-code-at-all-000/summary/").status_code == 404


def test_pause_lengths_read_naturally():
    # A clock under five seconds reads falsely exact ("0 seconds" for a pause that happened).
    for seconds in (0, 1, 4):
        assert describe_length(seconds) == "a few seconds"
    assert describe_length(5) == "5 seconds"
    assert describe_length(42) == "42 seconds"
    assert describe_length(60) == "1 minute"
    assert describe_length(130) == "about 2 minutes"
    assert describe_length(103) == "about 2 minutes"
    assert describe_length(89) == "about 1 minute"


# --- Deleting ------------------------------------------------------------------------------


def delete(browser: Client, code: str, answer: str = "yes"):
    return browser.post(f"/s/{code}/delete/", {"confirm": answer})


def page_of(browser: Client, code: str) -> str:
    return browser.get(f"/s/{code}/summary/").content.decode()


def test_deleting_needs_both_partners_yes_and_keeps_only_the_counselors_notes(dana):
    session, tokens = seated_session()
    CoupleSession.objects.filter(pk=session.pk).update(counselor=dana)
    note = Note.objects.create(counselor=dana, session=session, text="Both arrived tired.")
    finish_tiny_session(session.code)
    alex, sam = browser_for(session, tokens["a"]), browser_for(session, tokens["b"])
    code = session.code

    asked = delete(sam, code)
    assert asked["Location"] == f"/s/{code}/summary/"
    assert CoupleSession.objects.filter(pk=session.pk).exists()
    assert "It will be deleted once Alex agrees too" in page_of(sam, code)
    alex_page = page_of(alex, code)
    assert "Sam would like to delete this session" in alex_page
    assert "Delete it for both of you" in alex_page and "Keep it" in alex_page
    assert "they keep them, no longer linked to this session" in alex_page

    response = delete(alex, code)
    assert response["Location"] == "/?deleted=1"
    assert "This session's data has been deleted" in alex.get("/?deleted=1").content.decode()
    assert not CoupleSession.objects.filter(pk=session.pk).exists()
    assert not Seat.objects.filter(session_id=session.pk).exists()
    assert not Event.objects.filter(session_id=session.pk).exists()
    note.refresh_from_db()
    assert note.session is None and note.text == "Both arrived tired."
    assert note.session_label.startswith("Tiny test protocol · ")

    # Sam's browser still holds its seat: it hears what happened, in words, and nothing more.
    told = sam.get(f"/s/{code}/summary/")
    assert told.status_code == 410
    page = told.content.decode()
    assert "You both agreed to delete it" in page
    for secret in ("Alex", "Sam", "Tiny test protocol"):
        assert secret not in page
    assert sam.get(f"/s/{code}/").status_code == 410
    assert sam.get(f"/j/{code}/").status_code == 410
    assert Client().get(f"/s/{code}/summary/").status_code == 404  # a stranger: nothing


def test_one_partners_request_alone_deletes_nothing_and_either_may_take_it_back():
    session, tokens = seated_session()
    finish_tiny_session(session.code, pause=False)
    alex, sam = browser_for(session, tokens["a"]), browser_for(session, tokens["b"])
    code = session.code
    delete(alex, code)
    delete(alex, code)  # asking twice is still one request
    assert CoupleSession.objects.get(pk=session.pk).delete_requested_by == "a"
    delete(alex, code, "no")  # Alex withdraws
    row = CoupleSession.objects.get(pk=session.pk)
    assert (row.delete_requested_by, row.delete_requested_at) == ("", None)
    assert "would like to delete" not in page_of(sam, code)

    delete(alex, code)
    delete(sam, code, "no")  # Sam keeps it
    row = CoupleSession.objects.get(pk=session.pk)
    assert (row.delete_requested_by, row.delete_kept_by) == ("", "b")
    assert "Sam would like to keep this session for now" in page_of(alex, code)
    assert "Ask to delete this session" in page_of(alex, code)


def test_a_partner_removes_their_name_and_answers_at_once():
    session, tokens = seated_session()
    finish_tiny_session(session.code)
    alex, sam = browser_for(session, tokens["a"]), browser_for(session, tokens["b"])
    code = session.code
    assert "Remove my name and answers" in page_of(alex, code)

    response = alex.post(f"/s/{code}/forget/", {"confirm": "yes"})
    assert response["Location"] == f"/s/{code}/summary/"
    state = rooms.load_state(code)
    assert state["seats"]["a"]["name"] is None and state["seats"]["a"]["forgotten"] is True
    assert all(answers["a"] is None for answers in state["checkins"].values())
    # Nothing of Alex's is left in the event log either: not the word, not the name.
    logged = str(list(Event.objects.filter(session=session).values_list("args", flat=True)))
    assert "rested" not in logged and "Alex" not in logged and "safe" not in logged
    assert "shutdown" in logged  # Sam's own answer stays
    seat = Seat.objects.get(session=session, seat="a")
    assert (seat.name, seat.token_hash, seat.code_hash) == ("", "", "")

    left = alex.get(f"/s/{code}/summary/")
    assert left.status_code == 200
    assert "Your name and your check-in answers have been removed" in left.content.decode()
    room = alex.get(f"/s/{code}/").content.decode()
    assert "left this session" in room and "Alex" not in room
    assert "left this session" in alex.get(f"/j/{code}/").content.decode()

    sam_page = page_of(sam, code)
    assert "Your partner removed their name and answers" in sam_page
    assert "rested" not in sam_page and "Alex" not in sam_page
    assert "already removed themselves, which counts as a yes" in sam_page
    assert delete(sam, code)["Location"] == "/?deleted=1"  # Sam's yes is enough now
    assert not CoupleSession.objects.filter(pk=session.pk).exists()


def test_removing_yourself_or_deleting_waits_until_the_session_has_finished():
    session, tokens = seated_session()
    run(session.code, "a", "start")
    alex = browser_for(session, tokens["a"])
    assert alex.post(f"/s/{session.code}/forget/", {"confirm": "yes"}).status_code == 409
    assert rooms.load_state(session.code)["seats"]["a"]["name"] == "Alex"
    assert Client().post(f"/s/{session.code}/forget/", {"confirm": "yes"}).status_code == 404
    assert alex.post(f"/s/{session.code}/forget/").status_code == 400


def test_a_session_nobody_agreed_to_delete_tells_a_seat_holder_it_expired():
    session, tokens = seated_session()
    finish_tiny_session(session.code, pause=False)
    sam = browser_for(session, tokens["b"])
    CoupleSession.objects.filter(pk=session.pk).delete()  # as the expiry purge does
    told = sam.get(f"/s/{session.code}/summary/")
    assert told.status_code == 410
    assert "deleted by itself" in told.content.decode()


def test_deleting_asks_for_confirmation_first():
    session, tokens = seated_session()
    finish_tiny_session(session.code, pause=False)
    response = browser_for(session, tokens["a"]).post(f"/s/{session.code}/delete/")
    assert response.status_code == 400
    assert b"confirm" in response.content
    assert CoupleSession.objects.filter(pk=session.pk).exists()


def test_a_session_still_running_is_not_deleted_from_under_the_other_partner():
    session, tokens = seated_session()
    run(session.code, "a", "start")
    response = browser_for(session, tokens["a"]).post(
        f"/s/{session.code}/delete/", {"confirm": "yes"}
    )
    assert response.status_code == 409
    assert "End session" in response.content.decode()
    assert CoupleSession.objects.filter(pk=session.pk).exists()


def test_a_stranger_cannot_delete_a_session():
    session, _ = seated_session()
    finish_tiny_session(session.code, pause=False)
    assert Client().post(f"/s/{session.code}/delete/", {"confirm": "yes"}).status_code == 404
    assert CoupleSession.objects.filter(pk=session.pk).exists()


def test_deleting_needs_the_csrf_token():
    session, tokens = seated_session()
    finish_tiny_session(session.code, pause=False)
    browser = Client(enforce_csrf_checks=True)
    django_session = browser.session
    django_session[SEATS_KEY] = {session.code: tokens["a"]}
    django_session.save()
    assert browser.post(f"/s/{session.code}/delete/", {"confirm": "yes"}).status_code == 403
    assert CoupleSession.objects.filter(pk=session.pk).exists()


def test_the_breathing_step_constant_is_what_the_tiny_protocol_says():
    # Guards the helper above: if the tiny protocol changes shape, these tests must change too.
    session, _ = seated_session()
    assert session.state["steps"][BREATHE]["kind"] == "breathe"


def test_the_counselor_reads_the_summary_but_cannot_delete_or_remove_anyone(dana, dana_client):
    session, _ = seated_session(dana)
    run(session.code, "host", "end")
    page = page_of(dana_client, session.code)
    assert "Your session together" in page and "Remove my name" not in page
    assert delete(dana_client, session.code).status_code == 404
    assert dana_client.post(f"/s/{session.code}/forget/", {"confirm": "yes"}).status_code == 404
    assert CoupleSession.objects.get(pk=session.pk).delete_requested_by == ""
