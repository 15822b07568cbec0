"""Joining a room through the one shared link, opening it, and leaving a seat.

The join link is sent around by text message and opened by link-preview bots,
so a GET never claims anything; only a POST with a name (and the CSRF token)
does. The seat's secret lives in the browser's Django session, never in a URL.
Every page here has the generic title "Stay" and says nothing about a session
to someone who has no place in it.
"""

from __future__ import annotations

import logging
import secrets

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.http import Http404, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sessions import throttle
from sessions.access import (
    KNOCKS_KEY,
    LEFT_KEY,
    SEAT_CODES_KEY,
    SEATS_KEY,
    find_session,
    role_for,
    seat_token,
    signed_in,
)
from sessions.codes import (
    SEAT_CODE_EXAMPLE,
    BadSeatCode,
    looks_like_join_code,
    new_seat_code,
    new_seat_token,
    normalize_seat_code,
)
from sessions.engine import seat_lapsed
from sessions.models import CoupleSession, Lease, Seat
from sessions.store import leases, rooms, seats
from sessions.store.retention import FINISHED
from sessions.web.form_fields import unexpected_fields, unexpected_message

log = logging.getLogger(__name__)


def _remember(request, key: str, code: str, value: str | None) -> None:
    """Keep (or, with None, drop) this browser's `value` for session `code` under `key`."""
    kept = dict(request.session.get(key) or {})
    if value is None:
        kept.pop(code, None)
    else:
        kept[code] = value
    request.session[key] = kept


def _remember_token(request, code: str, token: str | None) -> None:
    _remember(request, SEATS_KEY, code, token)


def _remember_seat_code(request, code: str, seat_code: str | None) -> None:
    _remember(request, SEAT_CODES_KEY, code, seat_code)


def _grant_seat(request, code: str, token: str, seat_code: str) -> None:
    """Keep a newly granted seat in this browser, under a fresh session key.

    The key is cycled first (the data stays): a session cookie someone else planted in
    this browser, or saw before, never comes to hold the seat (session fixation).
    """
    request.session.cycle_key()
    _remember_token(request, code, token)
    _remember_seat_code(request, code, seat_code)


def shown_seat_code(request, session: CoupleSession, role: str) -> str | None:
    """The seat code this browser's seat can be continued with, made now if it has none.

    A seat claimed before seat codes existed (or by a management command) gets one the
    first time its own browser opens the room.
    """
    if role not in seats.SEATS:
        return None
    codes = request.session.get(SEAT_CODES_KEY)
    known = codes.get(session.code) if isinstance(codes, dict) else None
    if (
        isinstance(known, str)
        and Seat.objects.filter(session=session, seat=role).exclude(code_hash="").exists()
    ):
        return known
    token = seat_token(request.session, session.code)
    fresh = new_seat_code()
    if token is None or not seats.set_seat_code(session, role, token, normalize_seat_code(fresh)):
        return None
    _remember_seat_code(request, session.code, fresh)
    return fresh


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
        state = rooms.load_state(code)
        async_to_sync(layer.group_send)(group, {"type": "room.state", "state": state})
    except Exception:  # the change is committed; the sockets' `sync` heartbeat will catch up
        log.warning("could not tell room %s… about a seat change", code[:6], exc_info=True)


# --- Pages ------------------------------------------------------------------------------


def _too_many(request):
    response = render(request, "sessions/too_many.html", status=429)
    response["Retry-After"] = str(throttle.JOIN_WINDOW_SECONDS)
    return response


def _nothing_here(request, code: str):
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
    agreed = seats.deleted_by_agreement(code)
    return render(request, "sessions/gone.html", {"deleted": True, "agreed": agreed}, status=410)


def removed_page(request, session: CoupleSession):
    """For the browser of a partner who removed themselves from this (finished) session."""
    return render(request, "sessions/gone.html", {"removed": True, "session": session})


def left_codes(request) -> list[str]:
    """Sessions this browser's partner removed themselves from (codes only, the last few)."""
    codes = request.session.get(LEFT_KEY)
    return [c for c in codes if isinstance(c, str)] if isinstance(codes, list) else []


