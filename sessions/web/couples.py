"""A counselor's couples: the list, a couple's page, its standing link, practice and exports.

Every couple is looked up together with its counselor, so someone else's couple is
indistinguishable from one that does not exist: a 404, never a 403 that would confirm
it is there (as the counselor's sessions, `counselor.py`). Writes go through
`sessions.store.couples`; what the page shows comes from `sessions.reports.history`.
A refused form answers 400 and shows its page again with the errors.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sessions.models import Couple, Practice
from sessions.reports import history as couple_history
from sessions.reports.csi4 import CUT_OFF, SHORT_CITATION
from sessions.reports.history_export import history_csv, history_json
from sessions.reports.trends import checkin_points, checkin_trend_svg, csi4_trend_svg
from sessions.store import couples as store
from sessions.web import links, qr
from sessions.web.couple_forms import CoupleForm, LinkForm, PracticeForm
from sessions.web.form_fields import unexpected_fields, unexpected_message
from sessions.web.forms import NewSessionForm, shared_protocols


def own_couple(request, pk: int) -> Couple:
    return get_object_or_404(Couple, pk=pk, counselor=request.user)


def _status(*forms) -> int:
    """A refused form answers 400 (scripts and tests see it), yet still shows the page."""
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


@login_required
@require_GET
def couple_list(request):
    rows = couple_history.overviews(Couple.objects.filter(counselor=request.user))
    return render(request, "counselor/couple_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def couple_create(request):
    form = CoupleForm(request.POST) if request.method == "POST" else CoupleForm()
    if request.method == "POST" and form.is_valid():
        couple = store.create_couple(request.user, **form.cleaned_data)
        return redirect("counselor:couple", pk=couple.pk)
    return render(
        request, "counselor/couple_form.html", {"form": form, "couple": None}, status=_status(form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def couple_edit(request, pk: int):
    couple = own_couple(request, pk)
    if request.method == "POST":
        form = CoupleForm(request.POST)
        if form.is_valid():
            store.edit_couple(couple, **form.cleaned_data)
            return redirect("counselor:couple", pk=couple.pk)
    else:
        form = CoupleForm(
            initial={
                "name_a": couple.name_a,
                "name_b": couple.name_b,
                "note": couple.note,
                "measure_on": couple.measure_on,
                "next_session_at": couple.next_session_at,
            }
        )
    return render(
        request,
        "counselor/couple_form.html",
        {"form": form, "couple": couple},
        status=_status(form),
    )


def _page(
    request, couple: Couple, *, session_form=None, practice_form=None, link_form=None, error=""
):
    """The couple's page, with any refused form shown where it was filled in."""
    data = couple_history.history(couple)
    names = data["names"]
    link = links.standing_url(request, couple)
    sessions = data["sessions"]
    context = {
        "couple": couple,
        "names": names,
        "sessions": list(reversed(sessions)),  # newest first in the table
        "open_sessions": [s for s in reversed(sessions) if not s["finished"]],
        "checkin_svg": checkin_trend_svg(sessions, names),
        "checkin_rows": list(reversed(checkin_points(sessions))),
        "csi4_svg": csi4_trend_svg(data["measures"], names),
        "measures": list(reversed(data["measures"])),
        "cut_off": CUT_OFF,
        "csi4_source": SHORT_CITATION,
        "practices": data["practices"],
        "active_practices": [p for p in data["practices"] if p["active"]],
        "notes": couple_history.couple_notes(couple),
        "standing_url": link,
        "qr_svg": qr.svg_for(link) if link else "",
        "session_form": session_form or NewSessionForm(owner=request.user),
        "practice_form": practice_form or PracticeForm(owner=request.user),
        "link_form": link_form,
        "timezone_name": timezone.get_current_timezone_name(),
        "error": error,
        "unstarted_days": settings.STAY["UNSTARTED_EXPIRY_DAYS"],
    }
    status = 400 if error else _status(session_form, practice_form, link_form)
    return render(request, "counselor/couple.html", context, status=status)


@login_required
@require_GET
def couple_page(request, pk: int):
    return _page(request, own_couple(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def couple_delete(request, pk: int):
    couple = own_couple(request, pk)
    extra = unexpected_fields(request.POST, ()) if request.method == "POST" else []
    if request.method == "POST" and not extra:
        store.delete_couple(couple)
        return redirect("counselor:couples")
    context = {
        "couple": couple,
        "session_count": couple_history.couple_sessions(couple).count(),
        "measure_count": couple.measures.count(),
        "note_count": couple_history.couple_notes(couple).count(),
        "error": unexpected_message(extra) + " " + _("Nothing was deleted.") if extra else "",
    }
    return render(request, "counselor/couple_delete.html", context, status=400 if extra else 200)


@login_required
@require_POST
def couple_link(request, pk: int):
    couple = own_couple(request, pk)
    form = LinkForm(request.POST, has_link=bool(couple.link_code))
    if not form.is_valid():
        return _page(request, couple, link_form=form)
    if form.cleaned_data["action"] == "revoke":
        store.revoke_link(couple)
    else:
        store.replace_link(couple)
    return redirect(reverse("counselor:couple", args=[couple.pk]) + "#standing-link")


@login_required
@require_POST
def couple_session_new(request, pk: int):
    couple = own_couple(request, pk)
    form = NewSessionForm(request.POST, owner=request.user)
    if not form.is_valid():
        return _page(request, couple, session_form=form)
    slug, own_protocol = form.cleaned_data["protocol"]
    session = store.create_hosted_session(couple, slug, protocol=own_protocol)
    return redirect("counselor:share", code=session.code)


def _protocol_title(slug: str, own) -> str:
    if own is not None:
        return own.title
    return shared_protocols()[slug]["title"]


@login_required
@require_POST
def practice_assign(request, pk: int):
    couple = own_couple(request, pk)
    form = PracticeForm(request.POST, owner=request.user)
    if not form.is_valid():
        return _page(request, couple, practice_form=form)
    slug, own_protocol = form.cleaned_data["protocol"]
    store.assign_practice(
        couple,
        protocol_slug=slug,
        protocol_title=_protocol_title(slug, own_protocol),
        times_per_week=form.cleaned_data["times_per_week"],
        note=form.cleaned_data["note"],
    )
    return redirect(reverse("counselor:couple", args=[couple.pk]) + "#practice")


@login_required
@require_POST
def practice_stop(request, pk: int, practice_id: int):
    couple = own_couple(request, pk)
    practice = get_object_or_404(Practice, pk=practice_id, couple=couple)
    extra = unexpected_fields(request.POST, ())
    if extra:
        return _page(
            request, couple, error=unexpected_message(extra) + " " + _("The practice goes on.")
        )
    store.stop_practice(practice)
    return redirect(reverse("counselor:couple", args=[couple.pk]) + "#practice")


@login_required
@require_GET
def couple_export(request, pk: int, fmt: str):
    couple = own_couple(request, pk)
    data = couple_history.history(couple)
    notes = list(couple_history.couple_notes(couple))
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    filename = f"stay-couple-{couple.pk}-{stamp}"
    if fmt == "csv":
        response = HttpResponse(
            history_csv(couple, data, notes), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "json":
        response = JsonResponse(history_json(couple, data, notes), json_dumps_params={"indent": 2})
    else:
        raise Http404("Unknown export format")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
