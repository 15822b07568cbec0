"""An ``info`` step: text everyone reads; it moves on when both partners tap ``next``
(or at one tap when the step says ``advance = "either"``; the host's tap moves it at once)."""

from .. import together


def enter(state: dict, step: dict, now: int) -> None:
    """Nothing to set up: an info step has no clock and no answers."""


def next_step(state: dict, step: dict, actor: str, args: dict, now: int) -> tuple[list, bool]:
    return together.move_on(state, step, actor)