def remember_left(request, code: str) -> None:
    """This browser no longer holds its seat in `code`: its partner removed themselves."""
    _remember_token(request, code, None)
    _remember_seat_code(request, code, None)
    request.session[LEFT_KEY] = [*[c for c in left_codes(request) if c != code], code][-20:]


@require_http_methods(["GET", "POST"])
def join(request, code: str):
    session = find_session(code)
    if session is not None and role_for(session, request.session, request.user) is not None:
        return _room(code)  # the person's own place: never held up by the join limit
    if throttle.join_blocked(request):
        return _too_many(request)
    if session is None:
        return _nothing_here(request, code)
    if signed_in(request.user):
        raise Http404("No such session")
    if code in left_codes(request):
        return removed_page(request, session)
    if request.method == "POST":
        return _claim(request, session)
    return _moved_away(request, session) or _offer(request, session)


def _offer(request, session: CoupleSession, *, error: str = "", name: str = "", status=200):
    """The welcome form while a seat is free; else the page for both places taken.

    Neither says who is in the session: the link travels by text message and can be
    forwarded, so a stranger holding it learns nothing about the couple.
    """
    if session.status in FINISHED:
        return _full(request, session)
    taken = Seat.objects.filter(session=session).count()
    if taken < len(seats.SEATS):
        context = {"session": session, "partner_waiting": taken > 0, "error": error, "name": name}
        return render(request, "sessions/join.html", context, status=status)
    return _full(request, session)


def _full(request, session: CoupleSession, *, error: str = "", note: str = "", status=409):
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


def lapsed_seats(session: CoupleSession) -> list[str]:
    """Claimed seats whose device has been gone longer than the presence grace period.

    The engine decides (`seat_lapsed`, by the room's own grace), so this page and the
    room's auto-pause never disagree about who is gone; this only gathers the facts it
    needs from the database: the live leases and when each seat was claimed. Only a
    lapsed seat can move to a new device, whatever the proof.
    """
    now = leases.now_ms()
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
        name = seats.clean_display_name(raw)
    except ValueError as exc:
        return _offer(request, session, error=str(exc), name=raw[:80], status=400)
    token = new_seat_token()
    seat_code = new_seat_code()
    try:
        seats.claim_seat(session, name, token, seat_code=normalize_seat_code(seat_code))
    except seats.SessionFull:
        return _offer(request, session)
    except seats.SeatRefused:
        return _full(request, session)
    _grant_seat(request, session.code, token, seat_code)
    tell_room(session.code)
    return _room(session.code)


def _move_here(request, session: CoupleSession, seat: str, *, by_approval=False, prior_code=None):
    """Move `seat` to this browser (proof already given); the old device is told to let go.

    `by_approval`: a `let_in` yes is the proof (the seat keeps its previous code's hash).
    `prior_code`: the code the seat had before it was let in elsewhere, which takes it
    back at once, even from a connected device. Returns None when the seat cannot move
    now (its device came back, or another device took it a moment ago): the caller says so.
    """
    if prior_code is None and seat not in lapsed_seats(session):
        return None
    token = new_seat_token()
    seat_code = new_seat_code()  # a fresh code: the one used (or never known here) stops working
    try:
        if prior_code is not None:
            seats.reclaim_seat(
                session, seat, prior_code, token, seat_code=normalize_seat_code(seat_code)
            )
        else:
            seats.take_over_seat(
                session,
                seat,
                None,
                token,
                seat_code=normalize_seat_code(seat_code),
                by_approval=by_approval,
            )
    except (seats.SeatInUse, seats.SeatRefused):
        return None
    _grant_seat(request, session.code, token, seat_code)
    _forget_knock(request, session.code)
    tell_room(session.code, revoked_seat=seat)
    return _room(session.code)


