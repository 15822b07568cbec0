"""What the workshop page tests share: Dana's workshop, and couples pairing at its door.

Dana runs the workshop; Alex starts a couple and Sam joins by Alex's word; Robin & Riley
and Jo & Kim are the other couples. Every browser goes through the real pages.
"""

from __future__ import annotations

from django.test import Client

from sessions.access import SEATS_KEY
from sessions.models import CoupleSession, Workshop
from sessions.store import seats
from sessions.store import workshops as store

PROTOCOL = "daily-checkin"  # eight steps as the rooms count them (each turn is two)


def new_workshop(dana, *, paced: bool = True, max_couples: int = 10) -> Workshop:
    return store.create_workshop(
        dana, protocol_slug=PROTOCOL, title="Spring evening", max_couples=max_couples, paced=paced
    )


def start(workshop: Workshop, name: str, browser: Client | None = None):
    """`name` starts a couple at the door: (their browser, their room)."""
    browser = browser or Client()
    response = browser.post(f"/w/{workshop.code}/start/", {"name": name})
    assert response.status_code == 302, response
    code = response["Location"].strip("/").split("/")[-1]
    return browser, CoupleSession.objects.get(code=code)


def join(workshop: Workshop, word: str, name: str, browser: Client | None = None):
    browser = browser or Client()
    response = browser.post(f"/w/{workshop.code}/join/", {"word": word, "name": name})
    return browser, response


def pair(workshop: Workshop, first: str, second: str):
    """A couple seated in their own room: (first's browser, second's browser, room)."""
    one, room = start(workshop, first)
    two, response = join(workshop, room.pairing_word, second)
    assert response.status_code == 302, response
    return one, two, room


def role_of(browser: Client, room: CoupleSession) -> str | None:
    token = browser.session.get(SEATS_KEY, {}).get(room.code)
    return seats.seat_for_token(room, token)
