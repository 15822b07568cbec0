"""What one tap and one heartbeat cost the database, pinned so it cannot silently grow.

Every accepted action and every 10-second heartbeat of every open socket runs
these queries, so one extra query here is one extra query per person per tap.
The optimistic-concurrency write (UPDATE … WHERE version = expected) stays.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions import store
from sessions.consumers import arrive, submit_action
from tests.persistence_support import CHECKIN, INFO, started_session

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")


def _statements(queries) -> list[str]:
    """The first word of each statement, leaving out transaction control (it varies by engine)."""
    verbs = [q["sql"].lstrip().split(None, 1)[0].upper() for q in queries.captured_queries]
    return [verb for verb in verbs if verb not in TRANSACTION_CONTROL]


def test_alex_tapping_next_costs_one_read_and_one_guarded_write():
    session, _ = started_session()

    with CaptureQueriesContext(connection) as queries:
        result = submit_action(session.code, "a", "next", {"step": INFO}, "alex-1")

    assert result.accepted and result.changed
    assert _statements(queries) == ["SELECT", "UPDATE", "INSERT"]
    guarded = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE"))
    assert '"version" = ' in guarded.split("WHERE", 1)[1]


def test_a_retried_frame_is_answered_from_one_read():
    session, _ = started_session()
    first = submit_action(session.code, "a", "next", {"step": INFO}, "alex-1")

    with CaptureQueriesContext(connection) as queries:
        again = submit_action(session.code, "a", "next", {"step": INFO}, "alex-1")

    assert again.duplicate and again.version == first.version
    assert _statements(queries) == ["SELECT"]


def test_a_refused_tap_reads_once_and_writes_nothing():
    session, _ = started_session()

    with CaptureQueriesContext(connection) as queries:
        result = submit_action(session.code, "b", "next", {"step": CHECKIN}, "sam-stale")

    assert result.code == "stale"
    assert _statements(queries) == ["SELECT"]


def test_a_heartbeat_with_nothing_due_renews_the_lease_and_reads_twice():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    version = store.load_state(session.code)["version"]

    with CaptureQueriesContext(connection) as queries:
        settled = arrive(session.code, session.pk, "a", "alex-phone")

    assert not settled.changed and settled.state["version"] == version
    assert settled.lease_due is not None
    assert _statements(queries) == ["UPDATE", "SELECT", "SELECT"]
