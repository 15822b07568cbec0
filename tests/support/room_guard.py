"""Only the store writes a room: checked at the database, on every statement a test runs.

A room is its rows: the session (``CoupleSession``), its seats, its event log, its presence
leases, and the marker a deletion by agreement leaves (``DeletedSession``). Every statement
that inserts, updates or deletes one of those tables is traced back to the code that asked
for it: the Python stack is walked from the innermost frame outward to the first frame that
is Stay's own code, meaning a file under ``sessions/`` (its migrations aside) or the Django
admin, which acts for ``sessions/admin.py``.

* That frame is in ``sessions/store/``: allowed, the store wrote the room.
* It is anywhere else in ``sessions/`` (a page, the socket, a report, a command, the admin's
  own ``save_model``) or it is the Django admin itself: the write is refused
  (``RoomWrittenOutsideStore``) and the test fails, naming the file and line.
* There is no such frame: allowed. That is a test (or a fixture, or a benchmark's set-up)
  writing rows itself, which tests may do to set the scene; a helper under ``sessions/``
  that is not the store may not, whoever calls it.

Reads cost one comparison: the stack is walked only for a write to a room's table. The guard
sits in every connection's ``execute_wrappers`` (every alias, every thread: a connection
gets it when it opens), so socket code run on the database thread is seen too; it only
acts while a test runs (``watching``). It cannot see the Daphne child processes some tests
start (their own interpreters), nor Django's async ORM called from a coroutine (the write
runs on a worker thread whose stack does not hold the caller): ``tests/test_layout.py``
scans the source for those calls instead.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import django.contrib.admin
from django.apps import apps
from django.db import connections
from django.db.backends.signals import connection_created

REPO = Path(__file__).resolve().parents[2]
SESSIONS = REPO / "sessions"
STORE = SESSIONS / "store"
MIGRATIONS = SESSIONS / "migrations"
ADMIN = Path(django.contrib.admin.__file__).resolve().parent

ROOM_MODELS = ("CoupleSession", "Seat", "Event", "Lease", "DeletedSession")
ROOM_APP = "coregulation"

# The table after each kind of write; PostgreSQL's CTE (the hot path) holds several.
_WRITES = re.compile(
    r"\b(INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)", re.IGNORECASE
)


class RoomWrittenOutsideStore(AssertionError):
    """A room's row was written by code under sessions/ that is not the store."""


_watching = False
_found: list[str] = []


@cache
def room_tables() -> dict[str, str]:
    """Table name → model name, for the tables that make up a room."""
    return {apps.get_model(ROOM_APP, name)._meta.db_table: name for name in ROOM_MODELS}


def written_room_tables(sql: str) -> list[tuple[str, str]]:
    """(verb, model) for every room table `sql` writes; [] for a read or any other table."""
    if sql[:8].lstrip()[:6].upper() == "SELECT":
        return []
    tables = room_tables()
    return [
        (verb.split()[0].upper(), tables[table])
        for verb, table in _WRITES.findall(sql)
        if table in tables
    ]


@cache
def _kind_of_file(filename: str) -> str | None:
    """ "store", "app" (Stay's code outside the store, or the admin), or None (not Stay's)."""
    try:
        path = Path(os.path.realpath(filename))
    except (OSError, ValueError):
        return None
    if path.is_relative_to(STORE):
        return "store"
    if path.is_relative_to(MIGRATIONS):
        return None
    if path.is_relative_to(SESSIONS) or path.is_relative_to(ADMIN):
        return "app"
    return None


def offending_frame(frames: Iterable[tuple[str, int]]) -> str | None:
    """Where a write came from if that is not allowed ("file:line"), else None.

    `frames` run from the innermost outward, as (filename, line). The first frame that is
    Stay's code decides: the store's is allowed, any other is the offender. With no such
    frame (a test writing its own rows) the write is allowed.
    """
    for filename, line in frames:
        kind = _kind_of_file(filename)
        if kind == "store":
            return None
        if kind == "app":
            path = Path(os.path.realpath(filename))
            shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
            return f"{shown.as_posix()}:{line}"
    return None


def _stack() -> Iterator[tuple[str, int]]:
    frame = sys._getframe(1)
    while frame is not None:
        yield frame.f_code.co_filename, frame.f_lineno
        frame = frame.f_back


def check(sql: str, frames: Iterable[tuple[str, int]]) -> str | None:
    """The complaint about `sql` run from `frames`, or None when it is allowed."""
    written = written_room_tables(sql)
    if not written:
        return None
    where = offending_frame(frames)
    if where is None:
        return None
    what = ", ".join(f"{verb} {model}" for verb, model in written)
    return (
        f"{where} wrote a room ({what}) outside sessions/store; move the write into the "
        f"store and call it from there. SQL: {sql[:160]}"
    )


def guard(execute, sql, params, many, context):
    """A Django execute wrapper: refuse (and remember) a room write from outside the store."""
    if _watching:
        complaint = check(sql, _stack())
        if complaint is not None:
            _found.append(complaint)
            raise RoomWrittenOutsideStore(complaint)
    return execute(sql, params, many, context)


def _install(connection) -> None:
    # First in the list: Django's `execute_wrapper()` pops the last one on exit, so a test's
    # own wrapper, added later, is the one it takes off again.
    if guard not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, guard)


def _on_connection_created(sender, connection, **kwargs) -> None:
    _install(connection)


connection_created.connect(_on_connection_created, weak=False, dispatch_uid="stay-room-guard")


def take_found() -> list[str]:
    """The complaints so far, forgotten as they are returned (a test that provokes one on
    purpose takes it back, so the test is not failed for it)."""
    found = list(_found)
    _found.clear()
    return found


@contextmanager
def watching() -> Iterator[None]:
    """Check every room write while the block runs, in every thread and on every alias.

    Yields nothing; afterwards `take_found()` has what was refused, also when the code under
    test swallowed the exception.
    """
    global _watching
    for alias in connections:
        _install(connections[alias])
    _found.clear()
    _watching = True
    try:
        yield
    finally:
        _watching = False
