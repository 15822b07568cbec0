"""Real threads hitting one room at the same instant: nothing lost, nothing doubled.

Each test releases its threads together with a barrier, so they all load the same
version and race to write it. Runs against the SQLite file database by default and
against PostgreSQL when DATABASE_URL points at it (CI sets it).
"""

import threading
from collections import Counter

import pytest
from django.db import connections

from sessions.models import Event
from sessions.store import rooms
from tests.support.persistence import CHECKIN, INFO, started_session

pytestmark = pytest.mark.django_db(transaction=True)


def race(monkeypatch, *calls):
    """Run each call in its own thread, all released at once; return their results in order.

    Lockstep: every thread's first pass through the engine waits until all threads have
    loaded the room, so they all hold the same version when they write. The race is then
    certain, not a matter of thread scheduling, and exactly one of them wins it.
    """
    start = threading.Barrier(len(calls))
    loaded = threading.Barrier(len(calls))
    first_pass = threading.local()
    real_apply = rooms.apply_at

    def apply_in_lockstep(*args, **kwargs):
        if not getattr(first_pass, "done", False):
            first_pass.done = True
            loaded.wait(timeout=10)
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(rooms, "apply_at", apply_in_lockstep)
    results = [None] * len(calls)
    errors = []

    def run(i, call):
        try:
            start.wait(timeout=10)
            results[i] = call()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
            loaded.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert all(r is not None for r in results)
    return results


def _events(session):
    return list(Event.objects.filter(session=session).order_by("version"))


def _assert_log_is_whole(session, before_version, results):
    """Versions contiguous after `before_version`, one event per accepted change, none extra."""
    session.refresh_from_db()
    new_events = [e for e in _events(session) if e.version > before_version]
    versions = [e.version for e in new_events]
    assert versions == list(range(before_version + 1, session.version + 1))
    changed = [r for r in results if r.changed]
    assert len(new_events) == len(changed)
    assert len({r.version for r in changed}) == len(changed)
    return new_events


def test_both_partners_tapping_next_at_once_move_the_room_one_step(monkeypatch):
    session, _ = started_session()
    before = session.state["version"]
    conflicts_before = rooms.conflict_count()

    alex, sam = race(
        monkeypatch,
        lambda: rooms.submit(session.code, "a", "next", {"step": INFO}),
        lambda: rooms.submit(session.code, "b", "next", {"step": INFO}),
    )

    # Moving on needs both: each tap counts once, and together they move one step, not two.
    assert alex.accepted and sam.accepted
    events = _assert_log_is_whole(session, before, [alex, sam])
    assert [e.action for e in events] == ["next", "next"]
    assert sorted(e.actor for e in events) == ["a", "b"]
    assert session.state["index"] == CHECKIN
    assert rooms.conflict_count() > conflicts_before


def test_alex_and_sam_checking_in_at_the_same_instant_both_count(monkeypatch):
    session, _ = started_session()
    rooms.submit(session.code, "a", "next", {"step": INFO})
    rooms.submit(session.code, "b", "next", {"step": INFO})
    session.refresh_from_db()
    before = session.version
    conflicts_before = rooms.conflict_count()

    alex, sam = race(
        monkeypatch,
        lambda: rooms.submit(
            session.code, "a", "checkin", {"step": CHECKIN, "state": "safe", "intensity": 3}
        ),
        lambda: rooms.submit(
            session.code, "b", "checkin", {"step": CHECKIN, "state": "shutdown", "intensity": 6}
        ),
    )

    assert alex.accepted and sam.accepted
    events = _assert_log_is_whole(session, before, [alex, sam])
    assert sorted(e.actor for e in events) == ["a", "b"]
    answers = session.state["checkins"][str(CHECKIN)]
    assert answers["a"]["state"] == "safe"
    assert answers["b"]["state"] == "shutdown"
    # One of them lost the race for the version and went round again.
    assert rooms.conflict_count() > conflicts_before
    assert max(alex.conflicts, sam.conflicts) >= 1


def test_a_burst_of_inputs_from_ten_threads_leaves_a_gapless_ordered_log(monkeypatch):
    session, _ = started_session()
    before = session.version
    conflicts_before = rooms.conflict_count()
    # Connection flaps and pauses/readies from ten workers at once: some are refused
    # (already paused, not paused), every accepted one must be in the log exactly once.
    inputs = []
    for i in range(10):
        seat = "ab"[i % 2]
        if i < 4:
            inputs.append(("server", "presence", {"seat": seat, "connected": i % 3 == 0}))
        elif i < 6:
            inputs.append((seat, "pause", {}))
        else:
            inputs.append((seat, "ready", {}))

    results = race(
        monkeypatch,
        *[
            (
                lambda a=actor, n=action, g=args, i=i: rooms.submit(
                    session.code, a, n, g, rid=f"t{i}"
                )
            )
            for i, (actor, action, args) in enumerate(inputs)
        ],
    )

    events = _assert_log_is_whole(session, before, results)
    assert sorted(e.rid for e in events) == sorted(
        f"t{i}" for i, r in enumerate(results) if r.changed
    )
    assert any(r.changed for r in results)
    assert rooms.conflict_count() > conflicts_before


def test_ten_copies_of_one_retried_frame_land_once(monkeypatch):
    session, _ = started_session()
    before = session.version

    results = race(
        monkeypatch,
        *[
            (lambda: rooms.submit(session.code, "a", "next", {"step": INFO}, rid="same-frame"))
            for _ in range(10)
        ],
    )

    assert all(r.accepted for r in results)
    assert Counter(r.duplicate for r in results) == Counter({True: 9, False: 1})
    events = _assert_log_is_whole(session, before, results)
    assert [e.rid for e in events] == ["same-frame"]
