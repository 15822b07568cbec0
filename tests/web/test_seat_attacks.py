"""Seats and consent, tried as an attacker would: holes found in review, each pinned here.

Riley is a stranger with the link, Alex and Sam the couple, Dana their counselor.
"""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from sessions import throttle
from sessions.models import CoupleSession
from sessions.store import deletion, rooms
from tests.web.seat_support import (
    gone_quiet,
    knock_in_state,
    new_session,
    role_of,
    seat_code_of,
    seated,
)

pytestmark = pytest.mark.django_db(transaction=True)


def planted(session_key: str) -> Client:
    """A browser whose session cookie was set by someone else (session fixation)."""
    browser = Client()
    browser.cookies[django_settings.SESSION_COOKIE_NAME] = session_key
    return browser


def known_session_key() -> str:
    """A session key the attacker holds: any saved session they made on the site."""
    store_ = SessionStore()
    store_["anything"] = 1
    store_.create()
    return store_.session_key


# --- Session fixation: a seat is granted on a fresh session key ------------------------------


def test_claiming_a_seat_rotates_the_session_key_so_a_planted_cookie_gets_nothing():
    session = new_session()
    key = known_session_key()
    alex = planted(key)
    assert alex.post(f"/j/{session.code}/", {"display_name": "Alex"}).status_code == 302
    assert role_of(alex, session) == "a"
    assert alex.session.session_key != key
    riley = planted(key)  # the attacker still holds the key they planted
    assert role_of(riley, session) is None
    assert riley.get(f"/s/{session.code}/").status_code == 302


def test_taking_a_seat_over_rotates_the_session_key():
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    code = seat_code_of(alex, session)
    gone_quiet(session, "a")
    key = known_session_key()
    new_phone = planted(key)
    assert new_phone.post(f"/j/{session.code}/seat-code/", {"seat_code": code}).status_code == 302
    assert role_of(new_phone, session) == "a"
    assert new_phone.session.session_key != key
    assert role_of(planted(key), session) is None


def test_being_let_in_rotates_the_session_key():
    session = new_session()
    seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    new_phone = Client()
    new_phone.post(f"/j/{session.code}/ask/")
    key = new_phone.session.session_key
    knock = knock_in_state(session)
    assert rooms.submit(session.code, "b", "let_in", {"id": knock["id"], "answer": "yes"}).accepted
    assert new_phone.get(f"/j/{session.code}/waiting/")["Location"] == f"/s/{session.code}/"
    assert role_of(new_phone, session) == "a"
    assert new_phone.session.session_key != key
    assert role_of(planted(key), session) is None


def test_a_planted_session_cookie_cannot_collect_the_yes_given_to_an_ask():
    session = new_session()
    seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    key = known_session_key()
    alex_new_phone = planted(key)
    assert alex_new_phone.post(f"/j/{session.code}/ask/").status_code == 302
    knock = knock_in_state(session)
    assert rooms.submit(session.code, "b", "let_in", {"id": knock["id"], "answer": "yes"}).accepted
    riley = planted(key)  # gets in first, with the key Riley planted
    assert riley.get(f"/j/{session.code}/waiting/")["Location"] == f"/j/{session.code}/"
    assert role_of(riley, session) is None
    assert alex_new_phone.get(f"/j/{session.code}/waiting/")["Location"] == f"/s/{session.code}/"
    assert role_of(alex_new_phone, session) == "a"


# --- Knocking: no one can keep asking the partner who is there -------------------------------


def test_a_stranger_told_no_cannot_keep_knocking_from_many_addresses(settings):
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 100}
    session = new_session()
    seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    asked = 0
    for n in range(10):
        riley = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")  # a new address, a new browser
        response = riley.post(f"/j/{session.code}/ask/")
        knock = knock_in_state(session)
        if response.status_code == 302 and knock is not None and knock["answer"] is None:
            asked += 1
            assert rooms.submit(
                session.code, "b", "let_in", {"id": knock["id"], "answer": "no"}
            ).accepted
        else:
            assert response.status_code == 429
            assert not re.search(r"\bSam\b", response.content.decode())
    assert asked <= 3  # Sam is asked a few times at most, whoever knocks


