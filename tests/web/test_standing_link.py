"""The couple's standing link, opened: what Alex and Sam see, and what nobody else learns.

Dana's couple (Alex and Sam) keep one link week after week. It shows the session Dana has
started, else a calm "Nothing right now" page with their practice. A malformed link is a 404
before any query, an unknown one a 404 naming nothing, a revoked one a 410 naming nothing;
misses count against the join limit. Dana opening it is pointed at the couple's page;
Robin gets a 404.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions.codes import new_join_code
from sessions.models import CoupleSession
from sessions.reports.practice import week_start
from sessions.store import couples
from tests.web.standing_support import (
    hosted,
    make_couple,
    practice,
    practice_session,
    standing_url,
    through_link,
)

pytestmark = pytest.mark.django_db

NAMES = ("Alex", "Sam", "Dana")


def test_with_nothing_started_the_couple_reads_a_calm_page_with_their_practice(dana, riley):
    couple = make_couple(dana)
    daily = practice(couple, times=3)
    done = practice_session(couple, daily)  # one done earlier this week, one only begun
    CoupleSession.objects.filter(pk=done.pk).update(status="completed", finished_at=timezone.now())
    practice_session(couple, daily)
    page = riley.get(standing_url(couple))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Nothing right now" in text
    assert "Alex and Sam" in text
    assert "Daily check-in" in text
    assert "3 times this week" in text
    assert "done 1 of 3 this week" in text
    assert 'name="practice"' in text and "Start Daily check-in" in text
    assert 'name="seat"' not in text  # a GET never claims and never asks who


def test_practice_done_last_week_does_not_count_this_week(dana, riley):
    couple = make_couple(dana)
    daily = practice(couple, times=2)
    old = practice_session(couple, daily)
    last_sunday = week_start() - timedelta(minutes=1)
    CoupleSession.objects.filter(pk=old.pk).update(
        created_at=last_sunday, status="completed", finished_at=last_sunday
    )
    text = riley.get(standing_url(couple)).content.decode()
    assert "2 times this week" in text and "done 0 of 2 this week" in text


def test_stopped_practice_is_not_offered(dana, riley):
    couple = make_couple(dana)
    daily = practice(couple)
    daily.stopped_at = timezone.now()
    daily.save()
    text = riley.get(standing_url(couple)).content.decode()
    assert "Start Daily check-in" not in text
    assert "Nothing to practise just now" in text


def test_when_dana_has_started_a_session_the_link_offers_to_join_it(dana, riley):
    couple = make_couple(dana)
    practice(couple)
    session = hosted(couple)
    text = riley.get(standing_url(couple)).content.decode()
    assert "Your counselor has started a session" in text
    assert session.protocol_title in text
    assert "/join/" in text and 'method="post"' in text
    assert "Start Daily check-in" not in text  # the session comes first


def test_a_finished_hosted_session_is_not_offered(dana, riley):
    couple = make_couple(dana)
    session = hosted(couple)
    CoupleSession.objects.filter(pk=session.pk).update(status="completed")
    assert "Nothing right now" in riley.get(standing_url(couple)).content.decode()


def test_a_practice_sam_started_is_offered_to_alex_by_sams_name(dana):
    couple = make_couple(dana)
    daily = practice(couple)
    sam = Client()
    started = sam.post(f"{standing_url(couple)}practice/", {"practice": daily.pk, "seat": "b"})
    assert started.status_code == 302
    text = Client().get(standing_url(couple)).content.decode()
    assert "Sam started Daily check-in." in text
    assert "Join" in text
    assert "You started Daily check-in." in sam.get(standing_url(couple)).content.decode()


def test_the_partner_already_in_the_current_session_is_offered_the_way_back(dana):
    couple = make_couple(dana)
    hosted(couple)
    alex = through_link(couple, "a")
    assert "Back to the session" in alex.get(standing_url(couple)).content.decode()


# --- Links that lead nowhere ---------------------------------------------------------------


def test_a_malformed_link_is_a_404_before_any_query(riley):
    with CaptureQueriesContext(connection) as queries:
        assert riley.get("/c/not-a-link/").status_code == 404
        assert riley.post("/c/not-a-link/join/").status_code == 404
    assert not [q for q in queries.captured_queries if "couple" in q["sql"].lower()]


def test_an_unknown_link_is_a_404_naming_nothing(dana, riley):
    make_couple(dana)
    page = riley.get(f"/c/{new_join_code()}/")
    assert page.status_code == 404
    assert not any(name in page.content.decode() for name in NAMES)


def test_a_revoked_link_answers_410_and_names_nothing(dana, riley):
    couple = make_couple(dana)
    practice(couple)
    old = couple.link_code
    couples.revoke_link(couple)
    for response in (
        riley.get(f"/c/{old}/"),
        riley.post(f"/c/{old}/join/", {"seat": "a"}),
        riley.post(f"/c/{old}/practice/", {"practice": "1", "seat": "a"}),
    ):
        text = response.content.decode()
        assert response.status_code == 410
        assert "This link no longer works. Ask your counselor for a new one." in text
        assert not any(name in text for name in NAMES)
        assert "Daily check-in" not in text


def test_a_replaced_link_answers_410_and_the_new_one_works(dana, riley):
    couple = make_couple(dana)
    old = couple.link_code
    new = couples.replace_link(couple)
    assert riley.get(f"/c/{old}/").status_code == 410
    assert riley.get(f"/c/{new}/").status_code == 200


def test_a_deleted_couples_link_answers_410_naming_nothing(dana, riley):
    couple = make_couple(dana)
    link = couple.link_code
    couples.delete_couple(couple)
    page = riley.get(f"/c/{link}/")
    assert page.status_code == 410
    assert not any(name in page.content.decode() for name in NAMES)


def test_misses_count_against_the_join_limit_then_even_the_real_link_waits(settings, dana):
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 3}
    couple = make_couple(dana)
    riley = Client(REMOTE_ADDR="203.0.113.9")
    assert riley.get(standing_url(couple)).status_code == 200  # the real link is not counted
    for _ in range(3):
        assert riley.get(f"/c/{new_join_code()}/").status_code == 404
    refused = riley.get(standing_url(couple))
    assert refused.status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.2").get(standing_url(couple)).status_code == 200


# --- Counselors are never partners -------------------------------------------------------


def test_dana_opening_her_couples_link_is_pointed_at_the_couples_page(dana, dana_client):
    couple = make_couple(dana)
    hosted(couple)
    page = dana_client.get(standing_url(couple))
    text = page.content.decode()
    assert page.status_code == 200
    assert "This is the couple's link" in text
    assert f"/counselor/couples/{couple.pk}/" in text
    assert "/join/" not in text


def test_dana_cannot_take_a_seat_through_the_link(dana, dana_client):
    couple = make_couple(dana)
    session = hosted(couple)
    response = dana_client.post(f"{standing_url(couple)}join/", {"seat": "a"})
    assert response.status_code == 200  # the note again, never a seat
    assert not session.seats.exists()


def test_robin_gets_a_404_for_danas_couple(dana, robin_client):
    couple = make_couple(dana)
    hosted(couple)
    for response in (
        robin_client.get(standing_url(couple)),
        robin_client.post(f"{standing_url(couple)}join/", {"seat": "a"}),
    ):
        assert response.status_code == 404
        assert not any(name in response.content.decode() for name in NAMES)


def test_the_private_question_comes_before_joining_or_starting_every_time(dana, riley):
    couple = make_couple(dana)
    practice(couple)
    calm = riley.get(standing_url(couple)).content.decode()
    assert calm.index('id="private-check"') < calm.index('name="practice"')
    hosted(couple)
    now = riley.get(standing_url(couple)).content.decode()
    assert "Is now a safe and good time for you to do this together?" in now
    assert now.index('id="private-check"') < now.index("Join the session")


def test_with_nothing_to_join_or_start_there_is_no_question_to_answer(dana, riley):
    couple = make_couple(dana)
    assert 'id="private-check"' not in riley.get(standing_url(couple)).content.decode()
