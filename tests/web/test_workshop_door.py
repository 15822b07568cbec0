"""A workshop's door: Alex starts a couple and shows Sam a word; Sam joins by typing it
(however it is spaced or capitalised) or by scanning its QR code. A word is the only
secret between them, so Riley's guesses are counted against the join limit, a third person
on a word is told "both places are taken" without learning the room's code or Alex's name,
and once Dana ends the workshop its link answers 410.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from sessions.models import CoupleSession
from sessions.store import rooms
from sessions.store import workshops as store
from sessions.store.workshop_console import console_tiles, counts
from sessions.web import workshop_door
from tests.web.workshop_support import join, new_workshop, pair, role_of, start

pytestmark = pytest.mark.django_db


def test_the_door_offers_both_ways_in_and_a_get_claims_nothing(dana, riley):
    workshop = new_workshop(dana)
    page = riley.get(f"/w/{workshop.code}/").content.decode()
    assert "Start as a couple" in page and "Join your partner" in page
    assert "Is now a safe and good time for you" in page
    # Truthful about who sees what: her console shows status; opening a room shows it all.
    assert "No other couple sees what you say or answer" in page
    assert "your facilitator sees only how your room is going, unless they open it" in page
    assert "Nobody else sees" not in page
    assert store.rooms_of(workshop) == []


def test_an_unknown_or_malformed_door_is_a_404(riley):
    assert riley.get(f"/w/{'x' * 26}/").status_code == 404
    assert riley.get("/w/short/").status_code == 404


def test_an_ended_workshop_answers_410_at_every_door(dana, riley):
    workshop = new_workshop(dana)
    _, room = start(workshop, "Alex")
    store.end_workshop(workshop)
    assert riley.get(f"/w/{workshop.code}/").status_code == 410
    assert "This workshop has ended" in riley.get(f"/w/{workshop.code}/").content.decode()
    assert riley.post(f"/w/{workshop.code}/start/", {"name": "Riley"}).status_code == 410
    assert join(workshop, room.pairing_word, "Sam")[1].status_code == 410
    assert riley.get(f"/w/{workshop.code}/p/{room.pairing_word}/").status_code == 410


def test_alex_starts_a_couple_and_sees_the_word_and_its_qr_code_in_the_room(dana):
    workshop = new_workshop(dana)
    alex, room = start(workshop, "Alex")
    assert role_of(alex, room) == "a"
    assert room.workshop_id == workshop.pk and len(room.pairing_word) == 6
    page = alex.get(f"/s/{room.code}/").content.decode()
    assert room.pairing_word in page
    assert f"/w/{workshop.code}/p/{room.pairing_word}/" in page
    assert "Show this to your partner" in page and "<svg" in page
    assert "nothing starts without both of you" in page


def test_alex_pressing_start_again_goes_back_to_the_same_room(dana):
    workshop = new_workshop(dana)
    alex, room = start(workshop, "Alex")
    again = alex.post(f"/w/{workshop.code}/start/", {"name": "Alex"})
    assert again["Location"] == f"/s/{room.code}/"
    assert alex.get(f"/w/{workshop.code}/")["Location"] == f"/s/{room.code}/"
    assert len(store.rooms_of(workshop)) == 1


CSRF_COOKIE = "a" * 32  # one browser's cookie, the same on both of its presses


def _same_browser() -> Client:
    browser = Client()
    browser.cookies["csrftoken"] = CSRF_COOKIE
    return browser


def test_alexs_double_tap_on_start_makes_one_room_and_both_answers_open_it(dana):
    """The second press reads the browser's session before the first has saved it (a
    second client with the same cookie but none of the first's session)."""
    workshop = new_workshop(dana)
    first, room = start(workshop, "Alex", _same_browser())
    second = _same_browser()
    again = second.post(f"/w/{workshop.code}/start/", {"name": "Alex"})
    assert again["Location"] == f"/s/{room.code}/"
    assert role_of(second, room) == "a" and role_of(first, room) == "a"
    assert len(store.rooms_of(workshop)) == 1


