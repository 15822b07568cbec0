"""Taking a seat through the one shared link.

The join link is sent around by text message and opened by link-preview bots,
so a GET never claims anything; only a POST with a name (and the CSRF token)
does. The seat's secret lives in the browser's Django session, never in a URL.
The form's language picker (`language_choice`) says which language this person reads
the room in: kept on the seat and in the language cookie.
Every page here has the generic title "Stay" and says nothing about a session
to someone who has no place in it.

A couple's session (``couple_id`` set) is never claimed here: its door is the couple's
standing link, which knows who is who. Its join code answers a calm 403 page that
names nobody (`responses.couple_door`), or, with both places held, the usual
new-device page; while the couple's link is revoked, the gone link's 410.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from sessions.access import find_session, role_for
from sessions.codes import new_seat_code, new_seat_token, normalize_seat_code
from sessions.engine.vocabulary import FINISHED, PARTNERS
from sessions.models import CoupleSession
from sessions.store import seats
from sessions.store.broadcast import tell_room
from sessions.web import language_choice
from sessions.web.browser_memory import grant_seat
from sessions.web.responses import (
    couple_door,
    full_page,
    moved_away,
    no_place,
    to_room,
)


@require_http_methods(["GET", "POST"])
def join(request, code: str):
    session = find_session(code)
    if session is not None and role_for(session, request.session, request.user) is not None:
        return to_room(code)  # the person's own place: never held up by the join limit
    return no_place(request, code, session, otherwise=lambda: _place(request, session))


def _place(request, session: CoupleSession):
    if request.method == "POST":
        return _claim(request, session)
    return moved_away(request, session) or _offer(request, session)


def _offer(
    request,
    session: CoupleSession,
    *,
    error: str = "",
    name: str = "",
    language: str = "",
    language_error: str = "",
    status=200,
):
    """The welcome form while a seat is free; else the page for both places taken.

    Neither says who is in the session: the link travels by text message and can be
    forwarded, so a stranger holding it learns nothing about the couple. A couple's
    session offers no form: only the way to their standing link.
    """
    if session.status in FINISHED:
        return full_page(request, session)
    taken = seats.seats_taken(session)
    if taken < len(PARTNERS):
        if session.couple_id is not None:
            return couple_door(request, session)
        context = {
            "session": session,
            "partner_waiting": taken > 0,
            "error": error,
            "name": name,
            **language_choice.field(language, language_error),
        }
        return render(request, "sessions/join.html", context, status=status)
    return full_page(request, session)


def _claim(request, session: CoupleSession):
    if session.couple_id is not None:
        return couple_door(request, session)  # the standing link is the couple's door
    # Only `display_name` and `language` are read; fields a page adds before them (a
    # private check) are deliberately let through.
    raw = request.POST.get("display_name", "")
    try:
        language = language_choice.posted_language(request.POST)
    except ValueError as exc:
        return _offer(request, session, name=raw[:80], language_error=str(exc), status=400)
    try:
        name = seats.clean_display_name(raw)
    except ValueError as exc:
        return _offer(
            request, session, error=str(exc), name=raw[:80], language=language, status=400
        )
    token = new_seat_token()
    seat_code = new_seat_code()
    try:
        seats.claim_seat(
            session, name, token, seat_code=normalize_seat_code(seat_code), language=language
        )
    except seats.SessionFull:
        return _offer(request, session)
    except seats.SeatRefused:
        return full_page(request, session)
    grant_seat(request, session.code, token, seat_code)
    tell_room(session.code)
    return language_choice.remember_language(to_room(session.code), language)
