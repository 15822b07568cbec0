"""Pausing and resuming the room.

Anyone may pause at any moment (the PREP "stop action"); the room resumes only when both
partners have said they are ready and both are actually there, so nobody is carried on
without them — not even by the counselor. A pause freezes every clock and keeps what was
left; ``flooding`` suggests a break long enough for the body to settle.
"""

from .events import EventType
from .flow import KINDS, current_step
from .vocabulary import ACTIVE, CONNECTION, FLOODING, PARTNERS, PAUSED


def pause_room(state: dict, by: str | None, reason: str, now: int, seat: str | None = None) -> list:
    step = current_step(state)
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


def resume_if_ready(state: dict, now: int) -> list:
    if not _can_resume(state):
        return []
    paused_ms = now - state["pause"]["since"]
    state["pause"] = None
    state["status"] = ACTIVE
    step = current_step(state)
    KINDS[step["kind"]].thaw(state, step, now)
    return [{"type": EventType.RESUMED, "paused_ms": paused_ms, "index": state["index"]}]


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