def test_a_second_press_waits_for_the_first_that_is_still_making_the_room(dana, monkeypatch):
    workshop = new_workshop(dana)
    pressing = _same_browser()
    lock, _ = workshop_door._press_keys(
        type("Request", (), {"META": {"CSRF_COOKIE": CSRF_COOKIE}})(), workshop
    )
    cache.add(lock, 1, timeout=10)  # the first press, in flight
    waits = []

    def first_press_gave_up(seconds):
        waits.append(seconds)
        cache.delete(lock)  # e.g. its name was refused: it made nothing

    monkeypatch.setattr(workshop_door.time, "sleep", first_press_gave_up)
    pressing.post(f"/w/{workshop.code}/start/", {"name": "Alex"})
    assert waits and len(store.rooms_of(workshop)) == 1


def test_the_door_tells_couples_only_one_of_them_starts_and_how_the_group_moves(dana):
    workshop = new_workshop(dana)
    page = Client().get(f"/w/{workshop.code}/").content.decode()
    assert "Only one of you starts — the other joins with the word." in page
    assert "Daily check-in</strong> · your facilitator moves everyone on together" in page
    own_pace = new_workshop(dana, paced=False)
    page = Client().get(f"/w/{own_pace.code}/").content.decode()
    assert "Daily check-in</strong> · each couple at its own pace" in page
    assert "</strong>." not in page


@pytest.mark.parametrize("typed", ["{w}", "{W}", "  {w} ", "{a} {b} {c}", "{A}-{b}-{c}"])
def test_sam_joins_by_the_word_however_it_is_typed(dana, typed):
    workshop = new_workshop(dana)
    _, room = start(workshop, "Alex")
    w = room.pairing_word
    word = typed.format(w=w, W=w.upper(), a=w[:2], b=w[2:4], c=w[4:], A=w[:2].upper())
    sam, response = join(workshop, word, "Sam")
    assert response.status_code == 302 and response["Location"] == f"/s/{room.code}/"
    assert role_of(sam, room) == "b"


def test_sam_joins_by_scanning_alexs_code(dana):
    workshop = new_workshop(dana)
    _, room = start(workshop, "Alex")
    sam = Client()
    url = f"/w/{workshop.code}/p/{room.pairing_word}/"
    page = sam.get(url).content.decode()
    assert "Join Alex" in page
    assert role_of(sam, room) is None  # looking claims nothing
    response = sam.post(url, {"name": "Sam"})
    assert response["Location"] == f"/s/{room.code}/"
    assert role_of(sam, room) == "b"


def test_names_and_fields_are_checked_before_anything_is_claimed(dana):
    workshop = new_workshop(dana)
    _, room = start(workshop, "Alex")
    sam = Client()
    bad = sam.post(f"/w/{workshop.code}/join/", {"word": room.pairing_word, "name": "  "})
    assert bad.status_code == 400
    extra = sam.post(
        f"/w/{workshop.code}/join/", {"word": room.pairing_word, "name": "Sam", "seat": "a"}
    )
    assert extra.status_code == 400 and "&#x27;seat&#x27;" in extra.content.decode()
    shape = sam.post(f"/w/{workshop.code}/join/", {"word": "hello!", "name": "Sam"})
    assert shape.status_code == 400
    started = sam.post(f"/w/{workshop.code}/start/", {"name": "Sam", "word": "x"})
    assert started.status_code == 400
    assert role_of(sam, room) is None and len(store.rooms_of(workshop)) == 1


def _refused_without_the_room(response, room) -> str:
    """The in-place refusal: 409, and no trace of the room's code to knock on."""
    body = response.content.decode()
    assert response.status_code == 409
    assert room.code not in body
    assert all(room.code not in value for _, value in response.items())
    assert "Ask to be let in" not in body
    return body


def test_a_third_person_on_a_word_is_refused_like_a_third_person_on_a_room(dana):
    workshop = new_workshop(dana)
    _, _, room = pair(workshop, "Alex", "Sam")
    riley, typed = join(workshop, room.pairing_word, "Riley")
    assert "Both places are taken" in _refused_without_the_room(typed, room)
    assert role_of(riley, room) is None
    url = f"/w/{workshop.code}/p/{room.pairing_word}/"
    for scanned in (Client().get(url), Client().post(url, {"name": "Riley"})):
        body = _refused_without_the_room(scanned, room)
        assert "Both places are taken" in body and "Alex" not in body


