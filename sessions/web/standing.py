"""A couple's standing link: their current session, or their practice and a calm page.

The link the counselor gives a couple once (``/c/<link>/``) and that works week after
week: it opens the session their counselor has started, or, when there is none, shows
their practice with a Start button. Whoever holds the link is the couple, so its pages
may name them; a link that never existed is a plain 404, one that was revoked, replaced
or whose couple was deleted a 410 that names nothing (only its hash is kept:
``store.couples.link_is_gone``). Misses count against the join limit like a join link
that leads nowhere.

Each browser remembers which of the two it is for this couple (``browser_memory``), so
the second week is one tap: the POST takes that seat with the couple's name for it.
A GET never claims anything (link previews); every change is a POST with CSRF.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sessions import throttle
from sessions.access import role_for, signed_in
from sessions.codes import (
    looks_like_join_code,
    new_seat_code,
    new_seat_token,
    normalize_seat_code,
)
from sessions.engine.vocabulary import ACTIVE, PARTNERS, PAUSED, WAITING, A
from sessions.models import Couple, CoupleSession, Practice
from sessions.reports import practice as practice_counts
from sessions.store import couples, seats
from sessions.store.broadcast import tell_room
from sessions.web import language_choice
from sessions.web.browser_memory import couple_seat, grant_seat, remember_couple_seat
from sessions.web.form_fields import unexpected_fields, unexpected_message
from sessions.web.responses import to_join, to_room, too_many

OPEN = (WAITING, ACTIVE, PAUSED)
CSS = "css/standing.css"


# --- Who is at the door ---------------------------------------------------------------


def _couple_or_answer(request, link: str):
    """(couple, None) for the couple's own link; else (None, the answer) or a 404.

    A malformed link is refused before any query; an unknown or gone one counts as a
    miss against the join limit, and the answer is the same whether or not the couple
    exists once the limit is spent.
    """
    if not looks_like_join_code(link):
        throttle.count_join_attempt(request)
        raise Http404("No such link")
    if throttle.join_blocked(request):
        return None, too_many(request)
    couple = couples.couple_for_link(link)
    if couple is None:
        throttle.count_join_attempt(request)
        if couples.link_is_gone(link):
            return None, render(request, "sessions/standing_gone.html", status=410)
        raise Http404("No such link")
    if signed_in(request.user):
        # A counselor is never a partner: the owner is pointed at the couple's page.
        if couple.counselor_id != request.user.pk:
            raise Http404("No such link")
        context = {"owner": True, "couple_url": reverse("counselor:couple", args=[couple.pk])}
        return None, render(request, "sessions/standing.html", context)
    return couple, None


def _name(couple: Couple, seat: str) -> str:
    return couple.name_a if seat == A else couple.name_b


# --- What the link shows ----------------------------------------------------------------


def hosted_now(couple: Couple) -> CoupleSession | None:
    """The session the counselor has started for this couple and not finished (newest)."""
    return (
        CoupleSession.objects.live()
        .filter(couple=couple, counselor__isnull=False, status__in=OPEN)
        .order_by("-created_at")
        .first()
    )


def _open_session(couple: Couple, code: str) -> CoupleSession | None:
    """One of this couple's unfinished sessions, by its code (hosted or practice)."""
    if not looks_like_join_code(code):
        return None
    return CoupleSession.objects.live().filter(couple=couple, code=code, status__in=OPEN).first()


def _running_practice(couple: Couple):
    return (
        CoupleSession.objects.live()
        .filter(couple=couple, counselor__isnull=True, status__in=OPEN)
        .order_by("-created_at")
    )


def _practice_rows(couple: Couple) -> list[dict]:
    rows = []
    for practice in couple.practices.filter(stopped_at__isnull=True).order_by("created_at"):
        # The counselor's page counts the same way: finished practice since Monday.
        done = practice_counts.done_this_week(practice)
        times = practice.times_per_week
        rows.append(
            {
                "id": practice.pk,
                "title": practice.protocol_title_in(),
                "note": practice.note,
                "often": ngettext("%(count)s time this week", "%(count)s times this week", times)
                % {"count": times},
                "done": _("done %(done)s of %(times)s this week") % {"done": done, "times": times},
            }
        )
    return rows


def _running_rows(request, couple: Couple) -> list[dict]:
    rows = []
    for session in _running_practice(couple)[:5]:
        mine = role_for(session, request.session, request.user) in PARTNERS
        holders = list(session.seats.order_by("seat").values_list("name", flat=True))
        said = {"title": session.protocol_title_in()}
        if mine:
            line = _("You started %(title)s.") % said
        elif len(holders) == 2:
            line = _("%(first)s and %(second)s started %(title)s.") % {
                **said,
                "first": holders[0],
                "second": holders[1],
            }
        elif holders:
            line = _("%(name)s started %(title)s.") % {**said, "name": holders[0]}
        else:
            line = _("One of you started %(title)s.") % said
        rows.append(
            {
                "code": session.code,
                "title": session.protocol_title_in(),
                "mine": mine,
                "line": line,
            }
        )
    return rows


@never_cache
@require_GET
def standing(request, link: str):
    couple, answer = _couple_or_answer(request, link)
    if answer is not None:
        return answer
    current = hosted_now(couple)
    context = {
        "link": link,
        "couple": couple,
        "current": current,
        "current_mine": current is not None
        and role_for(current, request.session, request.user) in PARTNERS,
        "practices": [] if current else _practice_rows(couple),
        "running": [] if current else _running_rows(request, couple),
        "css": CSS,
    }
    return render(request, "sessions/standing.html", context)


