"""Alex and Sam both pressed "Start as a couple", then each typed the other's word: whatever
the timing, they end up in one room together (or, at worst, each keeps their own), never
with no room at all. And a word whose room Dana removed meanwhile says the room was closed.

The "at the same moment" tests run in real threads released by a barrier, each with its own
connection, many times over (the lost race showed up in about half the tries). On
PostgreSQL the rooms' ``select_for_update`` (lowest pk first) queues the two switches; on
SQLite every transaction begins ``IMMEDIATE`` (docs/contracts.md, Workshops). CI runs this
against PostgreSQL too (``DATABASE_URL``).
"""

from __future__ import annotations

import functools

import pytest

from sessions.codes import new_seat_token
from sessions.models import CoupleSession, Seat
from sessions.store import notices, workshops
from sessions.store.seats import SessionFull
from tests.store.test_workshop_concurrency import at_once
from tests.store.workshop_play import arrive, dana_workshop

pytestmark = pytest.mark.django_db(transaction=True)

TRIES = 20


def _seated(room_code: str) -> dict[str, str]:
    return dict(Seat.objects.filter(session__code=room_code).values_list("seat", "name"))


def _switch(workshop, own: dict, target: dict, name: str):
    """``name``'s press of Join: give up ``own`` for ``target`` (the store call, unrun)."""
    return functools.partial(
        workshops.switch_to_partner,
        workshop,
        own["room"],
        target["room"],
        name,
        new_seat_token(),
        own_token=own["tokens"]["a"],
    )


def test_alex_and_sam_typing_each_others_word_at_once_always_share_one_room(dana):
    for attempt in range(TRIES):
        workshop = dana_workshop(dana)
        alex = arrive(workshop, "Alex", here=False)
        sam = arrive(workshop, "Sam", here=False)
        outcomes = at_once(
            [_switch(workshop, alex, sam, "Alex"), _switch(workshop, sam, alex, "Sam")]
        )
        left = list(CoupleSession.objects.filter(workshop=workshop).values_list("code", flat=True))
        assert len(left) == 1, (attempt, outcomes, left)
        assert sorted(_seated(left[0]).values()) == ["Alex", "Sam"], (attempt, outcomes)
        moved = [o for o in outcomes if isinstance(o, CoupleSession)]
        stayed = [o for o in outcomes if isinstance(o, workshops.PartnerJoinedYours)]
        assert (len(moved), len(stayed)) == (1, 1), (attempt, outcomes)
        assert moved[0].code == left[0]


def test_sam_joining_as_dana_removes_alexs_room_is_seated_or_told_it_closed(dana):
    for attempt in range(TRIES):
        workshop = dana_workshop(dana)
        alex = arrive(workshop, "Alex", here=False)
        outcomes = at_once(
            [
                functools.partial(
                    workshops.join_partner, workshop, alex["room"], "Sam", new_seat_token()
                ),
                functools.partial(
                    workshops.remove_waiting_room, workshop, notices.room_id(alex["code"])
                ),
            ]
        )
        joined, removed = outcomes
        if removed is True:
            assert isinstance(joined, workshops.RoomClosed), (attempt, outcomes)
            assert not CoupleSession.objects.filter(code=alex["code"]).exists()
        else:
            assert removed is False and isinstance(joined, CoupleSession), (attempt, outcomes)
            assert _seated(alex["code"]) == {"a": "Alex", "b": "Sam"}


def test_sam_switching_after_alex_joined_him_stays_in_his_own_room(dana):
    workshop = dana_workshop(dana)
    alex, sam = arrive(workshop, "Alex", here=False), arrive(workshop, "Sam", here=False)
    workshops.switch_to_partner(
        workshop, alex["room"], sam["room"], "Alex", new_seat_token(), own_token=alex["tokens"]["a"]
    )
    with pytest.raises(workshops.PartnerJoinedYours):
        workshops.switch_to_partner(
            workshop,
            sam["room"],
            alex["room"],
            "Sam",
            new_seat_token(),
            own_token=sam["tokens"]["a"],
        )
    assert _seated(sam["code"]) == {"a": "Sam", "b": "Alex"}
    assert not CoupleSession.objects.filter(code=alex["code"]).exists()


def test_sam_typing_a_full_rooms_word_keeps_his_own_room(dana):
    workshop = dana_workshop(dana)
    robin_and_riley = arrive(workshop, "Robin", "Riley", here=False)
    sam = arrive(workshop, "Sam", here=False)
    with pytest.raises(SessionFull):
        workshops.switch_to_partner(
            workshop,
            sam["room"],
            robin_and_riley["room"],
            "Sam",
            new_seat_token(),
            own_token=sam["tokens"]["a"],
        )
    assert _seated(sam["code"]) == {"a": "Sam"}
    assert _seated(robin_and_riley["code"]) == {"a": "Robin", "b": "Riley"}


def test_sam_typing_the_word_of_a_room_dana_removed_keeps_his_own_and_hears_why(dana):
    workshop = dana_workshop(dana)
    alex, sam = arrive(workshop, "Alex", here=False), arrive(workshop, "Sam", here=False)
    found = workshops.room_for_word(workshop, alex["word"])
    assert workshops.remove_waiting_room(workshop, notices.room_id(alex["code"]))
    with pytest.raises(workshops.RoomClosed, match="closed by your facilitator"):
        workshops.switch_to_partner(
            workshop, sam["room"], found, "Sam", new_seat_token(), own_token=sam["tokens"]["a"]
        )
    assert _seated(sam["code"]) == {"a": "Sam"}
    with pytest.raises(workshops.RoomClosed, match="start a couple yourself"):
        workshops.join_partner(workshop, found, "Sam", new_seat_token())
    with pytest.raises(workshops.NoSuchWord):  # looked up afresh: simply no such word
        workshops.room_for_word(workshop, alex["word"])


def test_a_switch_without_alexs_own_secret_gives_up_nothing(dana):
    workshop = dana_workshop(dana)
    alex, sam = arrive(workshop, "Alex", here=False), arrive(workshop, "Sam", here=False)
    for own_token in (None, "", sam["tokens"]["a"]):
        with pytest.raises(workshops.PartnerJoinedYours):
            workshops.switch_to_partner(
                workshop, alex["room"], sam["room"], "Alex", new_seat_token(), own_token=own_token
            )
    assert _seated(alex["code"]) == {"a": "Alex"}
    assert _seated(sam["code"]) == {"a": "Sam"}


def test_alex_switching_into_sams_room_gives_up_his_own_in_one_go(dana):
    workshop = dana_workshop(dana)
    alex, sam = arrive(workshop, "Alex", here=False), arrive(workshop, "Sam", here=False)
    room = workshops.switch_to_partner(
        workshop, alex["room"], sam["room"], "Alex", new_seat_token(), own_token=alex["tokens"]["a"]
    )
    assert room.code == sam["code"]
    assert [r.code for r in workshops.rooms_of(workshop)] == [sam["code"]]
    assert _seated(sam["code"]) == {"a": "Sam", "b": "Alex"}
