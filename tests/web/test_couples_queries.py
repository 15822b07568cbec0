"""Dana's couple pages cost the same few queries with 2 sessions or 10, 2 couples or 10.

Each session's summary reads its event log; read one session at a time, the couple's
page made one more query per session (26 with 12 sessions, 38 with 24), and the list
of couples some six per couple (sessions, practice, two counts per practice). The
history now prefetches every event log at once and counts practice in the database, so
a long history or a full caseload never slows the page down query by query.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions.models import CoupleSession
from sessions.store import creation
from tests.support.couple_play import alex_and_sam, give_practice, play, reports_protocol, seated

pytestmark = pytest.mark.django_db

# Enough for sign-in, the couple, its sessions, events, measures, practice and notes.
PAGE_BUDGET = 20


def history_of(couple, count: int) -> None:
    """One hosted session played through, one practice played, then waiting rooms of both."""
    protocol = reports_protocol()
    practice = give_practice(couple)
    play(seated(couple))
    play(seated(couple, practice))
    for n in range(count - 2):
        if n % 2:
            creation.create_session(
                protocol.slug, couple.counselor, protocol=protocol, couple=couple
            )
        else:
            creation.create_session(
                protocol.slug, protocol=protocol, couple=couple, practice=practice
            )
    assert CoupleSession.objects.filter(couple=couple).count() == count


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("tail", ["", "export.csv", "export.json"], ids=["page", "csv", "json"])
def test_the_couple_page_and_exports_cost_the_same_with_2_or_10_sessions(dana, dana_client, tail):
    short, long = alex_and_sam(dana), alex_and_sam(dana)
    history_of(short, 2)
    history_of(long, 10)
    few = queries_for(dana_client, f"/counselor/couples/{short.pk}/{tail}")
    many = queries_for(dana_client, f"/counselor/couples/{long.pk}/{tail}")
    assert many == few, (few, many)
    assert many <= PAGE_BUDGET


def caseload(dana, count: int) -> None:
    """`count` couples, each with practice (one done) and a hosted session finished."""
    for _ in range(count):
        couple = alex_and_sam(dana)
        practice = give_practice(couple)
        CoupleSession.objects.filter(pk=seated(couple, practice)["session"].pk).update(
            status="completed"
        )
        CoupleSession.objects.filter(pk=seated(couple)["session"].pk).update(status="completed")


def test_the_list_of_couples_costs_the_same_with_2_or_10_couples(dana, dana_client, robin):
    caseload(dana, 2)
    few = queries_for(dana_client, "/counselor/couples/")
    caseload(dana, 8)
    many = queries_for(dana_client, "/counselor/couples/")
    assert many == few, (few, many)
    assert many <= PAGE_BUDGET
