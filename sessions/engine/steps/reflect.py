"""A reflect step, after the Imago dialogue: mirror → check → validate → empathize.

``floor`` names the speaker; the other partner listens. The listener mirrors, the speaker
says whether that was it (``yes``) or not quite / there's more (back to mirroring), then the
listener validates and empathizes, and the step is over.
"""

from ..events import EventType
from ..language import gettext_noop
from ..rejections import Refusal
from ..vocabulary import CHECK, EMPATHIZE, MIRROR, VALIDATE, other
from ..wording import name_param
from . import soft_limit

# After the listener's ``done`` in each phase, where the dialogue goes next (None: step over).
AFTER_DONE = {MIRROR: CHECK, VALIDATE: EMPATHIZE, EMPATHIZE: None}
AFTER_ANSWER = {"yes": VALIDATE, "not_quite": MIRROR, "more": MIRROR}


def enter(state: dict, step: dict, now: int) -> None:
    state["phase"] = MIRROR
    soft_limit.enter(state, step, now)


def _move(state: dict, phase: str) -> list:
    state["phase"] = phase
    return [{"type": EventType.PHASE_STARTED, "index": state["index"], "phase": phase}]


def done(state: dict, step: dict, actor: str, args: dict, now: int) -> tuple[list, bool]:
    speaker, listener = step["floor"], other(step["floor"])
    if state["phase"] == CHECK:
        raise Refusal(
            "not_now",
            gettext_noop("Waiting for %(name)s to say whether that was it."),
            {"name": name_param(state, speaker)},
        )
    if actor != listener:
        raise Refusal(
            "not_your_turn",
            gettext_noop("%(name)s is reflecting back what they heard just now."),
            {"name": name_param(state, listener)},
        )
    following = AFTER_DONE[state["phase"]]
    if following is None:
        return [], True
    return _move(state, following), False


def answer(state: dict, step: dict, actor: str, args: dict, now: int) -> tuple[list, bool]:
    speaker = step["floor"]
    if state["phase"] != CHECK:
        raise Refusal("not_now", gettext_noop("There's no question to answer just now."))
    if actor != speaker:
        raise Refusal(
            "not_your_turn",
            gettext_noop("%(name)s is the one to say whether that was it."),
            {"name": name_param(state, speaker)},
        )
    return _move(state, AFTER_ANSWER[args["value"]]), False
