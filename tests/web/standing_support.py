"""Dana's couple for the standing-link, measure, sharing and export tests.

Alex (seat a) and Sam (seat b) are Dana's couple, with a standing link; Robin is another
counselor; a second couple of Dana's (Jo and Kim) has its own link, so "a partner of
another couple" is a real browser holding a real seat elsewhere. Rows are written here
directly to set the scene; everything under test goes through the pages.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.test import Client

from sessions.access import SEATS_KEY
from sessions.codes import new_join_code
from sessions.models import Couple, CoupleSession, Practice
from sessions.store import creation, rooms, seats
from tests.support.protocols import short_protocol

ALEX_ITEMS = {"item1": "1", "item2": "4", "item3": "2", "item4": "3"}  # total 10
# Words only Alex's answers put on a page (labels of the choices Alex made).
ALEX_ANSWER_WORDS = ("Fairly unhappy", "Almost completely true")


def make_couple(counselor, *, names=("Alex", "Sam"), measure_on=False) -> Couple:
    return Couple.objects.create(
        counselor=counselor,
        name_a=names[0],
        name_b=names[1],
        link_code=new_join_code(),
        measure_on=measure_on,
    )


def hosted(couple: Couple) -> CoupleSession:
    """A session Dana started for the couple from their page (the short test protocol)."""
    doc = short_protocol()
    return creation.create_session(
        doc["slug"], couple.counselor, protocol=SimpleNamespace(doc=doc), couple=couple
    )


def practice(couple: Couple, *, times=3, slug="daily-checkin", title="Daily check-in") -> Practice:
    return Practice.objects.create(
        couple=couple, protocol_slug=slug, protocol_title=title, times_per_week=times
    )


def practice_session(couple: Couple, given: Practice) -> CoupleSession:
    doc = short_protocol()
    return creation.create_session(
        doc["slug"], protocol=SimpleNamespace(doc=doc), couple=couple, practice=given
    )


def standing_url(couple: Couple) -> str:
    return f"/c/{couple.link_code}/"


def through_link(couple: Couple, seat: str, browser: Client | None = None) -> Client:
    """A partner's browser that took `seat` in the current session from the standing link."""
    browser = browser or Client()
    response = browser.post(f"{standing_url(couple)}join/", {"seat": seat})
    assert response.status_code == 302 and response["Location"].startswith("/s/"), response
    return browser


def seat_of(browser: Client, session: CoupleSession) -> str | None:
    return seats.seat_for_token(session, browser.session.get(SEATS_KEY, {}).get(session.code))


def run(code: str, actor: str, action: str, args: dict | None = None) -> None:
    result = rooms.submit(code, actor, action, args or {})
    assert result.accepted, result


def check_in_and_end(session: CoupleSession, *, alex=("safe", 3), sam=("mobilized", 7)) -> None:
    """Both seated partners check in on the short protocol's check-in, then the room ends."""
    starter = "host" if session.counselor_id else "a"
    for seat in ("a", "b"):
        run(session.code, "server", "presence", {"seat": seat, "connected": True})
    run(session.code, starter, "start")
    for seat in ("b", "a"):
        run(session.code, seat, "next", {"step": 0})
    for seat, (state, intensity) in (("a", alex), ("b", sam)):
        run(session.code, seat, "checkin", {"step": 1, "state": state, "intensity": intensity})
    run(session.code, starter if starter == "host" else "a", "end")
    session.refresh_from_db()
