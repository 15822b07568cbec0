"""Rooms this process saw lately: a guess at each one's stored row, to save a read.

The process that serves a room has nearly always just seen its newest state: it
wrote it, or the room's broadcast brought it. So `rooms.submit` first tries the
row cached here and writes with the usual guard (`UPDATE … WHERE version =
cached`) instead of reading the row first. The database stays the only
authority: a stale guess (another process wrote, the room expired, a transaction
rolled back) matches no row, writes nothing, and the store reads the row and runs
the input again. A guess never answers anything on its own either: an input the
guess would refuse or ignore is re-run on a fresh read before anyone is told.

What is kept is committed data only: rows read outside a transaction, writes
made outside one, and states from broadcasts (sent after commit). A finished
room is not updated from broadcasts (its `finished_at` is set by the write,
which a broadcast does not carry); its next input simply reads.

A kept state is the same dict the store handed to its caller and to the room's
broadcast: nobody changes a state in place (the engine copies before it moves).
Bounded: the least recently used rooms are dropped past `LIMIT`. Rooms running
the same protocol share one copy of their step list, the bulk of a state.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace
from typing import TYPE_CHECKING

from sessions.engine.vocabulary import FINISHED

if TYPE_CHECKING:
    from sessions.store.hot_path import Row

# Rooms a process keeps a row for, above what one process serves at once
# (docs/benchmarks.md); a room past this costs one read on its next input.
LIMIT = 2048

# Step lists seen lately, one per distinct list (a protocol, the order its seed chose).
STEP_LISTS = 256

_rows: OrderedDict[str, Row] = OrderedDict()
_steps: dict[tuple, list] = {}
_lock = threading.Lock()


def _sharing_steps(row: Row) -> Row:
    """`row` with its state's step list replaced by an equal one already kept, if any."""
    steps = row.state.get("steps")
    if not isinstance(steps, list):
        return row
    key = tuple((step.get("kind"), step.get("title"), step.get("floor")) for step in steps)
    shared = _steps.get(key)
    if shared is None:
        if len(_steps) >= STEP_LISTS:
            _steps.clear()
        _steps[key] = steps
        return row
    if shared is steps or shared != steps:
        return row
    return replace(row, state={**row.state, "steps": shared})


def cached_row(code: str) -> Row | None:
    """The row this process last saw for the room, if any: a guess the write's guard checks."""
    with _lock:
        row = _rows.get(code)
        if row is not None:
            _rows.move_to_end(code)
        return row


def remember(code: str, row: Row) -> None:
    """Remember `row` unless a newer version of the room is already known."""
    with _lock:
        known = _rows.get(code)
        if known is not None and known.pk == row.pk and known.version > row.version:
            return
        if row.rid_version is not None:
            row = replace(row, rid_version=None)
        _rows[code] = _sharing_steps(row)
        _rows.move_to_end(code)
        while len(_rows) > LIMIT:
            _rows.popitem(last=False)


def remember_state(code: str, state: dict) -> None:
    """Update a room already cached here with a newer committed state (from its broadcast)."""
    with _lock:
        known = _rows.get(code)
        if known is None or state["version"] <= known.version:
            return
        if state["status"] in FINISHED:
            del _rows[code]
            return
        _rows[code] = _sharing_steps(replace(known, version=state["version"], state=state))


def forget(code: str) -> None:
    with _lock:
        _rows.pop(code, None)


def clear() -> None:
    with _lock:
        _rows.clear()
        _steps.clear()
