"""Counselor pages: dashboard, own protocols, hosting a session, private notes, summaries.

Every page here belongs to one signed-in counselor. Sessions and protocols are
always looked up together with their owner, so someone else's session or
protocol is indistinguishable from one that does not exist: a 404, never a 403
that would confirm it is there.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sessions.codes import looks_like_join_code
from sessions.engine.vocabulary import (
    ACTIVE,
    COMPLETED,
    ENDED,
    FINISHED,
    IN_PROGRESS,
    PAUSED,
    WAITING,
)
from sessions.models import CoupleSession, Note, Protocol
from sessions.reports import exports
from sessions.reports.charts import checkin_chart_svg
from sessions.reports.timeline import counselor_summary
from sessions.store import creation, notices
from sessions.web import qr
from sessions.web.forms import (
    EXAMPLE_PROTOCOL,
    NewSessionForm,
    NoteForm,
    ProtocolForm,
    in_reader_language,
    shared_protocols,
)
from sessions.web.links import link_for_session

STATUS_GROUPS = {
    WAITING: "waiting",
    ACTIVE: "live",
    PAUSED: "live",
    COMPLETED: "finished",
    ENDED: "finished",
}
# A word beside a session whose group alone does not say how it stands.
STATUS_BADGES = {PAUSED: gettext_noop("paused"), ENDED: gettext_noop("ended early")}


def own_session(request, code: str) -> CoupleSession:
    """The counselor's own, unexpired session with this code, or 404 for anything else.

    A code that cannot be a join code is a 404 before it becomes a query, as on the join link.
    """
    if not looks_like_join_code(code):
        raise Http404("No such session")
    return get_object_or_404(CoupleSession.objects.live(), code=code, counselor=request.user)


def room_url(code: str) -> str:
    return reverse("room", kwargs={"code": code})


@login_required
@require_GET
def dashboard(request):
    """Her sessions by how they stand, her couples' practice running now; live (protocol §13).

    The page marks its changing parts `data-live-region`; `static/js/live-pages.js`
    fetches the page again when her socket says a room changed and swaps them in.
    """
    sessions = (
        CoupleSession.objects.live()
        # A workshop's rooms have their own console: sixty of them would bury her sessions.
        .filter(counselor=request.user, workshop__isnull=True)
        .select_related("couple")
        .prefetch_related("seats")
        .order_by("-created_at")
    )
    groups = {"waiting": [], "live": [], "finished": []}
    for session in sessions:
        badge = STATUS_BADGES.get(session.status)
        session.badge = _(badge) if badge else ""
        session.now = _now(session) if session.status not in FINISHED else ""
        groups[STATUS_GROUPS.get(session.status, "finished")].append(session)
    detached_notes = Note.objects.filter(counselor=request.user, session__isnull=True)
    return render(
        request,
        "counselor/dashboard.html",
        {
            "groups": [
                ("waiting", pgettext("sessions", "Waiting to start"), groups["waiting"]),
                ("live", pgettext("sessions", "Live now"), groups["live"]),
                ("finished", pgettext("sessions", "Finished"), groups["finished"]),
            ],
            "practising": _practising(request.user),
            "retention_days": settings.STAY["FINISHED_RETENTION_DAYS"],
            "new_session_form": NewSessionForm(owner=request.user),
            "detached_notes": detached_notes,
        },
    )


def _names(session: CoupleSession) -> tuple[str, str] | None:
    couple = session.couple
    return (couple.name_a, couple.name_b) if couple is not None else None


def _now(session: CoupleSession) -> str:
    """How a room stands in the counselor's words, the same her socket announces."""
    return notices.now_words(session.state, names=_names(session))


def _practising(counselor) -> list[dict]:
    """Her couples' practice sessions still open: who, what and how it stands, nothing said."""
    running = (
        CoupleSession.objects.live()
        .filter(couple__counselor=counselor, counselor__isnull=True, status__in=notices.OPEN)
        .select_related("couple")
        .order_by("-created_at")
    )
    return [
        {
            "couple": session.couple,
            "title": session.protocol_title_in(),
            "now": _now(session),
            "started": session.created_at,
        }
        for session in running
    ]


@login_required
@require_GET
def protocol_list(request):
    builtins = [in_reader_language(doc) for doc in shared_protocols().values()]
    own = Protocol.objects.filter(owner=request.user).order_by("title")
    return render(request, "counselor/protocol_list.html", {"own": own, "builtins": builtins})


