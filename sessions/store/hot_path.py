"""The store's two hot statements, written by hand.

Every tap in every room runs one read and one guarded write, so they are the
statements this server runs most. Through the ORM they cost a query compilation
each and, on PostgreSQL, five round trips (SELECT, BEGIN, UPDATE, INSERT,
COMMIT), each of which also hands the GIL back and forth with the event loop.
Here the read is one prepared-shape SELECT and, on PostgreSQL, the write is ONE
statement: a data-modifying CTE that updates the snapshot only if its version is
still the one we read and inserts the event rows only if that update happened.
A single statement is atomic on its own, so no BEGIN/COMMIT round trips are
needed. On PostgreSQL both also run as server-side prepared statements (planning
them took about as long as running them); Django's own queries keep client-side
binding. SQLite has no data-modifying CTEs; there the UPDATE and INSERT run in
one transaction, which costs nothing extra on a local file.

Columns and tables come from the models' metadata, so a renamed field breaks
loudly in the tests rather than silently here.
"""

from __future__ import annotations

import json
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import psycopg
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sessions.models import CoupleSession, Event


@dataclass(frozen=True)
class Row:
    """What an input needs of a session: its snapshot and what the write must carry over."""

    pk: int
    version: int
    state: dict
    created_at: datetime
    finished_at: datetime | None
    # The version a retried frame (same sender, same rid) produced the first time, or None.
    rid_version: int | None
    # A session of a counselor's couple: kept once finished (`retention.expires_at_for`).
    kept: bool = False


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


@cache
def _read_sql(vendor: str) -> str:
    s, e = quoted(CoupleSession._meta.db_table), quoted(Event._meta.db_table)
    return (
        f"SELECT s.id, s.version, s.state, s.created_at, s.finished_at, s.couple_id,"
        f" (SELECT e.version FROM {e} e"
        f" WHERE e.session_id = s.id AND e.actor = %s AND e.rid = %s)"
        f" FROM {s} s"
        f" WHERE s.code = %s AND (s.expires_at IS NULL OR s.expires_at > %s)"
    )


_SNAPSHOT_SET = "state = {json}, version = %s, status = %s, finished_at = %s, expires_at = %s"
# The guard: the version we ran the input against, on a room that has not expired
# meanwhile (the row may come from a guess, `sessions/store/recent.py`, not a read).
_GUARD = "id = %s AND version = %s AND (expires_at IS NULL OR expires_at > %s)"
_EVENT_COLUMNS = "session_id, version, actor, action, args, events, rid, created_at"


@cache
def _update_sql(vendor: str) -> str:
    """SQLite: the guarded UPDATE on its own (PostgreSQL uses `_cte_sql`)."""
    s = quoted(CoupleSession._meta.db_table)
    return f"UPDATE {s} SET {_SNAPSHOT_SET.format(json='%s')} WHERE {_GUARD}"


@cache
def _insert_sql(vendor: str) -> str:
    e = quoted(Event._meta.db_table)
    return f"INSERT INTO {e} ({_EVENT_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"


@cache
def _cte_sql(events: int) -> str:
    """PostgreSQL: update the snapshot and insert `events` rows in one statement."""
    s, e = quoted(CoupleSession._meta.db_table), quoted(Event._meta.db_table)
    typed = "(%s::integer, %s::varchar, %s::varchar, %s::jsonb, %s::jsonb, %s::varchar, %s::timestamptz)"
    rows = ", ".join([typed] * events)
    return (
        f"WITH moved AS (UPDATE {s} SET {_SNAPSHOT_SET.format(json='%s::jsonb')}"
        f" WHERE {_GUARD} RETURNING id)"
        f" INSERT INTO {e} ({_EVENT_COLUMNS})"
        f" SELECT moved.id, v.version, v.actor, v.action, v.args, v.events, v.rid, v.created_at"
        f" FROM moved CROSS JOIN (VALUES {rows})"
        f" AS v(version, actor, action, args, events, rid, created_at)"
    )


class _PreparedCursor(psycopg.Cursor):
    """Server-side binding, prepared on first use (when the connection allows it).

    psycopg prepares only when the connection's `prepare_threshold` is set
    (`DATABASE_PREPARED_STATEMENTS`, facilitator/settings.py); otherwise this is a
    plain server-binding cursor and every statement is planned each time.

    psycopg keys a prepared statement by its text and its parameters' types, and
    types vary with values (a small int is int2, a big one int8; None has no type),
    so one statement would be prepared again and again. Every parameter is sent as
    untyped text instead: PostgreSQL takes each one's type from where it is used
    (or from the cast written next to it), the same for every call.
    """

    # Set when Django logs queries (DEBUG, tests): its log reads the statement back
    # from `_query`, which psycopg fills only for client-side binding.
    logged = False

    def execute(self, query, params=None, *, prepare=None, binary=None):
        params = None if params is None else [_as_text(value) for value in params]
        super().execute(query, params, prepare=True, binary=binary)
        if self.logged:
            self._query = self._convert_query(query, params)
        return self


def _as_text(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"no text form for a {type(value).__name__} parameter")


@contextmanager
def prepared_cursor():
    """A Django cursor (so query logging and wrappers see it), prepared on PostgreSQL."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = _PreparedCursor(connection.connection)
    if connection.queries_logged:
        raw.logged = True
        wrapped = connection.make_debug_cursor(raw)
    else:
        wrapped = connection.make_cursor(raw)
    with wrapped as cursor:
        yield cursor


def read(code: str, actor: str | None, rid: str | None) -> Row | None:
    """The live session `code` with the version `actor`'s `rid` produced, if any; None when gone."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with prepared_cursor() as cursor:
        cursor.execute(_read_sql(connection.vendor), [actor, rid, code, now])
        found = cursor.fetchone()
    if found is None:
        return None
    pk, version, state, created_at, finished_at, couple_id, rid_version = found
    return Row(
        pk=pk,
        version=version,
        state=json.loads(state) if isinstance(state, (str, bytes)) else state,
        created_at=aware(created_at),
        finished_at=aware(finished_at),
        rid_version=rid_version,
        kept=couple_id is not None,
    )


def write(row: Row, state: dict, finished_at, expires_at, log: list, wall: datetime) -> bool:
    """Write `state` and its event rows if the stored version is still `row.version`.

    `log` holds (actor, action, args, events, rid, version) tuples. Returns False,
    having written nothing, when another writer got there first.
    """
    snapshot = [
        _json(state),
        state["version"],
        state["status"],
        stamp(finished_at),
        stamp(expires_at),
        row.pk,
        row.version,
        stamp(wall),
    ]
    events = [
        [version, actor, action, _json(args), _json(list(events)), rid, stamp(wall)]
        for actor, action, args, events, rid, version in log
    ]
    vendor = connection.vendor
    if vendor == "postgresql":
        params = snapshot + [value for event in events for value in event]
        # Inside a caller's transaction a savepoint keeps a failed statement (a rid
        # logged meanwhile) from aborting it; on its own the statement is atomic.
        nested = transaction.atomic() if connection.in_atomic_block else nullcontext()
        with nested, prepared_cursor() as cursor:
            cursor.execute(_cte_sql(len(events)), params)
            return cursor.rowcount == len(events)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_update_sql(vendor), snapshot)
        if cursor.rowcount == 0:
            return False
        cursor.executemany(_insert_sql(vendor), [[row.pk, *event] for event in events])
    return True


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def stamp(value: datetime | None):
    return None if value is None else connection.ops.adapt_datetimefield_value(value)


def aware(value) -> datetime | None:
    """A stored timestamp as an aware datetime (SQLite hands back text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value
