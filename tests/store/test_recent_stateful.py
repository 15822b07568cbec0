"""Whatever two processes guess about a room, every input lands as if it had read the row.

`rooms.submit` runs an input first against this process's guess at the room's row
(`sessions/store/recent.py`) and lets the version guard, not the guess, decide. The example
tests in `tests/store/test_recent.py` make the guess stale in the ways we thought of;
this one lets hypothesis make it stale in every order it likes. Two rooms start
identical: room G is driven from two simulated server processes, each with its own
guess table that broadcasts, forgetting and deliberately old rows keep moving, while
room R gets the same inputs at the same clock with no guess at all. Every answer, the
stored state and the event log must come out the same, so a guess never decides.
"""

from collections import OrderedDict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions.models import CoupleSession, Event
from sessions.store import recent, rooms
from tests.support.persistence import started_session

pytestmark = pytest.mark.django_db(transaction=True)  # guesses are only used outside one

FEELINGS = ("safe", "mobilized", "shutdown")
RIDS = (None, None, "r1", "r2", "r3")
# Clock moves in ms: same moment, a tap later, past the breathing round (3 s lead-in +
# one 2 s cycle), past a partner's 15 s grace period.
JUMPS = (0, 1, 400, 2_500, 6_000, 16_000)
LOG_FIELDS = ("version", "actor", "action", "args", "events", "rid")


def _input(data, step):
    """(actor, action, args): valid and invalid inputs for the tiny protocol."""
    s = data.draw(st.sampled_from([step, step, step, step - 1, step + 1]), label="step")
    person = data.draw(st.sampled_from(["a", "b"]), label="actor")
    kind = data.draw(
        st.sampled_from(
            ["next"] * 4
            + ["checkin"] * 4
            + ["pause", "pause", "ready", "ready", "ready", "sit_out", "done", "tick"]
            + ["presence", "presence", "end", "start", "dance", "next_no_args"]
        ),
        label="action",
    )
    if kind == "checkin":
        feeling = data.draw(st.sampled_from(FEELINGS), label="feeling")
        intensity = data.draw(st.integers(0, 10), label="intensity")
        return person, "checkin", {"step": s, "state": feeling, "intensity": intensity}
    if kind in ("next", "sit_out", "done"):
        return person, kind, {"step": s}
    if kind == "pause":
        return person, "pause", data.draw(st.sampled_from([{}, {"reason": "flooding"}]))
    if kind == "tick":
        return data.draw(st.sampled_from(["server", person]), label="ticker"), "tick", {}
    if kind == "presence":
        seat = data.draw(st.sampled_from(["a", "b"]), label="seat")
        connected = data.draw(st.booleans(), label="connected")
        return "server", "presence", {"seat": seat, "connected": connected}
    if kind == "next_no_args":
        return person, "next", {}
    return person, kind, {}


def _twin_rooms():
    """Two rooms the engine cannot tell apart: the second gets the first one's row."""
    guessed, _ = started_session()
    reference, _ = started_session()
    CoupleSession.objects.filter(pk=reference.pk).update(
        state=guessed.state,
        version=guessed.version,
        status=guessed.status,
        expires_at=guessed.expires_at,
        finished_at=guessed.finished_at,
    )
    assert reference.version == guessed.version  # so both logs run 1..N
    recent.forget(guessed.code)
    recent.forget(reference.code)
    return guessed, CoupleSession.objects.get(pk=reference.pk)


def _log(room, after):
    events = Event.objects.filter(session=room, version__gt=after).order_by("version")
    return list(events.values_list(*LOG_FIELDS))


def _answer(result):
    fields = ("accepted", "changed", "duplicate", "code", "message", "version", "state")
    return {field: getattr(result, field) for field in fields}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_whatever_two_processes_guess_every_input_lands_as_if_read_fresh(data):
    real_rows, real_steps = recent._rows, recent._steps
    tables = [(OrderedDict(), {}), (OrderedDict(), {})]  # process 1, process 2

    def as_process(p):
        recent._rows, recent._steps = tables[p]

    try:
        recent._rows, recent._steps = OrderedDict(), {}
        g, r = _twin_rooms()
        start = g.version
        now = rooms.now_ms()
        committed = [g.state]  # G's states, oldest first: what broadcasts may carry
        seen = []  # every row either process ever held for G: old ones come back
        step = g.state["index"]
        for _ in range(data.draw(st.integers(1, 30), label="length")):
            p = data.draw(st.sampled_from([0, 1]), label="process")
            what = data.draw(
                st.sampled_from(["input"] * 5 + ["broadcast", "forget", "old_row"]), label="do"
            )
            as_process(p)
            if what == "broadcast":
                recent.remember_state(
                    g.code, data.draw(st.sampled_from(committed[-3:]), label="state")
                )
            elif what == "forget":
                recent.forget(g.code)
            elif what == "old_row" and seen:
                recent.forget(g.code)
                recent.remember(g.code, data.draw(st.sampled_from(seen), label="old"))
            elif what == "input":
                actor, action, args = _input(data, step)
                rid = data.draw(st.sampled_from(RIDS), label="rid")
                now += data.draw(st.sampled_from(JUMPS), label="jump")
                ours = rooms.submit(g.code, actor, action, dict(args), rid=rid, now=now)
                recent._rows, recent._steps = OrderedDict(), {}  # R: no guess, ever
                recent.forget(r.code)
                theirs = rooms.submit(r.code, actor, action, dict(args), rid=rid, now=now)
                as_process(p)
                assert _answer(ours) == _answer(theirs), (actor, action, args, rid)
                if ours.changed:
                    committed.append(ours.state)
                step = theirs.state["index"]
            held = recent._rows.get(g.code)
            if held is not None and all(held is not row for row in seen):
                seen.append(held)

        g_row = CoupleSession.objects.get(pk=g.pk)
        r_row = CoupleSession.objects.get(pk=r.pk)
        assert (g_row.state, g_row.version, g_row.status) == (
            r_row.state,
            r_row.version,
            r_row.status,
        )
        assert _log(g, start) == _log(r, start)
        for room, row in ((g, g_row), (r, r_row)):
            versions = list(Event.objects.filter(session=room).values_list("version", flat=True))
            assert versions == list(range(1, row.version + 1))
    finally:
        recent._rows, recent._steps = real_rows, real_steps