def test_riley_scanning_a_finished_rooms_code_learns_no_name(dana):
    workshop = new_workshop(dana)
    _, room = start(workshop, "Alex")
    assert rooms.submit(room.code, "host", "end", {}).accepted
    scanned = Client().get(f"/w/{workshop.code}/p/{room.pairing_word}/")
    body = _refused_without_the_room(scanned, room)
    assert "This session has finished" in body and "Alex" not in body
    _, typed = join(workshop, room.pairing_word, "Riley")
    assert "This session has finished" in _refused_without_the_room(typed, room)


def test_a_workshop_ending_while_sam_types_the_word_answers_410(dana, monkeypatch):
    workshop = new_workshop(dana)
    _, room = start(workshop, "Alex")
    looked_up = store.room_for_word

    def ended_just_before(found_in, word):
        store.end_workshop(found_in)  # Dana ends it after the door's own check passed
        return looked_up(found_in, word)

    monkeypatch.setattr(store, "room_for_word", ended_just_before)
    sam, typed = join(workshop, room.pairing_word, "Sam")
    assert typed.status_code == 410 and "This workshop has ended" in typed.content.decode()
    scanned = Client().get(f"/w/{workshop.code}/p/{room.pairing_word}/")
    assert scanned.status_code == 410
    assert role_of(sam, room) is None


VENUE = "203.0.113.9"  # one address for everyone on the venue's network


def _guessed_out(workshop, settings, browser: Client) -> list:
    """Riley types three words that match nothing: the venue's limit (3 here) is spent."""
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 3}
    return [
        browser.post(f"/w/{workshop.code}/join/", {"word": g, "name": "Riley"})
        for g in ("bababa", "bebebe", "bibibi")
    ]


def test_unknown_words_are_counted_and_then_checking_any_word_waits(dana, settings):
    workshop = new_workshop(dana)
    alex, room = start(workshop, "Alex", Client(REMOTE_ADDR=VENUE))
    riley = Client(REMOTE_ADDR=VENUE)
    answers = _guessed_out(workshop, settings, riley)
    assert answers[0].status_code == 404
    assert "couldn&#x27;t find a couple with that word" in answers[0].content.decode()
    waiting = answers[-1]
    assert waiting.status_code == 429 and waiting["Retry-After"] == "60"
    body = waiting.content.decode()
    assert "Too many words that didn't match were tried from this network" in body
    assert "try your pairing word again" in body and "seat code" not in body
    right = riley.post(f"/w/{workshop.code}/join/", {"word": room.pairing_word, "name": "Riley"})
    assert right.status_code == 429
    scanned = riley.post(f"/w/{workshop.code}/p/{room.pairing_word}/", {"name": "Riley"})
    assert scanned.status_code == 429
    assert role_of(riley, room) is None
    # Alex, who holds a place, is never held up; Sam on another address joins.
    assert alex.get(f"/w/{workshop.code}/")["Location"] == f"/s/{room.code}/"
    sam, response = join(workshop, room.pairing_word, "Sam", Client(REMOTE_ADDR="198.51.100.2"))
    assert response.status_code == 302


def test_sam_on_the_venues_network_still_sees_the_forms_and_they_reveal_no_word(dana, settings):
    workshop = new_workshop(dana)
    _, room = start(workshop, "Alex")
    _guessed_out(workshop, settings, Client(REMOTE_ADDR=VENUE))
    sam = Client(REMOTE_ADDR=VENUE)
    assert "Join your partner" in sam.get(f"/w/{workshop.code}/").content.decode()
    real = sam.get(f"/w/{workshop.code}/p/{room.pairing_word}/")
    unknown = sam.get(f"/w/{workshop.code}/p/zuzuzu/")
    assert real.status_code == unknown.status_code == 200
    for page in (real.content.decode(), unknown.content.decode()):
        assert "Join your partner" in page and "Alex" not in page  # the word is not looked up
        assert "Wait a minute, then press" in page
    assert sam.get(f"/w/{'x' * 30}/").status_code == 429  # an unknown workshop still waits
    # Starting a couple checks no word: Robin starts one on the same network.
    robin, robins = start(workshop, "Robin", Client(REMOTE_ADDR=VENUE))
    assert role_of(robin, robins) == "a"


