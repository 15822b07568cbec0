"""What Jo sees after her room, still waiting for Kim, was closed by Dana.

A room nobody joined can be removed from the console; Jo's page must not tell her the
session "was deleted by itself a while after it ended" (it never began), but that the
room was closed, with the workshop's link to start again.
"""

from __future__ import annotations

import pytest

from sessions.access import SEATS_KEY
from sessions.store import notices
from sessions.store import workshops as store
from tests.web.workshop_support import new_workshop, start

pytestmark = pytest.mark.django_db


def test_jo_whose_waiting_room_dana_removed_is_told_it_was_closed_with_the_way_back(dana):
    workshop = new_workshop(dana)
    jo, room = start(workshop, "Jo")
    assert store.remove_waiting_room(workshop, notices.room_id(room.code))

    response = jo.get(f"/s/{room.code}/")

    page = response.content.decode()
    assert response.status_code == 410
    assert "This room was closed" in page
    assert f"/w/{workshop.code}/" in page
    assert "a while after it ended" not in page


def test_a_session_that_aged_away_still_says_so(dana):
    workshop = new_workshop(dana)
    jo, room = start(workshop, "Jo")
    other_workshop = new_workshop(dana)
    kim, other_room = start(other_workshop, "Kim")
    assert store.remove_waiting_room(other_workshop, notices.room_id(other_room.code))
    # Jo never sat in Kim's room: her browser knows nothing of it.
    session = jo.session
    session[SEATS_KEY] = {**session.get(SEATS_KEY, {}), other_room.code: "x" * 43}
    session.save()

    page = jo.get(f"/s/{other_room.code}/").content.decode()

    assert "This room was closed" not in page
    assert "a while after it ended" in page
