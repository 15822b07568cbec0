"""A speak step: one partner holds the floor; only they can say they are done."""

from ..rejections import Refusal
from ..wording import name_of
from . import soft_limit

enter = soft_limit.enter


def done(state: dict, step: dict, actor: str, args: dict, now: int) -> tuple[list, bool]:
    if actor != step["floor"]:
        speaker = name_of(state, step["floor"])
        raise Refusal("not_your_turn", f"{speaker} has the floor. You'll have yours next.")
    return [], True
