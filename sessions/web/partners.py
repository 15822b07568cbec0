"""The partners' pages around the room: home, starting a session, its summary, deleting it.

The room page itself is served by `room_page.room`; this module covers what
comes before (choosing a protocol, sharing the link) and after (the summary,
removing oneself at once, and deleting everything once both partners said yes).
Anyone may start a session, so creation is rate-limited per client address;
summaries and deletion are for the people in the session only, and to anyone else
they look exactly like a page that does not exist (a browser that held a seat in a
deleted session is told, in words, what happened).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sessions.access import find_session, left_codes, remember_left, role_for, seat_token
from sessions.engine.vocabulary import FINISHED, PARTNERS, other
from sessions.reports.charts import checkin_chart_svg
from sessions.reports.partner_export import partner_csv, partner_json
from sessions.reports.partner_summary import partner_summary
from sessions.store import creation, deletion, seats, sharing
from sessions.store.broadcast import tell_room
from sessions.throttle import allow_creation, client_address
from sessions.web import links, qr
from sessions.web.form_fields import unexpected_fields, unexpected_message
from sessions.web.forms import in_reader_language, shared_protocols
from sessions.web.language_choice import in_seat_language
from sessions.web.responses import gone_page, removed_page

CREATED_KEY = "stay_created"  # request.session[CREATED_KEY]: codes this browser created
MAX_REMEMBERED = 20


# --- Home and creation --------------------------------------------------------------


def public_protocols() -> list[dict]:
    """Protocols anyone may start (the shared ones, not a counselor's own), shortest first."""
    listed = [
        {
            "slug": doc["slug"],
            "title": doc["title"],
            "minutes": doc.get("minutes", 0),
            "for_whom": doc.get("for_whom", ""),
            "summary": doc.get("summary", ""),
        }
        for doc in map(in_reader_language, shared_protocols().values())
    ]
    return sorted(listed, key=lambda p: (p["minutes"], p["title"]))


def home(request, *, rate_limited: bool = False, status: int = 200):
    context = {
        "protocols": public_protocols(),
        "rate_limited": rate_limited,
        "deleted": request.GET.get("deleted") == "1",
    }
    return render(request, "home.html", context, status=status)


@require_POST
def create(request):
    slug = request.POST.get("protocol", "")
    known = {p["slug"] for p in public_protocols()}
    if slug not in known:
        return HttpResponseBadRequest(
            _("Choose one of the sessions listed on the start page."), content_type="text/plain"
        )
    if not allow_creation(client_address(request)):
        return home(request, rate_limited=True, status=429)
    session = creation.create_session(slug)
    created = [c for c in request.session.get(CREATED_KEY, []) if c != session.code]
    request.session[CREATED_KEY] = [*created, session.code][-MAX_REMEMBERED:]
    return redirect("web-created", code=session.code)


@require_GET
def created(request, code: str):
    """The link to share. Only the browser that created the session sees this page."""
    if code not in request.session.get(CREATED_KEY, []):
        raise Http404("No such session")
    session = find_session(code)
    if session is None:
        raise Http404("No such session")
    join_url = links.join_url(request, code)
    context = {
        "code": code,
        "join_url": join_url,
        "qr_svg": qr.svg_for(join_url),
        "protocol_title": session.protocol_title_in(),
        "minutes": session.protocol_doc.get("minutes", 0),
    }
    return render(request, "sessions/created.html", context)


# --- Summary and deletion -------------------------------------------------------------


@never_cache  # names and answers: never kept for the Back button after a quick exit
@require_GET
@in_seat_language  # also fetched into the room as it ends: the room's own language
def summary(request, code: str):
    session = find_session(code)
    role = role_for(session, request.session, request.user) if session is not None else None
    if role is None:
        return _no_summary(request, code, session)
    return _summary_page(request, session, role)


def _no_summary(request, code: str, session):
    """A browser with no seat here: told what became of its seat if it had one, else 404."""
    if session is None and (seat_token(request.session, code) or code in left_codes(request)):
        return gone_page(request, code)
    if session is not None and code in left_codes(request):
        return removed_page(request, session)
    raise Http404("No such session")


def deletion_context(session, role: str) -> dict:
    """What the summary says about deleting: who asked, who left, what happens to notes."""
    if role not in PARTNERS or session.status not in FINISHED:
        return {}
    partner_seat = other(role)
    taken = session.state.get("seats") or {}
    partner = (taken.get(partner_seat) or {}).get("name") or _("Your partner")
    return {
        "partner": partner,
        "partner_left": deletion.partner_has_left(session, role),
        "partner_forgotten": bool((taken.get(partner_seat) or {}).get("forgotten")),
        "i_asked": session.delete_requested_by == role,
        "partner_asked": session.delete_requested_by == partner_seat,
        "partner_kept": session.delete_kept_by == partner_seat and not session.delete_requested_by,
        "hosted": session.counselor_id is not None,
        # A couple's session stays with their counselor's records of them (README, "Working
        # with couples over time"): no date to show, so the page says who keeps it instead.
        "with_couple": session.couple_id is not None,
        "expires_at": session.expires_at,
        # Let in by approval: no yes to deleting from this device (`deletion.ask_to_delete`).
        "by_approval": seats.held_by_approval(session, role),
        "no_delete_by_approval": deletion.NO_DELETE_BY_APPROVAL,
    }


def share_context(session, role: str) -> dict:
    """A partner's own "share this practice" tick, and whether both ticked; else {}.

    Only for a finished practice session. The other partner's tick is never said on
    its own: only "shared" once both agreed.
    """
    if role not in PARTNERS or session.status not in FINISHED or not session.is_practice:
        return {}
    ticks = sharing.ticks(session)
    taken = session.state.get("seats") or {}
    partner = (taken.get(other(role)) or {}).get("name") or _("your partner")
    return {"mine": ticks[role], "both": all(ticks.values()), "partner": partner}


def _summary_page(request, session, role: str, *, status: int = 200, error: str = ""):
    s = partner_summary(session, role)
    context = {
        "code": session.code,
        "role": role,
        "s": s,
        "d": deletion_context(session, role),
        "finished": session.status in FINISHED,
        "error": error,
        # The same chart the counselor sees, from the answers as this partner may see them.
        "chart_svg": checkin_chart_svg(
            {"arrival": s.get("arrival"), "closing": s.get("closing")}, s["names"]
        ),
        "share": share_context(session, role),
        "css": "css/standing.css",
    }
    return render(request, "sessions/summary.html", context, status=status)


def _not_finished(request, code: str, role: str):
    return render(
        request,
        "sessions/summary.html",
        {"code": code, "role": role, "s": None, "not_finished": True},
        status=409,
    )


def _partner_session_and_role(request, code: str, expected: list[str]):
    """The session and seat of the partner posting; a 404 to anyone else."""
    session = find_session(code)
    role = role_for(session, request.session, request.user) if session is not None else None
    if role not in PARTNERS:
        raise Http404("No such session")
    extra = unexpected_fields(request.POST, expected)
    if extra:
        return (
            session,
            role,
            HttpResponseBadRequest(unexpected_message(extra), content_type="text/plain"),
        )
    return session, role, None


@require_POST
@in_seat_language  # a refusal redraws the summary: in the seat's language
def delete(request, code: str):
    """A partner's yes (confirm=yes) or "keep it" (confirm=no) to deleting the finished session.

    Deleting removes names, check-ins, events and the session, and needs both partners'
    yes: the first yes is kept as a request the other partner sees on the summary; the
    second deletes. A partner who removed themselves counts as a yes. "Keep it" withdraws
    one's own request or answers the other's. A counselor's private notes are the
    counselor's records: they stay, detached, labelled with what the session was.
    """
    session, role, refused = _partner_session_and_role(request, code, ["confirm"])
    if refused is not None:
        return refused
    answer = request.POST.get("confirm")
    if answer not in ("yes", "no"):
        return HttpResponseBadRequest(
            _("Deleting needs confirming: send confirm=yes (or confirm=no to keep the session)."),
            content_type="text/plain",
        )
    if session.status not in FINISHED:
        return _not_finished(request, code, role)
    if answer == "no":
        deletion.keep_session(session, role)
        return redirect("web-summary", code=code)
    try:
        deleted = deletion.ask_to_delete(session, role)
    except seats.SeatRefused as refusal:
        if refusal.code == "held_by_approval":
            return _summary_page(request, session, role, status=403, error=str(refusal))
        return _not_finished(request, code, role)
    if not deleted:
        return redirect("web-summary", code=code)
    request.session[CREATED_KEY] = [c for c in request.session.get(CREATED_KEY, []) if c != code]
    # Sockets still open on this room re-check their seat, find none, and close (4403).
    tell_room(code, revoked=PARTNERS, state=False)
    return redirect(f"{reverse('home')}?deleted=1")


@require_POST
@in_seat_language  # a refusal redraws the summary: in the seat's language
def forget(request, code: str):
    """ "Remove me": a partner takes their name and answers out of the finished session at once."""
    session, role, refused = _partner_session_and_role(request, code, ["confirm"])
    if refused is not None:
        return refused
    if request.POST.get("confirm") != "yes":
        return HttpResponseBadRequest(
            _("Removing yourself needs confirming: send confirm=yes."), content_type="text/plain"
        )
    try:
        seats.forget_seat(session, role)
    except seats.SeatRefused:
        return _not_finished(request, code, role)
    remember_left(request, code)
    tell_room(code, revoked=(role,))
    return redirect("web-summary", code=code)


@require_POST
@in_seat_language  # a refusal redraws the summary: in the seat's language
def share_practice(request, code: str):
    """A partner's tick (share=yes) or taking it back (share=no) on a finished practice."""
    session, role, refused = _partner_session_and_role(request, code, ["share"])
    if refused is not None:
        return refused
    answer = request.POST.get("share")
    if answer not in ("yes", "no"):
        return HttpResponseBadRequest(
            _("Say whether to share this practice: send share=yes (or share=no)."),
            content_type="text/plain",
        )
    if not session.is_practice:
        raise Http404("No such session")
    if session.status not in FINISHED:
        return _not_finished(request, code, role)
    try:
        sharing.set_share(session, role, answer == "yes")
    except sharing.NotSharable:
        return _not_finished(request, code, role)
    return redirect("web-summary", code=code)


@never_cache
@require_GET
@in_seat_language  # its headings and sentences as the summary page words them
def export(request, code: str, fmt: str):
    """The couple's own download of this session (no notes, no CSI-4): as the summary page."""
    session = find_session(code)
    role = role_for(session, request.session, request.user) if session is not None else None
    if role is None:
        return _no_summary(request, code, session)
    stamp = session.created_at.strftime("%Y-%m-%d")
    filename = f"stay-{session.protocol_slug}-{stamp}"
    if fmt == "csv":
        response = HttpResponse(partner_csv(session, role), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = JsonResponse(partner_json(session, role), json_dumps_params={"indent": 2})
    else:
        raise Http404("Unknown export format")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
