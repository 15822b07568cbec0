"""Who this browser (or signed-in counselor) is in a session: the one answer both doors use.

The page views (``sessions.web``) and the room socket (``sessions.live``) both ask
"which seat does this visitor hold?", and must get the same answer, so the
question is answered here and nowhere else. A partner's seat secret lives in the
Django session under ``SEATS_KEY``, never in a URL; a counselor is known by
their sign-in. May import ``sessions.store``, ``sessions.engine``, ``sessions.codes``,
``sessions.throttle`` and the models; never a view or a socket module (those import
this one), and ``sessions.store`` never imports it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sessions import throttle
from sessions.codes import looks_like_join_code
from sessions.engine.vocabulary import FINISHED, HOST
from sessions.models import Couple, CoupleSession
from sessions.store import rooms, seats

SEATS_KEY = "stay_seats"  # request.session[SEATS_KEY][code] = this browser's seat token
# request.session[SEAT_CODES_KEY][code] = the plain seat code, shown in this seat's room only
SEAT_CODES_KEY = "stay_seat_codes"
# request.session[KNOCKS_KEY][code] = {"id", "seat"}: this browser asked to be let in
KNOCKS_KEY = "stay_knocks"
# request.session[LEFT_KEY] = codes of sessions this browser's partner removed themselves from
LEFT_KEY = "stay_left"

# The room socket's address, /ws/sessions/<code>/: the live routes serve it and the room
# page is handed it, so the two cannot name it differently.
SOCKET_PREFIX = "ws/sessions/"


def socket_path(code: str) -> str:
    """The path a room page opens its socket on (docs/protocol.md, section 2)."""
    return f"/{SOCKET_PREFIX}{code}/"


def find_session(code: str) -> CoupleSession | None:
    """The live session with this code; None for a malformed, unknown or expired one."""
    if not looks_like_join_code(code):
        return None
    try:
        return rooms.get_session(code)
    except rooms.SessionNotFound:
        return None


def seat_token(django_session, code: str) -> str | None:
    held = django_session.get(SEATS_KEY) if django_session is not None else None
    token = held.get(code) if isinstance(held, dict) else None
    return token if isinstance(token, str) else None


def signed_in(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def role_for(session: CoupleSession, django_session, user) -> str | None:
    """ "host" for the owning counselor, "a"/"b" for a seat holder, else None.

    A signed-in counselor who does not own the session gets no role at all: a
    counselor never sits in a partner's seat. Nor does a partner in an unfinished
    session of a couple whose counselor revoked its standing link (`access_ended`):
    revoking ends the partners' way into the couple's open rooms at once. A finished
    session stays its seat holders' (its summary, "Remove me", deleting its content,
    its export), revoked link or not.
    """
    if signed_in(user):
        return HOST if session.counselor_id == user.pk else None
    if access_ended(session):
        return None
    return seats.seat_for_token(session, seat_token(django_session, session.code))


def access_ended(session: CoupleSession) -> bool:
    """Whether this is an unfinished session of a couple whose standing link is revoked.

    Every partner's door into such a room (join, seat code, asking to be let in, the
    room page, the measure, the room socket) answers that the link no longer works.
    Revoking also frees both seats (`store.couples.revoke_link`), so a later new link
    gives nothing back by itself; this check covers the moment in between and any
    session the counselor starts while the couple has no link.
    """
    return (
        session.couple_id is not None
        and session.status not in FINISHED
        and Couple.objects.filter(pk=session.couple_id, link_code__isnull=True).exists()
    )


@dataclass(frozen=True)
class SocketAccess:
    """Who a room socket speaks for, settled once at connect; the token re-checks a revoke."""

    session_id: int
    role: str
    token: str | None


class Refusal(enum.Enum):
    """Why a room socket is turned away (the socket says it with a close code)."""

    NO_SUCH_SESSION = "no_such_session"
    NO_SEAT = "no_seat"
    TOO_MANY_MISSES = "too_many_misses"
    # A partner's browser still holding a seat of a couple whose counselor revoked its
    # standing link: told so (4410), not sent to a join link that cannot help.
    ACCESS_ENDED = "access_ended"


def for_socket(code: str, django_session, user, address: str) -> SocketAccess | Refusal:
    """Who a room socket speaks for, or why it is turned away.

    A socket that finds no place counts against its address's join attempts, as a join
    link that leads nowhere does, so the socket is no way around guessing at codes.
    """
    session = find_session(code)
    if session is not None:
        role = role_for(session, django_session, user)
        if role is not None:
            return SocketAccess(session.pk, role, seat_token(django_session, code))
        if (
            not signed_in(user)
            and seat_token(django_session, code) is not None
            and access_ended(session)
        ):
            return Refusal.ACCESS_ENDED
    if not throttle.count_join_miss(address):
        return Refusal.TOO_MANY_MISSES
    return Refusal.NO_SUCH_SESSION if session is None else Refusal.NO_SEAT


def left_codes(request) -> list[str]:
    """Sessions this browser's partner removed themselves from (codes only, the last few)."""
    codes = request.session.get(LEFT_KEY)
    return [c for c in codes if isinstance(c, str)] if isinstance(codes, list) else []


def remember_left(request, code: str) -> None:
    """This browser no longer holds its seat in `code`: its partner removed themselves.

    Its seat token and seat code for `code` are dropped with it, so the browser is
    answered as one that left, never as one that still holds a place.
    """
    for key in (SEATS_KEY, SEAT_CODES_KEY):
        kept = dict(request.session.get(key) or {})
        kept.pop(code, None)
        request.session[key] = kept
    request.session[LEFT_KEY] = [*[c for c in left_codes(request) if c != code], code][-20:]