def test_the_wait_page_gives_sam_the_cookie_his_next_try_needs(dana, settings):
    workshop = new_workshop(dana)
    _, room = start(workshop, "Alex")
    _guessed_out(workshop, settings, Client(REMOTE_ADDR=VENUE))
    fresh = Client(REMOTE_ADDR=VENUE).post(
        f"/w/{workshop.code}/join/", {"word": room.pairing_word, "name": "Sam"}
    )
    assert fresh.status_code == 429 and fresh.cookies["csrftoken"].value
    sam = Client(REMOTE_ADDR=VENUE, enforce_csrf_checks=True)
    url = f"/w/{workshop.code}/p/{room.pairing_word}/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', sam.get(url).content.decode())
    assert sam.post(url, {"name": "Sam", "csrfmiddlewaretoken": token[1]}).status_code == 429
    cache.clear()  # a minute later
    joined = sam.post(url, {"name": "Sam", "csrfmiddlewaretoken": token[1]})
    assert joined.status_code == 302 and role_of(sam, room) == "b"


# --- both partners pressed "Start as a couple" ----------------------------------------------


def test_alex_and_sam_both_start_and_sam_typing_alexs_word_joins_alex(dana):
    workshop = new_workshop(dana)
    alex, alexs = start(workshop, "Alex")
    sam, sams = start(workshop, "Sam")
    assert sam.get(f"/w/{workshop.code}/")["Location"] == f"/s/{sams.code}/"  # his, still
    response = sam.post(f"/w/{workshop.code}/join/", {"word": alexs.pairing_word, "name": "Sam"})
    assert response["Location"] == f"/s/{alexs.code}/"
    assert role_of(sam, alexs) == "b" and role_of(alex, alexs) == "a"
    assert not CoupleSession.objects.filter(code=sams.code).exists()
    assert [room.code for room in store.rooms_of(workshop)] == [alexs.code]
    assert counts(console_tiles(workshop))["couples"] == 1
    assert sam.get(f"/w/{workshop.code}/")["Location"] == f"/s/{alexs.code}/"


def test_sam_who_started_too_scans_alexs_code_and_joins_alex(dana):
    workshop = new_workshop(dana)
    _, alexs = start(workshop, "Alex")
    sam, sams = start(workshop, "Sam")
    url = f"/w/{workshop.code}/p/{alexs.pairing_word}/"
    assert "Join Alex" in sam.get(url).content.decode()
    assert CoupleSession.objects.filter(code=sams.code).exists()  # looking gives nothing up
    assert sam.post(url, {"name": "Sam"})["Location"] == f"/s/{alexs.code}/"
    assert not CoupleSession.objects.filter(code=sams.code).exists()
    assert Client().get(f"/w/{workshop.code}/p/{sams.pairing_word}/").status_code == 404


def test_a_partner_whose_room_is_paired_or_whose_word_is_their_own_stays_put(dana):
    workshop = new_workshop(dana)
    alex, _, paired = pair(workshop, "Alex", "Sam")
    robin, robins = start(workshop, "Robin")
    _, typed = join(workshop, robins.pairing_word, "Alex", alex)
    assert typed["Location"] == f"/s/{paired.code}/"
    assert role_of(alex, robins) is None
    _, own = join(workshop, robins.pairing_word, "Robin", robin)
    assert own["Location"] == f"/s/{robins.code}/"
    scanned_own = robin.get(f"/w/{workshop.code}/p/{robins.pairing_word}/")
    assert scanned_own["Location"] == f"/s/{robins.code}/"
    # A word whose room is full: Robin is refused there and keeps the room she started.
    _, full = join(workshop, paired.pairing_word, "Robin", robin)
    assert full.status_code == 409
    assert len(store.rooms_of(workshop)) == 2


def test_a_full_workshop_says_so_kindly_and_makes_no_room(dana):
    workshop = new_workshop(dana, max_couples=1)
    start(workshop, "Alex")
    response = Client().post(f"/w/{workshop.code}/start/", {"name": "Robin"})
    assert response.status_code == 409
    assert "let your facilitator know" in response.content.decode()
    assert len(store.rooms_of(workshop)) == 1


def test_dana_at_her_own_door_is_sent_to_the_console_and_robin_meets_a_404(
    dana, dana_client, robin_client
):
    workshop = new_workshop(dana)
    assert (
        dana_client.get(f"/w/{workshop.code}/")["Location"]
        == f"/counselor/workshops/{workshop.pk}/"
    )
    assert robin_client.get(f"/w/{workshop.code}/").status_code == 404
    assert robin_client.post(f"/w/{workshop.code}/start/", {"name": "Robin"}).status_code == 404
