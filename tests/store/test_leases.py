"""A quiet heartbeat trusts its one look only when the leases match what the room shows.

If Sam's phone dropped (no lease) while the room still shows Sam connected, Alex's
heartbeat must not answer "ok": it settles the room so the engine hears about it.
"""

import pytest

from sessions.live.consumer import arrive
from sessions.store import leases, rooms
from tests.support.persistence import started_session

pytestmark = pytest.mark.django_db


def test_leases_that_match_the_room_need_nothing():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    arrive(session.code, session.pk, "b", "sam-phone")
    state = rooms.load_state(session.code)

    version, found = leases.glance(session.pk, leases.now_ms())

    assert version == state["version"]
    assert not leases.disagrees(leases.shown(state), found.live)


def test_a_partner_shown_connected_without_a_lease_needs_the_room_settled():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    arrive(session.code, session.pk, "b", "sam-phone")
    state = rooms.load_state(session.code)
    leases.drop("sam-phone")  # as if Sam's server process went away mid-heartbeat

    _, found = leases.glance(session.pk, leases.now_ms())

    assert found.live == {"a"}
    assert leases.disagrees(leases.shown(state), found.live)


def test_a_lapsed_lease_still_in_the_table_is_reported_as_lapsed():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    later = leases.now_ms() + leases.lease_ms() + 1

    _, found = leases.glance(session.pk, later)

    assert found.lapsed and found.live == frozenset()
