"""A seat belongs to the person who took it — continuing on a new device, over plain HTTP.

Alex's phone dies. On a new phone Alex proves the place is theirs with the seat code
shown in Alex's room, or asks Sam (or, in a hosted session, Dana the counselor) to let
them in (tests/web/test_seat_let_in.py). Riley, a stranger holding only the link, learns
nothing and gets nothing. Once the session has finished, only the seat code opens it.
"""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.test import Client

from sessions import codes
from sessions.access import SEATS_KEY
from sessions.models import Seat
from sessions.store import rooms, seats
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


# --- The seat code ------------------------------------------------------------------------


def test_each_partner_sees_only_their_own_seat_code_in_their_room():
    session = new_session()
    alex, sam = seated(session, "Alex", "Sam")
    alex_code, sam_code = seat_code_of(alex, session), seat_code_of(sam, session)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", alex_code)
    assert alex_code != sam_code
    alex_room = alex.get(f"/s/{session.code}/").content.decode()
    assert "Continue on another device" in alex_room
    assert alex_code in alex_room and sam_code not in alex_room
    assert sam_code in sam.get(f"/s/{session.code}/").content.decode()
    stored = Seat.objects.get(session=session, seat="a").code_hash
    assert stored and alex_code not in stored and alex_code.replace("-", "") not in stored


def test_the_counselor_has_no_seat_code(dana, dana_client):
    session = new_session(dana)
    seated(session, "Alex", "Sam")
    page = dana_client.get(f"/s/{session.code}/").content.decode()
    assert "Continue on another device" not in page


def test_alex_continues_on_a_new_phone_with_the_seat_code():
    session = new_session()
    alex, sam = seated(session, "Alex", "Sam")
    code = seat_code_of(alex, session)
    gone_quiet(session, "a")
    new_phone = Client()
    typed = code.lower().replace("-", " ")  # typing is forgiving
    response = new_phone.post(f"/j/{session.code}/seat-code/", {"seat_code": typed})
    assert response.status_code == 302 and response["Location"] == f"/s/{session.code}/"
    assert role_of(new_phone, session) == "a"
    assert role_of(alex, session) is None  # the old device is out
    assert Seat.objects.get(session=session, seat="a").name == "Alex"
    state = rooms.load_state(session.code)
    assert state["seats"]["a"]["rejoined_at"] is not None
    # A fresh code on the new phone; the one used stops working.
    fresh = seat_code_of(new_phone, session)
    assert fresh != code
    assert seats.seat_for_code(session, codes.normalize_seat_code(code)) is None
    assert seats.seat_for_code(session, codes.normalize_seat_code(fresh)) == "a"
    assert role_of(sam, session) == "b"


def test_a_wrong_code_and_a_place_nobody_holds_get_the_same_answer():
    full = new_session()
    seated(full, "Alex", "Sam")
    gone_quiet(full, "a", "b")
    half = new_session()
    (alex,) = seated(half, "Alex")
    guess = "ABCD-EFGH"
    answers = []
    for session in (full, half):
        response = Client().post(f"/j/{session.code}/seat-code/", {"seat_code": guess})
        page = response.content.decode()
        answers.append((response.status_code, re.findall(r'role="alert">([^<]*)<', page)))
        reveals_nobody(page)
    assert answers[0] == answers[1] == (400, [answers[0][1][0]])
    assert "open a place in this session" in answers[0][1][0]
    assert Seat.objects.filter(session=full).count() == 2
    assert role_of(alex, half) == "a"


def test_checking_a_code_does_the_same_work_whether_or_not_the_place_is_held():
    full = new_session()
    seated(full, "Alex", "Sam")
    half = new_session()
    seated(half, "Alex")
    work = []
    for session in (full, half):
        with (
            mock.patch("sessions.store.seats.same_digest", wraps=codes.same_digest) as compare,
            mock.patch("sessions.store.seats.hash_seat_code", wraps=codes.hash_seat_code) as digest,
        ):
            assert seats.seat_for_code(session, "ABCDEFGH") is None
        work.append((digest.call_count, compare.call_count))
    assert work == [(2, 2), (2, 2)]
    # A seat with no code is compared against a digest of the same length, never skipped.
    with mock.patch("sessions.codes.hmac.compare_digest", return_value=False) as constant:
        assert not codes.same_digest("f" * 64, "")
    assert [len(arg) for arg in constant.call_args.args] == [64, 64]


@pytest.mark.parametrize("typed", ["", "K7PQ", "K7PQ-4XM0", "💥💥💥💥💥💥💥💥"])
def test_something_that_cannot_be_a_seat_code_is_explained(typed):
    session = new_session()
    seated(session, "Alex", "Sam")
    response = Client().post(f"/j/{session.code}/seat-code/", {"seat_code": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "seat code" in page
    reveals_nobody(page)


def test_a_seat_code_form_with_a_field_it_does_not_take_is_refused_and_names_it():
    session = new_session()
    seated(session, "Alex", "Sam")
    response = Client().post(
        f"/j/{session.code}/seat-code/", {"seat_code": "ABCD-EFGH", "seat": "a"}
    )
    assert response.status_code == 400
    assert "'seat'" in response.content.decode()


def test_the_right_code_does_not_move_a_seat_still_connected():
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    gone_quiet(session)  # both still connected
    response = Client().post(
        f"/j/{session.code}/seat-code/", {"seat_code": seat_code_of(alex, session)}
    )
    assert response.status_code == 409
    assert "still open on another device" in response.content.decode()
    assert role_of(alex, session) == "a"


def test_a_seat_claimed_without_a_code_gets_one_when_its_room_opens():
    session = new_session()
    token = codes.new_seat_token()
    seats.claim_seat(session, "Alex", token)
    assert Seat.objects.get(session=session, seat="a").code_hash == ""
    alex = Client()
    django_session = alex.session
    django_session[SEATS_KEY] = {session.code: token}
    django_session.save()
    alex.get(f"/s/{session.code}/")
    code = seat_code_of(alex, session)
    assert seats.seat_for_code(session, codes.normalize_seat_code(code)) == "a"


# --- A finished session ---------------------------------------------------------------------


def test_a_finished_session_opens_only_with_a_seat_code():
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    assert rooms.submit(session.code, "b", "end").accepted
    gone_quiet(session, "a", "b")
    riley = Client()
    page = riley.get(f"/j/{session.code}/").content.decode()
    assert "This session has finished" in page and "Ask to be let in" not in page
    reveals_nobody(page)
    asked = riley.post(f"/j/{session.code}/ask/")
    assert "This session has finished, so" in asked.content.decode()
    assert knock_in_state(session) is None
    assert riley.get(f"/s/{session.code}/summary/").status_code == 404
    code = seat_code_of(alex, session)
    assert riley.post(f"/j/{session.code}/seat-code/", {"seat_code": code}).status_code == 302
    assert riley.get(f"/s/{session.code}/summary/").status_code == 200


def test_nobody_new_takes_a_free_place_in_a_finished_session():
    session = new_session()
    seated(session, "Alex")
    assert rooms.submit(session.code, "a", "end").accepted
    riley = Client()
    page = riley.get(f"/j/{session.code}/").content.decode()
    assert 'name="display_name"' not in page
    response = riley.post(f"/j/{session.code}/", {"display_name": "Riley"})
    assert response.status_code == 409
    assert not Seat.objects.filter(session=session, seat="b").exists()
    assert riley.get(f"/s/{session.code}/summary/").status_code == 404
