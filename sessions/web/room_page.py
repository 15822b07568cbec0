"""The room page, and leaving a seat.

The page itself is a shell the room socket fills; what it serves here is who the
visitor is (their role) and their own seat code, made on first sight for a seat
that has none. To a visitor with no place it is the join link's answer.

The counselor's page is her desk: beside the couple's room it carries the share link
and its QR code (drawn here, so it works offline and never leaves the server), and, for
a couple's session, the names she gave the couple, so the room can say "Waiting for
Alex and Sam to join" before either has typed a name.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sessions import throttle
from sessions.access import (
    SEAT_CODES_KEY,
    find_session,
    role_for,
    seat_token,
    socket_path,
)
from sessions.codes import new_seat_code, normalize_seat_code
from sessions.engine.actions import STEP_ACTIONS
from sessions.engine.args import INTENSITY_MAX, INTENSITY_MIN, MESSAGE_MAX, WORD_MAX
from sessions.engine.vocabulary import HOST, PARTNERS, A
from sessions.engine.wording import ladder_words
from sessions.models import CoupleSession
from sessions.store import measures, seats
from sessions.store.broadcast import tell_room
from sessions.web import links, qr
from sessions.web.browser_memory import remember_seat_code, remember_token
from sessions.web.form_fields import unexpected_fields, unexpected_message
from sessions.web.language_choice import in_seat_language
from sessions.web.responses import no_place, to_room, too_many


def shown_seat_code(request, session: CoupleSession, role: str) -> str | None:
    """The seat code this browser's seat can be continued with, made now if it has none.

    A seat claimed before seat codes existed (or by a management command) gets one the
    first time its own browser opens the room.
    """
    if role not in PARTNERS:
        return None
    codes = request.session.get(SEAT_CODES_KEY)
    known = codes.get(session.code) if isinstance(codes, dict) else None
    if isinstance(known, str) and seats.has_seat_code(session, role):
        return known
    token = seat_token(request.session, session.code)
    fresh = new_seat_code()
    if token is None or not seats.set_seat_code(session, role, token, normalize_seat_code(fresh)):
        return None
    remember_seat_code(request, session.code, fresh)
    return fresh


# What a check-in answer may hold, as the engine checks it (sessions/engine/args.py).
CHECKIN_LIMITS = {
    "intensity_min": INTENSITY_MIN,
    "intensity_max": INTENSITY_MAX,
    "word_max": WORD_MAX,
}


def _couple_names(session: CoupleSession) -> dict | None:
    """The names the counselor gave the couple, for her own page only (None without one)."""
    couple = session.couple
    return {"a": couple.name_a, "b": couple.name_b} if couple is not None else None


def _pair_card(request, session: CoupleSession, role: str) -> dict | None:
    """A workshop room's pairing word and its QR code, for the partner who started it.

    Only seat a's page holds it (the page's script shows it while seat b is free): the
    word is the one secret between the two of them, never shown to anyone else.
    """
    if session.workshop_id is None or role != A or not session.pairing_word:
        return None
    url = links.pair_url(request, session.workshop.code, session.pairing_word)
    return {"word": session.pairing_word, "url": url, "qr_svg": qr.svg_for(url)}


def _host_seats(session: CoupleSession) -> list[dict]:
    """The seats the host may free, each with its partner's name (None while free)."""
    names = {seat.seat: seat.name for seat in session.seats.all()}
    return [{"seat": seat, "name": names.get(seat)} for seat in PARTNERS]


@never_cache  # holds the seat code: never kept for the Back button after a quick exit
@require_http_methods(["GET"])
@in_seat_language  # the seat's own language; the counselor's page follows her browser
def room(request, code: str):
    session = find_session(code)
    role = role_for(session, request.session, request.user) if session is not None else None
    if role is None:
        # Past the join limit, a room link without a seat is answered the same whether or
        # not the session exists, so the room page is no way around the limit.
        return no_place(request, code, session)
    if role in PARTNERS and measures.due(session, role):
        # A couple's private measure comes first; answering or skipping it leads back here.
        return redirect("measure", code=session.code)
    return _room_page(request, session, role)


def _room_page(request, session: CoupleSession, role: str):
    is_host = role == HOST
    # A couple's session is joined through their standing link (None while it is stopped).
    join_url = links.link_for_session(request, session)
    ladder = ladder_words(translation)  # in the language this page is rendered in
    context = {
        "code": session.code,
        "role": role,
        "is_host": is_host,
        "host_seats": _host_seats(session) if is_host else [],
        # The share link's QR code, on the counselor's desk only.
        "qr_svg": qr.svg_for(join_url) if is_host and join_url else "",
        "message_max": MESSAGE_MAX,
        "session": session,
        "pair": _pair_card(request, session, role),
        "seat_code": shown_seat_code(request, session, role),
        "socket_path": socket_path(session.code),
        # Built like every link handed out (STAY_PUBLIC_URL under `make run LAN=1`).
        "join_url": join_url,
        # The server's own words and lists, for the page to show and its scripts to read.
        "ladder": [{"state": state, **words} for state, words in ladder.items()],
        "checkin": CHECKIN_LIMITS,
        "intensity_start": (INTENSITY_MIN + INTENSITY_MAX) // 2,
        "room_data": {
            "step_actions": STEP_ACTIONS,
            "ladder": ladder,
            "checkin": CHECKIN_LIMITS,
            # Only the counselor's page knows the couple's names before they join.
            "names": _couple_names(session) if is_host else None,
            "message_max": MESSAGE_MAX,
            # A workshop room shows the group's pace, its timer and "Ask for help".
            "workshop": session.workshop_id is not None,
        },
    }
    return render(request, "sessions/room.html", context)


def _refuse_seat_field(request, seat: str | None, missing: str):
    """A 400 naming the problem unless the POST carries at most a `seat` and it is a or b."""
    extra = unexpected_fields(request.POST, ["seat"])
    if extra:
        return HttpResponseBadRequest(unexpected_message(extra), content_type="text/plain")
    if seat not in PARTNERS:
        return HttpResponseBadRequest(missing)
    return None


@require_POST
def release(request, code: str):
    """A partner leaves their own seat; the host may free either seat."""
    session = find_session(code)
    role = role_for(session, request.session, request.user) if session is not None else None
    if role is None:
        if not throttle.count_join_attempt(request):  # no way around the join limit
            return too_many(request)
        if session is None:
            raise Http404("No such session")
        return HttpResponseForbidden(gettext("You do not hold a seat in this session."))
    # A partner may leave out `seat` (it can only be their own); the host must name one.
    seat = request.POST.get("seat", None if role == HOST else role)
    refused = _refuse_seat_field(request, seat, gettext("Choose which seat to free: 'a' or 'b'."))
    if refused is not None:
        return refused
    if role != HOST and seat != role:
        return HttpResponseForbidden(gettext("A partner can free only their own seat."))
    try:
        seats.release_seat(session, seat)
    except seats.SeatRefused:
        return to_room(code) if role == HOST else redirect("home")
    if role != HOST:
        remember_token(request, code, None)
    tell_room(code, revoked=(seat,))
    return to_room(code) if role == HOST else redirect("home")
