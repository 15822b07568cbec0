"""The soft time limit of speak and reflect steps.

When it passes the turn is marked over time and nothing else happens: the speaker is never
cut off. A pause keeps the milliseconds that were left and gives them back on resume.
"""

from ..events import EventType


def enter(state: dict, step: dict, now: int) -> None:
    if step["limit_seconds"]:
        state["deadline"] = now + round(step["limit_seconds"] * 1000)


def freeze(state: dict, step: dict, now: int) -> None:
    if state["deadline"] is not None:
        state["remaining"] = max(0, state["deadline"] - now)
        state["deadline"] = None


def thaw(state: dict, step: dict, now: int) -> None:
    if state["remaining"] is not None:
        state["deadline"] = now + state["remaining"]
        state["remaining"] = None


def is_due(state: dict) -> bool:
    """Once marked over time the limit has said all it has to say."""
    return not state["over_time"]


def expire(state: dict, step: dict, now: int) -> tuple[list, bool]:
    state["over_time"] = True
    return [{"type": EventType.OVER_TIME, "index": state["index"]}], False
