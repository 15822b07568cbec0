"""The only place a session's state is written.

Every input goes: load the row → run it through the pure engine → write the new
snapshot and its event rows in one transaction guarded by
`UPDATE … WHERE version = expected`. If another process wrote first, nothing of
ours lands; we reload and run the input again against the newer state, so two
concurrent inputs end as two ordered events or one accepted and one rejected,
never a lost or doubled update. Callers broadcast only after `submit` returns,
i.e. after the commit.

The load is skipped when this process has just seen the room (`sessions/store/recent.py`):
the guard then checks the guess, and a stale one costs a read and a second run.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field, replace

from django.db import IntegrityError, connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from sessions.engine import Rejected, apply_at
from sessions.engine.vocabulary import ACTORS, FINISHED, PARTNERS, SERVER
from sessions.models import CoupleSession, Event
from sessions.store import hot_path, recent
from sessions.store.retention import expires_at_for

MAX_ATTEMPTS = 20
MAX_RID_LENGTH = 64

BUSY = gettext_noop("A lot happened at once and this did not go through. Try again.")


class SessionNotFound(LookupError):
    """No session with this code, or it has expired (an expired session is gone)."""


@dataclass(frozen=True)
class StoreResult:
    accepted: bool
    # True when the stored state changed (the caller should broadcast `state`).
    changed: bool
    # True when `rid` was already logged: a retried frame, answered without re-applying it;
    # `version` is then the one that frame produced the first time (what its ack said).
    duplicate: bool
    state: dict
    version: int
    code: str | None = None
    message: str | None = None
    # Version conflicts this call lost and retried after (see `conflict_count`).
    conflicts: int = 0
    # The engine's refusal itself, so a socket can word it in its person's language
    # (`refusal.worded(words)`); `message` is its English.
    refusal: Rejected | None = field(default=None, compare=False)


class _Counter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value = 0

    def add(self, n: int = 1) -> None:
        with self._lock:
            self.value += n


_conflicts = _Counter()


def conflict_count() -> int:
    """Version conflicts lost by any submit in this process since start (for tests, metrics)."""
    return _conflicts.value


def now_ms() -> int:
    """The server's clock in epoch milliseconds: what the engine, the leases and the wire use."""
    return time.time_ns() // 1_000_000


def get_session(code: str) -> CoupleSession:
    return _live_row(code, CoupleSession.objects.all())


def _live_row(code: str, rows: QuerySet) -> CoupleSession:
    if not isinstance(code, str) or not code:
        raise SessionNotFound("no session code given")
    try:
        return rows.live().get(code=code)
    except CoupleSession.DoesNotExist:
        raise SessionNotFound(f"no live session with code {code[:6]}…") from None


def _row_for_submit(code: str, actor: str | None, rid: str | None) -> hot_path.Row:
    """The row an input runs against, and the version `actor`'s `rid` produced before, in one
    query."""
    if not isinstance(code, str) or not code:
        raise SessionNotFound("no session code given")
    row = hot_path.read(code, actor, rid)
    if row is None:
        recent.forget(code)
        raise SessionNotFound(f"no live session with code {code[:6]}…")
    if not connection.in_atomic_block:  # committed, so safe to guess from
        recent.remember(code, row)
    return row


def _guessed_row(code: str) -> hot_path.Row | None:
    """This process's latest sight of the room (`sessions/store/recent.py`), outside transactions.

    Inside a caller's transaction a write may still roll back, so nothing is guessed.
    """
    if connection.in_atomic_block or not isinstance(code, str):
        return None
    return recent.cached_row(code)


def load_state(code: str) -> dict:
    return _row_for_submit(code, None, None).state


def submit(
    code: str,
    actor: str,
    action: str,
    args: dict | None = None,
    *,
    rid: str | None = None,
    now: int | None = None,
) -> StoreResult:
    """Apply one input to the session `code` and persist it; see the module docstring."""
    args = {} if args is None else args
    _check_input(actor, action, args, rid, now)
    conflicts = 0
    guessed = _guessed_row(code)
    for attempt in range(MAX_ATTEMPTS):
        row = guessed or _row_for_submit(code, actor, rid)
        if rid is not None and row.rid_version is not None:
            return _duplicate(row, conflicts)
        at = now if now is not None else now_ms()
        log, state, outcome = _run(row.state, actor, action, args, rid, at)
        if guessed and not _input_logged(log, outcome, actor, action):
            # Refused or ignored on a guess (perhaps with an overdue tick to write): ask
            # the database first. A guess cannot know a retried rid, nor be trusted to refuse.
            guessed = None
            continue
        if not log:
            # A rejection or a no-op (and no overdue tick): nothing to write.
            return _unchanged(row, outcome, conflicts)
        try:
            written = _write(row, state, log)
        except IntegrityError:
            # The rid is logged already: by another process since our read, or before a
            # guess that cannot know it (`recent` keeps no rids).
            if rid is not None:
                row = _row_for_submit(code, actor, rid)
                if row.rid_version is not None:
                    return _duplicate(row, conflicts)
            raise
        if written:
            if not connection.in_atomic_block:
                recent.remember(code, written)
            return StoreResult(
                accepted=outcome is None,
                changed=True,
                duplicate=False,
                state=state,
                version=state["version"],
                code=outcome and outcome.code,
                message=outcome and outcome.message,
                conflicts=conflicts,
                refusal=outcome,
            )
        conflicts += 1
        _conflicts.add()
        if guessed:  # the guess was stale: read the row now, no need to back off
            guessed = None
            continue
        time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
    # Worded again for its reader by ``Rejected.worded(words)`` (the template is marked here).
    busy = Rejected("busy", BUSY, template=BUSY)
    return _unchanged(_row_for_submit(code, None, None), busy, conflicts)


