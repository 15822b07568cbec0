"""A partner continuing on a new device: a seat code, asking to be let in, taking a place back.

A seat moves only when its device has gone quiet (``seats.lapsed_seats``), or when the
code the place had before an approval takes it back; whatever the proof, the old
device is told to let go. Every try counts against the join limit, so these
pages are no way around it. While a couple's standing link is revoked, every one of
these doors into the couple's unfinished rooms answers the gone link's 410
(`responses.ended_access`): no seat code, knock or take-back gets round a revoke.
"""

from __future__ import annotations

import secrets

from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sessions import throttle
from sessions.access import find_session, role_for, signed_in
from sessions.codes import BadSeatCode, new_seat_code, new_seat_token, normalize_seat_code
from sessions.engine.vocabulary import FINISHED, PARTNERS, SERVER
from sessions.models import CoupleSession
from sessions.store import rooms, seats
from sessions.store.broadcast import tell_room
from sessions.web import language_choice
from sessions.web.browser_memory import (
    forget_knock,
    grant_seat,
    kept_seat_code,
    my_knock,
    remember_knock,
)
from sessions.web.form_fields import unexpected_fields, unexpected_message
from sessions.web.responses import ended_access, full_page, to_join, to_room, too_many

# Worded when shown, in the visitor's language; `%(seconds)s` filled in then.
STILL_OPEN = gettext_lazy(
    "Your place is still open on another device. Close Stay there (or just put that device "
    "away), wait about %(seconds)s seconds, then try again here."
)
NOBODY_IN_THE_ROOM = gettext_lazy(
    "Both places are in use on their own devices right now, so there's nothing to hand "
    "over. If one of them is yours, close Stay there, wait about %(seconds)s seconds, and "
    "try again."
)
NOBODY_TO_ASK = gettext_lazy(
    "Nobody is in the room just now to let you in. Your seat code is the way back: type it above."
)
NOBODY_TO_ASK_FINISHED = gettext_lazy(
    "This session has finished, so there's nobody to ask. If one of its places is yours, "
    "your seat code opens it: type it above."
)
ASKED_TOO_OFTEN = gettext_lazy(
    "This place has been asked about a few times in the last minutes, so nobody is asked "
    "again just now. If it is yours, your seat code is the way back: type it above."
)
WRONG_CODE = gettext_lazy(
    "That code doesn't open a place in this session. Check it and try again — "
    "it's shown in your room under “Continue on another device”."
)


def _move_here(
    request, session: CoupleSession, seat: str, *, by_approval=False, prior_code=None, language=""
):
    """Move `seat` to this browser (proof already given); the old device is told to let go.

    `by_approval`: a `let_in` yes is the proof (the seat keeps its previous code's hash).
    `prior_code`: the code the seat had before it was let in elsewhere, which takes it
    back at once, even from a connected device. Returns None when the seat cannot move
    now (its device came back, or another device took it a moment ago): the caller says so.
    `language` (a form's picker) replaces the seat's language; "" keeps the one it had.
    """
    if prior_code is None and seat not in seats.lapsed_seats(session):
        return None
    token = new_seat_token()
    seat_code = new_seat_code()  # a fresh code: the one used (or never known here) stops working
    try:
        if prior_code is not None:
            seats.reclaim_seat(
                session, seat, prior_code, token, seat_code=normalize_seat_code(seat_code)
            )
            if language:
                seats.set_language(session, seat, token, language)
        else:
            seats.take_over_seat(
                session,
                seat,
                None,
                token,
                seat_code=normalize_seat_code(seat_code),
                by_approval=by_approval,
                language=language or None,
            )
    except (seats.SeatInUse, seats.SeatRefused):
        return None
    grant_seat(request, session.code, token, seat_code)
    forget_knock(request, session.code)
    tell_room(session.code, revoked=(seat,))
    return language_choice.remember_language(to_room(session.code), language)


def _grace_seconds(session: CoupleSession) -> int:
    return session.state.get("settings", {}).get("grace_ms", 15000) // 1000 + 5


def _entry_checks(request, code: str, expected: list[str]):
    """Shared start of the take-over POSTs: limits, the session, no counselor, fields.

    Returns (session, None) or (None, response). Every call counts as a join attempt.
    """
    if throttle.join_blocked(request) or not throttle.count_join_attempt(request):
        return None, too_many(request)
    session = find_session(code)
    if session is None or signed_in(request.user):
        raise Http404("No such session")
    if role_for(session, request.session, request.user) is not None:
        return None, to_room(code)
    ended = ended_access(request, session)
    if ended is not None:
        return None, ended
    extra = unexpected_fields(request.POST, expected)
    if extra:
        return None, HttpResponseBadRequest(unexpected_message(extra), content_type="text/plain")
    return session, None


