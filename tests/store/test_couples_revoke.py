"""Dana stops Alex and Sam's link: their open rooms' seats are freed; practice starts once.

`couples.revoke_link` frees both partners' seats of every unfinished session of the
couple through the engine's `seat` input (so the room knows), and after commit tells
each room to end the partners' access (4410) before it tells the room its seats are
free. Finished sessions keep their seats (their summaries stay the partners').
`couples.practice_room` gives the couple's open room of a practice, or makes one:
never two rooms of one practice at a time.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from sessions.access import role_for
from sessions.models import CoupleSession, Seat
from sessions.store import broadcast, couples, rooms
from tests.support.couple_play import (
    alex_and_sam,
    browser_of,
    give_practice,
    play,
    reports_protocol,
    seated,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(monkeypatch):
    """What the rooms were told after commit, in order: ("end", code) or ("revoked", code, seats)."""
    said: list[tuple] = []

    def end_access(code):
        transaction.on_commit(lambda: said.append(("end", code)))

    def tell_room(code, *, revoked=(), state=True):
        transaction.on_commit(lambda: said.append(("revoked", code, revoked)))

    monkeypatch.setattr(broadcast, "end_access", end_access)
    monkeypatch.setattr(broadcast, "tell_room", tell_room)
    return said


def test_stopping_the_link_frees_both_seats_of_an_open_room_and_the_room_knows(dana):
    couple = alex_and_sam(dana)
    room = seated(couple)
    couples.revoke_link(couple)
    assert not Seat.objects.filter(session=room["session"]).exists()
    state = rooms.load_state(room["code"])
    assert not state["seats"]["a"]["claimed"] and not state["seats"]["b"]["claimed"]


def test_stopping_the_link_keeps_the_seats_of_finished_sessions_and_of_other_couples(dana):
    couple = alex_and_sam(dana)
    done = play(seated(couple))
    elsewhere = seated(alex_and_sam(dana))
    couples.revoke_link(couple)
    assert Seat.objects.filter(session=done).count() == 2
    assert Seat.objects.filter(session=elsewhere["session"]).count() == 2


def test_a_finished_session_stays_alexs_after_the_stop(dana):
    couple = alex_and_sam(dana)
    room = seated(couple)
    play(room)
    couples.revoke_link(couple)
    session = CoupleSession.objects.get(pk=room["session"].pk)
    assert role_for(session, browser_of(room, "a").session, None) == "a"


def test_the_room_hears_access_ended_before_it_hears_its_seats_are_free(
    dana, told, django_capture_on_commit_callbacks
):
    couple = alex_and_sam(dana)
    code = seated(couple)["code"]
    with django_capture_on_commit_callbacks(execute=True):
        couples.revoke_link(couple)
    assert told == [("end", code), ("revoked", code, ("a", "b"))]


def test_a_new_link_gives_no_seat_back(dana):
    couple = alex_and_sam(dana)
    room = seated(couple)
    couples.revoke_link(couple)
    couples.replace_link(couple)
    assert role_for(room["session"], browser_of(room, "a").session, None) is None


# --- one room per practice -----------------------------------------------------------------


def test_practice_room_gives_the_same_open_room_to_both_partners(dana):
    reports_protocol()
    couple = alex_and_sam(dana)
    daily = give_practice(couple)
    first = couples.practice_room(couple, daily)
    assert first.practice == daily and first.counselor is None
    assert couples.practice_room(couple, daily) == first
    assert CoupleSession.objects.filter(couple=couple).count() == 1


def test_practice_room_does_not_reuse_a_finished_practice_or_a_hosted_session(dana):
    couple = alex_and_sam(dana)
    daily = give_practice(couple)
    done = play(seated(couple, daily))
    seated(couple)  # a hosted session, open
    fresh = couples.practice_room(couple, daily)
    assert fresh != done and fresh.counselor is None and fresh.status == "waiting"


def test_practice_room_makes_nothing_for_stopped_or_another_couples_practice(dana):
    couple = alex_and_sam(dana)
    stopped = give_practice(couple)
    couples.stop_practice(stopped)
    theirs = give_practice(alex_and_sam(dana))
    assert couples.practice_room(couple, stopped) is None
    assert couples.practice_room(couple, theirs) is None
    assert not CoupleSession.objects.filter(couple=couple).exists()
