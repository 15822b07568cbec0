"""Dana's workshop when things happen at once: a partner joining as she presses "Start all",
"Next step" pressed twice, an end that stopped halfway and is tried again.

Each race is played in one thread by running the other side at the worst moment, so the
test fails on the order of steps that loses the race, whatever the database.
"""

from __future__ import annotations

import pytest

from sessions.codes import new_seat_token
from sessions.models import WORKSHOP_ENDED, Event, Workshop
from sessions.store import rooms, seats, workshops
from tests.store.workshop_play import arrive, dana_workshop, state_of

pytestmark = pytest.mark.django_db


def test_riley_joining_while_dana_starts_all_still_gets_a_started_room(dana, monkeypatch):
    workshop = dana_workshop(dana)
    robin = arrive(workshop, "Robin")
    claim = seats.claim_seat

    def start_all_first(*args, **kwargs):
        # Dana's "Start all" commits and lists its ready rooms just before Riley's seat
        # is taken: Robin's room has one partner then, so it is not on her list.
        assert workshops.start_all(workshop) == 0
        return claim(*args, **kwargs)

    monkeypatch.setattr(workshops.seats, "claim_seat", start_all_first)
    room = workshops.room_for_word(workshop, robin["word"])
    workshops.join_partner(workshop, room, "Riley", new_seat_token())
    assert state_of(robin["code"])["status"] == "active", "nobody started Robin and Riley's room"


def test_riley_joining_just_after_start_all_listed_the_rooms_is_started_once(dana, monkeypatch):
    workshop = dana_workshop(dana)
    robin = arrive(workshop, "Robin")
    claim = seats.claim_seat

    def start_all_after(*args, **kwargs):
        seated = claim(*args, **kwargs)
        assert workshops.start_all(workshop) == 1  # sees both seats and starts the room
        return seated

    monkeypatch.setattr(workshops.seats, "claim_seat", start_all_after)
    room = workshops.room_for_word(workshop, robin["word"])
    workshops.join_partner(workshop, room, "Riley", new_seat_token())  # its start is refused
    state = state_of(robin["code"])
    assert state["status"] == "active"
    starts = Event.objects.filter(session__code=robin["code"], action="start")
    assert starts.count() == 1


def test_next_step_pressed_twice_for_the_same_step_moves_the_group_once(dana):
    workshop = dana_workshop(dana)
    alex_and_sam = arrive(workshop, "Alex", "Sam")
    workshops.start_all(workshop)
    assert workshops.next_step(workshop, from_step=0) == 1
    with pytest.raises(workshops.StepMoved, match="already been moved on to step 2"):
        workshops.next_step(workshop, from_step=0)
    assert workshop.step == 1 and Workshop.objects.get().step == 1
    assert state_of(alex_and_sam["code"])["workshop"]["to"] == 1


def test_an_end_that_failed_partway_is_finished_by_trying_again(dana, monkeypatch):
    workshop = dana_workshop(dana)
    couples = [arrive(workshop, "Alex", "Sam"), arrive(workshop, "Robin", "Riley")]
    workshops.start_all(workshop)
    submit = rooms.submit

    def fail_on_robins_room(code, actor, action, args=None, **kwargs):
        if code == couples[1]["code"] and action == "end":
            raise RuntimeError("the database went away")
        return submit(code, actor, action, args, **kwargs)

    monkeypatch.setattr(workshops.rooms, "submit", fail_on_robins_room)
    with pytest.raises(RuntimeError):
        workshops.end_workshop(workshop, summary={"couples_started": 2})
    row = Workshop.objects.get()
    assert row.status == WORKSHOP_ENDED and row.summary is None
    assert state_of(couples[1]["code"])["status"] == "active"

    monkeypatch.setattr(workshops.rooms, "submit", submit)
    workshops.end_workshop(workshop, summary=lambda w: {"couples_started": 2})
    assert Workshop.objects.get().summary == {"couples_started": 2}
    assert workshop.summary == {"couples_started": 2}
    assert {state_of(c["code"])["status"] for c in couples} == {"ended"}
    workshops.end_workshop(workshop, summary={"other": 1})  # kept: nothing changes now
    assert Workshop.objects.get().summary == {"couples_started": 2}
