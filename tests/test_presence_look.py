"""A quiet heartbeat trusts its one look only when the leases match what the room shows.

If Sam's phone dropped (no lease) while the room still shows Sam connected, Alex's
heartbeat must not answer "ok": it settles the room so the engine hears about it.
"""

import pytest

from sessions import presence, store
from sessions.consumers import arrive
from tests.persistence_support import started_session

pytestmark = pytest.mark.django_db


def test_leases_that_match_the_room_need_nothing():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    arrive(session.code, session.pk, "b", "sam-phone")
    state = store.load_state(session.code)

    version, leases = presence.glance(session.pk, presence.now_ms())

    assert version == state["version"]
    assert not presence.disagrees(presence.shown(state), leases.live)


def test_a_partner_shown_connected_without_a_lease_needs_the_room_settled():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    arrive(session.code, session.pk, "b", "sam-phone")
    state = store.load_state(session.code)
    presence.drop("sam-phone")  # as if Sam's server process went away mid-heartbeat

    _, leases = presence.glance(session.pk, presence.now_ms())

    assert leases.live == {"a"}
    assert presence.disagrees(presence.shown(state), leases.live)


def test_a_lapsed_lease_still_in_the_table_is_reported_as_lapsed():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    later = presence.now_ms() + presence.lease_ms() + 1

    _, leases = presence.glance(session.pk, later)

    assert leases.lapsed and leases.live == frozenset()
