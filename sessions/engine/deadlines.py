"""Time passing: which moment matters next, and what a ``tick`` fires when it comes.

Only an active room has clocks; a pause freezes them all, so nothing here fires while paused.
A tick with nothing due changes nothing, which is why two server processes ticking the same
deadline produce a single transition.
"""

from .flow import KINDS, advance, current_step
from .pause import pause_room
from .steps import soft_limit
from .vocabulary import ACTIVE, CONNECTION, PARTNERS

SOFT_LIMIT_KINDS = ("speak", "reflect")


def _pending(state: dict) -> list[tuple[int, str, str | None]]:
    """Every future moment that would change the room: (when, what, seat)."""
    if state["status"] != ACTIVE:
        return []
    pending = []
    step = current_step(state)
    if state["deadline"] is not None and (
        step["kind"] not in SOFT_LIMIT_KINDS or soft_limit.is_due(state)
    ):
        pending.append((state["deadline"], "step", None))
    for seat in PARTNERS:
        gone_since = state["seats"][seat]["gone_since"]
        if gone_since is not None:
            pending.append((gone_since + state["settings"]["grace_ms"], "gone", seat))
    return pending


def next_deadline(state: dict) -> int | None:
    """The earliest moment at which a ``tick`` would change something, or None."""
    pending = _pending(state)
    return min(when for when, _, _ in pending) if pending else None


def tick(state: dict, now: int) -> list:
    """Fire, in time order, everything due by ``now``; stop as soon as the room pauses."""
    events: list = []
    # Each firing either leaves the room or moves its clocks past ``now``; the bound only
    # guards against a mistake turning into an endless loop.
    for _ in range(len(state["steps"]) + 4):
        due = sorted(item for item in _pending(state) if item[0] <= now)
        if not due:
            break
        _, what, seat = due[0]
        if what == "gone":
            events += pause_room(state, None, CONNECTION, now, seat=seat)
            continue
        step = current_step(state)
        fired, step_over = KINDS[step["kind"]].expire(state, step, now)
        events += fired
        if step_over:
            events += advance(state, now)
    return events
