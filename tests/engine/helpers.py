"""Builders shared by the engine example tests and the status table.

Keep these stable: other test modules import them. Times are epoch milliseconds; ``T0`` is an
arbitrary moment that is far from zero so "0" can never be mistaken for a real time.
"""

from __future__ import annotations

import copy

from sessions.engine import Accepted, Rejected, apply, new_state
from tests.support.personas import NAMES
from tests.support.protocols import short_protocol

T0 = 1_800_000_000_000

# Indices of the steps of ``short_protocol()`` once expanded (first speaker "a").
INFO, CHECKIN, BREATHE, SPEAK_A, REFLECT_A, SPEAK_B, REFLECT_B = range(7)


def new_room(
    protocol: dict | None = None,
    *,
    hosted: bool = False,
    seed: int = 7,
    now: int = T0,
    settings: dict | None = None,
    workshop: dict | None = None,
) -> dict:
    """A waiting session nobody has joined yet (one couple's room in a workshop, when
    ``workshop`` is given: ``{"paced": True}``)."""
    return new_state(
        protocol or short_protocol(),
        seed=seed,
        now=now,
        hosted=hosted,
        host_name="Dr. Rivera" if hosted else None,
        settings=settings,
        workshop=workshop,
    )


def apply_ok(
    state: dict, actor: str, action: str, args: dict | None = None, now: int = T0
) -> Accepted:
    """Apply an input that must be accepted; fails the test with the refusal otherwise."""
    before = copy.deepcopy(state)
    result = apply(state, actor, action, args or {}, now)
    assert state == before, "apply must not modify its input"
    assert isinstance(result, Accepted), f"{actor} {action} {args} refused: {result}"
    return result


def apply_refused(
    state: dict, actor: str, action: str, args: dict | None = None, now: int = T0
) -> Rejected:
    """Apply an input that must be refused (and change nothing)."""
    before = copy.deepcopy(state)
    result = apply(state, actor, action, args or {}, now)
    assert state == before, "apply must not modify its input"
    assert isinstance(result, Rejected), f"{actor} {action} {args} was accepted"
    return result


def code_of(state: dict, actor: str, action: str, args: dict | None = None, now: int = T0) -> str:
    return apply_refused(state, actor, action, args, now).code


def run(state: dict, actor: str, action: str, args: dict | None = None, now: int = T0) -> dict:
    """The state after an input that must be accepted."""
    return apply_ok(state, actor, action, args, now).state


def here(room: dict, /, **extra) -> dict:
    """Args aimed at the room's current step (and reflect phase)."""
    args = {"step": room["index"]}
    if room["phase"] is not None:
        args["phase"] = room["phase"]
    args.update(extra)
    return args


def feeling(state_name: str = "safe", intensity: int = 3, word: str | None = None) -> dict:
    answer = {"state": state_name, "intensity": intensity}
    if word is not None:
        answer["word"] = word
    return answer


def seated_room(
    protocol: dict | None = None, *, hosted: bool = False, now: int = T0, **kwargs
) -> dict:
    """A waiting session with Alex and Sam seated and connected (and the host, if any)."""
    state = new_room(protocol, hosted=hosted, now=now, **kwargs)
    for seat in ("a", "b"):
        state = run(
            state, "server", "seat", {"seat": seat, "name": NAMES[seat], "claimed": True}, now
        )
        state = run(state, "server", "presence", {"seat": seat, "connected": True}, now)
    if hosted:
        state = run(state, "server", "presence", {"seat": "host", "connected": True}, now)
    return state


def workshop_room(*, paced: bool = True, to: int = 0, now: int = T0) -> dict:
    """Alex and Sam seated at their table in Dana's workshop (waiting, Dana connected), the
    group on step ``to``."""
    state = new_state(
        short_protocol(),
        seed=7,
        now=now,
        hosted=True,
        host_name="Dana",
        workshop={"paced": paced, "to": to},
    )
    for seat in ("a", "b"):
        state = run(
            state, "server", "seat", {"seat": seat, "name": NAMES[seat], "claimed": True}, now
        )
        state = run(state, "server", "presence", {"seat": seat, "connected": True}, now)
    return run(state, "server", "presence", {"seat": "host", "connected": True}, now)


def started_room(
    protocol: dict | None = None, *, hosted: bool = False, now: int = T0, **kwargs
) -> dict:
    """An active session on its first step."""
    state = seated_room(protocol, hosted=hosted, now=now, **kwargs)
    return run(state, "host" if hosted else "a", "start", {}, now)


def both_next(state: dict, now: int = T0, first: str = "a") -> dict:
    """Both partners tap ``next`` (``first`` taps first): the step moves on together."""
    second = "b" if first == "a" else "a"
    args = here(state)
    state = run(state, first, "next", args, now)
    return run(state, second, "next", args, now)


def finish_step(state: dict, now: int = T0) -> tuple[dict, int]:
    """Play the current step to its end the way the partners would; returns (state, now)."""
    kind = state["steps"][state["index"]]["kind"]
    floor = state["steps"][state["index"]]["floor"]
    if kind == "info":
        return both_next(state, now), now
    if kind == "checkin":
        state = run(state, "a", "checkin", here(state, **feeling()), now)
        state = run(state, "b", "checkin", here(state, **feeling("mobilized", 6)), now)
        return both_next(state, now), now
    if kind == "breathe":
        now = state["deadline"]
        return run(state, "server", "tick", {}, now), now
    if kind == "speak":
        return run(state, floor, "done", here(state), now), now
    listener = "b" if floor == "a" else "a"
    state = run(state, listener, "done", here(state), now)
    state = run(state, floor, "answer", here(state, value="yes"), now)
    state = run(state, listener, "done", here(state), now)
    return run(state, listener, "done", here(state), now), now


def walk_to(state: dict, index: int, now: int = T0) -> tuple[dict, int]:
    """Play steps until the room is on step ``index`` (past the last: completed).

    Returns (state, now): breathing steps move the clock on to their end."""
    while state["status"] == "active" and state["index"] < index:
        state, now = finish_step(state, now)
    return state, now


def room_in(
    status: str,
    protocol: dict | None = None,
    *,
    hosted: bool = False,
    index: int = 0,
    now: int = T0,
    workshop: dict | None = None,
) -> dict:
    """A session in ``status`` (on step ``index`` for active and paused ones)."""
    return room_and_time(status, protocol, hosted=hosted, index=index, now=now, workshop=workshop)[
        0
    ]


def room_and_time(
    status: str,
    protocol: dict | None = None,
    *,
    hosted: bool = False,
    index: int = 0,
    now: int = T0,
    workshop: dict | None = None,
) -> tuple[dict, int]:
    """Like ``room_in``, with the time the room got there (breathing steps take time).

    A paced workshop room is built with the group already on the last step, so its gate
    never stops the walk."""
    if workshop is not None and workshop.get("paced"):
        workshop = {"to": len(new_room(protocol)["steps"]) - 1, **workshop}
    if status == "waiting":
        return seated_room(protocol, hosted=hosted, now=now, workshop=workshop), now
    state = started_room(protocol, hosted=hosted, now=now, workshop=workshop)
    state, now = walk_to(state, index, now)
    if status == "active":
        return state, now
    if status == "paused":
        return run(state, "a", "pause", {"reason": "need_a_moment"}, now), now
    if status == "ended":
        return run(state, "a", "end", {}, now), now
    if status == "completed":
        state, now = walk_to(state, len(state["steps"]), now)
        assert state["status"] == "completed"
        return state, now
    raise ValueError(f"unknown status {status!r}")
