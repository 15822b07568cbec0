"""Pausing and resuming the room.

Anyone may pause at any moment (the PREP "stop action"); the room resumes by itself when both
partners have said they are ready and both are actually there. The counselor may resume for
both before that, but only by naming whom it overrides: her ``resume`` carries the partners
who have not said they are ready (the page asks her to confirm it in those words), so a
change in the room since she looked (Sam said ready, Alex un-said it by leaving) refuses it as
``stale`` rather than overriding someone she did not mean to. Nobody absent is carried on:
a partner who is not connected cannot be overridden, and the room waits for them. A pause
freezes every clock and keeps what was left; ``flooding`` suggests a break long enough for
the body to settle.

In a paced workshop room a pause is still the couple's own: the facilitator's pace never
moves a paused room; it joins the group's step when it resumes (see ``workshop``).
"""

from .events import EventType
from .flow import KINDS, current_step, enter_step
from .language import gettext_noop
from .rejections import Refusal
from .vocabulary import ACTIVE, CONNECTION, FLOODING, HOST, PARTNERS, PAUSED
from .wording import name_param
from .workshop import catch_up_to, is_held


def pause_room(state: dict, by: str | None, reason: str, now: int, seat: str | None = None) -> list:
    step = current_step(state)
    if not is_held(state):  # a held step's clocks are already gone
        KINDS[step["kind"]].freeze(state, step, now)
    state["status"] = PAUSED
    state["pause"] = {
        "by": by,
        "reason": reason,
        "since": now,
        "ready": [],
        "suggest_break_minutes": (
            state["settings"]["break_minutes"] if reason == FLOODING else None
        ),
    }
    event = {"type": EventType.PAUSED, "by": by, "reason": reason, "index": state["index"]}
    if reason == CONNECTION:
        state["pause"]["seat"] = seat
        event["seat"] = seat
    return [event]


def drop_ready(state: dict, seat: str) -> None:
    """Someone who left (or whose seat changed hands) has to say again that they are ready."""
    if state["status"] == PAUSED and seat in state["pause"]["ready"]:
        state["pause"]["ready"].remove(seat)


def _can_resume(state: dict) -> bool:
    seats = state["seats"]
    return all(
        seat in state["pause"]["ready"] and seats[seat]["claimed"] and seats[seat]["connected"]
        for seat in PARTNERS
    )


def _resume(state: dict, now: int) -> list:
    """Carry on where the pause froze the room, or join the workshop's step if the group
    moved on meanwhile; the ``resumed`` event (without its author) comes first."""
    paused_ms = now - state["pause"]["since"]
    resumed = {"type": EventType.RESUMED, "paused_ms": paused_ms, "index": state["index"]}
    state["pause"] = None
    state["status"] = ACTIVE
    group_step = catch_up_to(state)
    if group_step is not None:
        return [resumed, *enter_step(state, group_step, now)]
    if not is_held(state):  # a held room stays held, with nothing to thaw
        step = current_step(state)
        KINDS[step["kind"]].thaw(state, step, now)
    return [resumed]


def resume_if_ready(state: dict, now: int) -> list:
    if not _can_resume(state):
        return []
    return _resume(state, now)


def not_ready(state: dict) -> list[str]:
    """The partners who have not said they are ready: whom a counselor's resume overrides."""
    return [seat for seat in PARTNERS if seat not in state["pause"]["ready"]]


def absent(state: dict, seats: list[str]) -> list[str]:
    return [
        seat
        for seat in seats
        if not (state["seats"][seat]["claimed"] and state["seats"][seat]["connected"])
    ]


def _names(state: dict, seats: list[str]) -> dict:
    """The named partners as a refusal's placeholders: ``name``, or ``first`` and ``second``."""
    if len(seats) == 1:
        return {"name": name_param(state, seats[0])}
    return {"first": name_param(state, seats[0]), "second": name_param(state, seats[1])}


# Each sentence for one partner, for both and (when someone resumed meanwhile) for nobody.
_CHANGED = {
    0: gettext_noop(
        "The room changed a moment ago. Not ready yet: nobody. Look again before resuming for both."
    ),
    1: gettext_noop(
        "The room changed a moment ago. Not ready yet: %(name)s. Look again before resuming "
        "for both."
    ),
    2: gettext_noop(
        "The room changed a moment ago. Not ready yet: %(first)s and %(second)s. Look again "
        "before resuming for both."
    ),
}
_AWAY = {
    1: gettext_noop("%(name)s isn't here; the room waits for them."),
    2: gettext_noop("%(first)s and %(second)s aren't here; the room waits for both of them."),
}


def resume_for_both(state: dict, args: dict, now: int) -> list:
    """The counselor's resume, naming exactly the partners it overrides (``override``)."""
    waiting_for = not_ready(state)
    if args["override"] != waiting_for:
        raise Refusal(
            "stale",
            _CHANGED[len(waiting_for)],
            _names(state, waiting_for) if waiting_for else None,
        )
    gone = absent(state, waiting_for)
    if gone:
        raise Refusal("not_now", _AWAY[len(gone)], _names(state, gone))
    resumed, *entered = _resume(state, now)
    return [{**resumed, "by": HOST, "overrode": list(waiting_for)}, *entered]


def mark_ready(state: dict, seat: str, now: int) -> list:
    """Record a partner's ``ready``; one sent from a seat that has since dropped (a frame
    overtaken by its own disconnect) does not count, since they are not there to continue."""
    ready = state["pause"]["ready"]
    here = state["seats"][seat]
    if seat in ready or not (here["claimed"] and here["connected"]):
        return []
    ready.append(seat)
    ready.sort()
    return [{"type": EventType.READY, "seat": seat}, *resume_if_ready(state, now)]
