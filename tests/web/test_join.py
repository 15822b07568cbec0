"""Joining through the shared link, opening the room, leaving a seat — over plain HTTP.

Alex opens the link first, Sam second; a third browser (a link preview, a
curious flatmate) must learn nothing and claim nothing.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from sessions.access import SEATS_KEY
from sessions.models import CoupleSession, Lease, Seat
from sessions.store import creation, rooms
from tests.support.protocols import short_protocol

pytestmark = pytest.mark.django_db(transaction=True)

DOC = short_protocol()


def new_session(counselor=None) -> CoupleSession:
    return creation.create_session(DOC["slug"], counselor, protocol=SimpleNamespace(doc=DOC))


@pytest.fixture
def session():
    return new_session()


def join_url(session) -> str:
    return f"/j/{session.code}/"


def room_url(session) -> str:
    return f"/s/{session.code}/"


def claim(browser: Client, session, name: str):
    return browser.post(join_url(session), {"display_name": name})


def seated(session, *names: str) -> list[Client]:
    browsers = []
    for name in names:
        browser = Client()
        assert claim(browser, session, name).status_code == 302
        browsers.append(browser)
    return browsers


# --- the join link ---------------------------------------------------------------------


def test_opening_the_link_welcomes_and_claims_nothing(session):
    response = Client().get(join_url(session))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Stay</title>" in page
    assert 'name="display_name"' in page
    assert DOC["title"] in page
    assert 'id="private-check"' in page
    assert page.index('id="private-check"') < page.index('name="display_name"')
    assert not Seat.objects.filter(session=session).exists()


def test_posting_a_name_claims_a_seat_and_opens_the_room(session):
    alex = Client()
    response = claim(alex, session, "  Alex  ")
    assert response.status_code == 302
    assert response["Location"] == room_url(session)
    seat = Seat.objects.get(session=session)
    assert (seat.seat, seat.name) == ("a", "Alex")
    assert session.code in alex.session[SEATS_KEY]
    cookie = alex.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert rooms.load_state(session.code)["seats"]["a"]["name"] == "Alex"


def test_the_second_browser_gets_the_other_seat(session):
    seated(session, "Alex", "Sam")
    assert dict(Seat.objects.filter(session=session).values_list("seat", "name")) == {
        "a": "Alex",
        "b": "Sam",
    }


def test_a_browser_that_already_has_a_seat_goes_straight_to_its_room(session):
    (alex,) = seated(session, "Alex")
    response = alex.get(join_url(session))
    assert response.status_code == 302
    assert response["Location"] == room_url(session)
    claim(alex, session, "Alex again")
    assert Seat.objects.filter(session=session).count() == 1


def test_the_page_says_a_partner_is_waiting_but_never_who(session):
    seated(session, "Alex")
    page = Client().get(join_url(session)).content.decode()
    assert "Your partner has already joined" in page
    assert "Alex" not in page


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "Please enter a name"), ("x" * 41, "40 characters"), ("a\u0000b", "cannot be shown")],
)
def test_an_unusable_name_is_asked_for_again_and_claims_nothing(session, name, message):
    response = claim(Client(), session, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Seat.objects.filter(session=session).exists()


def test_a_missing_name_field_is_asked_for_again(session):
    response = Client().post(join_url(session), {"something_else": "yes"})
    assert response.status_code == 400
    assert not Seat.objects.filter(session=session).exists()


def test_fields_added_before_the_name_are_ignored(session):
    response = Client().post(join_url(session), {"display_name": "Alex", "private_check": "yes"})
    assert response.status_code == 302


def test_a_full_session_says_so_kindly_and_reveals_nothing(session):
    seated(session, "Alex", "Sam")
    Lease.objects.bulk_create(
        Lease(
            session=session,
            role=seat,
            channel_name=f"live-{seat}",
            expires_at=timezone.now() + timedelta(seconds=30),
        )
        for seat in ("a", "b")
    )
    for response in (Client().get(join_url(session)), claim(Client(), session, "Mallory")):
        assert response.status_code == 409
        page = response.content.decode()
        assert "Both places are taken" in page
        assert 'name="seat_code"' in page and "Ask to be let in" in page
        for secret in ("Alex", "Sam", DOC["title"]):
            assert secret not in page
    assert Seat.objects.filter(session=session, name="Mallory").count() == 0


@pytest.mark.parametrize("path", ["/j/{}/", "/s/{}/"])
def test_an_unknown_code_gets_the_kind_404_page(path):
    response = Client().get(path.format("x" * 30))
    assert response.status_code == 404
    page = response.content.decode()
    assert "couldn't find" in page
    assert "<title>Stay</title>" in page


def test_an_expired_session_is_gone(session):
    CoupleSession.objects.filter(pk=session.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().get(join_url(session)).status_code == 404
    assert claim(Client(), session, "Alex").status_code == 404


# --- the room page -----------------------------------------------------------------------


def test_the_room_opens_for_a_seat_holder(session):
    (alex,) = seated(session, "Alex")
    response = alex.get(room_url(session))
    assert response.status_code == 200
    assert response.context["role"] == "a"
    assert response.context["code"] == session.code


def test_a_browser_without_a_seat_is_sent_to_the_join_link(session):
    response = Client().get(room_url(session))
    assert response.status_code == 302
    assert response["Location"] == join_url(session)


def test_the_owning_counselor_opens_the_room_as_host(dana, dana_client):
    session = new_session(dana)
    response = dana_client.get(room_url(session))
    assert response.status_code == 200
    assert response.context["role"] == "host"
    assert dana_client.get(join_url(session))["Location"] == room_url(session)


def test_another_counselor_finds_nothing_and_cannot_claim_a_seat(dana, robin_client):
    session = new_session(dana)
    assert robin_client.get(room_url(session)).status_code == 404
    assert robin_client.get(join_url(session)).status_code == 404
    assert claim(robin_client, session, "Robin").status_code == 404
    assert not Seat.objects.filter(session=session).exists()


# --- leaving and taking over ---------------------------------------------------------------


def test_a_partner_releases_their_seat_and_it_can_be_claimed_again(session):
    alex, _ = seated(session, "Alex", "Sam")
    response = alex.post(f"/s/{session.code}/release/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert rooms.load_state(session.code)["seats"]["a"]["claimed"] is False
    assert alex.get(room_url(session))["Location"] == join_url(session)
    assert claim(Client(), session, "Jo").status_code == 302
    assert Seat.objects.get(session=session, seat="a").name == "Jo"


def test_releasing_a_seat_in_an_active_session_pauses_it(session):
    alex, sam = seated(session, "Alex", "Sam")
    assert rooms.submit(session.code, "a", "start").accepted
    sam.post(f"/s/{session.code}/release/")
    state = rooms.load_state(session.code)
    assert state["status"] == "paused"
    assert (state["pause"]["reason"], state["pause"]["seat"]) == ("connection", "b")


def test_the_host_may_free_either_seat(dana, dana_client):
    host = dana_client
    session = new_session(dana)
    seated(session, "Alex", "Sam")
    response = host.post(f"/s/{session.code}/release/", {"seat": "b"})
    assert response["Location"] == room_url(session)
    assert list(Seat.objects.filter(session=session).values_list("seat", flat=True)) == ["a"]
    assert host.post(f"/s/{session.code}/release/", {"seat": "c"}).status_code == 400


def test_sam_cannot_free_alexs_seat_by_naming_it(session):
    _, sam = seated(session, "Alex", "Sam")
    response = sam.post(f"/s/{session.code}/release/", {"seat": "a"})
    assert response.status_code == 403
    assert "only their own seat" in response.content.decode()
    assert sorted(Seat.objects.filter(session=session).values_list("seat", flat=True)) == [
        "a",
        "b",
    ]


def test_a_release_with_a_field_it_does_not_take_is_refused_and_names_it(dana, dana_client):
    host = dana_client
    session = new_session(dana)
    seated(session, "Alex", "Sam")
    response = host.post(f"/s/{session.code}/release/", {"seat": "b", "seats": "a"})
    assert response.status_code == 400
    assert "'seats'" in response.content.decode()
    assert Seat.objects.filter(session=session).count() == 2
    assert host.post(f"/s/{session.code}/release/").status_code == 400  # the host names a seat


def test_releasing_needs_a_seat_and_a_post(session):
    seated(session, "Alex")
    assert Client().post(f"/s/{session.code}/release/").status_code == 403
    assert Client().get(f"/s/{session.code}/release/").status_code == 405
    assert Seat.objects.filter(session=session).count() == 1


def test_the_old_take_over_without_proof_is_gone(session):
    seated(session, "Alex", "Sam")
    Seat.objects.filter(session=session).update(claimed_at=timezone.now() - timedelta(minutes=5))
    response = Client().post(f"/j/{session.code}/take-over/", {"seat": "a"})
    assert response.status_code == 404
    assert SEATS_KEY not in Client().session


# --- CSRF --------------------------------------------------------------------------------


def test_claiming_and_releasing_need_the_csrf_token(session):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(join_url(session), {"display_name": "Alex"}).status_code == 403
    page = browser.get(join_url(session))
    token = page.context["csrf_token"]
    response = browser.post(
        join_url(session), {"display_name": "Alex", "csrfmiddlewaretoken": str(token)}
    )
    assert response.status_code == 302
    assert browser.post(f"/s/{session.code}/release/").status_code == 403
    assert Seat.objects.filter(session=session).count() == 1
    response = browser.post(f"/s/{session.code}/release/", {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert Seat.objects.filter(session=session).count() == 0
