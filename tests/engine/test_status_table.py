"""Every cell of the status × action table in docs/engine.md, checked against the engine.

Each action is sent by the person who would be allowed to send it on a step where it makes
sense, so the only thing that varies along a row is the session's status. ``changes`` means
accepted with a new version; ``no-op`` means accepted with nothing changed; anything else is
the rejection code.
"""

import pytest

from sessions.engine import Accepted, Rejected, apply
from tests.engine.helpers import (
    BREATHE,
    CHECKIN,
    INFO,
    REFLECT_A,
    SPEAK_A,
    feeling,
    here,
    room_and_time,
    run,
)

STATUSES = ("waiting", "active", "paused", "completed", "ended")

# action: (actor, step the room is on, how to aim the args at the room)
SENDERS = {
    "start": ("host", INFO, lambda s: {}),
    "checkin": ("a", CHECKIN, lambda s: here(s, **feeling())),
    "done": ("a", SPEAK_A, here),
    "answer": ("a", REFLECT_A, lambda s: here(s, value="yes")),
    "next": ("b", INFO, here),
    "not_yet": ("a", INFO, here),
    "sit_out": ("b", BREATHE, here),
    "skip": ("host", CHECKIN, here),
    "back": ("host", CHECKIN, here),
    "pause": ("b", INFO, lambda s: {"reason": "flooding"}),
    "ready": ("a", INFO, lambda s: {}),
    "end": ("a", INFO, lambda s: {}),
    "let_in": ("a", INFO, lambda s: {"id": "k1", "answer": "yes"}),
    "say": ("host", INFO, lambda s: {"text": "Take your time. I'm here."}),
    # The counselor overrides whoever has not said ready (Sam, once Alex has).
    "resume": ("host", INFO, lambda s: {"override": _not_ready(s)}),
    "tick": ("server", SPEAK_A, lambda s: {}),
    "presence": ("server", INFO, lambda s: {"seat": "b", "connected": False}),
    "seat": ("server", INFO, lambda s: {"seat": "b", "claimed": False}),
    "knock": ("server", INFO, lambda s: {"seat": "b", "id": "k2"}),
    "forget": ("server", INFO, lambda s: {"seat": "a"}),
    # A paced workshop room (Dana facilitates): a hand, the group's pace, the group's timer.
    "raise_hand": ("a", INFO, lambda s: {}),
    "lower_hand": ("host", INFO, lambda s: {}),
    "pace": ("host", INFO, lambda s: {"step": CHECKIN}),
    "group_timer": ("host", INFO, lambda s: {"seconds": 300}),
}
WORKSHOP_ACTIONS = ("raise_hand", "lower_hand", "pace", "group_timer")


def _not_ready(state: dict) -> list[str]:
    ready = state["pause"]["ready"] if state["pause"] else ["a"]
    return [seat for seat in ("a", "b") if seat not in ready]


#            waiting        active        paused            completed   ended
TABLE = {
    "start": ("changes", "not_now", "not_now", "finished", "finished"),
    "checkin": ("not_started", "changes", "paused", "finished", "finished"),
    "done": ("not_started", "changes", "paused", "finished", "finished"),
    "answer": ("not_started", "changes", "paused", "finished", "finished"),
    "next": ("not_started", "changes", "paused", "finished", "finished"),
    "not_yet": ("not_started", "changes", "paused", "finished", "finished"),
    "sit_out": ("not_started", "changes", "paused", "finished", "finished"),
    "skip": ("not_started", "changes", "paused", "finished", "finished"),
    "back": ("not_started", "changes", "paused", "finished", "finished"),
    "pause": ("not_started", "changes", "already_paused", "finished", "finished"),
    "ready": ("not_started", "not_paused", "changes", "finished", "finished"),
    "end": ("changes", "changes", "changes", "finished", "finished"),
    "let_in": ("changes", "changes", "changes", "finished", "finished"),
    "say": ("changes", "changes", "changes", "finished", "finished"),
    "resume": ("not_started", "not_paused", "changes", "finished", "finished"),
    "tick": ("no-op", "changes", "no-op", "no-op", "no-op"),
    "presence": ("changes", "changes", "changes", "changes", "changes"),
    "seat": ("changes", "changes", "changes", "changes", "changes"),
    "knock": ("changes", "changes", "changes", "not_now", "not_now"),
    "forget": ("not_now", "not_now", "not_now", "changes", "changes"),
    "raise_hand": ("changes", "changes", "changes", "finished", "finished"),
    "lower_hand": ("changes", "changes", "changes", "finished", "finished"),
    "pace": ("changes", "changes", "changes", "finished", "finished"),
    "group_timer": ("changes", "changes", "changes", "finished", "finished"),
}

CELLS = [
    (status, action, TABLE[action][column])
    for action in TABLE
    for column, status in enumerate(STATUSES)
]