def test_after_a_stranger_is_turned_away_the_real_partner_can_still_ask():
    session = new_session()
    seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    Client(REMOTE_ADDR="203.0.113.1").post(f"/j/{session.code}/ask/")
    knock = knock_in_state(session)
    assert rooms.submit(session.code, "b", "let_in", {"id": knock["id"], "answer": "no"}).accepted
    alex_new_phone = Client(REMOTE_ADDR="198.51.100.1")
    assert alex_new_phone.post(f"/j/{session.code}/ask/").status_code == 302
    assert knock_in_state(session)["answer"] is None


def test_knocks_replacing_an_unanswered_knock_are_limited_per_session_too(settings):
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 100}
    session = new_session()
    seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    ids = set()
    for n in range(10):
        Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(f"/j/{session.code}/ask/")
        ids.add(knock_in_state(session)["id"])
    assert len(ids) <= 3


# --- Deleting needs both: a released seat is not a partner who left --------------------------


def test_the_counselor_freeing_sams_seat_does_not_let_alex_delete_alone(dana, dana_client):
    session = new_session(dana)
    alex, sam = seated(session, "Alex", "Sam")
    assert rooms.submit(session.code, "host", "end").accepted
    # Dana frees Sam's place (or Sam leaves the device); Sam has not said yes to anything.
    dana_client.post(f"/s/{session.code}/release/", {"seat": "b"})
    session.refresh_from_db()
    assert not deletion.partner_has_left(session, "a")
    alex.post(f"/s/{session.code}/delete/", {"confirm": "yes"})
    assert CoupleSession.objects.filter(pk=session.pk).exists()


def test_nobody_frees_a_place_in_a_finished_session_so_no_partner_is_shut_out_of_it(
    dana, dana_client
):
    session = new_session(dana)
    alex, sam = seated(session, "Alex", "Sam")
    assert rooms.submit(session.code, "host", "end").accepted
    assert dana_client.post(f"/s/{session.code}/release/", {"seat": "b"}).status_code == 302
    assert sam.post(f"/s/{session.code}/release/").status_code == 302
    assert role_of(sam, session) == "b"
    assert rooms.load_state(session.code)["seats"]["b"]["claimed"]
    assert sam.get(f"/s/{session.code}/summary/").status_code == 200


def test_a_seat_released_mid_session_still_needs_its_partners_yes_to_delete():
    session = new_session()
    alex, sam = seated(session, "Alex", "Sam")
    sam.post(f"/s/{session.code}/release/")
    assert rooms.submit(session.code, "a", "end").accepted
    alex.post(f"/s/{session.code}/delete/", {"confirm": "yes"})
    assert CoupleSession.objects.filter(pk=session.pk).exists()


def test_a_place_nobody_ever_took_still_counts_as_a_yes():
    session = new_session()
    (alex,) = seated(session, "Alex")
    assert rooms.submit(session.code, "a", "end").accepted
    alex.post(f"/s/{session.code}/delete/", {"confirm": "yes"})
    assert not CoupleSession.objects.filter(pk=session.pk).exists()


