"""Dana's dashboard as the server renders it for its live updates.

The parts that change are marked `data-live-region` with an id (the page script swaps
them), the page loads `live-pages.js` and has its polite announcer; a paused session says
who paused and why; her couples' practice going on now is listed with nothing of their
check-in answers (Robin never sees it); the finished list says how long sessions are kept.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.conf import settings

from sessions.codes import new_seat_token
from sessions.models import Couple, CoupleSession
from sessions.store import creation, rooms, seats
from tests.support.protocols import short_protocol

pytestmark = pytest.mark.django_db


def _session(counselor=None, couple=None) -> CoupleSession:
    doc = short_protocol()
    session = creation.create_session(doc["slug"], counselor, protocol=SimpleNamespace(doc=doc))
    if couple is not None:
        CoupleSession.objects.filter(pk=session.pk).update(couple=couple)
    seats.claim_seat(session, "Alex", new_seat_token())
    seats.claim_seat(session, "Sam", new_seat_token())
    return session


def test_the_changing_parts_are_live_regions_with_ids_and_the_script_is_loaded(dana_client):
    page = dana_client.get("/counselor/").content.decode()
    regions = re.findall(r'<section id="([^"]+)" data-live-region', page)
    assert regions == [
        "practising-region",
        "sessions-waiting",
        "sessions-live",
        "sessions-finished",
    ]
    assert 'id="live-announcer"' in page and 'aria-live="polite"' in page
    assert 'data-socket-path="/ws/counselor/"' in page
    assert "js/live-pages.js" in page
    assert 'href="/counselor/couples/"' in page
    days = settings.STAY["FINISHED_RETENTION_DAYS"]
    assert (
        "Sessions with a couple stay until you delete the couple; other hosted sessions are "
        f"deleted {days} days after they finish."
    ) in page


def test_a_paused_session_says_who_paused_and_why(dana, dana_client):
    session = _session(counselor=dana)
    rooms.submit(session.code, "host", "start", {})
    rooms.submit(session.code, "b", "pause", {"reason": "flooding"})
    page = dana_client.get("/counselor/").content.decode()
    assert "paused — Sam asked for a pause (feeling flooded)" in page


def test_her_couples_practice_shows_who_and_what_and_nothing_they_answered(
    dana, dana_client, robin_client
):
    couple = Couple.objects.create(counselor=dana, name_a="Alex", name_b="Sam")
    practice = _session(couple=couple)
    rooms.submit(practice.code, "a", "start", {})
    rooms.submit(practice.code, "a", "next", {"step": 0})
    rooms.submit(practice.code, "b", "next", {"step": 0})
    answer = {"step": 1, "state": "mobilized", "intensity": 7, "word": "hopeful"}
    rooms.submit(practice.code, "a", "checkin", answer)
    page = dana_client.get("/counselor/").content.decode()
    assert f"Alex and Sam are practising: {practice.protocol_title}" in page
    for secret in ("hopeful", "On edge", "7 of 10"):
        assert secret not in page
    assert practice.code not in page  # no way into their room from here
    assert "Alex and Sam are practising" not in robin_client.get("/counselor/").content.decode()