@login_required
@require_http_methods(["GET", "POST"])
def protocol_create(request):
    return _protocol_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def protocol_edit(request, slug: str):
    return _protocol_page(request, get_object_or_404(Protocol, slug=slug, owner=request.user))


def _protocol_page(request, protocol: Protocol | None):
    """Writing a new protocol and editing one's own are the same page and the same checks."""
    if request.method == "POST":
        form = ProtocolForm(request.POST, instance=protocol, owner=request.user)
        if form.is_valid():
            form.save()
            return redirect("counselor:protocols")
    elif protocol is None:
        form = ProtocolForm(owner=request.user, initial={"source": EXAMPLE_PROTOCOL})
    else:
        form = ProtocolForm(instance=protocol, owner=request.user)
    return render(
        request,
        "counselor/protocol_form.html",
        {"form": form, "protocol": protocol},
        status=_status(form),
    )


def _status(form) -> int:
    """A refused form answers 400 (scripts and tests see it), yet still shows the page."""
    return 400 if form.is_bound and form.errors else 200


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request):
    if request.method == "POST":
        form = NewSessionForm(request.POST, owner=request.user)
        if form.is_valid():
            slug, own_protocol = form.cleaned_data["protocol"]
            session = creation.create_session(slug, counselor=request.user, protocol=own_protocol)
            return redirect("counselor:share", code=session.code)
    else:
        form = NewSessionForm(owner=request.user, initial={"protocol": request.GET.get("protocol")})
    return render(request, "counselor/session_new.html", {"form": form}, status=_status(form))


@login_required
@require_GET
def share(request, code: str):
    session = own_session(request, code)
    # A couple's session opens from their standing link (none while Dana has stopped it).
    link = link_for_session(request, session)
    return render(
        request,
        "counselor/share.html",
        {
            "session": session,
            "couple": session.couple,
            "join_url": link,
            "qr_svg": qr.svg_for(link) if link else "",
            "room_url": room_url(code),
        },
    )


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _note_json(note: Note) -> dict:
    return {"id": note.pk, "text": note.text, "created_at": note.created_at.isoformat()}


@login_required
@require_POST
def note_create(request, code: str):
    """Store a private note; it lives only in the database and on the counselor's pages."""
    session = own_session(request, code)
    form = NoteForm(request.POST)
    if not form.is_valid():
        message = " ".join(form.errors["text"])
        if _wants_json(request):
            return JsonResponse({"error": message}, status=400)
        return render(
            request,
            "counselor/note_error.html",
            {"message": message, "back": _back(request, code)},
            status=400,
        )
    note = Note.objects.create(
        counselor=request.user,
        session=session,
        # A note on a couple's session stays with the couple when the partners delete it.
        couple_id=session.couple_id,
        # Kept with the note: the protocol's title in the language she wrote the note in.
        session_label=f"{session.protocol_title_in()} · {timezone.localtime(session.created_at):%Y-%m-%d}",
        text=form.cleaned_data["text"],
    )
    if _wants_json(request):
        return JsonResponse(_note_json(note), status=201)
    return redirect(_back(request, code))


def _back(request, code: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return room_url(code)


@login_required
@require_GET
def summary(request, code: str):
    session = own_session(request, code)
    context = counselor_summary(session)
    context.update(
        {
            "session": session,
            "chart_svg": checkin_chart_svg(context["checkins"], context["names"]),
            "notes": Note.objects.filter(counselor=request.user, session=session).order_by(
                "created_at"
            ),
            "note_form": NoteForm(),
            "room_url": room_url(code),
            # The host view is worth opening while the room has not finished.
            "room_open": session.status == WAITING or session.status in IN_PROGRESS,
            "summary_url": reverse("counselor:summary", args=[code]),
            "timezone_name": timezone.get_current_timezone_name(),
        }
    )
    return render(request, "counselor/summary.html", context)


@login_required
@require_GET
def export(request, code: str, fmt: str):
    session = own_session(request, code)
    context = counselor_summary(session)
    notes = list(
        Note.objects.filter(counselor=request.user, session=session).order_by("created_at")
    )
    stamp = timezone.localtime(session.created_at).strftime("%Y-%m-%d")
    filename = f"stay-{session.protocol_slug}-{stamp}"
    if fmt == "csv":
        response = HttpResponse(
            exports.summary_csv(session, context, notes), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "json":
        response = JsonResponse(
            exports.summary_json(session, context, notes), json_dumps_params={"indent": 2}
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    raise Http404("Unknown export format")
