"""Who is in the room: connections coming and going, and seats claimed, released or taken over.

Both inputs come only from the server. A dropped connection starts a grace period (a phone
screen locking briefly must not stop anything); past it, ``deadlines`` pauses an active room.
A released seat pauses an active room at once. Whoever leaves while paused has to say again
that they are ready, and a new device on a seat never inherits the previous person's answers.
A take-over is always recorded (``rejoined_at``), so the other partner learns of it. Any
``seat`` input for a seat clears a knock on it and its tap to move on (``together``).

Two readings for the server live here too, so it never decides these rules itself: how the
room shows someone's connection, and whether a seat has been gone long enough to be taken
over from a new device.
"""

from .consent import clear_knock
from .events import EventType
from .language import gettext_noop
from .pause import drop_ready, pause_room
from .rejections import Refusal
from .together import drop_tap
from .vocabulary import ACTIVE, CONNECTION, HOST, PARTNERS, PEOPLE


def set_presence(state: dict, args: dict, now: int) -> list:
    who, connected = args["seat"], args["connected"]
    if who == HOST:
        if state["host"] is None:
            raise Refusal(
                "bad_args", gettext_noop("This session has no counselor seat to be present in.")
            )
        if state["host"]["connected"] == connected:
            return []
        state["host"]["connected"] = connected
        return [{"type": EventType.PRESENCE, "seat": HOST, "connected": connected}]
    seat = state["seats"][who]
    if seat["connected"] == connected:
        return []
    seat["connected"] = connected
    seat["gone_since"] = None if connected else now
    if not connected:
        drop_ready(state, who)
    return [{"type": EventType.PRESENCE, "seat": who, "connected": connected}]


def set_seat(state: dict, args: dict, now: int) -> list:
    who, claimed, name = args["seat"], args["claimed"], args.get("name")
    seat = state["seats"][who]
    if seat["forgotten"]:
        name = None  # they asked to be removed: their name is never stored here again
    if not claimed:
        if not seat["claimed"]:
            return []
        clear_knock(state, who)
        drop_tap(state, who)
        seat.update(
            name=None,
            claimed=False,
            connected=False,
            gone_since=None,
            resting=False,
            rejoined_at=None,
        )
        drop_ready(state, who)
        events = [{"type": EventType.SEAT_RELEASED, "seat": who}]
        if state["status"] == ACTIVE:
            events += pause_room(state, None, CONNECTION, now, seat=who)
        return events
    # Whoever claims the seat now may not be the person who answered before on it.
    for answers in state["checkins"].values():
        answers[who] = None
    clear_knock(state, who)
    drop_tap(state, who)
    if not seat["claimed"]:
        seat.update(claimed=True, name=name)
        return [{"type": EventType.SEAT_CLAIMED, "seat": who}]
    # Always a change, even with the same name and nothing to clear: the other partner is told
    # "Alex rejoined on another device" from ``rejoined_at``.
    seat["name"] = name
    seat["rejoined_at"] = now
    # Counted too, so two take-overs in the same millisecond are still two changes.
    seat["rejoins"] = seat.get("rejoins", 0) + 1
    drop_ready(state, who)
    return [{"type": EventType.SEAT_TAKEN_OVER, "seat": who}]


def shown_connected(state: dict, role: str) -> bool | None:
    """Whether the room currently shows ``role`` as connected; None when it has no place there.

    The server compares this with its own truth (live leases) to decide which ``presence``
    inputs to send, so it must read the state exactly as the rules above write it: an
    unclaimed seat, or the host of a session without one, is nobody to report on.
    """
    if role not in PEOPLE:
        raise ValueError(f"role must be one of {PEOPLE}, got {role!r}")
    if role == HOST:
        host = state["host"]
        return None if host is None else host["connected"]
    seat = state["seats"][role]
    return seat["connected"] if seat["claimed"] else None


def seat_lapsed(state: dict, seat: str, now: int, *, connected: bool, claimed_at: int) -> bool:
    """Whether ``seat`` has been gone longer than the room's grace period at ``now``.

    This is the same grace that pauses an active room, so the offer to continue on a new
    device appears exactly when the room would count the person as gone, never sooner (a
    phone screen locking briefly must not let someone else take the seat). ``connected`` is
    the server's live truth, which may be ahead of the state; ``claimed_at`` (epoch ms) is
    where the clock starts for a seat that has never been connected.
    """
    if seat not in PARTNERS:
        raise ValueError(f"seat must be one of {PARTNERS}, got {seat!r}")
    for name, moment in (("now", now), ("claimed_at", claimed_at)):
        if isinstance(moment, bool) or not isinstance(moment, int):
            raise ValueError(f"{name} must be epoch milliseconds as an int, got {moment!r}")
    place = state["seats"][seat]
    if connected or not place["claimed"]:
        return False
    gone_since = claimed_at if place["gone_since"] is None else place["gone_since"]
    return now - gone_since >= state["settings"]["grace_ms"]
