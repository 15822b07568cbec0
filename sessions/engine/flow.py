"""Entering, leaving and finishing steps.

Every step is entered fresh (a reflect from ``mirror``, a check-in with blank answers, no one
resting, nobody moving on yet, new clocks), whether the room got there by finishing the previous step, by a skip or
by going back. Moving past the last step completes the session. In a paced workshop room a
step the room finishes by itself may end at the facilitator's gate: the room is then held on
it (see ``workshop``) instead of entering the next one.
"""

from types import SimpleNamespace

from .events import EventType
from .message import clear_message
from .steps import breathe, checkin, info, reflect, soft_limit, speak
from .vocabulary import COMPLETED, PARTNERS
from .workshop import clear_when_finished, gate_closed, hold, release


def _nothing(state: dict, step: dict, now: int) -> None:
    """Steps without a clock have nothing to freeze or thaw."""


KINDS = {
    "info": SimpleNamespace(enter=info.enter, freeze=_nothing, thaw=_nothing, expire=None),
    "checkin": SimpleNamespace(enter=checkin.enter, freeze=_nothing, thaw=_nothing, expire=None),
    "breathe": SimpleNamespace(
        enter=breathe.enter, freeze=breathe.freeze, thaw=breathe.thaw, expire=breathe.expire
    ),
    "speak": SimpleNamespace(
        enter=speak.enter,
        freeze=soft_limit.freeze,
        thaw=soft_limit.thaw,
        expire=soft_limit.expire,
    ),
    "reflect": SimpleNamespace(
        enter=reflect.enter,
        freeze=soft_limit.freeze,
        thaw=soft_limit.thaw,
        expire=soft_limit.expire,
    ),
}


def current_step(state: dict) -> dict:
    return state["steps"][state["index"]]


def clear_clocks(state: dict) -> None:
    state["phase"] = None
    state["deadline"] = None
    state["remaining"] = None
    state["over_time"] = False
    state["breathing"] = None


def enter_step(state: dict, index: int, now: int) -> list:
    """Go to step ``index`` (or complete the session when it is past the last step)."""
    clear_clocks(state)
    state["moving_on"] = []
    release(state)
    for seat in PARTNERS:
        state["seats"][seat]["resting"] = False
    if index >= len(state["steps"]):
        # The room stays on its last step so every view still has a step to show.
        state["status"] = COMPLETED
        state["knock"] = None  # nobody can answer it any more
        clear_message(state)
        clear_when_finished(state)
        return [{"type": EventType.COMPLETED}]
    state["index"] = index
    step = current_step(state)
    KINDS[step["kind"]].enter(state, step, now)
    return [{"type": EventType.STEP_STARTED, "index": index, "kind": step["kind"]}]


def advance(state: dict, now: int, gated: bool = True) -> list:
    """Move on to the next step; the facilitator's own moves pass ``gated=False``."""
    index = state["index"] + 1
    if gated and gate_closed(state, index):
        # The step is over: nothing of it runs on while the room waits for the group.
        clear_clocks(state)
        return hold(state)
    return enter_step(state, index, now)
