"""A seat code beats an approval: the present partner cannot let themselves into the other seat.

The hole: with Sam's phone asleep, Alex opens the link in a second browser, asks to
continue as Sam and says yes on his own phone. Now Alex holds both places. The seat keeps
Sam's old code as its prior proof, so Sam takes the place back at once (typed, or with one
button on the old browser), and a place held by approval gives no yes to deleting.
Alex=a, Sam=b, Dana the counselor.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from sessions import codes
from sessions.access import SEATS_KEY, for_socket
from sessions.live import consumer
from sessions.models import CoupleSession, Lease, Seat
from sessions.store import broadcast, connections, rooms, seats
from tests.web.seat_support import (
    gone_quiet,
    knock_in_state,
    new_session,
    role_of,
    seat_code_of,
    seated,
)

pytestmark = pytest.mark.django_db(transaction=True)

MOVED = "Your place in this session moved to another device after your partner"


def connected(session, seat: str, name: str) -> None:
    Lease.objects.create(
        session=session,
        role=seat,
        channel_name=name,
        expires_at=timezone.now() + timedelta(seconds=30),
    )


def let_in_by(session, answerer: str) -> Client:
    """A second browser asks for Sam's quiet place and `answerer` says yes."""
    second = Client()
    assert second.post(f"/j/{session.code}/ask/")["Location"] == f"/j/{session.code}/waiting/"
    knock = knock_in_state(session)
    assert knock["seat"] == "b"
    assert rooms.submit(
        session.code, answerer, "let_in", {"id": knock["id"], "answer": "yes"}
    ).accepted
    assert second.get(f"/j/{session.code}/waiting/")["Location"] == f"/s/{session.code}/"
    assert role_of(second, session) == "b"
    return second


def alex_lets_himself_in():
    """Alex holds both places: his own, and Sam's through his second browser (connected)."""
    session = new_session()
    alex, sam = seated(session, "Alex", "Sam")
    sam_code = seat_code_of(sam, session)
    gone_quiet(session, "b")  # Sam's phone asleep; Alex's is here
    alex_too = let_in_by(session, "a")
    connected(session, "b", "alex-second-browser")
    return session, alex, sam, sam_code, alex_too


def socket_answer(browser: Client, session):
    return for_socket(session.code, browser.session, AnonymousUser(), "192.0.2.1")


# --- The seat keeps its previous holder's proof -----------------------------------------------


def test_a_place_let_in_by_approval_keeps_the_previous_code_and_gets_a_fresh_one():
    session, _, _, sam_code, alex_too = alex_lets_himself_in()
    seat = Seat.objects.get(session=session, seat="b")
    assert seat.prior_code_hash == codes.hash_seat_code(
        codes.normalize_seat_code(sam_code), join_code=session.code, seat="b"
    )
    assert seats.held_by_approval(session, "b") and not seats.held_by_approval(session, "a")
    fresh = seat_code_of(alex_too, session)
    assert fresh != sam_code
    assert seats.seat_for_code(session, codes.normalize_seat_code(fresh)) == "b"
    assert seats.seat_for_code(session, codes.normalize_seat_code(sam_code)) is None


def test_sams_old_code_takes_the_place_back_even_while_alexs_second_browser_is_connected():
    session, alex, _, sam_code, alex_too = alex_lets_himself_in()
    sam_new_phone = Client()
    with mock.patch("sessions.web.new_device.tell_room", wraps=broadcast.tell_room) as told:
        response = sam_new_phone.post(f"/j/{session.code}/seat-code/", {"seat_code": sam_code})
    assert response.status_code == 302 and response["Location"] == f"/s/{session.code}/"
    assert role_of(sam_new_phone, session) == "b"
    assert role_of(alex_too, session) is None and role_of(alex, session) == "a"
    told.assert_called_once_with(session.code, revoked=("b",))  # the room hears, 4403 follows
    seat = Seat.objects.get(session=session, seat="b")
    assert seat.prior_code_hash is None and seat.name == "Sam"
    assert rooms.load_state(session.code)["seats"]["b"]["rejoined_at"] is not None
    fresh = seat_code_of(sam_new_phone, session)
    assert fresh != sam_code
    assert seats.seat_for_code(session, codes.normalize_seat_code(fresh)) == "b"
    # The code used is spent, like any seat code.
    again = Client().post(f"/j/{session.code}/seat-code/", {"seat_code": sam_code})
    assert again.status_code == 400