STILL_OPEN = (
    "Your place is still open on another device. Close Stay there (or just put that device "
    "away), wait about {seconds} seconds, then try again here."
)
NOBODY_IN_THE_ROOM = (
    "Both places are in use on their own devices right now, so there's nothing to hand "
    "over. If one of them is yours, close Stay there, wait about {seconds} seconds, and "
    "try again."
)
NOBODY_TO_ASK = (
    "Nobody is in the room just now to let you in. Your seat code is the way back: type it above."
)
NOBODY_TO_ASK_FINISHED = (
    "This session has finished, so there's nobody to ask. If one of its places is yours, "
    "your seat code opens it: type it above."
)
ASKED_TOO_OFTEN = (
    "This place has been asked about a few times in the last minutes, so nobody is asked "
    "again just now. If it is yours, your seat code is the way back: type it above."
)
WRONG_CODE = (
    "That code doesn't open a place in this session. Check it and try again — "
    "it's shown in your room under “Continue on another device”."
)


def _grace_seconds(session: CoupleSession) -> int:
    return session.state.get("settings", {}).get("grace_ms", 15000) // 1000 + 5


def _entry_checks(request, code: str, expected: list[str]):
    """Shared start of the take-over POSTs: limits, the session, no counselor, fields.

    Returns (session, None) or (None, response). Every call counts as a join attempt.
    """
    if throttle.join_blocked(request) or not throttle.count_join_attempt(request):
        return None, _too_many(request)
    session = find_session(code)
    if session is None or signed_in(request.user):
        raise Http404("No such session")
    if role_for(session, request.session, request.user) is not None:
        return None, _room(code)
    extra = unexpected_fields(request.POST, expected)
    if extra:
        return None, HttpResponseBadRequest(unexpected_message(extra), content_type="text/plain")
    return session, None


@sensitive_post_parameters("seat_code")  # never in an error report
@require_POST
def seat_code(request, code: str):
    """A partner on a new device proves their seat with its seat code."""
    session, refused = _entry_checks(request, code, ["seat_code"])
    if refused is not None:
        return refused
    try:
        typed = normalize_seat_code(request.POST.get("seat_code", ""))
    except BadSeatCode as exc:
        return _full(request, session, error=str(exc), status=400)
    seat = seats.seat_for_code(session, typed)
    if seat is None:
        # The code a place had before it was let in on another device takes it back.
        taken_back = seats.seat_for_prior_code(session, typed)
        if taken_back is not None:
            moved = _move_here(request, session, taken_back, prior_code=typed)
            if moved is not None:
                return moved
    if seat is None:  # a wrong code and a seat nobody holds get the very same answer
        return _full(request, session, error=WRONG_CODE, status=400)
    moved = _move_here(request, session, seat)
    if moved is None:
        error = STILL_OPEN.format(seconds=_grace_seconds(session))
        return _full(request, session, error=error)
    return moved


@require_POST
def ask(request, code: str):
    """A partner on a new device asks the person in the room (or the host) to let them in.

    The knock goes to the seat that has gone quiet; with both gone there is nobody to
    ask, except the counselor in a hosted session (who is asked about the place chosen).
    """
    session, refused = _entry_checks(request, code, ["seat"])
    if refused is not None:
        return refused
    if session.status in FINISHED:
        return _full(request, session, note=NOBODY_TO_ASK_FINISHED)
    if Seat.objects.filter(session=session).count() < len(seats.SEATS):
        return redirect(f"/j/{code}/")
    chosen = request.POST.get("seat")
    if chosen is not None and chosen not in seats.SEATS:
        return HttpResponseBadRequest("Choose which place was yours: 'a' or 'b'.")
    lapsed = lapsed_seats(session)
    if not lapsed:
        return _full(
            request, session, note=NOBODY_IN_THE_ROOM.format(seconds=_grace_seconds(session))
        )
    if len(lapsed) == 2 and session.counselor_id is None:
        return _full(request, session, note=NOBODY_TO_ASK)
    seat = lapsed[0] if len(lapsed) == 1 else chosen
    if seat not in lapsed:
        return render(request, "sessions/waiting.html", {"code": code, "choose": True})
    if _asked_too_often(session):
        response = _full(request, session, note=ASKED_TOO_OFTEN, status=429)
        response["Retry-After"] = str(throttle.KNOCK_WINDOW_SECONDS)
        return response
    knock_id = secrets.token_urlsafe(12)
    result = rooms.submit(code, "server", "knock", {"seat": seat, "id": knock_id})
    if not result.accepted:
        return _full(request, session, note=NOBODY_TO_ASK_FINISHED)
    # The answer will be given to whoever holds this session key: a fresh one, so a
    # session cookie planted in this browser (or seen before) cannot collect it.
    request.session.cycle_key()
    knocks = dict(request.session.get(KNOCKS_KEY) or {})
    knocks[code] = {"id": knock_id, "seat": seat}
    request.session[KNOCKS_KEY] = knocks
    tell_room(code)
    return redirect(f"/j/{code}/waiting/")