# --- Taking a seat -----------------------------------------------------------------------


def _refuse_fields(request, expected: list[str]):
    extra = unexpected_fields(request.POST, expected)
    if extra:
        return HttpResponseBadRequest(unexpected_message(extra), content_type="text/plain")
    seat = request.POST.get("seat")
    if seat is not None and seat not in PARTNERS:
        return HttpResponseBadRequest(
            _("Choose which of you this is: seat 'a' or 'b'."), content_type="text/plain"
        )
    return None


def _who(
    request,
    couple: Couple,
    action: str,
    hidden: dict,
    *,
    taken=None,
    status=200,
    language: str = "",
    language_error: str = "",
):
    """ "Which of you is this?": two buttons, each posting the same request with a seat,
    and the language picker (the seat is taken in the language chosen there)."""
    context = {
        "action": action,
        "hidden": hidden,
        "choices": [{"seat": seat, "name": _name(couple, seat)} for seat in PARTNERS],
        "taken": taken,
        "css": CSS,
        **language_choice.field(language, language_error),
    }
    return render(request, "sessions/standing_who.html", context, status=status)


def _seat_for(request, couple: Couple) -> str | None:
    """The seat posted (and now remembered), else the one this browser remembers."""
    posted = request.POST.get("seat")
    if posted in PARTNERS:
        remember_couple_seat(request, couple.pk, posted)
        return posted
    return couple_seat(request, couple.pk)


def _claim(
    request, couple: Couple, session: CoupleSession, seat: str, action: str, hidden, language
):
    """Take `seat` in `session` for this browser, as the join link does (`joining._claim`),
    reading the room in `language` ("": the browser's own choice)."""
    if role_for(session, request.session, request.user) is not None:
        return to_room(session.code)
    token, seat_code = new_seat_token(), new_seat_code()
    try:
        seats.claim_seat(
            session,
            _name(couple, seat),
            token,
            seat_code=normalize_seat_code(seat_code),
            seat=seat,
            language=language,
        )
    except seats.SessionFull:
        if seats.seats_taken(session) >= len(PARTNERS):
            return to_join(session.code)  # both taken: the usual new-device page
        taken = {"name": _name(couple, seat), "code": session.code}
        return _who(request, couple, action, hidden, taken=taken, status=409, language=language)
    except (seats.SeatRefused, ValueError):
        return to_join(session.code)
    grant_seat(request, session.code, token, seat_code)
    tell_room(session.code)
    return language_choice.remember_language(to_room(session.code), language)


def _language(request, couple: Couple, action: str, hidden: dict):
    """(the language the form chose, None), or (None, the "which of you" page saying why
    the value was refused): nothing is claimed or remembered on a tampered form."""
    try:
        return language_choice.posted_language(request.POST), None
    except ValueError as exc:
        return None, _who(request, couple, action, hidden, language_error=str(exc), status=400)


@require_POST
def join_current(request, link: str):
    """Join the session the counselor started (or a running practice, `session` = its code)."""
    couple, answer = _couple_or_answer(request, link)
    if answer is not None:
        return answer
    refused = _refuse_fields(request, ["session", "seat", "language"])
    if refused is not None:
        return refused
    code = request.POST.get("session", "")
    target = _open_session(couple, code) if code else hosted_now(couple)
    if target is None:
        return redirect("standing", link=link)  # finished meanwhile: the page says what there is
    action = reverse("standing_join", args=[link])
    hidden = {"session": code} if code else {}
    language, refused = _language(request, couple, action, hidden)
    if refused is not None:
        return refused
    seat = _seat_for(request, couple)
    if seat is None:
        return _who(request, couple, action, hidden, language=language)
    return _claim(request, couple, target, seat, action, hidden, language)


@require_POST
def start_practice(request, link: str):
    """Start one of the couple's practices (or join the one a partner just started)."""
    couple, answer = _couple_or_answer(request, link)
    if answer is not None:
        return answer
    refused = _refuse_fields(request, ["practice", "seat", "language"])
    if refused is not None:
        return refused
    raw = request.POST.get("practice", "")
    practice = (
        Practice.objects.filter(couple=couple, pk=int(raw), stopped_at__isnull=True).first()
        # ASCII digits of a plausible id only: "²" or five thousand nines are no practice.
        if raw.isascii() and raw.isdigit() and len(raw) <= 12
        else None
    )
    if practice is None:
        return redirect("standing", link=link)  # stopped meanwhile: the page shows what's left
    action = reverse("standing_practice", args=[link])
    hidden = {"practice": practice.pk}
    language, refused = _language(request, couple, action, hidden)
    if refused is not None:
        return refused
    seat = _seat_for(request, couple)
    if seat is None:
        return _who(request, couple, action, hidden, language=language)
    # Two partners pressing Start (at once, or a minute apart), or one partner's second
    # device, meet in one room, never two: a seat held by another browser there gets the
    # "open on another device" page, not a room of its own.
    session = couples.practice_room(couple, practice)
    if session is None:
        return redirect("standing", link=link)  # stopped meanwhile
    return _claim(request, couple, session, seat, action, hidden, language)
