"""A speak step: one partner holds the floor; only they can say they are done."""

from ..language import gettext_noop
from ..rejections import Refusal
from ..wording import name_param
from . import soft_limit

enter = soft_limit.enter


def done(state: dict, step: dict, actor: str, args: dict, now: int) -> tuple[list, bool]:
    if actor != step["floor"]:
        raise Refusal(
            "not_your_turn",
            gettext_noop("%(name)s has the floor. You'll have yours next."),
            {"name": name_param(state, step["floor"])},
        )
    return [], True
