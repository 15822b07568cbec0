"""A quiet heartbeat trusts its one look only when the leases match what the room shows.

If Sam's phone dropped (no lease) while the room still shows Sam connected, Alex's
heartbeat must not answer "ok": it catches the room up so the engine hears about it.
"""

import pytest

from sessions.store import leases, rooms
from sessions.store.connections import arrive
from tests.support.persistence import started_session

pytestmark = pytest.mark.django_db


def test_leases_that_match_the_room_need_nothing():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    arrive(session.code, session.pk, "b", "sam-phone")
    state = rooms.load_state(session.code)

    version, found = leases.read_version_and_leases(session.pk, rooms.now_ms())

    assert version == state["version"]
    assert not leases.disagrees(leases.shown(state), found.live)


def test_a_partner_shown_connected_without_a_lease_needs_the_room_caught_up():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    arrive(session.code, session.pk, "b", "sam-phone")
    state = rooms.load_state(session.code)
    leases.drop("sam-phone")  # as if Sam's server process went away mid-heartbeat

    _, found = leases.read_version_and_leases(session.pk, rooms.now_ms())

    assert found.live == {"a"}
    assert leases.disagrees(leases.shown(state), found.live)


def test_a_lapsed_lease_still_in_the_table_is_reported_as_lapsed():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    later = rooms.now_ms() + leases.lease_ms() + 1

    _, found = leases.read_version_and_leases(session.pk, later)

    assert found.lapsed and found.live == frozenset()
