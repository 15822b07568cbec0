"""The room and browsers the seat tests share: the short test room, the couple seated in it,
and ways to ask which seat a browser holds, what code it was shown, and whether a page
gave anybody's name away.

Alex (seat a) and Sam (seat b) are the couple and Dana their counselor; `NAMES` are the
names no outsider's page may ever show.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.test import Client
from django.utils import timezone

from sessions.access import SEAT_CODES_KEY, SEATS_KEY
from sessions.models import CoupleSession, Lease, Seat
from sessions.store import creation, rooms, seats
from tests.support.protocols import short_protocol

NAMES = ("Alex", "Sam", "Dana")


def new_session(counselor=None) -> CoupleSession:
    doc = short_protocol()
    return creation.create_session(doc["slug"], counselor, protocol=SimpleNamespace(doc=doc))


def seated(session, *names: str) -> list[Client]:
    browsers = []
    for name in names:
        browser = Client()
        response = browser.post(f"/j/{session.code}/", {"display_name": name})
        assert response.status_code == 302, response
        browsers.append(browser)
    return browsers


def gone_quiet(session, *seats: str) -> None:
    """These seats' devices have been away long past the grace; the others are connected."""
    Seat.objects.filter(session=session).update(claimed_at=timezone.now() - timedelta(minutes=5))
    for seat in {"a", "b"} - set(seats):
        Lease.objects.create(
            session=session,
            role=seat,
            channel_name=f"{seat}-still-here",
            expires_at=timezone.now() + timedelta(seconds=30),
        )


def seat_code_of(browser: Client, session) -> str:
    return browser.session[SEAT_CODES_KEY][session.code]


def role_of(browser: Client, session) -> str | None:
    token = browser.session.get(SEATS_KEY, {}).get(session.code)
    return seats.seat_for_token(session, token)


def reveals_nobody(page: str) -> None:
    for name in NAMES:
        assert name not in page, name


def knock_in_state(session) -> dict | None:
    return rooms.load_state(session.code).get("knock")