def _asked_too_often(session: CoupleSession) -> bool:
    """Whether this session takes no new request to be let in just now (per-session allowance).

    Counted whoever asks, from any address, so nobody can keep putting the question on the
    present partner's screen; a "no" does not stop the next ask (the real partner may ask
    after a stranger was turned away), the allowance does. The seat code always works.
    """
    return not throttle.allow_knock(session.code)


def _my_knock(request, code: str) -> dict | None:
    knocks = request.session.get(KNOCKS_KEY)
    knock = knocks.get(code) if isinstance(knocks, dict) else None
    if not isinstance(knock, dict) or knock.get("seat") not in seats.SEATS:
        return None
    return knock if isinstance(knock.get("id"), str) else None


def _forget_knock(request, code: str) -> None:
    knocks = dict(request.session.get(KNOCKS_KEY) or {})
    if knocks.pop(code, None) is not None:
        request.session[KNOCKS_KEY] = knocks


def _knock_answer(session: CoupleSession, mine: dict) -> str:
    """ "waiting", "yes", "no" or "gone" (replaced by a newer request, or the seat moved)."""
    knock = (session.state or {}).get("knock")  # the row this request just read
    if not isinstance(knock, dict) or knock.get("id") != mine["id"]:
        return "gone"
    at = knock.get("at")
    if not isinstance(at, int) or rooms.now_ms() - at > throttle.KNOCK_WINDOW_MS:
        return "gone"  # an answer is for now: a yes kept back for later opens nothing
    return {None: "waiting", "yes": "yes", "no": "no"}.get(knock.get("answer"), "gone")


def _no_waiting(polling: bool):
    """Nothing to wait for here: the poll hears news (and stops); the page is a 404."""
    if polling:
        return JsonResponse({"changed": True})
    raise Http404("No such session")


@require_http_methods(["GET"])
def waiting(request, code: str):
    """The page of someone who asked to be let in, until the answer comes.

    `?check=1` answers the page's own poll with JSON: only whether there is news, never
    who is in the room. When the answer is yes, the seat moves to this browser here.
    """
    # A GET has no CSRF check, so the refusal names nothing it was sent (plain text).
    if unexpected_fields(request.GET, ["check"]) or request.GET.get("check", "1") != "1":
        return HttpResponseBadRequest(
            "This page takes no query but check=1.", content_type="text/plain"
        )
    polling = "check" in request.GET
    session = find_session(code)
    if signed_in(request.user):  # nobody signed in asks to sit in a partner's seat
        return _no_waiting(polling)
    if session is not None and role_for(session, request.session, request.user) is not None:
        return JsonResponse({"changed": True}) if polling else _room(code)
    mine = _my_knock(request, code)
    if mine is None and not throttle.count_join_attempt(request):
        # A browser that asked nothing here is counted, as on the join link, so this page
        # (404 or not) is no way around the join limit.
        return _too_many(request)
    if session is None:
        return _no_waiting(polling)
    answer = _knock_answer(session, mine) if mine is not None else "gone"
    if polling:
        return JsonResponse({"changed": answer != "waiting"})
    if mine is None:
        return redirect(f"/j/{code}/")
    if answer == "yes":
        moved = _move_here(request, session, mine["seat"], by_approval=True)
        if moved is not None:
            return moved
        answer = "gone"
    if answer != "waiting":
        _forget_knock(request, code)
    context = {"code": code, "answer": answer, "hosted": session.counselor_id is not None}
    return render(request, "sessions/waiting.html", context)


