"""Alex and Sam's sessions have one door, their standing link; a revoked link shuts every door.

A couple's session is never claimed through the plain join form: Riley holding its join
code (forwarded, or read off Dana's screen) gets a calm 403 page naming nobody, and no
seat. The new-device ways (a seat code) stay, since they need proof. While Dana has
stopped the couple's link, every door into their unfinished rooms (join, seat code, ask,
take back, waiting, room page, measure) answers the gone link's 410, naming nothing;
their finished sessions stay theirs to read, export and delete (tests/web/
test_couple_revoke_seats.py has the seats and the new link).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sessions.access import SEAT_CODES_KEY
from sessions.models import Couple, Seat
from sessions.store import couples
from tests.web.standing_support import hosted, make_couple, practice, practice_session, through_link

pytestmark = pytest.mark.django_db

COUPLE_DOOR = "This session is joined through the link your counselor gave you"
GONE = "This link no longer works. Ask your counselor for a new one."


def names_nothing(text: str, session) -> None:
    for word in ("Alex", "Sam", session.protocol_title):
        assert word not in text


# --- D1a: the join form is not a couple's door -------------------------------------------


def test_riley_posting_a_name_to_a_couples_join_code_takes_no_seat(dana, riley):
    couple = make_couple(dana)
    session = hosted(couple)
    refused = riley.post(f"/j/{session.code}/", {"display_name": "Riley"})
    assert refused.status_code == 403
    text = refused.content.decode()
    assert COUPLE_DOOR in text and 'name="display_name"' not in text
    names_nothing(text, session)
    assert not session.seats.exists()


def test_riley_cannot_take_sams_free_seat_in_alexs_practice_through_the_join_code(dana, riley):
    couple = make_couple(dana)
    session = practice_session(couple, practice(couple))
    alex = Client()
    alex.post(f"/c/{couple.link_code}/join/", {"seat": "a", "session": session.code})
    refused = riley.post(f"/j/{session.code}/", {"display_name": "Riley"})
    assert refused.status_code == 403
    assert list(session.seats.values_list("seat", flat=True)) == ["a"]


def test_opening_a_couples_join_code_points_to_their_link_and_offers_no_form(dana, riley):
    couple = make_couple(dana)
    session = hosted(couple)
    page = riley.get(f"/j/{session.code}/")
    assert page.status_code == 403
    text = page.content.decode()
    assert COUPLE_DOOR in text and 'name="display_name"' not in text
    names_nothing(text, session)


def test_with_both_places_held_the_join_code_still_offers_the_seat_code_way(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    through_link(couple, "a")
    through_link(couple, "b")
    page = Client().get(f"/j/{session.code}/")
    assert page.status_code == 409
    assert f"/j/{session.code}/seat-code/" in page.content.decode()


def test_alexs_new_phone_takes_the_place_with_its_seat_code(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    laptop = through_link(couple, "a")
    seat_code = laptop.session[SEAT_CODES_KEY][session.code]
    Seat.objects.filter(session=session).update(claimed_at=timezone.now() - timedelta(minutes=5))
    phone = Client()
    moved = phone.post(f"/j/{session.code}/seat-code/", {"seat_code": seat_code})
    assert moved.status_code == 302 and moved["Location"] == f"/s/{session.code}/"


# --- D1b: while the link is stopped, every door answers 410 ------------------------------


def stopped(couple: Couple) -> Couple:
    """Dana has stopped the link (the link's row only: seats as they were)."""
    Couple.objects.filter(pk=couple.pk).update(link_code=None)
    return couple


DOORS = [
    ("get", "/j/{code}/", {}),
    ("post", "/j/{code}/", {"display_name": "Riley"}),
    ("post", "/j/{code}/seat-code/", {"seat_code": "ABCD-EFGH-JKLM"}),
    ("post", "/j/{code}/ask/", {}),
    ("post", "/j/{code}/take-back/", {}),
    ("get", "/j/{code}/waiting/", {}),
    ("get", "/s/{code}/", {}),
    ("get", "/s/{code}/measure/", {}),
]


@pytest.mark.parametrize(("method", "path", "data"), DOORS, ids=lambda v: str(v))
def test_every_door_of_a_stopped_couples_open_room_answers_410_naming_nothing(
    dana, riley, method, path, data
):
    couple = make_couple(dana, measure_on=True)
    session = hosted(couple)
    through_link(couple, "a")
    stopped(couple)
    response = getattr(riley, method)(path.format(code=session.code), data)
    assert response.status_code == 410
    text = response.content.decode()
    assert GONE in text
    names_nothing(text, session)
    assert list(session.seats.values_list("seat", flat=True)) == ["a"]


@pytest.mark.parametrize("path", ["/s/{code}/", "/s/{code}/measure/", "/j/{code}/"])
def test_alexs_own_browser_meets_the_same_410_at_the_room_and_the_measure(dana, path):
    couple = make_couple(dana, measure_on=True)
    session = hosted(couple)
    alex = through_link(couple, "a")
    stopped(couple)
    response = alex.get(path.format(code=session.code))
    assert response.status_code == 410 and GONE in response.content.decode()


def test_a_waiting_page_polling_hears_news_and_then_says_the_link_is_gone(dana, riley):
    couple = make_couple(dana)
    session = hosted(couple)
    stopped(couple)
    assert riley.get(f"/j/{session.code}/waiting/?check=1").json() == {"changed": True}


def test_a_session_dana_starts_while_the_couple_has_no_link_is_shut_to_them_too(dana, riley):
    couple = make_couple(dana)
    couples.revoke_link(couple)
    session = hosted(couple)
    assert riley.post(f"/j/{session.code}/", {"display_name": "Riley"}).status_code == 410
    assert not session.seats.exists()


def test_dana_still_opens_her_room_of_a_stopped_couple(dana, dana_client):
    couple = make_couple(dana)
    session = hosted(couple)
    couples.revoke_link(couple)
    assert dana_client.get(f"/s/{session.code}/").status_code == 200


def test_robin_still_gets_a_404_not_the_couples_410(dana, robin_client):
    couple = make_couple(dana)
    session = hosted(couple)
    couples.revoke_link(couple)
    assert robin_client.get(f"/j/{session.code}/").status_code == 404