def _input_logged(log: list, outcome: Rejected | None, actor: str, action: str) -> bool:
    """Whether the input itself was accepted and changed the room (not just a tick before it)."""
    return outcome is None and bool(log) and log[-1][:2] == (actor, action)


def _run(state, actor, action, args, rid, at):
    """Run the input through the engine at `at`, time passing first (`engine.apply_at`).

    Returns (log entries to write, resulting state, rejection or None). An overdue
    tick is logged as its own server event before the input, and is kept even when
    the input itself is then rejected (it is true either way).
    """
    log = []
    ticked, result = apply_at(state, actor, action, args, at)
    if ticked.state["version"] != state["version"]:
        log.append((SERVER, "tick", {}, ticked.events, None, ticked.state["version"]))
        state = ticked.state
    if isinstance(result, Rejected):
        return log, state, result
    if result.state["version"] != state["version"]:
        log.append((actor, action, args, result.events, rid, result.state["version"]))
        state = result.state
    return log, state, None


def _write(row: hot_path.Row, state: dict, log: list) -> hot_path.Row | None:
    """Write snapshot + events if nobody else wrote since we loaded `row`.

    Returns the row as written, or None on a conflict (or a room gone meanwhile).
    """
    wall = timezone.now()
    finished_at = row.finished_at
    if state["status"] in FINISHED and finished_at is None:
        finished_at = wall
    expires_at = expires_at_for(
        state["status"], created_at=row.created_at, finished_at=finished_at, kept=row.kept
    )
    if not hot_path.write(row, state, finished_at, expires_at, log, wall):
        return None
    return replace(
        row, version=state["version"], state=state, finished_at=finished_at, rid_version=None
    )


def _unchanged(row: hot_path.Row, refusal: Rejected | None, conflicts: int) -> StoreResult:
    """Nothing written: a no-op (accepted) or a refusal, answered with the stored state."""
    return StoreResult(
        accepted=refusal is None,
        changed=False,
        duplicate=False,
        state=row.state,
        version=row.version,
        code=refusal and refusal.code,
        message=refusal and refusal.message,
        conflicts=conflicts,
        refusal=refusal,
    )


def _duplicate(row: hot_path.Row, conflicts: int) -> StoreResult:
    """A retried frame gets the same answer as the first time: the version it produced."""
    return StoreResult(
        accepted=True,
        changed=False,
        duplicate=True,
        state=row.state,
        version=row.rid_version,
        conflicts=conflicts,
    )


def _check_input(actor, action, args, rid, now) -> None:
    """Programming errors from callers; browsers' frames are validated before they get here."""
    if actor not in ACTORS:
        raise ValueError(f"actor must be one of {sorted(ACTORS)}; got {actor!r}")
    if not isinstance(action, str) or not action:
        raise ValueError(f"action must be a non-empty string; got {action!r}")
    if not isinstance(args, dict):
        raise ValueError(f"args must be a dict; got {type(args).__name__}")
    if rid is not None and (not isinstance(rid, str) or not 0 < len(rid) <= MAX_RID_LENGTH):
        raise ValueError(f"rid must be a string of 1 to {MAX_RID_LENGTH} characters; got {rid!r}")
    if now is not None and (not isinstance(now, int) or isinstance(now, bool)):
        raise ValueError(f"now must be epoch milliseconds as an int; got {now!r}")


def scrub_seat(code: str, seat: str) -> int:
    """Remove what one partner gave from the session's event log; returns the rows changed.

    After the engine's ``forget`` (the state no longer holds their name or answers), the
    log must not keep them either: each of their ``checkin`` inputs keeps only the step it
    was for, and each ``seat`` input for their seat loses the name. The events the engine
    produced never carry an answer or a name, so they stay as they are (they are what the
    summary counts). An unknown session scrubs nothing.
    """
    if seat not in PARTNERS:
        raise ValueError(f"seat must be 'a' or 'b'; got {seat!r}")
    rows = Event.objects.filter(session__code=code)
    changed = []
    for row in rows.filter(actor=seat, action="checkin"):
        kept = {key: row.args[key] for key in ("step",) if key in row.args}
        if kept != row.args:
            row.args = kept
            changed.append(row)
    for row in rows.filter(actor=SERVER, action="seat"):
        if row.args.get("seat") == seat and row.args.get("name") is not None:
            row.args = {**row.args, "name": None}
            changed.append(row)
    Event.objects.bulk_update(changed, ["args"])
    return len(changed)