def _kept_seat_code(request, code: str) -> str | None:
    """The (normalized) seat code this browser was given in session `code`, if it kept one."""
    codes = request.session.get(SEAT_CODES_KEY)
    kept = codes.get(code) if isinstance(codes, dict) else None
    if not isinstance(kept, str):
        return None
    try:
        return normalize_seat_code(kept)
    except BadSeatCode:
        return None


def _moved_away(request, session: CoupleSession):
    """For a browser whose place was let in on another device: the way back, or None.

    Shown only when the seat code this browser still keeps is the one its place had
    before the approval; the code itself stays server-side, never in the page.
    """
    kept = _kept_seat_code(request, session.code)
    if kept is None or seats.seat_for_prior_code(session, kept) is None:
        return None
    return render(request, "sessions/moved.html", {"code": session.code})


@require_POST
def take_back(request, code: str):
    """Take this browser's place back with the seat code it keeps, typed by nobody.

    Counted as a join attempt like a typed seat code, and CSRF-protected like every POST.
    """
    session, refused = _entry_checks(request, code, [])
    if refused is not None:
        return refused
    kept = _kept_seat_code(request, code)
    seat = seats.seat_for_prior_code(session, kept) if kept is not None else None
    moved = _move_here(request, session, seat, prior_code=kept) if seat is not None else None
    return moved if moved is not None else redirect(f"/j/{code}/")


def _refuse_seat_field(request, seat: str | None, missing: str):
    """A 400 naming the problem unless the POST carries at most a `seat` and it is a or b."""
    extra = unexpected_fields(request.POST, ["seat"])
    if extra:
        return HttpResponseBadRequest(unexpected_message(extra), content_type="text/plain")
    if seat not in seats.SEATS:
        return HttpResponseBadRequest(missing)
    return None


@never_cache  # holds the seat code: never kept for the Back button after a quick exit
@require_http_methods(["GET"])
def room(request, code: str):
    session = find_session(code)
    role = role_for(session, request.session, request.user) if session is not None else None
    if role is None and throttle.join_blocked(request):
        # Past the limit a room link without a seat is answered the same whether or not
        # the session exists, so the room page is no way around the join limit.
        return _too_many(request)
    if session is None:
        return _nothing_here(request, code)
    if role is None:
        if signed_in(request.user):
            raise Http404("No such session")
        if code in left_codes(request):
            return removed_page(request, session)
        return _moved_away(request, session) or redirect(f"/j/{code}/")
    context = {
        "code": session.code,
        "role": role,
        "session": session,
        "seat_code": shown_seat_code(request, session, role),
    }
    return render(request, "sessions/room.html", context)


@require_POST
def release(request, code: str):
    """A partner leaves their own seat; the host may free either seat."""
    session = find_session(code)
    role = role_for(session, request.session, request.user) if session is not None else None
    if role is None:
        if not throttle.count_join_attempt(request):  # no way around the join limit
            return _too_many(request)
        if session is None:
            raise Http404("No such session")
        return HttpResponseForbidden("You do not hold a seat in this session.")
    # A partner may leave out `seat` (it can only be their own); the host must name one.
    seat = request.POST.get("seat", None if role == "host" else role)
    refused = _refuse_seat_field(request, seat, "Choose which seat to free: 'a' or 'b'.")
    if refused is not None:
        return refused
    if role != "host" and seat != role:
        return HttpResponseForbidden("A partner can free only their own seat.")
    try:
        seats.release_seat(session, seat)
    except seats.SeatRefused:
        return _room(code) if role == "host" else redirect("/")
    if role != "host":
        _remember_token(request, code, None)
    tell_room(code, revoked_seat=seat)
    return _room(code) if role == "host" else redirect("/")
