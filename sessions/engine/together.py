"""Moving on together: a step that ends by a tap moves on when both partners have tapped.

One partner's "Continue" must never carry the other along before they are ready, so on an
``advance = "both"`` step (the default) ``next`` from a partner only says "I'm ready to move
on" (``moving_on``); the room moves when the second partner says it too. Either may take
their tap back with ``not_yet`` until then. An ``advance = "either"`` step moves on at one
tap, and the counselor's ``next`` moves the room at once on any such step: the host can
still move the room, as with ``skip``.

``moving_on`` belongs to the step: entering any step clears it, a pause keeps it, and a seat
that is released or taken over by a new device loses its tap (it may be someone else now).
"""

from .events import EventType
from .vocabulary import BOTH, HOST, PARTNERS, TAP_KINDS


def rule_of(step: dict) -> str | None:
    """``both`` or ``either`` for a step that ends by a tap, None for any other step.

    Steps stored before the rule existed have no ``advance`` key and move on together.
    """
    if step["kind"] not in TAP_KINDS:
        return None
    return step.get("advance") or BOTH


def move_on(state: dict, step: dict, actor: str) -> tuple[list, bool]:
    """A ``next`` the step allows: (events, whether the step is over)."""
    if actor == HOST or rule_of(step) != BOTH:
        return [], True
    moving = state["moving_on"]
    if actor in moving:
        return [], False
    moving.append(actor)
    moving.sort()
    events = [{"type": EventType.MOVING_ON, "seat": actor, "index": state["index"]}]
    return events, all(seat in moving for seat in PARTNERS)


def not_yet(state: dict, step: dict, actor: str, args: dict, now: int) -> tuple[list, bool]:
    """Take back a ``next`` that is still waiting for the other partner."""
    moving = state["moving_on"]
    if actor not in moving:
        return [], False
    moving.remove(actor)
    return [{"type": EventType.NOT_YET, "seat": actor, "index": state["index"]}], False


def drop_tap(state: dict, seat: str) -> None:
    """Whoever holds ``seat`` now has to say again that they are ready to move on."""
    if seat in state["moving_on"]:
        state["moving_on"].remove(seat)
