"""Asking to be let in: a new device knocks, and the partner still in the room (or Dana, the
counselor, when both places are quiet) says yes or no.

The knocking page never says a name, a newer knock replaces an older one, nobody can knock
while both places are in use, and a counselor never takes a partner's place.
"""

from __future__ import annotations

import pytest
from django.test import Client

from sessions.access import KNOCKS_KEY
from sessions.store import rooms
from tests.web.seat_support import (
    gone_quiet,
    knock_in_state,
    new_session,
    reveals_nobody,
    role_of,
    seat_code_of,
    seated,
)

pytestmark = pytest.mark.django_db(transaction=True)


# --- Asking to be let in ---------------------------------------------------------------------


def test_sam_lets_alex_in_on_a_new_phone_and_no_page_says_a_name():
    session = new_session()
    alex, sam = seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    new_phone = Client()
    offer = new_phone.get(f"/j/{session.code}/")
    reveals_nobody(offer.content.decode())
    response = new_phone.post(f"/j/{session.code}/ask/")
    assert response["Location"] == f"/j/{session.code}/waiting/"
    knock = knock_in_state(session)
    assert knock["seat"] == "a" and knock["answer"] is None
    assert new_phone.session[KNOCKS_KEY][session.code]["id"] == knock["id"]
    waiting = new_phone.get(f"/j/{session.code}/waiting/")
    assert "Waiting to be let in" in waiting.content.decode()
    reveals_nobody(waiting.content.decode())
    poll = new_phone.get(f"/j/{session.code}/waiting/?check=1")
    assert poll.json() == {"changed": False}

    assert rooms.submit(session.code, "b", "let_in", {"id": knock["id"], "answer": "yes"}).accepted
    assert new_phone.get(f"/j/{session.code}/waiting/?check=1").json() == {"changed": True}
    moved = new_phone.get(f"/j/{session.code}/waiting/")
    assert moved["Location"] == f"/s/{session.code}/"
    assert role_of(new_phone, session) == "a"
    assert role_of(alex, session) is None
    assert knock_in_state(session) is None  # the seat input cleared it
    assert seat_code_of(new_phone, session)  # and the new phone has its own code
    assert role_of(sam, session) == "b"


def test_when_sam_says_no_the_new_phone_is_told_kindly_and_gets_nothing():
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    riley = Client()
    riley.post(f"/j/{session.code}/ask/")
    knock = knock_in_state(session)
    assert rooms.submit(session.code, "b", "let_in", {"id": knock["id"], "answer": "no"}).accepted
    page = riley.get(f"/j/{session.code}/waiting/").content.decode()
    assert "You weren't let in on this device" in page
    reveals_nobody(page)
    assert role_of(riley, session) is None and role_of(alex, session) == "a"
    # Final: asking the page again does not reopen it.
    assert riley.get(f"/j/{session.code}/waiting/")["Location"] == f"/j/{session.code}/"


def test_a_newer_request_replaces_an_older_one_and_the_older_page_says_so():
    session = new_session()
    seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    first, second = Client(), Client()
    first.post(f"/j/{session.code}/ask/")
    second.post(f"/j/{session.code}/ask/")
    knock = knock_in_state(session)
    assert knock["id"] == second.session[KNOCKS_KEY][session.code]["id"]
    assert rooms.submit(session.code, "b", "let_in", {"id": knock["id"], "answer": "yes"}).accepted
    assert "no longer open" in first.get(f"/j/{session.code}/waiting/").content.decode()
    assert role_of(first, session) is None


def test_with_both_places_quiet_there_is_nobody_to_ask_but_the_seat_code_works():
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    gone_quiet(session, "a", "b")
    riley = Client()
    response = riley.post(f"/j/{session.code}/ask/")
    assert "Nobody is in the room just now" in response.content.decode()
    assert knock_in_state(session) is None
    code = seat_code_of(alex, session)
    assert riley.post(f"/j/{session.code}/seat-code/", {"seat_code": code}).status_code == 302
    assert role_of(riley, session) == "a"


def test_with_both_places_quiet_in_a_hosted_session_dana_is_asked(dana):
    session = new_session(dana)
    seated(session, "Alex", "Sam")
    gone_quiet(session, "a", "b")
    new_phone = Client()
    choose = new_phone.post(f"/j/{session.code}/ask/")
    assert "Which place was yours?" in choose.content.decode()
    reveals_nobody(choose.content.decode())
    assert new_phone.post(f"/j/{session.code}/ask/", {"seat": "c"}).status_code == 400
    new_phone.post(f"/j/{session.code}/ask/", {"seat": "b"})
    knock = knock_in_state(session)
    assert knock["seat"] == "b"
    assert rooms.submit(
        session.code, "host", "let_in", {"id": knock["id"], "answer": "yes"}
    ).accepted
    assert new_phone.get(f"/j/{session.code}/waiting/")["Location"] == f"/s/{session.code}/"
    assert role_of(new_phone, session) == "b"


def test_nobody_can_knock_while_both_places_are_in_use():
    session = new_session()
    seated(session, "Alex", "Sam")
    gone_quiet(session)
    response = Client().post(f"/j/{session.code}/ask/")
    assert "Both places are in use" in response.content.decode()
    assert knock_in_state(session) is None


def test_a_counselor_never_takes_a_partners_place(dana, robin_client):
    session = new_session(dana)
    alex, _ = seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    code = seat_code_of(alex, session)
    assert (
        robin_client.post(f"/j/{session.code}/seat-code/", {"seat_code": code}).status_code == 404
    )
    assert robin_client.post(f"/j/{session.code}/ask/").status_code == 404
    assert role_of(alex, session) == "a"