# --- The waiting page's query ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["?check=0", "?check=", "?check=yes", "?x=1", "?check=1&seat=a", "?<b>=1"]
)
def test_the_waiting_page_refuses_a_query_it_does_not_take_without_echoing_it(query):
    session = new_session()
    seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    riley = Client()
    riley.post(f"/j/{session.code}/ask/")
    response = riley.get(f"/j/{session.code}/waiting/{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "<b>" not in response.content.decode()
    assert riley.get(f"/j/{session.code}/waiting/?check=1").json() == {"changed": False}


# --- No door is a way around the join limit ----------------------------------------------------


def test_the_waiting_page_and_release_count_as_join_attempts_for_a_browser_with_no_place(settings):
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 4}
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    riley = Client(REMOTE_ADDR="203.0.113.9")
    assert riley.get(f"/j/{'w' * 26}/waiting/").status_code == 404
    assert riley.get(f"/j/{'w' * 26}/waiting/?check=1").status_code == 200
    assert riley.post(f"/s/{'w' * 26}/release/").status_code == 404
    assert riley.post(f"/s/{session.code}/release/").status_code == 403
    # Spent: a real session and a made-up one now look the same from this address.
    for path in (f"/j/{session.code}/waiting/", f"/j/{'v' * 26}/waiting/"):
        assert riley.get(path).status_code == 429
    assert riley.post(f"/s/{session.code}/release/").status_code == 429
    assert riley.post(f"/s/{'v' * 26}/release/").status_code == 429
    # A partner is never held up, and one who asked to be let in keeps polling.
    assert alex.get(f"/j/{session.code}/waiting/")["Location"] == f"/s/{session.code}/"


def test_a_browser_waiting_for_an_answer_polls_without_spending_the_join_limit(settings):
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 2}
    session = new_session()
    seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    new_phone = Client(REMOTE_ADDR="203.0.113.7")
    assert new_phone.post(f"/j/{session.code}/ask/").status_code == 302
    for _ in range(10):
        poll = new_phone.get(f"/j/{session.code}/waiting/?check=1")
        assert poll.json() == {"changed": False}


# --- After a quick exit, Back shows nothing --------------------------------------------------


def test_the_room_and_summary_are_never_cached_so_back_after_a_quick_exit_shows_nothing():
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    room = alex.get(f"/s/{session.code}/")
    assert seat_code_of(alex, session) in room.content.decode()
    assert "no-store" in room["Cache-Control"]
    assert rooms.submit(session.code, "a", "end").accepted
    summary = alex.get(f"/s/{session.code}/summary/")
    assert summary.status_code == 200 and "no-store" in summary["Cache-Control"]


# --- A yes is for now ------------------------------------------------------------------------


def test_a_yes_kept_back_for_later_opens_nothing():
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    riley = Client()
    riley.post(f"/j/{session.code}/ask/")
    knock = knock_in_state(session)
    assert rooms.submit(session.code, "b", "let_in", {"id": knock["id"], "answer": "yes"}).accepted
    # Riley does not follow the yes at once, and comes back after the ask has lapsed.
    later = rooms.now_ms() + throttle.KNOCK_WINDOW_MS + 1000
    with mock.patch("sessions.store.rooms.now_ms", return_value=later):
        page = riley.get(f"/j/{session.code}/waiting/")
    assert page.status_code == 200 and "no longer open" in page.content.decode()
    assert role_of(riley, session) is None and role_of(alex, session) == "a"


# --- Refusals that name a field are plain text ---------------------------------------------------


def test_a_refusal_naming_an_unknown_field_is_plain_text_never_markup():
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    field = "<img src=x onerror=alert(1)>"
    for browser, path in (
        (Client(), f"/j/{session.code}/seat-code/"),
        (Client(), f"/j/{session.code}/ask/"),
        (alex, f"/s/{session.code}/release/"),
        (alex, f"/s/{session.code}/forget/"),
        (alex, f"/s/{session.code}/delete/"),
    ):
        response = browser.post(path, {field: "1"})
        assert response.status_code == 400, path
        assert response["Content-Type"].startswith("text/plain"), path


def test_a_typed_seat_code_is_never_in_an_error_report():
    from django.views.debug import SafeExceptionReporterFilter

    session = new_session()
    seated(session, "Alex", "Sam")
    response = Client().post(f"/j/{session.code}/seat-code/", {"seat_code": "K7PQ-4XMD"})
    cleaned = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert "K7PQ" not in str(cleaned.get("seat_code"))
