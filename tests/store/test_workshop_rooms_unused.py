"""Rooms nobody joined: a partner giving theirs up to join the other's, and Dana removing one.

Both Alex and Sam may press "Start as a couple"; then one types the other's word and
their own room goes, so it holds no place against the workshop's size and no word. Dana
may remove a room where someone waits alone (or nobody). Only ever a room still waiting
with seat b free: a room someone joined is never taken from under them.
"""

from __future__ import annotations

import pytest

from sessions.codes import new_seat_token
from sessions.models import CoupleSession, Event, Note, Seat
from sessions.store import broadcast, notices, workshops
from tests.store.workshop_play import arrive, dana_workshop, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(monkeypatch):
    """What rooms' and consoles' sockets were told, after commit."""
    heard: list[tuple] = []
    monkeypatch.setattr(broadcast, "room_deleted", lambda code: heard.append(("deleted", code)))
    monkeypatch.setattr(broadcast, "workshop_changed", lambda pk: heard.append(("changed", pk)))
    monkeypatch.setattr(broadcast, "tell_workshop", lambda pk, code: None)
    return heard


def exists(code: str) -> bool:
    return CoupleSession.objects.filter(code=code).exists()


def test_sam_gives_up_the_room_he_started_and_its_place_and_word_are_free(dana, told):
    workshop = dana_workshop(dana, max_couples=2)
    alex, sam = arrive(workshop, "Alex"), arrive(workshop, "Sam")
    assert workshops.give_up_room(workshop, sam["room"], sam["tokens"]["a"])
    assert not exists(sam["code"]) and exists(alex["code"])
    assert not Seat.objects.filter(session__code=sam["code"]).exists()
    assert not Event.objects.filter(session__code=sam["code"]).exists()
    assert ("deleted", sam["code"]) in told and ("changed", workshop.pk) in told
    with pytest.raises(workshops.NoSuchWord):
        workshops.room_for_word(workshop, sam["word"])
    arrive(workshop, "Robin")  # the place Sam's room held: taken by another couple


def test_only_the_browser_holding_seat_a_can_give_its_room_up(dana, told):
    workshop = dana_workshop(dana)
    sam = arrive(workshop, "Sam")
    for token in (new_seat_token(), None, "", "not a token"):
        assert not workshops.give_up_room(workshop, sam["room"], token)
    assert exists(sam["code"]) and told == []


def test_a_room_a_partner_joined_is_never_given_up(dana, told):
    workshop = dana_workshop(dana)
    alex_and_sam = arrive(workshop, "Alex", "Sam")
    assert not workshops.give_up_room(workshop, alex_and_sam["room"], alex_and_sam["tokens"]["a"])
    assert not workshops.give_up_room(workshop, alex_and_sam["room"], alex_and_sam["tokens"]["b"])
    assert exists(alex_and_sam["code"]) and told == []


def test_a_room_that_ended_or_of_another_workshop_is_not_given_up(dana, told):
    workshop, other = dana_workshop(dana), dana_workshop(dana)
    robin = arrive(workshop, "Robin")
    assert not workshops.give_up_room(other, robin["room"], robin["tokens"]["a"])
    run(robin["code"], "host", "end")
    assert not workshops.give_up_room(workshop, robin["room"], robin["tokens"]["a"])
    assert exists(robin["code"]) and told == []


def test_dana_removes_a_room_where_jo_waits_alone(dana, told):
    workshop = dana_workshop(dana)
    jo, alex_and_sam = arrive(workshop, "Jo"), arrive(workshop, "Alex", "Sam")
    Note.objects.create(counselor=dana, session=jo["room"], text="Jo's partner is on the way")
    assert workshops.remove_waiting_room(workshop, notices.room_id(jo["code"]))
    assert not exists(jo["code"]) and exists(alex_and_sam["code"])
    assert ("deleted", jo["code"]) in told
    note = Note.objects.get()
    assert note.session is None and note.session_label  # Dana's note stays hers, labelled


def test_dana_cannot_remove_a_paired_room_or_one_that_is_not_hers(dana, told):
    workshop, other = dana_workshop(dana), dana_workshop(dana)
    alex_and_sam, kim = arrive(workshop, "Alex", "Sam"), arrive(other, "Kim")
    assert not workshops.remove_waiting_room(workshop, notices.room_id(alex_and_sam["code"]))
    assert not workshops.remove_waiting_room(workshop, notices.room_id(kim["code"]))
    for hostile in ("", "not-a-room", None, 42, ["x"]):
        assert not workshops.remove_waiting_room(workshop, hostile)
    assert exists(alex_and_sam["code"]) and exists(kim["code"]) and told == []
