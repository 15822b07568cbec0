"""Join attempts are limited per address, and the seat-code and asking forms need the CSRF
token: Riley, guessing links or seat codes from one address, is soon told to wait, while
Alex, who holds a place, is never held up.
"""

from __future__ import annotations

import pytest
from django.test import Client

from sessions import codes
from tests.web.seat_support import (
    gone_quiet,
    knock_in_state,
    new_session,
    role_of,
    seat_code_of,
    seated,
)

pytestmark = pytest.mark.django_db(transaction=True)


# --- Join attempts are limited per address ---------------------------------------------------


def test_links_to_no_session_are_limited_per_address_then_even_a_real_one_waits(settings):
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 3}
    session = new_session()
    riley = Client(REMOTE_ADDR="203.0.113.9")
    assert riley.get(f"/j/{session.code}/").status_code == 200  # a real link is not counted
    for n in range(3):
        assert riley.get(f"/j/{'x' * 22}{n:04d}/").status_code == 404
    refused = riley.get(f"/j/{session.code}/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Please wait a minute" in refused.content.decode()
    assert Client(REMOTE_ADDR="198.51.100.2").get(f"/j/{session.code}/").status_code == 200


def test_seat_code_guesses_are_limited_per_address(settings):
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 5}
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    riley = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        guess = codes.new_seat_code()
        assert riley.post(f"/j/{session.code}/seat-code/", {"seat_code": guess}).status_code == 400
    right = seat_code_of(alex, session)
    refused = riley.post(f"/j/{session.code}/seat-code/", {"seat_code": right})
    assert refused.status_code == 429
    assert role_of(alex, session) == "a"


def test_requests_to_be_let_in_count_as_join_attempts(settings):
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 2}
    session = new_session()
    seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    riley = Client(REMOTE_ADDR="203.0.113.9")
    assert riley.post(f"/j/{session.code}/ask/").status_code == 302
    assert riley.post(f"/j/{session.code}/ask/").status_code == 302
    assert riley.post(f"/j/{session.code}/ask/").status_code == 429


def test_the_room_link_to_no_session_counts_too_and_is_no_way_around_the_limit(settings):
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 2}
    session = new_session()
    alex = Client(REMOTE_ADDR="203.0.113.9")
    alex.post(f"/j/{session.code}/", {"display_name": "Alex"})
    riley = Client(REMOTE_ADDR="203.0.113.9")  # same address, another browser
    for n in range(2):
        assert riley.get(f"/s/{'y' * 22}{n:04d}/").status_code == 404
    assert riley.get(f"/j/{'y' * 26}/").status_code == 429
    # A real session and a made-up one now look the same from this address...
    assert riley.get(f"/s/{session.code}/").status_code == 429
    assert riley.get(f"/s/{'z' * 26}/").status_code == 429
    # ...but Alex, who holds a place, is never held up.
    assert alex.get(f"/s/{session.code}/").status_code == 200
    assert alex.get(f"/j/{session.code}/")["Location"] == f"/s/{session.code}/"


# --- CSRF ----------------------------------------------------------------------------------


def test_seat_codes_and_asking_need_the_csrf_token():
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    riley = Client(enforce_csrf_checks=True)
    code = seat_code_of(alex, session)
    assert riley.post(f"/j/{session.code}/seat-code/", {"seat_code": code}).status_code == 403
    assert riley.post(f"/j/{session.code}/ask/").status_code == 403
    assert role_of(alex, session) == "a" and knock_in_state(session) is None
