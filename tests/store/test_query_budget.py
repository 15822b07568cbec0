"""What one tap and one heartbeat cost the database, pinned so it cannot silently grow.

Every accepted action and every 10-second heartbeat of every open socket runs
these queries, so one extra query here is one extra query per person per tap.
The optimistic-concurrency write (UPDATE … WHERE version = expected) stays.
"""

import json
import re

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.test.utils import CaptureQueriesContext

from facilitator.asgi import application
from sessions.access import SEATS_KEY
from sessions.store import leases, recent, rooms
from sessions.store.connections import arrive, heartbeat, quick_heartbeat, submit_action
from tests.support.persistence import CHECKIN, INFO, started_session

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")


def _statements(queries) -> list[str]:
    """The first word of each statement, leaving out transaction control (it varies by engine)."""
    # Django records an executemany as "N times: INSERT ..."
    sqls = [re.sub(r"^\d+ times: ", "", q["sql"].lstrip()) for q in queries.captured_queries]
    verbs = [sql.split(None, 1)[0].upper() for sql in sqls]
    return [verb for verb in verbs if verb not in TRANSACTION_CONTROL]


def _verbs(queries) -> list[str]:
    return [q["sql"].split(None, 1)[0] for q in queries.captured_queries]


@pytest.mark.django_db(transaction=True)  # outside a test transaction, as in production
def test_alex_tapping_next_in_a_room_his_process_serves_costs_one_guarded_write():
    session, _ = started_session()  # this process wrote the room last

    with CaptureQueriesContext(connection) as queries:
        result = submit_action(session.code, "a", "next", {"step": INFO}, "alex-1")

    assert result.accepted and result.changed
    if connection.vendor == "postgresql":
        # The guarded UPDATE and the INSERT are one statement (a CTE): one round trip,
        # atomic without BEGIN/COMMIT; the row was this process's latest sight of it.
        assert _verbs(queries) == ["WITH"]
    else:
        assert _statements(queries) == ["UPDATE", "INSERT"]
    written = [q["sql"] for q in queries.captured_queries if "UPDATE" in q["sql"]]
    assert len(written) == 1
    assert re.search(r'"?version"? = \S+ AND', written[0].split("WHERE", 1)[1])


@pytest.mark.django_db(transaction=True)
def test_a_tap_in_a_room_this_process_has_not_seen_reads_it_once_first():
    session, _ = started_session()
    recent.clear()

    with CaptureQueriesContext(connection) as queries:
        result = submit_action(session.code, "a", "next", {"step": INFO}, "alex-1")

    assert result.accepted and result.changed
    expected = ["SELECT", "WITH"] if connection.vendor == "postgresql" else None
    assert (_verbs(queries) if expected else _statements(queries)) == (
        expected or ["SELECT", "UPDATE", "INSERT"]
    )


@pytest.mark.django_db(transaction=True)
def test_a_tap_after_another_process_wrote_costs_a_missed_write_a_read_and_a_write():
    session, _ = started_session()
    stale = recent.cached_row(session.code)
    submit_action(session.code, "b", "pause", {}, "sam-1")
    recent.forget(session.code)
    recent.remember(session.code, stale)  # as if Sam's process had written it

    with CaptureQueriesContext(connection) as queries:
        result = submit_action(session.code, "a", "next", {"step": INFO}, "alex-1")

    assert result.code == "paused" or result.accepted
    if connection.vendor == "postgresql":
        assert _verbs(queries) == ["WITH", "SELECT"] + (["WITH"] if result.changed else [])


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


def test_a_heartbeat_with_half_the_lease_gone_renews_it_and_reads_twice():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    version = rooms.load_state(session.code)["version"]
    nearly_lapsed = rooms.now_ms() + leases.lease_ms() // 2 - 1

    with CaptureQueriesContext(connection) as queries:
        caught_up = heartbeat(session.code, session.pk, "a", "alex-phone", nearly_lapsed)

    assert not caught_up.changed and caught_up.state["version"] == version
    assert caught_up.lease_due is not None
    assert caught_up.held_until > nearly_lapsed
    assert _statements(queries) == ["UPDATE", "SELECT", "SELECT"]


