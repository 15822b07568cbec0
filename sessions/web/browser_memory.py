"""What a partner's browser keeps about its seats, in its own Django session.

A seat's secret (token), its plain seat code and a pending request to be let in are
kept here per join code, never in a URL. Who a browser *is* (the seat its token
opens) is answered by ``sessions.access``; this module only writes and reads the
browser's side of it for the join and room pages.
"""

from __future__ import annotations

from sessions.access import KNOCKS_KEY, SEAT_CODES_KEY, SEATS_KEY
from sessions.codes import BadSeatCode, normalize_seat_code
from sessions.engine.vocabulary import PARTNERS

# request.session[WORKSHOP_ROOMS_KEY][workshop code] = the code of the room it started or joined
WORKSHOP_ROOMS_KEY = "stay_workshop_rooms"


def remember(request, key: str, code: str, value: str | None) -> None:
    """Keep (or, with None, drop) this browser's `value` for session `code` under `key`."""
    kept = dict(request.session.get(key) or {})
    if value is None:
        kept.pop(code, None)
    else:
        kept[code] = value
    request.session[key] = kept


def remember_token(request, code: str, token: str | None) -> None:
    remember(request, SEATS_KEY, code, token)


def remember_seat_code(request, code: str, seat_code: str | None) -> None:
    remember(request, SEAT_CODES_KEY, code, seat_code)


def grant_seat(request, code: str, token: str, seat_code: str) -> None:
    """Keep a newly granted seat in this browser, under a fresh session key.

    The key is cycled first (the data stays): a session cookie someone else planted in
    this browser, or saw before, never comes to hold the seat (session fixation).
    """
    request.session.cycle_key()
    remember_token(request, code, token)
    remember_seat_code(request, code, seat_code)


def kept_seat_code(request, code: str) -> str | None:
    """The (normalized) seat code this browser was given in session `code`, if it kept one."""
    codes = request.session.get(SEAT_CODES_KEY)
    kept = codes.get(code) if isinstance(codes, dict) else None
    if not isinstance(kept, str):
        return None
    try:
        return normalize_seat_code(kept)
    except BadSeatCode:
        return None


def remember_knock(request, code: str, knock_id: str, seat: str) -> None:
    """This browser asked to be let in to `seat`; the answer goes to a fresh session key.

    The key is cycled first, so a session cookie planted in this browser (or seen
    before) cannot collect the answer.
    """
    request.session.cycle_key()
    knocks = dict(request.session.get(KNOCKS_KEY) or {})
    knocks[code] = {"id": knock_id, "seat": seat}
    request.session[KNOCKS_KEY] = knocks


def my_knock(request, code: str) -> dict | None:
    knocks = request.session.get(KNOCKS_KEY)
    knock = knocks.get(code) if isinstance(knocks, dict) else None
    if not isinstance(knock, dict) or knock.get("seat") not in PARTNERS:
        return None
    return knock if isinstance(knock.get("id"), str) else None


def forget_knock(request, code: str) -> None:
    knocks = dict(request.session.get(KNOCKS_KEY) or {})
    if knocks.pop(code, None) is not None:
        request.session[KNOCKS_KEY] = knocks


# --- A couple's standing link: which of the two this browser is ------------------------

COUPLES_KEY = "stay_couples"  # request.session[COUPLES_KEY][str(couple.pk)] = {"seat": "a"}


def couple_seat(request, couple_id: int) -> str | None:
    """The seat this browser said it is for this couple ("a" or "b"), if it said."""
    couples = request.session.get(COUPLES_KEY)
    kept = couples.get(str(couple_id)) if isinstance(couples, dict) else None
    seat = kept.get("seat") if isinstance(kept, dict) else None
    return seat if seat in PARTNERS else None


def remember_couple_seat(request, couple_id: int, seat: str) -> None:
    """Keep who this browser is for the couple, so next week's session needs no question."""
    couples = dict(request.session.get(COUPLES_KEY) or {})
    couples[str(couple_id)] = {"seat": seat}
    request.session[COUPLES_KEY] = couples


def workshop_of_room(request, room_code: str) -> str | None:
    """The code of the workshop whose room ``room_code`` this browser last sat in, if any."""
    kept = request.session.get(WORKSHOP_ROOMS_KEY)
    if not isinstance(kept, dict):
        return None
    return next((key for key, code in kept.items() if code == room_code), None)
