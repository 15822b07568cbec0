"""Taking a seat from the standing link: asked once who you are, then one tap, week after week.

Alex's browser is asked "Which of you is this?" the first time; it remembers the answer for
the couple, so next week's session (a new room) is one POST into seat a, with the name Dana
wrote for Alex: no retyping. A seat held on another device is not taken: the seat-code way
is offered. Practice is started the same way, and Sam pressing Start a minute later meets
Alex in the same room.
"""

from __future__ import annotations

import pytest
from django.test import Client

from sessions.models import CoupleSession
from tests.web.standing_support import (
    hosted,
    make_couple,
    practice,
    seat_of,
    standing_url,
    through_link,
)

pytestmark = pytest.mark.django_db


def join(couple, browser, **data):
    return browser.post(f"{standing_url(couple)}join/", data)


def test_a_new_browser_is_asked_which_of_them_it_is_and_nothing_is_claimed(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    asked = join(couple, Client())
    text = asked.content.decode()
    assert asked.status_code == 200
    assert "Which of you is this?" in text
    assert 'value="a"' in text and "I'm Alex" in text
    assert 'value="b"' in text and "I'm Sam" in text
    assert not session.seats.exists()


def test_choosing_takes_that_seat_with_the_couples_name(dana):
    couple = make_couple(dana, names=("Alex", "Sam"))
    session = hosted(couple)
    sam = Client()
    taken = join(couple, sam, seat="b")
    assert taken.status_code == 302 and taken["Location"] == f"/s/{session.code}/"
    assert seat_of(sam, session) == "b"
    assert session.seats.get(seat="b").name == "Sam"
    assert sam.session["stay_couples"] == {str(couple.pk): {"seat": "b"}}


def test_second_week_needs_no_retyping_one_post_takes_the_same_seat(dana):
    couple = make_couple(dana)
    week_one = hosted(couple)
    sam = through_link(couple, "b")
    CoupleSession.objects.filter(pk=week_one.pk).update(status="completed")
    week_two = hosted(couple)
    again = join(couple, sam)  # no seat, no name: the browser remembers
    assert again.status_code == 302 and again["Location"] == f"/s/{week_two.code}/"
    assert seat_of(sam, week_two) == "b"
    assert week_two.seats.get(seat="b").name == "Sam"


def test_a_partner_already_seated_goes_straight_back_to_the_room(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    alex = through_link(couple, "a")
    again = join(couple, alex)
    assert again["Location"] == f"/s/{session.code}/"
    assert session.seats.count() == 1


def test_a_seat_held_on_another_device_is_not_taken_the_seat_code_way_is_offered(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    alex_phone = through_link(couple, "a")
    laptop = Client()
    refused = join(couple, laptop, seat="a")
    text = refused.content.decode()
    assert refused.status_code == 409
    assert "Alex's place is open on another device" in text
    assert f"/j/{session.code}/seat-code/" in text
    assert "I'm Sam" in text  # chose the wrong one: the other is a tap away
    assert seat_of(alex_phone, session) == "a" and seat_of(laptop, session) is None


def test_with_both_seats_held_elsewhere_the_usual_new_device_page_answers(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    through_link(couple, "a")
    through_link(couple, "b")
    refused = join(couple, Client(), seat="a")
    assert refused.status_code == 302 and refused["Location"] == f"/j/{session.code}/"


def test_with_no_session_to_join_the_link_page_says_what_there_is(dana):
    couple = make_couple(dana)
    response = join(couple, Client(), seat="a")
    assert response.status_code == 302 and response["Location"] == standing_url(couple)


def test_the_join_takes_only_its_fields_and_a_or_b(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    unknown = join(couple, Client(), seat="a", name="Mallory")
    assert unknown.status_code == 400 and "'name'" in unknown.content.decode()
    wrong = join(couple, Client(), seat="c")
    assert wrong.status_code == 400 and "'a' or 'b'" in wrong.content.decode()
    assert not session.seats.exists()


def test_another_couples_session_code_is_not_joined_through_this_link(dana):
    ours, theirs = make_couple(dana), make_couple(dana, names=("Jo", "Kim"))
    hosted(ours)
    elsewhere = hosted(theirs)
    response = join(ours, Client(), seat="a", session=elsewhere.code)
    assert response["Location"] == standing_url(ours)
    assert not elsewhere.seats.exists()


def test_the_join_needs_the_csrf_token(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    strict = Client(enforce_csrf_checks=True)
    assert join(couple, strict, seat="a").status_code == 403
    assert not session.seats.exists()


# --- Practice ---------------------------------------------------------------------------


def start(couple, browser, **data):
    return browser.post(f"{standing_url(couple)}practice/", data)


def test_starting_practice_makes_a_self_guided_room_and_seats_the_starter(dana):
    couple = make_couple(dana)
    daily = practice(couple)
    alex = Client()
    asked = start(couple, alex, practice=daily.pk)
    assert "Which of you is this?" in asked.content.decode()
    assert f'name="practice" value="{daily.pk}"' in asked.content.decode()
    assert not CoupleSession.objects.filter(couple=couple).exists()
    started = start(couple, alex, practice=daily.pk, seat="a")
    session = CoupleSession.objects.get(couple=couple)
    assert started["Location"] == f"/s/{session.code}/"
    assert session.counselor is None and session.practice == daily
    assert session.protocol_slug == "daily-checkin"
    assert seat_of(alex, session) == "a"


def test_sam_pressing_start_a_minute_later_meets_alex_in_the_same_room(dana):
    couple = make_couple(dana)
    daily = practice(couple)
    alex, sam = Client(), Client()
    start(couple, alex, practice=daily.pk, seat="a")
    start(couple, sam, practice=daily.pk, seat="b")
    session = CoupleSession.objects.get(couple=couple)
    assert seat_of(alex, session) == "a" and seat_of(sam, session) == "b"


def test_sam_joins_a_running_practice_from_the_link(dana):
    couple = make_couple(dana)
    daily = practice(couple)
    start(couple, Client(), practice=daily.pk, seat="a")
    session = CoupleSession.objects.get(couple=couple)
    sam = Client()
    joined = join(couple, sam, seat="b", session=session.code)
    assert joined["Location"] == f"/s/{session.code}/"
    assert seat_of(sam, session) == "b"


def test_a_stopped_or_unknown_practice_starts_nothing(dana):
    couple = make_couple(dana)
    other = make_couple(dana, names=("Jo", "Kim"))
    theirs = practice(other)
    # Another couple's, none, not a number, a superscript two, a number past int()'s limit.
    for value in (str(theirs.pk), "999999", "x", "\u00b2", "9" * 5000):
        response = start(couple, Client(), practice=value, seat="a")
        assert response["Location"] == standing_url(couple)
    assert not CoupleSession.objects.exists()


def test_alexs_second_device_pressing_start_meets_the_held_seat_page_not_a_new_room(dana):
    couple = make_couple(dana)
    daily = practice(couple)
    start(couple, Client(), practice=daily.pk, seat="a")
    second = start(couple, Client(), practice=daily.pk, seat="a")
    session = CoupleSession.objects.get(couple=couple)  # still one room
    assert second.status_code == 409
    assert "Alex's place is open on another device" in second.content.decode()
    assert f"/j/{session.code}/seat-code/" in second.content.decode()


def test_pressing_start_twice_from_one_browser_leads_back_to_the_same_room(dana):
    couple = make_couple(dana)
    daily = practice(couple)
    alex = Client()
    first = start(couple, alex, practice=daily.pk, seat="a")
    again = start(couple, alex, practice=daily.pk)
    assert again["Location"] == first["Location"]
    assert CoupleSession.objects.filter(couple=couple).count() == 1
