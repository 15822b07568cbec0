"""Couples arriving at Dana's workshop at the same instant, in real threads: the last places
go to exactly as many couples as she allowed, and a pairing word seats one partner.

The threads are released together by a barrier and each uses its own connection. On
PostgreSQL the workshop row's ``select_for_update`` is what serialises them; on SQLite
(the embedded default) every transaction begins ``IMMEDIATE``, taking the database's one
write lock before it reads, so the count and the new room are just as much one step
(docs/contracts.md, Workshops). CI runs this against PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from sessions.codes import new_seat_token
from sessions.models import CoupleSession
from sessions.store import workshops
from sessions.store.seats import SessionFull
from tests.store.workshop_play import dana_workshop

pytestmark = pytest.mark.django_db(transaction=True)

COUPLES_AT_THE_DOOR = 8


def at_once(calls: list) -> list:
    """Run each call in its own thread, all released together; each result or exception."""
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i, call):
        try:
            start.wait(timeout=10)
            outcomes[i] = call()
        except BaseException as exc:  # noqa: BLE001 - the test reads what each one got
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    return outcomes


def test_eight_couples_starting_at_once_in_a_workshop_for_three_make_three_rooms(dana):
    workshop = dana_workshop(dana, max_couples=3)
    names = ["Alex", "Robin", "Jo", "Kim", "Sam", "Riley", "Dana", "Lee"]
    outcomes = at_once(
        [
            lambda name=name: workshops.start_couple(workshop, name, new_seat_token())
            for name in names[:COUPLES_AT_THE_DOOR]
        ]
    )
    made = [o for o in outcomes if isinstance(o, CoupleSession)]
    full = [o for o in outcomes if isinstance(o, workshops.WorkshopFull)]
    assert (len(made), len(full)) == (3, COUPLES_AT_THE_DOOR - 3), outcomes
    assert CoupleSession.objects.filter(workshop=workshop).count() == 3
    words = set(CoupleSession.objects.filter(workshop=workshop).values_list("pairing_word"))
    assert len(words) == 3


def test_sam_and_a_stranger_typing_alexs_word_at_once_seat_one_of_them(dana):
    workshop = dana_workshop(dana)
    room = workshops.start_couple(workshop, "Alex", new_seat_token())
    outcomes = at_once(
        [
            lambda name=name: workshops.join_partner(workshop, room, name, new_seat_token())
            for name in ("Sam", "Riley")
        ]
    )
    joined = [o for o in outcomes if isinstance(o, CoupleSession)]
    refused = [o for o in outcomes if isinstance(o, SessionFull)]
    assert (len(joined), len(refused)) == (1, 1), outcomes
    assert room.seats.count() == 2
