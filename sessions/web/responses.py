"""Answers several page views give alike: too many tries, nothing here, a seat gone or moved.

Not a view module: the join, new-device, room and partner views all import from
here, so none of them imports another.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render

from sessions import throttle
from sessions.access import access_ended, left_codes, seat_token, signed_in
from sessions.codes import SEAT_CODE_EXAMPLE, looks_like_join_code
from sessions.engine.vocabulary import FINISHED
from sessions.models import CoupleSession
from sessions.store import deletion, seats
from sessions.web.browser_memory import kept_seat_code, workshop_of_room


def to_room(code: str):
    return redirect("room", code=code)


def to_join(code: str):
    return redirect("join", code=code)


def too_many(request):
    response = render(request, "sessions/too_many.html", status=429)
    response["Retry-After"] = str(throttle.JOIN_WINDOW_SECONDS)
    return response


def nothing_here(request, code: str):
    """No live session: a browser that held a seat there is told what became of it; else 404.

    A join link that leads nowhere is counted as a try (`throttle`), so nobody can run
    through random codes.
    """
    if looks_like_join_code(code) and (
        seat_token(request.session, code) is not None or code in left_codes(request)
    ):
        return gone_page(request, code)
    throttle.count_join_attempt(request)
    raise Http404("No such session")


def gone_page(request, code: str):
    """For a browser that had a seat in a session that no longer exists."""
    agreed = deletion.deleted_by_agreement(code)
    # A workshop room nobody joined, closed by its facilitator (or given up for the
    # partner's): not a session that ended and aged away, so not said as one.
    workshop = None if agreed else workshop_of_room(request, code)
    context = {"deleted": True, "agreed": agreed, "workshop": workshop}
    return render(request, "sessions/gone.html", context, status=410)


def removed_page(request, session: CoupleSession):
    """For the browser of a partner who removed themselves from this (finished) session."""
    return render(request, "sessions/gone.html", {"removed": True, "session": session})


def full_page(request, session: CoupleSession, *, error: str = "", note: str = "", status=409):
    """Both places taken (or the session finished): a seat code, or asking to be let in."""
    context = {
        "code": session.code,
        "finished": session.status in FINISHED,
        "hosted": session.counselor_id is not None,
        "error": error,
        "note": note,
        "example": SEAT_CODE_EXAMPLE,
    }
    return render(request, "sessions/full.html", context, status=status)


def moved_away(request, session: CoupleSession):
    """For a browser whose place was let in on another device: the way back, or None.

    Shown only when the seat code this browser still keeps is the one its place had
    before the approval; the code itself stays server-side, never in the page.
    """
    kept = kept_seat_code(request, session.code)
    if kept is None or seats.seat_for_prior_code(session, kept) is None:
        return None
    return render(request, "sessions/moved.html", {"code": session.code})


def link_gone_page(request):
    """The answer of a gone standing link (410), naming nothing of the couple or the session."""
    return render(request, "sessions/standing_gone.html", status=410)


def ended_access(request, session: CoupleSession | None):
    """For an unfinished session of a couple whose link is revoked: the gone link's 410.

    Every partner's door into that room answers it, the same page a revoked standing link
    gives, so nobody gets in by a join code, a seat code or a knock until the counselor
    makes a new link. None for any other session (the caller carries on).
    """
    if session is not None and access_ended(session):
        return link_gone_page(request)
    return None


def couple_door(request, session: CoupleSession):
    """A couple's session is joined through their standing link, never the plain join form.

    403 whether asked or posted: nothing is claimed here, and the page names nobody and no
    protocol, so a forwarded join code tells a stranger nothing and takes no seat.
    """
    return render(request, "sessions/couple_door.html", {"code": session.code}, status=403)


def no_place(request, code: str, session: CoupleSession | None, *, otherwise=None):
    """What a page of a room (the room itself, its CSI-4) answers a visitor with no place in it.

    The join link walks the same chain and, at its end, offers a place (`otherwise`)
    instead of sending the visitor to itself.

    One chain, so no page of a room is a way around another: past the join limit the same
    answer whether or not the session exists; a counselor who is not its host, a 404; a
    couple whose link is stopped, the gone link's 410; a browser whose partner removed
    them, or whose seat moved, its own page; anyone else, the join link.
    """
    if throttle.join_blocked(request):
        return too_many(request)
    if session is None:
        return nothing_here(request, code)
    if signed_in(request.user):
        raise Http404("No such session")
    ended = ended_access(request, session)
    if ended is not None:
        return ended
    if code in left_codes(request):
        return removed_page(request, session)
    if otherwise is not None:
        return otherwise()
    return moved_away(request, session) or to_join(code)