def room(status: str, index: int, action: str) -> tuple[dict, int]:
    """A hosted room in ``status``, on step ``index``; the reflect one waits for an answer,
    the room for ``not_yet`` has Alex's ``next``, the one for ``let_in`` a knock on Sam's seat;
    a workshop action's room is a paced workshop room (with Alex's hand up for ``lower_hand``)
    whose group is on the last step (its gate never stops the walk); for ``pace`` the group
    is on the first step, so ``pace`` to the check-in raises its gate (``to`` only rises)."""
    workshop = {"paced": True} if action in WORKSHOP_ACTIONS else None
    if action == "pace" and status != "completed":  # a completed room walked every step
        workshop = {"paced": True, "to": INFO}
    if status in ("waiting", "completed"):
        state, now = room_and_time(status, hosted=True, workshop=workshop)
        if action == "let_in" and status == "waiting":
            state = run(state, "server", "knock", {"seat": "b", "id": "k1"}, now)
        if action == "lower_hand" and status == "waiting":
            state = run(state, "a", "raise_hand", {}, now)
        return state, now
    state, now = room_and_time("active", hosted=True, index=index, workshop=workshop)
    if action == "lower_hand":
        state = run(state, "a", "raise_hand", {}, now)
    if action == "answer":
        state = run(state, "b", "done", here(state), now)
    if action == "not_yet":
        state = run(state, "a", "next", here(state), now)
    if action == "let_in":
        state = run(state, "server", "knock", {"seat": "b", "id": "k1"}, now)
    if status == "paused":
        state = run(state, "a", "pause", {}, now)
        if action == "resume":
            state = run(state, "a", "ready", {}, now)
    elif status == "ended":
        state = run(state, "a", "end", {}, now)
    return state, now


def test_the_table_names_every_action_and_every_status():
    from sessions.engine.actions import ALL_ACTIONS

    assert set(TABLE) == set(ALL_ACTIONS) == set(SENDERS)
    assert all(len(row) == len(STATUSES) for row in TABLE.values())


@pytest.mark.parametrize(("status", "action", "expected"), CELLS)
def test_status_by_action(status, action, expected):
    actor, index, aim = SENDERS[action]
    state, now = room(status, index, action)
    assert state["status"] == status
    # Ticks come late enough for the turn's soft limit to be due in an active room.
    when = now + 10**6 if action == "tick" else now
    result = apply(state, actor, action, aim(state), when)
    if expected == "changes":
        assert isinstance(result, Accepted), result
        assert result.state["version"] == state["version"] + 1
        assert result.events
    elif expected == "no-op":
        assert isinstance(result, Accepted), result
        assert result.state == state
        assert result.events == ()
    else:
        assert isinstance(result, Rejected), f"expected {expected}, got {result}"
        assert result.code == expected


# Who may send what, in a hosted room where the action otherwise fits (start: waiting;
# ready: paused; everything else: active).
#                a                 b                 host              server
ROLES = {
    "start": ("host_only", "host_only", "changes", "unknown_action"),
    "checkin": ("changes", "changes", "partners_only", "unknown_action"),
    "done": ("changes", "not_your_turn", "not_your_turn", "unknown_action"),
    "answer": ("changes", "not_your_turn", "not_your_turn", "unknown_action"),
    "next": ("changes", "changes", "changes", "unknown_action"),
    # Alex has tapped next, Sam has not: Sam's not_yet has nothing to take back.
    "not_yet": ("changes", "no-op", "partners_only", "unknown_action"),
    "sit_out": ("changes", "changes", "partners_only", "unknown_action"),
    "skip": ("host_only", "host_only", "changes", "unknown_action"),
    "back": ("host_only", "host_only", "changes", "unknown_action"),
    "pause": ("changes", "changes", "changes", "unknown_action"),
    "ready": ("changes", "changes", "partners_only", "unknown_action"),
    "end": ("changes", "changes", "changes", "unknown_action"),
    # Someone knocked on Sam's seat: Alex or the counselor answers, never Sam's seat itself.
    "let_in": ("changes", "not_your_turn", "changes", "unknown_action"),
    # Paused, Alex ready: only the counselor writes to the couple or resumes for both.
    "say": ("host_only", "host_only", "changes", "unknown_action"),
    "resume": ("host_only", "host_only", "changes", "unknown_action"),
    "tick": ("unknown_action", "unknown_action", "unknown_action", "changes"),
    "presence": ("unknown_action", "unknown_action", "unknown_action", "changes"),
    "seat": ("unknown_action", "unknown_action", "unknown_action", "changes"),
    "knock": ("unknown_action", "unknown_action", "unknown_action", "changes"),
    "forget": ("unknown_action", "unknown_action", "unknown_action", "changes"),
    "raise_hand": ("changes", "changes", "partners_only", "unknown_action"),
    # Alex's hand is up: only the facilitator lowers it, paces the group or sets its timer.
    "lower_hand": ("host_only", "host_only", "changes", "unknown_action"),
    "pace": ("host_only", "host_only", "changes", "unknown_action"),
    "group_timer": ("host_only", "host_only", "changes", "unknown_action"),
}
ROLE_CELLS = [
    (actor, action, ROLES[action][column])
    for action in ROLES
    for column, actor in enumerate(("a", "b", "host", "server"))
]
HOME_STATUS = {
    "start": "waiting",
    "ready": "paused",
    "say": "paused",
    "resume": "paused",
    "forget": "completed",
}


@pytest.mark.parametrize(("actor", "action", "expected"), ROLE_CELLS)
def test_actor_by_action(actor, action, expected):
    _, index, aim = SENDERS[action]
    state, now = room(HOME_STATUS.get(action, "active"), index, action)
    when = now + 10**6 if action == "tick" else now
    result = apply(state, actor, action, aim(state), when)
    if expected == "changes":
        assert isinstance(result, Accepted), result
        assert result.state["version"] == state["version"] + 1
    elif expected == "no-op":
        assert isinstance(result, Accepted), result
        assert result.state == state
    else:
        assert isinstance(result, Rejected), f"expected {expected}, got {result}"
        assert result.code == expected