def test_the_approved_device_then_gets_4403_and_no_seat():
    session, _, _, sam_code, alex_too = alex_lets_himself_in()
    token = alex_too.session[SEATS_KEY][session.code]
    assert socket_answer(alex_too, session).role == "b"
    Client().post(f"/j/{session.code}/seat-code/", {"seat_code": sam_code})
    assert consumer.REFUSED[socket_answer(alex_too, session)] == 4403
    assert not connections.still_seated(session.pk, "b", token)
    assert alex_too.get(f"/s/{session.code}/")["Location"] == f"/j/{session.code}/"


# --- Sam's old browser does not even need to type it -----------------------------------------


def test_sams_old_browser_is_offered_its_place_back_without_typing_and_it_works():
    session, _, sam, sam_code, alex_too = alex_lets_himself_in()
    for url in (f"/s/{session.code}/", f"/j/{session.code}/"):
        page = sam.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert MOVED in text and "take your place back here" in text
        assert f'action="/j/{session.code}/take-back/"' in text
        for shown in (sam_code, sam_code.replace("-", "")):
            assert shown not in text  # the code stays server-side
        assert not re.search(r"\bSam\b", text) and not re.search(r"\bAlex\b", text)
    response = sam.post(f"/j/{session.code}/take-back/")
    assert response["Location"] == f"/s/{session.code}/"
    assert role_of(sam, session) == "b" and role_of(alex_too, session) is None
    assert Seat.objects.get(session=session, seat="b").prior_code_hash is None
    # Back in the room, with a fresh code shown there.
    room = sam.get(f"/s/{session.code}/").content.decode()
    assert MOVED not in room and seat_code_of(sam, session) in room


def test_taking_the_place_back_needs_the_csrf_token_and_counts_as_a_try(settings):
    session, _, sam, _, alex_too = alex_lets_himself_in()
    forged = Client(enforce_csrf_checks=True)
    forged.cookies[django_settings.SESSION_COOKIE_NAME] = sam.cookies[
        django_settings.SESSION_COOKIE_NAME
    ].value
    assert forged.post(f"/j/{session.code}/take-back/").status_code == 403
    assert role_of(alex_too, session) == "b"
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 1}
    cache.clear()
    assert Client().post(f"/j/{session.code}/seat-code/", {"seat_code": "ABCD-EFGH"}).status_code
    assert sam.post(f"/j/{session.code}/take-back/").status_code == 429
    assert role_of(alex_too, session) == "b"


def test_a_browser_whose_place_moved_by_its_own_seat_code_is_not_offered_it_back():
    session = new_session()
    _, sam = seated(session, "Alex", "Sam")
    gone_quiet(session, "b")
    Client().post(f"/j/{session.code}/seat-code/", {"seat_code": seat_code_of(sam, session)})
    assert sam.get(f"/s/{session.code}/")["Location"] == f"/j/{session.code}/"
    assert MOVED not in sam.get(f"/j/{session.code}/").content.decode()
    assert sam.post(f"/j/{session.code}/take-back/")["Location"] == f"/j/{session.code}/"


# --- Deleting needs a yes from a place held by its own code -----------------------------------


def test_a_place_held_by_approval_cannot_be_the_second_yes_to_deleting():
    session, alex, _, _, alex_too = alex_lets_himself_in()
    assert rooms.submit(session.code, "a", "end").accepted
    assert alex.post(f"/s/{session.code}/delete/", {"confirm": "yes"}).status_code == 302
    summary = html.unescape(alex_too.get(f"/s/{session.code}/summary/").content.decode())
    assert "can't say yes to deleting the whole session" in summary
    refused = alex_too.post(f"/s/{session.code}/delete/", {"confirm": "yes"})
    assert refused.status_code == 403
    assert CoupleSession.objects.filter(pk=session.pk).exists()


