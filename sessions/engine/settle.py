"""Time passes before an input: whatever fell due by ``now`` happens first, then the input.

A server timer can be late (a busy process, one that died), but a person's tap must still
meet the room as it really is at that moment: a breathing round that has run out is over,
a partner gone past the grace period has paused the room. So every input is preceded by
``settle``, a server ``tick`` that fires what is due. The two are returned separately,
because the event log keeps them as two rows: the server's tick, then the person's input —
and the tick stands even when the input after it is refused, since time passed either way.
"""

from typing import NamedTuple

from .deadlines import next_deadline
from .machine import apply
from .results import Accepted, Rejected
from .vocabulary import SERVER


class Timed(NamedTuple):
    """An input applied at a moment: what time did first, then what the input did."""

    ticked: Accepted  # a no-op (same state, no events) when nothing was due
    result: Accepted | Rejected  # the input, applied to ``ticked.state``


def settle(state: dict, now: int) -> Accepted:
    """Fire everything due by ``now`` (a server ``tick``); a no-op when nothing is.

    The no-op hands back ``state`` itself rather than a copy: it is the hot path of every
    tap, and callers treat states as values they never modify.
    """
    if isinstance(now, bool) or not isinstance(now, int):
        raise ValueError(f"now must be epoch milliseconds as an int, got {now!r}")
    due = next_deadline(state)
    if due is None or due > now:
        return Accepted(state=state)
    ticked = apply(state, SERVER, "tick", {}, now)
    assert isinstance(ticked, Accepted), ticked  # a tick is never refused
    return ticked


def apply_at(state: dict, actor: str, action: str, args: dict | None, now: int) -> Timed:
    """``apply`` with time passing first: ``settle(state, now)``, then the input on its result.

    A ``tick`` is itself time passing, so it is applied alone (its ``ticked`` is a no-op).
    """
    if action == "tick":
        return Timed(Accepted(state=state), apply(state, actor, action, args, now))
    ticked = settle(state, now)
    return Timed(ticked, apply(ticked.state, actor, action, args, now))
