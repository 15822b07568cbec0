"""The workshop door when two things happen at once: Alex and Sam, who both pressed "Start
as a couple", press Join with each other's word at the same moment; Dana removes Alex's room
just as Sam types its word.

The couple must always keep a room: one of them joins the other, and the other is sent to
their own room, now shared (the store's ``switch_to_partner`` does both in one
transaction). A word whose room Dana closed after it was looked up says so, and names the
way on; a word nobody has is the usual "we couldn't find" answer.
"""

from __future__ import annotations

import pytest
from django.test import Client

from sessions.models import CoupleSession, Seat
from sessions.store import notices
from sessions.store import workshops as store
from sessions.web import workshop_door
from tests.store.test_workshop_concurrency import at_once
from tests.web.workshop_support import join, new_workshop, role_of, start

TRIES = 10


def _press_join(browser: Client, workshop, word: str, name: str):
    return lambda: browser.post(f"/w/{workshop.code}/join/", {"word": word, "name": name})


@pytest.mark.django_db(transaction=True)
def test_alex_and_sam_pressing_join_with_each_others_word_at_once_share_one_room(dana):
    for attempt in range(TRIES):
        workshop = new_workshop(dana)
        alex, alexs = start(workshop, "Alex")
        sam, sams = start(workshop, "Sam")
        answers = at_once(
            [
                _press_join(alex, workshop, sams.pairing_word, "Alex"),
                _press_join(sam, workshop, alexs.pairing_word, "Sam"),
            ]
        )
        left = list(CoupleSession.objects.filter(workshop=workshop))
        assert len(left) == 1, (attempt, answers)
        room = left[0]
        names = sorted(Seat.objects.filter(session=room).values_list("name", flat=True))
        assert names == ["Alex", "Sam"], (attempt, answers)
        assert [a["Location"] for a in answers] == [f"/s/{room.code}/"] * 2, (attempt, answers)
        assert {role_of(alex, room), role_of(sam, room)} == {"a", "b"}


@pytest.mark.django_db
def test_sam_whose_room_alex_joins_as_he_presses_join_goes_to_his_own_room(dana, monkeypatch):
    workshop = new_workshop(dana)
    alex, alexs = start(workshop, "Alex")
    sam, sams = start(workshop, "Sam")
    looked_up = store.room_for_word

    def alex_joins_sam_first(workshop_, word):
        found = looked_up(workshop_, word)
        monkeypatch.setattr(store, "room_for_word", looked_up)
        assert join(workshop, sams.pairing_word, "Alex", alex)[1]["Location"] == f"/s/{sams.code}/"
        return found

    monkeypatch.setattr(store, "room_for_word", alex_joins_sam_first)
    _, answer = join(workshop, alexs.pairing_word, "Sam", sam)
    assert answer["Location"] == f"/s/{sams.code}/"
    assert role_of(sam, sams) == "a" and role_of(alex, sams) == "b"
    assert [room.code for room in store.rooms_of(workshop)] == [sams.code]


@pytest.mark.django_db
def test_sam_typing_a_word_as_dana_removes_its_room_is_told_it_was_closed(dana, monkeypatch):
    workshop = new_workshop(dana)
    _, alexs = start(workshop, "Alex")
    looked_up = store.room_for_word

    def dana_removes_it_then(workshop_, word):
        found = looked_up(workshop_, word)
        assert store.remove_waiting_room(workshop, notices.room_id(found.code))
        return found

    monkeypatch.setattr(store, "room_for_word", dana_removes_it_then)
    sam, answer = join(workshop, alexs.pairing_word, "Sam")
    page = answer.content.decode()
    assert answer.status_code == 404
    assert "That couple&#x27;s room was closed by your facilitator." in page
    assert "Ask your partner to start again, or start a couple yourself." in page
    assert "Both places are taken" not in page
    assert 'value="Sam"' in page  # his name kept for starting a couple himself
    assert store.rooms_of(workshop) == []


@pytest.mark.django_db
def test_sam_who_started_too_keeps_his_room_when_alexs_is_removed_as_he_joins(dana, monkeypatch):
    workshop = new_workshop(dana)
    _, alexs = start(workshop, "Alex")
    sam, sams = start(workshop, "Sam")
    looked_up = store.room_for_word

    def dana_removes_it_then(workshop_, word):
        found = looked_up(workshop_, word)
        assert store.remove_waiting_room(workshop, notices.room_id(found.code))
        return found

    monkeypatch.setattr(store, "room_for_word", dana_removes_it_then)
    _, answer = join(workshop, alexs.pairing_word, "Sam", sam)
    assert answer.status_code == 404
    assert "closed by your facilitator" in answer.content.decode()
    assert [room.code for room in store.rooms_of(workshop)] == [sams.code]
    assert role_of(sam, sams) == "a"


@pytest.mark.django_db
def test_a_word_whose_room_was_removed_before_sam_typed_it_is_simply_not_found(dana):
    workshop = new_workshop(dana)
    _, alexs = start(workshop, "Alex")
    assert store.remove_waiting_room(workshop, notices.room_id(alexs.code))
    _, answer = join(workshop, alexs.pairing_word, "Sam")
    page = answer.content.decode()
    assert answer.status_code == 404
    assert "We couldn&#x27;t find a couple with that word." in page
    assert "closed by your facilitator" not in page
    assert workshop_door.UNKNOWN_WORD.startswith("We couldn't find")
