"""A check-in: each partner says where they are on the ladder (safe, mobilized, shut down).

Answers are revealed together, only once both have answered, so one answer cannot shape the
other; the step then waits for ``next`` from both so both have time to read them.
"""

from .. import together
from ..events import EventType
from ..language import gettext_noop
from ..rejections import Refusal
from ..vocabulary import PARTNERS


def answers(state: dict) -> dict:
    return state["checkins"][str(state["index"])]


def revealed(state: dict) -> bool:
    return all(answers(state)[seat] is not None for seat in PARTNERS)


def enter(state: dict, step: dict, now: int) -> None:
    """A check-in entered (again) starts blank: old answers would shape the new ones."""
    state["checkins"][str(state["index"])] = {seat: None for seat in PARTNERS}


def check_in(state: dict, step: dict, actor: str, args: dict, now: int) -> tuple[list, bool]:
    current = answers(state)
    if current[actor] is not None:
        raise Refusal("already_answered")
    current[actor] = {key: args[key] for key in ("state", "intensity", "word") if key in args}
    events = [{"type": EventType.CHECKED_IN, "seat": actor, "index": state["index"]}]
    if revealed(state):
        events.append({"type": EventType.REVEALED, "index": state["index"]})
    return events, False


def next_step(state: dict, step: dict, actor: str, args: dict, now: int) -> tuple[list, bool]:
    if not revealed(state):
        raise Refusal(
            "not_now",
            gettext_noop("Let's wait until you've both checked in; the answers show together."),
        )
    return together.move_on(state, step, actor)
