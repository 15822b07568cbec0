"""A breathing step: a shared schedule in server time that ends the step by itself.

The schedule starts after a short lead-in so nobody is caught mid-breath. A pause keeps the
cycles not yet finished; the interrupted cycle is breathed again in full after a fresh
lead-in, because half a breath is not a breath. Sitting out is always allowed and never
commented on: breathing exercises unsettle some people.
"""

from ..events import EventType


def cycle_ms(pattern: dict) -> int:
    return max(1, round(sum(pattern.values()) * 1000))


def _schedule(state: dict, step: dict, cycles: int, now: int) -> None:
    start = now + state["settings"]["lead_in_ms"]
    state["breathing"] = {"start": start, "pattern": dict(step["pattern"]), "cycles": cycles}
    state["deadline"] = start + cycles * cycle_ms(step["pattern"])


def enter(state: dict, step: dict, now: int) -> None:
    _schedule(state, step, step["cycles"], now)


def freeze(state: dict, step: dict, now: int) -> None:
    """Keep the cycles still to breathe, as milliseconds in ``remaining``."""
    schedule = state["breathing"]
    length = cycle_ms(step["pattern"])
    finished = max(0, (now - schedule["start"]) // length)
    left = max(1, schedule["cycles"] - finished)
    state["remaining"] = left * length
    state["breathing"] = None
    state["deadline"] = None


def thaw(state: dict, step: dict, now: int) -> None:
    left = max(1, state["remaining"] // cycle_ms(step["pattern"]))
    state["remaining"] = None
    _schedule(state, step, left, now)


def expire(state: dict, step: dict, now: int) -> tuple[list, bool]:
    """The schedule is over: the step ends by itself."""
    return [], True


def sit_out(state: dict, step: dict, actor: str, args: dict, now: int) -> tuple[list, bool]:
    seat = state["seats"][actor]
    if seat["resting"]:
        return [], False
    seat["resting"] = True
    return [{"type": EventType.SAT_OUT, "seat": actor, "index": state["index"]}], False
