"""Who may sit in a seat, and leaving a finished session: a knock, its answer, forgetting.

A seat belongs to the person who took it. Someone on a new device who asks to continue in a
claimed seat only **knocks** (a server input made by the join page): the partner who is
there, or the counselor, answers with ``let_in`` — never the knocked seat itself, since the
one knocking claims to be that person. The answer is all the engine records; the web layer
moves the seat (a ``seat`` input) after a yes, and that input clears the knock. A newer
knock replaces an older one, and a knock is dropped when the room finishes.

``forget`` removes one partner from a finished session at their own request: their name and
every check-in answer they gave. The seat stays claimed (the session happened) and says it
was ``forgotten``; the name is never stored on it again.
"""

from .events import EventType
from .language import gettext_noop
from .rejections import Refusal
from .vocabulary import FINISHED


def knock(state: dict, args: dict, now: int) -> list:
    who, knock_id = args["seat"], args["id"]
    if state["status"] in FINISHED:
        raise Refusal(
            "not_now", gettext_noop("This session has finished; there's no seat to continue in.")
        )
    if not state["seats"][who]["claimed"]:
        raise Refusal(
            "not_now", gettext_noop("Nobody has taken that seat, so there's no one to ask.")
        )
    current = state["knock"]
    if current is not None and (current["seat"], current["id"]) == (who, knock_id):
        return []  # the same request again (a retried POST): keep it, and any answer
    state["knock"] = {"seat": who, "id": knock_id, "at": now, "answer": None}
    return [{"type": EventType.KNOCKED, "seat": who}]


def let_in(state: dict, actor: str, args: dict, now: int) -> list:
    current = state["knock"]
    if current is None:
        raise Refusal("stale", gettext_noop("Nobody is asking to come in just now."))
    if actor == current["seat"]:
        # Checked before the id, so the knocked seat learns nothing about the request.
        raise Refusal(
            "not_your_turn",
            gettext_noop("Your partner or your counselor is the one to answer this."),
        )
    if args["id"] != current["id"]:
        raise Refusal("stale", gettext_noop("That request has been replaced by a newer one."))
    answer = args["answer"]
    if current["answer"] is not None:
        if current["answer"] == answer:
            return []
        raise Refusal("not_now", gettext_noop("That request has already been answered."))
    current["answer"] = answer
    kind = EventType.LET_IN if answer == "yes" else EventType.KEPT_OUT
    return [{"type": kind, "seat": current["seat"], "by": actor}]


def clear_knock(state: dict, seat: str) -> None:
    """A seat that changed hands (or was claimed or released) has nobody left knocking."""
    if state["knock"] is not None and state["knock"]["seat"] == seat:
        state["knock"] = None


def forget(state: dict, args: dict, now: int) -> list:
    who = args["seat"]
    if state["status"] not in FINISHED:
        raise Refusal(
            "not_now",
            gettext_noop("You can remove yourself once the session has finished; end it first."),
        )
    seat = state["seats"][who]
    seat["name"] = None
    seat["forgotten"] = True
    for answers in state["checkins"].values():
        answers[who] = None
    return [{"type": EventType.FORGOTTEN, "seat": who}]
