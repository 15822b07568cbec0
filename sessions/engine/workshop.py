"""A room that is one couple's table in a workshop: the facilitator's pace, a raised hand,
and the group's timer.

A facilitator running many rooms at once cannot sit in each of them, so three things reach
every room from her console. In a *paced* workshop she decides when the group moves on:
``workshop.to`` is the furthest step a room may reach by itself, and a room that finishes
that step is *held* there (nothing runs, nothing is due) until she paces the group on. A
couple who needs her raises a hand rather than pausing the whole room for it. And a group
timer shows everyone the same countdown; it belongs to the group, so a room's pause does not
stop it, and nothing happens when it runs out.

A room that is paused is never moved by her pace: it stays paused (the pause is the
couple's) and joins the step the group is on when it resumes. A room that starts late begins
at the first step and moves on by itself up to the group's step, so it catches up at its own
speed. Her own ``skip`` and ``next`` inside a room are not gated: she may always move one
room by hand, as in any hosted session.

This module reads and writes only the ``workshop`` block (and asks ``flow`` nothing), so
``flow`` can consult its gate without a cycle; ``machine`` enters the step ``pace`` names.
"""

from .events import EventType
from .language import gettext_noop
from .rejections import Refusal
from .vocabulary import ACTIVE

# A timer shorter than this is a typo; longer than an hour is not a group exercise.
TIMER_MIN_SECONDS = 10
TIMER_MAX_SECONDS = 3600

NOT_A_WORKSHOP = gettext_noop("This session is not part of a workshop.")
NOT_PACED = gettext_noop("In this workshop each couple moves on at their own pace.")
HELD = gettext_noop("This step is done; your facilitator will start the next one for everyone.")


def new_block(workshop: object, step_count: int) -> dict | None:
    """The ``workshop`` block of a new room: ``{"paced": bool, "to"?: int}`` in, or None.

    ``to`` is the step the group is on already (a couple starting late catches up to it).
    Raises ValueError for anything else, since only the server builds it.
    """
    if workshop is None:
        return None
    if not isinstance(workshop, dict) or not set(workshop) <= {"paced", "to"}:
        raise ValueError(f"workshop must be {{'paced': bool, 'to'?: int}}, got {workshop!r}")
    paced, to = workshop.get("paced"), workshop.get("to", 0)
    if not isinstance(paced, bool):
        raise ValueError(f"workshop 'paced' must be true or false, got {paced!r}")
    if isinstance(to, bool) or not isinstance(to, int) or not 0 <= to < step_count:
        raise ValueError(f"workshop 'to' must be a step index below {step_count}, got {to!r}")
    return {"paced": paced, "to": to, "held": False, "hand": None, "timer": None}


def block_of(state: dict) -> dict:
    """The room's block; ``not_now`` in a room that is not part of a workshop."""
    block = state.get("workshop")
    if block is None:
        raise Refusal("not_now", NOT_A_WORKSHOP)
    return block


def is_paced(state: dict) -> bool:
    block = state.get("workshop")
    return block is not None and block["paced"]


def is_held(state: dict) -> bool:
    block = state.get("workshop")
    return block is not None and block["held"]


# ---------------------------------------------------------------- the gate


def gate_closed(state: dict, index: int) -> bool:
    """Whether a room moving on by itself to step ``index`` must wait for the facilitator.
    Completing (past the last step) is never gated: there is no next step to start."""
    return is_paced(state) and index < len(state["steps"]) and index > state["workshop"]["to"]


def hold(state: dict) -> list:
    """Keep the room on the step it has just finished. ``flow`` has cleared its clocks."""
    state["workshop"]["held"] = True
    state["moving_on"] = []
    return [{"type": EventType.HELD, "index": state["index"]}]


def release(state: dict) -> None:
    """Entering any step ends a hold."""
    if state.get("workshop") is not None:
        state["workshop"]["held"] = False


def catch_up_to(state: dict) -> int | None:
    """The step a paced room resuming from a pause joins (the group's), or None to thaw."""
    if is_paced(state) and state["index"] < state["workshop"]["to"]:
        return state["workshop"]["to"]
    return None


def refuse_if_held(state: dict, action_moves_by_hand: bool) -> None:
    """A held room takes no step action but the facilitator's own ``skip`` and ``back``."""
    if is_held(state) and not action_moves_by_hand:
        raise Refusal("not_now", HELD)


def clear_when_finished(state: dict) -> None:
    """A finished room keeps no hand up, no timer and no hold: they were for the live room."""
    block = state.get("workshop")
    if block is not None:
        block["hand"] = None
        block["timer"] = None
        block["held"] = False


def check_pace_step(state: dict, args: dict) -> None:
    """``pace`` names a step of this protocol (``args`` cannot know how many there are)."""
    count = len(state["steps"])
    if args["step"] >= count:
        raise Refusal(
            "bad_args",
            gettext_noop("'step' must be below %(count)s, got %(step)s."),
            {"count": count, "step": args["step"]},
        )


# ---------------------------------------------------------------- the four actions


def raise_hand(state: dict, actor: str, now: int) -> list:
    """A partner asks the facilitator over; a hand already up (either partner's) stays."""
    block = block_of(state)
    if block["hand"] is not None:
        return []
    block["hand"] = {"seat": actor, "at": now}
    return [{"type": EventType.HAND_RAISED, "seat": actor}]


def lower_hand(state: dict) -> list:
    block = block_of(state)
    if block["hand"] is None:
        return []
    block["hand"] = None
    return [{"type": EventType.HAND_LOWERED}]


def pace(state: dict, step: int) -> tuple[list, int | None]:
    """Raise the gate to ``step``: (events, the step an active room behind it enters now).

    ``to`` only ever rises: the console's waves of "Next step" reach a room one by one and
    two of them may arrive out of order, so a step at or below ``to`` is a no-op (it can
    never set a room, or its gate, back). A waiting or paused room only records it.
    """
    block = block_of(state)
    if not block["paced"]:
        raise Refusal("not_now", NOT_PACED)
    if step <= block["to"]:
        return [], None
    block["to"] = step
    enter = step if state["status"] == ACTIVE and state["index"] < step else None
    return [{"type": EventType.PACED, "index": step}], enter


def group_timer(state: dict, args: dict, now: int) -> list:
    """Start the group's countdown (again, from now), or clear it when ``seconds`` is left out."""
    block = block_of(state)
    seconds = args.get("seconds")
    if seconds is None:
        if block["timer"] is None:
            return []
        block["timer"] = None
        return [{"type": EventType.GROUP_TIMER, "seconds": None}]
    block["timer"] = {"started_at": now, "ends_at": now + seconds * 1000, "seconds": seconds}
    return [{"type": EventType.GROUP_TIMER, "seconds": seconds}]


def view(state: dict) -> dict | None:
    """The block as every person in the room sees it (the same for each)."""
    block = state.get("workshop")
    if block is None:
        return None
    return {
        "paced": block["paced"],
        "to": block["to"],
        "held": block["held"],
        "hand": dict(block["hand"]) if block["hand"] is not None else None,
        "timer": dict(block["timer"]) if block["timer"] is not None else None,
    }
