"""A seat belongs to the person who took it — continuing on a new device, over plain HTTP.

Alex's phone dies. On a new phone Alex proves the place is theirs with the seat code
shown in Alex's room, or asks Sam (or, in a hosted session, Dana the counselor) to let
them in. Riley, a stranger holding only the link, learns nothing and gets nothing.
"""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from sessions import codes
from sessions.access import KNOCKS_KEY, SEAT_CODES_KEY, SEATS_KEY
from sessions.models import CoupleSession, Lease, Seat
from sessions.store import creation, rooms, seats

pytestmark = pytest.mark.django_db(transaction=True)

DOC = {
    "slug": "takeover-test",
    "title": "Evening wind-down",
    "minutes": 5,
    "for_whom": "tests",
    "summary": "A welcome and a goodbye.",
    "steps": [
        {"kind": "info", "title": "Welcome", "prompt": "Find a quiet place."},
        {"kind": "info", "title": "Goodbye", "prompt": "Thank you both."},
    ],
}
NAMES = ("Alex", "Sam", "Dana")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def new_session(counselor=None) -> CoupleSession:
    return creation.create_session("takeover-test", counselor, protocol=SimpleNamespace(doc=DOC))


def seated(session, *names: str) -> list[Client]:
    browsers = []
    for name in names:
        browser = Client()
        response = browser.post(f"/j/{session.code}/", {"display_name": name})
        assert response.status_code == 302, response
        browsers.append(browser)
    return browsers


def gone_quiet(session, *seats: str) -> None:
    """These seats' devices have been away long past the grace; the others are connected."""
    Seat.objects.filter(session=session).update(claimed_at=timezone.now() - timedelta(minutes=5))
    for seat in {"a", "b"} - set(seats):
        Lease.objects.create(
            session=session,
            role=seat,
            channel_name=f"{seat}-still-here",
            expires_at=timezone.now() + timedelta(seconds=30),
        )


def seat_code_of(browser: Client, session) -> str:
    return browser.session[SEAT_CODES_KEY][session.code]


def role_of(browser: Client, session) -> str | None:
    token = browser.session.get(SEATS_KEY, {}).get(session.code)
    return seats.seat_for_token(session, token)


def reveals_nobody(page: str) -> None:
    for name in NAMES:
        assert name not in page, name


def signed_in(username: str):
    user = get_user_model().objects.create_user(username, password=f"pw-{username}-12345")
    browser = Client()
    browser.force_login(user)
    return browser, user


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


def test_the_counselor_has_no_seat_code():
    dana, counselor = signed_in("dana")
    session = new_session(counselor)
    seated(session, "Alex", "Sam")
    page = dana.get(f"/s/{session.code}/").content.decode()
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


# --- Asking to be let in ---------------------------------------------------------------------


def knock_in_state(session) -> dict | None:
    return rooms.load_state(session.code).get("knock")


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


def test_with_both_places_quiet_in_a_hosted_session_dana_is_asked():
    dana, counselor = signed_in("dana")
    session = new_session(counselor)
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


def test_a_counselor_never_takes_a_partners_place():
    _, counselor = signed_in("dana")
    session = new_session(counselor)
    alex, _ = seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    riley, _ = signed_in("riley")
    code = seat_code_of(alex, session)
    assert riley.post(f"/j/{session.code}/seat-code/", {"seat_code": code}).status_code == 404
    assert riley.post(f"/j/{session.code}/ask/").status_code == 404
    assert role_of(alex, session) == "a"


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


def test_seat_codes_and_asking_need_the_csrf_token():
    session = new_session()
    alex, _ = seated(session, "Alex", "Sam")
    gone_quiet(session, "a")
    riley = Client(enforce_csrf_checks=True)
    code = seat_code_of(alex, session)
    assert riley.post(f"/j/{session.code}/seat-code/", {"seat_code": code}).status_code == 403
    assert riley.post(f"/j/{session.code}/ask/").status_code == 403
    assert role_of(alex, session) == "a" and knock_in_state(session) is None
