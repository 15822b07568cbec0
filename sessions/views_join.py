"""Joining a room through the one shared link, opening it, and leaving a seat.

The join link is sent around by text message and opened by link-preview bots,
so a GET never claims anything; only a POST with a name (and the CSRF token)
does. The seat's secret lives in the browser's Django session, never in a URL.
Every page here has the generic title "Stay" and says nothing about a session
to someone who has no place in it.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.http import Http404, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sessions import presence, services, store
from sessions.codes import looks_like_join_code, new_seat_token
from sessions.engine import seat_lapsed
from sessions.form_fields import unexpected_fields, unexpected_message
from sessions.models import CoupleSession, Lease, Seat

log = logging.getLogger(__name__)

SEATS_KEY = "stay_seats"  # request.session[SEATS_KEY][code] = this browser's seat token


# --- Who is this browser in this session? (shared with the consumer) ------------------


def find_session(code: str) -> CoupleSession | None:
    """The live session with this code; None for a malformed, unknown or expired one."""
    if not looks_like_join_code(code):
        return None
    try:
        return store.get_session(code)
    except store.SessionNotFound:
        return None


def seat_token(django_session, code: str) -> str | None:
    seats = django_session.get(SEATS_KEY) if django_session is not None else None
    token = seats.get(code) if isinstance(seats, dict) else None
    return token if isinstance(token, str) else None


def _signed_in(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def role_for(session: CoupleSession, django_session, user) -> str | None:
    """ "host" for the owning counselor, "a"/"b" for a seat holder, else None.

    A signed-in counselor who does not own the session gets no role at all: a
    counselor never sits in a partner's seat.
    """
    if _signed_in(user):
        return "host" if session.counselor_id == user.pk else None
    return services.seat_for_token(session, seat_token(django_session, session.code))


def _remember_token(request, code: str, token: str | None) -> None:
    seats = dict(request.session.get(SEATS_KEY) or {})
    if token is None:
        seats.pop(code, None)
    else:
        seats[code] = token
    request.session[SEATS_KEY] = seats


def _live_session_or_404(code: str) -> CoupleSession:
    session = find_session(code)
    if session is None:
        raise Http404("No such session")
    return session


def _room(code: str):
    return redirect(f"/s/{code}/")


# --- Telling the room -------------------------------------------------------------------


def tell_room(code: str, revoked_seat: str | None = None) -> None:
    """Broadcast the committed state after a seat change (the views change seats, not sockets).

    `revoked_seat` asks sockets still holding that seat to re-check their claim, so an
    old device does not keep acting for a seat that moved on.
    """
    layer = get_channel_layer()
    group = f"room.{code}"
    try:
        if revoked_seat is not None:
            async_to_sync(layer.group_send)(group, {"type": "room.revoke", "seat": revoked_seat})
        state = store.load_state(code)
        async_to_sync(layer.group_send)(group, {"type": "room.state", "state": state})
    except Exception:  # the change is committed; the sockets' `sync` heartbeat will catch up
        log.warning("could not tell room %s… about a seat change", code[:6], exc_info=True)


# --- Pages ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def join(request, code: str):
    session = _live_session_or_404(code)
    if _signed_in(request.user):
        if session.counselor_id == request.user.pk:
            return _room(code)
        raise Http404("No such session")
    if role_for(session, request.session, request.user) is not None:
        return _room(code)
    if request.method == "POST":
        return _claim(request, session)
    return _offer(request, session)


def _offer(request, session: CoupleSession, *, error: str = "", name: str = "", status=200):
    """The welcome form while a seat is free; else take-over or the 'full' page."""
    taken = dict(Seat.objects.filter(session=session).values_list("seat", "name"))
    if len(taken) < len(services.SEATS):
        partner = next(iter(taken.values()), None)
        context = {"session": session, "partner": partner, "error": error, "name": name}
        return render(request, "sessions/join.html", context, status=status)
    lapsed = lapsed_seats(session)
    if lapsed:
        context = {"session": session, "lapsed": [(s, taken[s]) for s in lapsed]}
        return render(request, "sessions/takeover.html", context)
    return render(request, "sessions/full.html", status=409)


def lapsed_seats(session: CoupleSession) -> list[str]:
    """Claimed seats whose device has been gone longer than the presence grace period.

    The engine decides (`seat_lapsed`, by the room's own grace), so this page and the
    room's auto-pause never disagree about who is gone; this only gathers the facts it
    needs from the database: the live leases and when each seat was claimed.
    """
    now = presence.now_ms()
    live = set(
        Lease.objects.filter(session=session, expires_at__gt=timezone.now()).values_list(
            "role", flat=True
        )
    )
    return [
        seat.seat
        for seat in Seat.objects.filter(session=session).order_by("seat")
        if seat_lapsed(
            session.state,
            seat.seat,
            now,
            connected=seat.seat in live,
            claimed_at=int(seat.claimed_at.timestamp() * 1000),
        )
    ]


def _claim(request, session: CoupleSession):
    # Only `display_name` is read; fields a page adds before it (a private check) are
    # deliberately let through, as issue 3 asks.
    raw = request.POST.get("display_name", "")
    try:
        name = services.clean_display_name(raw)
    except ValueError as exc:
        return _offer(request, session, error=str(exc), name=raw[:80], status=400)
    token = new_seat_token()
    try:
        services.claim_seat(session, name, token)
    except services.SessionFull:
        return _offer(request, session)
    except services.SeatRefused:
        return render(request, "sessions/full.html", status=409)
    _remember_token(request, session.code, token)
    tell_room(session.code)
    return _room(session.code)


@require_POST
def take_over(request, code: str):
    """A partner whose old device went quiet continues on this one (after confirming it is them)."""
    session = _live_session_or_404(code)
    if _signed_in(request.user):
        raise Http404("No such session")
    seat = request.POST.get("seat")
    refused = _refuse_seat_field(request, seat, "Choose which seat to continue in: 'a' or 'b'.")
    if refused is not None:
        return refused
    if seat not in lapsed_seats(session):
        # Taken back by its device meanwhile, or never lapsed: show what is true now.
        return _offer(request, session)
    token = new_seat_token()
    try:
        services.take_over_seat(session, seat, None, token)  # the person keeps their name
    except (services.SeatInUse, services.SeatRefused):
        return _offer(request, session)
    _remember_token(request, session.code, token)
    tell_room(session.code, revoked_seat=seat)
    return _room(session.code)


def _refuse_seat_field(request, seat: str | None, missing: str):
    """A 400 naming the problem unless the POST carries at most a `seat` and it is a or b."""
    extra = unexpected_fields(request.POST, ["seat"])
    if extra:
        return HttpResponseBadRequest(unexpected_message(extra))
    if seat not in services.SEATS:
        return HttpResponseBadRequest(missing)
    return None


@require_http_methods(["GET"])
def room(request, code: str):
    session = _live_session_or_404(code)
    role = role_for(session, request.session, request.user)
    if role is None:
        if _signed_in(request.user):
            raise Http404("No such session")
        return redirect(f"/j/{code}/")
    return render(
        request, "sessions/room.html", {"code": session.code, "role": role, "session": session}
    )


@require_POST
def release(request, code: str):
    """A partner leaves their own seat; the host may free either seat."""
    session = _live_session_or_404(code)
    role = role_for(session, request.session, request.user)
    if role is None:
        return HttpResponseForbidden("You do not hold a seat in this session.")
    # A partner may leave out `seat` (it can only be their own); the host must name one.
    seat = request.POST.get("seat", None if role == "host" else role)
    refused = _refuse_seat_field(request, seat, "Choose which seat to free: 'a' or 'b'.")
    if refused is not None:
        return refused
    if role != "host" and seat != role:
        return HttpResponseForbidden("A partner can free only their own seat.")
    try:
        services.release_seat(session, seat)
    except services.SeatRefused:
        return _room(code) if role == "host" else redirect("/")
    if role != "host":
        _remember_token(request, code, None)
    tell_room(code, revoked_seat=seat)
    return _room(code) if role == "host" else redirect("/")