@sensitive_post_parameters("seat_code")  # never in an error report
@require_POST
def seat_code(request, code: str):
    """A partner on a new device proves their seat with its seat code."""
    session, refused = _entry_checks(request, code, ["seat_code", "language"])
    if refused is not None:
        return refused
    try:
        language = language_choice.posted_language(request.POST)  # "": the seat keeps its own
        typed = normalize_seat_code(request.POST.get("seat_code", ""))
    except (BadSeatCode, ValueError) as exc:
        return full_page(request, session, error=str(exc), status=400)
    seat = seats.seat_for_code(session, typed)
    if seat is None:
        # The code a place had before it was let in on another device takes it back.
        taken_back = seats.seat_for_prior_code(session, typed)
        if taken_back is not None:
            moved = _move_here(request, session, taken_back, prior_code=typed, language=language)
            if moved is not None:
                return moved
    if seat is None:  # a wrong code and a seat nobody holds get the very same answer
        return full_page(request, session, error=WRONG_CODE, status=400)
    moved = _move_here(request, session, seat, language=language)
    if moved is None:
        error = STILL_OPEN % {"seconds": _grace_seconds(session)}
        return full_page(request, session, error=error)
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
        return full_page(request, session, note=NOBODY_TO_ASK_FINISHED)
    if seats.seats_taken(session) < len(PARTNERS):
        return to_join(code)
    chosen = request.POST.get("seat")
    if chosen is not None and chosen not in PARTNERS:
        return HttpResponseBadRequest(_("Choose which place was yours: 'a' or 'b'."))
    lapsed = seats.lapsed_seats(session)
    if not lapsed:
        return full_page(
            request, session, note=NOBODY_IN_THE_ROOM % {"seconds": _grace_seconds(session)}
        )
    if len(lapsed) == len(PARTNERS) and session.counselor_id is None:
        return full_page(request, session, note=NOBODY_TO_ASK)
    seat = lapsed[0] if len(lapsed) == 1 else chosen
    if seat not in lapsed:
        return render(request, "sessions/waiting.html", {"code": code, "choose": True})
    if _asked_too_often(session):
        response = full_page(request, session, note=ASKED_TOO_OFTEN, status=429)
        response["Retry-After"] = str(throttle.KNOCK_WINDOW_SECONDS)
        return response
    knock_id = secrets.token_urlsafe(12)
    result = rooms.submit(code, SERVER, "knock", {"seat": seat, "id": knock_id})
    if not result.accepted:
        return full_page(request, session, note=NOBODY_TO_ASK_FINISHED)
    remember_knock(request, code, knock_id, seat)
    tell_room(code)
    return redirect("waiting", code=code)


def _asked_too_often(session: CoupleSession) -> bool:
    """Whether this session takes no new request to be let in just now (per-session allowance).

    Counted whoever asks, from any address, so nobody can keep putting the question on the
    present partner's screen; a "no" does not stop the next ask (the real partner may ask
    after a stranger was turned away), the allowance does. The seat code always works.
    """
    return not throttle.allow_knock(session.code)


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
            _("This page takes no query but check=1."), content_type="text/plain"
        )
    polling = "check" in request.GET
    session = find_session(code)
    if signed_in(request.user):  # nobody signed in asks to sit in a partner's seat
        return _no_waiting(polling)
    if session is not None and role_for(session, request.session, request.user) is not None:
        return JsonResponse({"changed": True}) if polling else to_room(code)
    mine = my_knock(request, code)
    if mine is None and not throttle.count_join_attempt(request):
        # A browser that asked nothing here is counted, as on the join link, so this page
        # (404 or not) is no way around the join limit.
        return too_many(request)
    if session is None:
        return _no_waiting(polling)
    ended = ended_access(request, session)
    if ended is not None:  # the poll hears news, and the page then says the link is gone
        return JsonResponse({"changed": True}) if polling else ended
    answer = _knock_answer(session, mine) if mine is not None else "gone"
    if polling:
        return JsonResponse({"changed": answer != "waiting"})
    if mine is None:
        return to_join(code)
    if answer == "yes":
        moved = _move_here(request, session, mine["seat"], by_approval=True)
        if moved is not None:
            return moved
        answer = "gone"
    if answer != "waiting":
        forget_knock(request, code)
    context = {"code": code, "answer": answer, "hosted": session.counselor_id is not None}
    return render(request, "sessions/waiting.html", context)


@require_POST
def take_back(request, code: str):
    """Take this browser's place back with the seat code it keeps, typed by nobody.

    Counted as a join attempt like a typed seat code, and CSRF-protected like every POST.
    """
    session, refused = _entry_checks(request, code, [])
    if refused is not None:
        return refused
    kept = kept_seat_code(request, code)
    seat = seats.seat_for_prior_code(session, kept) if kept is not None else None
    moved = _move_here(request, session, seat, prior_code=kept) if seat is not None else None
    return moved if moved is not None else to_join(code)