def test_a_place_held_by_approval_gives_no_first_yes_and_its_remove_me_is_no_yes_either():
    session, alex, _, _, alex_too = alex_lets_himself_in()
    assert rooms.submit(session.code, "a", "end").accepted
    assert alex_too.post(f"/s/{session.code}/delete/", {"confirm": "yes"}).status_code == 403
    assert CoupleSession.objects.get(pk=session.pk).delete_requested_by == ""
    # It can still remove itself...
    assert alex_too.post(f"/s/{session.code}/forget/", {"confirm": "yes"}).status_code == 302
    assert rooms.load_state(session.code)["seats"]["b"]["forgotten"]
    # ...but that is not Sam's yes: Alex alone deletes nothing.
    assert alex.post(f"/s/{session.code}/delete/", {"confirm": "yes"}).status_code == 302
    assert CoupleSession.objects.filter(pk=session.pk).exists()


def test_the_counselor_letting_sam_in_also_holds_by_approval_until_the_old_code_is_used(dana):
    session = new_session(dana)
    _, sam = seated(session, "Alex", "Sam")
    gone_quiet(session, "b")
    sam_new_phone = let_in_by(session, "host")
    assert seats.held_by_approval(session, "b")
    assert sam.post(f"/j/{session.code}/take-back/")["Location"] == f"/s/{session.code}/"
    assert not seats.held_by_approval(session, "b")
    assert role_of(sam_new_phone, session) is None


# --- A normal seat-code take-over, and codes that open nothing --------------------------------


def test_a_normal_seat_code_take_over_still_clears_everything():
    session, alex, sam, sam_code, _ = alex_lets_himself_in()
    sam_new_phone = Client()
    sam_new_phone.post(f"/j/{session.code}/seat-code/", {"seat_code": sam_code})
    # Later Sam moves on again with the code of the phone he took it back on.
    Lease.objects.filter(session=session, role="b").delete()
    Seat.objects.filter(session=session).update(claimed_at=timezone.now() - timedelta(minutes=5))
    laptop = Client()
    code = seat_code_of(sam_new_phone, session)
    assert laptop.post(f"/j/{session.code}/seat-code/", {"seat_code": code}).status_code == 302
    assert role_of(laptop, session) == "b"
    assert Seat.objects.get(session=session, seat="b").prior_code_hash is None
    for old in (sam, sam_new_phone):  # no place-moved page for a code move
        assert MOVED not in old.get(f"/j/{session.code}/").content.decode()
    # A place held by its own code gives its yes: both yes, deleted.
    assert rooms.submit(session.code, "a", "end").accepted
    assert alex.post(f"/s/{session.code}/delete/", {"confirm": "yes"}).status_code == 302
    assert laptop.post(f"/s/{session.code}/delete/", {"confirm": "yes"})["Location"] == (
        "/?deleted=1"
    )
    assert not CoupleSession.objects.filter(pk=session.pk).exists()


def test_a_wrong_code_still_gets_the_same_answer_and_the_approved_code_launders_nothing():
    session, _, sam, sam_code, alex_too = alex_lets_himself_in()
    wrong = Client().post(f"/j/{session.code}/seat-code/", {"seat_code": "ABCD-EFGH"})
    assert wrong.status_code == 400
    assert "That code doesn't open a place" in html.unescape(wrong.content.decode())
    # The approved browser's own code, used from a third browser, is an ordinary code:
    # it waits for the approved device to go quiet, then moves the place with its mark.
    third = Client()
    approved_code = seat_code_of(alex_too, session)
    held = third.post(f"/j/{session.code}/seat-code/", {"seat_code": approved_code})
    assert held.status_code == 409
    Lease.objects.filter(session=session, role="b").delete()
    Seat.objects.filter(session=session).update(claimed_at=timezone.now() - timedelta(minutes=5))
    assert third.post(
        f"/j/{session.code}/seat-code/", {"seat_code": approved_code}
    ).status_code == (302)
    assert role_of(third, session) == "b" and seats.held_by_approval(session, "b")
    # A second approval keeps Sam's code as the proof too.
    Seat.objects.filter(session=session).update(claimed_at=timezone.now() - timedelta(minutes=5))
    fourth = let_in_by(session, "a")
    assert seats.held_by_approval(session, "b")
    # Sam still takes it back, from his old browser, without typing.
    assert sam.post(f"/j/{session.code}/take-back/")["Location"] == f"/s/{session.code}/"
    assert role_of(sam, session) == "b"
    assert role_of(third, session) is None and role_of(fourth, session) is None
    assert sam_code  # the old code is spent now
    assert seats.seat_for_prior_code(session, codes.normalize_seat_code(sam_code)) is None
