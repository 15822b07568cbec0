"""From Alex and Sam's page, Dana stops or replaces their link, starts a session, gives practice.

Stopping or replacing the link needs its box ticked in words on the page (no script
needed); the old link then answers as gone and Alex's open room no longer knows him. A hosted session
started here belongs to the couple and leads to its share page. Practice takes a
protocol from the list and 1–14 times a week; "done N of M this week" counts the
practice sessions completed since Monday.
"""

from __future__ import annotations

import pytest

from sessions.models import Couple, CoupleSession, Practice
from sessions.store import couples
from tests.support.couple_play import alex_and_sam, browser_of, give_practice, play, seated

pytestmark = pytest.mark.django_db


def page(couple: Couple, tail: str = "") -> str:
    return f"/counselor/couples/{couple.pk}/{tail}"


# --- the standing link ---------------------------------------------------------------------


def test_stopping_the_link_without_ticking_the_words_changes_nothing(dana, dana_client):
    couple = alex_and_sam(dana)
    response = dana_client.post(page(couple, "link/"), {"action": "revoke"})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert Couple.objects.get(pk=couple.pk).link_code == couple.link_code


def test_the_page_asks_in_words_before_stopping_the_link(dana, dana_client):
    text = dana_client.get(page(alex_and_sam(dana))).content.decode()
    assert "Yes, stop this link" in text and 'name="confirm"' in text
    assert "ends Alex and Sam's access at once" in text


def test_stopping_the_link_ends_alexs_access_to_the_open_room(dana, dana_client):
    couple = alex_and_sam(dana)
    room = seated(couple)
    alex = browser_of(room, "a")
    assert alex.get(f"/s/{room['code']}/").status_code == 200
    response = dana_client.post(page(couple, "link/"), {"action": "revoke", "confirm": "yes"})
    assert response.status_code == 302
    assert couples.link_is_gone(couple.link_code)
    assert alex.get(f"/s/{room['code']}/").status_code != 200
    text = dana_client.get(page(couple)).content.decode()
    assert "have no link right now" in text and couple.link_code not in text


def test_replacing_the_link_shows_a_new_one_and_the_old_is_gone(dana, dana_client):
    couple = alex_and_sam(dana)
    old = couple.link_code
    answer = dana_client.post(page(couple, "link/"), {"action": "replace", "confirm": "yes"})
    assert answer.status_code == 302
    new = Couple.objects.get(pk=couple.pk).link_code
    text = dana_client.get(page(couple)).content.decode()
    assert f"/c/{new}/" in text and old not in text
    assert couples.link_is_gone(old)


@pytest.mark.parametrize(
    "data", [{"action": "delete"}, {}, {"action": "replace", "code": "mine"}], ids=str
)
def test_an_unknown_link_action_is_refused(dana, dana_client, data):
    couple = alex_and_sam(dana)
    assert dana_client.post(page(couple, "link/"), data).status_code == 400
    assert Couple.objects.get(pk=couple.pk).link_code == couple.link_code


# --- a hosted session from the couple's page -------------------------------------------------


def test_starting_a_session_here_makes_it_the_couples_and_leads_to_sharing(dana, dana_client):
    couple = alex_and_sam(dana)
    response = dana_client.post(page(couple, "sessions/new/"), {"protocol": "daily-checkin"})
    session = CoupleSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/counselor/s/{session.code}/"
    assert session.couple == couple and session.counselor == dana
    text = dana_client.get(page(couple)).content.decode()
    assert "Daily check-in" in text and f"/s/{session.code}/" in text


def test_the_share_page_of_a_couples_session_gives_their_standing_link_not_a_join_link(
    dana, dana_client
):
    couple = alex_and_sam(dana)
    dana_client.post(page(couple, "sessions/new/"), {"protocol": "daily-checkin"})
    session = CoupleSession.objects.get()
    text = dana_client.get(f"/counselor/s/{session.code}/").content.decode()
    assert f"/c/{couple.link_code}/" in text and f"/j/{session.code}/" not in text
    assert "Link for Alex and Sam" in text

    couples.revoke_link(couple)
    text = dana_client.get(f"/counselor/s/{session.code}/").content.decode()
    assert "Their link is stopped, so they cannot join." in text
    assert "/c/" not in text and f"/j/{session.code}/" not in text


@pytest.mark.parametrize(
    "data",
    [{"protocol": "robins-secret"}, {"protocol": "daily-checkin", "couple": "7"}],
    ids=["unknown-protocol", "unknown-field"],
)
def test_a_refused_session_start_answers_400_on_the_couples_page(dana, dana_client, data):
    couple = alex_and_sam(dana)
    response = dana_client.post(page(couple, "sessions/new/"), data)
    assert response.status_code == 400
    assert "Alex and Sam" in response.content.decode()
    assert not CoupleSession.objects.exists()


# --- practice ---------------------------------------------------------------------------


def test_dana_gives_practice_and_sees_done_this_week(dana, dana_client):
    couple = alex_and_sam(dana)
    response = dana_client.post(
        page(couple, "practice/"),
        {"protocol": "daily-checkin", "times_per_week": "3", "note": "after dinner"},
    )
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert (practice.protocol_slug, practice.protocol_title) == ("daily-checkin", "Daily check-in")
    assert practice.times_per_week == 3 and practice.note == "after dinner"
    text = dana_client.get(page(couple)).content.decode()
    assert "done 0 of 3 this week" in text


def test_completed_practice_counts_toward_this_week(dana, dana_client):
    couple = alex_and_sam(dana)
    practice = give_practice(couple, times=2)
    play(seated(couple, practice))
    play(seated(couple, practice), end_early=True)  # ended early: not done
    assert "done 1 of 2 this week" in dana_client.get(page(couple)).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"protocol": "daily-checkin", "times_per_week": "0"}, "Choose between 1 and 14 times"),
        ({"protocol": "daily-checkin", "times_per_week": "15"}, "Choose between 1 and 14 times"),
        ({"protocol": "daily-checkin", "times_per_week": "often"}, "Choose between 1 and 14"),
        ({"protocol": "daily-checkin"}, "Choose between 1 and 14 times"),
        ({"protocol": "nope", "times_per_week": "3"}, "Choose one of the protocols"),
        ({"protocol": "daily-checkin", "times_per_week": "3", "note": "x" * 201}, "200"),
        ({"protocol": "daily-checkin", "times_per_week": "3", "daily": "1"}, "does not take"),
    ],
    ids=["zero", "fifteen", "words", "missing", "unknown-protocol", "long-note", "unknown-field"],
)
def test_refused_practice_answers_400_with_the_reason(dana, dana_client, data, message):
    couple = alex_and_sam(dana)
    response = dana_client.post(page(couple, "practice/"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Practice.objects.exists()


def test_stopping_practice_takes_it_off_the_page_and_keeps_what_was_done(dana, dana_client):
    couple = alex_and_sam(dana)
    practice = give_practice(couple)
    done = play(seated(couple, practice))
    response = dana_client.post(page(couple, f"practice/{practice.pk}/stop/"))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.stopped_at is not None
    text = dana_client.get(page(couple)).content.decode()
    assert "No practice right now" in text
    assert CoupleSession.objects.filter(pk=done.pk).exists()


def test_stopping_practice_with_an_unknown_field_is_refused(dana, dana_client):
    couple = alex_and_sam(dana)
    practice = give_practice(couple)
    response = dana_client.post(page(couple, f"practice/{practice.pk}/stop/"), {"why": "x"})
    assert response.status_code == 400
    practice.refresh_from_db()
    assert practice.stopped_at is None