def test_a_quiet_heartbeat_with_half_the_lease_gone_renews_it_and_reads_once():
    session, _ = started_session()
    arrive(session.code, session.pk, "a", "alex-phone")
    version = rooms.load_state(session.code)["version"]
    nearly_lapsed = rooms.now_ms() + leases.lease_ms() // 2 - 1

    with CaptureQueriesContext(connection) as queries:
        look = quick_heartbeat(session.pk, "a", "alex-phone", nearly_lapsed)

    assert look.version == version
    assert look.leases.live == {"a"} and not look.leases.lapsed
    assert look.held_until > nearly_lapsed
    assert _statements(queries) == ["UPDATE", "SELECT"]


def test_a_repair_while_the_lease_is_fresh_only_reads():
    session, _ = started_session()
    held_until = arrive(session.code, session.pk, "a", "alex-phone").held_until

    with CaptureQueriesContext(connection) as queries:
        caught_up = heartbeat(session.code, session.pk, "a", "alex-phone", held_until)

    assert caught_up.held_until == held_until
    assert _statements(queries) == ["SELECT", "SELECT"]


@pytest.fixture
def every_query(monkeypatch):
    """Statements run on any thread (the consumer's run on Channels' database thread)."""
    seen: list[str] = []
    original = CursorWrapper._execute_with_wrappers

    def counted(self, sql, *args, **kwargs):
        seen.append(sql)
        return original(self, sql, *args, **kwargs)

    monkeypatch.setattr(CursorWrapper, "_execute_with_wrappers", counted)
    return seen


@pytest.mark.django_db(transaction=True)
async def test_a_heartbeat_with_nothing_to_do_only_reads_the_version(every_query):
    code, token = await database_sync_to_async(_alex_seated)()
    browser = SessionStore()
    await browser.aset(SEATS_KEY, {code: token})
    await browser.acreate()
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={browser.session_key}".encode()
    alex = WebsocketCommunicator(
        application,
        f"/ws/sessions/{code}/",
        headers=[(b"origin", b"http://testserver"), (b"cookie", cookie)],
    )
    try:
        assert (await alex.connect(timeout=3))[0]
        first = json.loads(await alex.receive_from(timeout=3))
        every_query.clear()

        await alex.send_json_to({"type": "sync", "version": first["version"]})
        reply = json.loads(await alex.receive_from(timeout=3))
        during_heartbeat = list(every_query)
    finally:
        await alex.disconnect()

    assert reply == {"type": "ok"}
    assert len(during_heartbeat) == 1
    assert during_heartbeat[0].lstrip().upper().startswith("SELECT")
    assert "version" in during_heartbeat[0] and "state" not in during_heartbeat[0]


def _alex_seated() -> tuple[str, str]:
    session, tokens = started_session()
    return session.code, tokens["a"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are a PostgreSQL feature"
)
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_tap_and_heartbeat_statements_are_planned_once_per_connection():
    session, _ = started_session()
    leases.hold(session.pk, "a", "alex-socket", rooms.now_ms())
    # Alex's tap, then Sam's (moving on needs both): two accepted writes on one connection,
    # then Alex's `next` on the check-in nobody answered yet: refused, which the store
    # checks against a fresh read (a guess never refuses on its own), twice over.
    taps = [("a", INFO), ("b", INFO), ("a", CHECKIN), ("a", CHECKIN)]
    for n, (who, step) in enumerate(taps):
        submit_action(session.code, who, "next", {"step": step}, f"{who}-{n}")
        quick_heartbeat(session.pk, "a", "alex-socket", None)

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]

    # The read, the guarded write, the lease renewal and the heartbeat's look: each once.
    for start in ("SELECT s.id, s.version, s.state", "WITH moved AS", "UPDATE", "SELECT s.version"):
        assert len([sql for sql in prepared if sql.lstrip().startswith(start)]) == 1, start
