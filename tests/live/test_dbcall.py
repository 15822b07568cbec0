"""A socket's database call survives a connection that died while it sat idle.

Connections are kept between calls and not pinged first (the ping cost a round
trip per tap), so when PostgreSQL restarts or a proxy cuts a connection, the
next call meets a dead one. Alex's pause must still go through.
"""

import pytest
from django.db import OperationalError, connection

from sessions.live import dbcall
from sessions.store import rooms
from tests.support.persistence import started_session

pytestmark = pytest.mark.django_db(transaction=True)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a PostgreSQL connection to cut (SQLite is a local file; CI runs PostgreSQL)",
)


def _cut_own_connection() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")


@postgres_only
async def test_alex_pausing_over_a_connection_the_server_lost_still_pauses():
    session, _ = await dbcall.run(started_session)
    calls = []

    def pause_after_losing_the_connection():
        calls.append(1)
        if len(calls) == 1:
            _cut_own_connection()
        return rooms.submit(session.code, "a", "pause", {"reason": "need_a_moment"}, rid="p-1")

    result = await dbcall.run(pause_after_losing_the_connection)

    assert result.accepted and result.changed
    assert result.state["status"] == "paused"
    assert len(calls) == 2


@postgres_only
async def test_a_call_that_cannot_be_repeated_safely_is_not_retried():
    session, _ = await dbcall.run(started_session)
    calls = []

    def pause_without_a_request_id():
        calls.append(1)
        _cut_own_connection()
        return rooms.submit(session.code, "a", "pause", {"reason": "need_a_moment"})

    with pytest.raises(OperationalError):
        await dbcall.run(pause_without_a_request_id, retry=False)

    assert len(calls) == 1
    state = await dbcall.run(rooms.load_state, session.code)
    assert state["status"] == "active"


async def test_a_database_error_on_a_healthy_connection_is_reported_not_retried():
    calls = []

    def locked():
        calls.append(1)
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError, match="locked"):
        await dbcall.run(locked)

    assert len(calls) == 1
