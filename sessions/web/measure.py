"""A partner's private CSI-4 before a hosted session; the answers go to the counselor only.

The room page sends a partner here first when `measures.due` says so (a couple's hosted
session with the measure turned on, not yet answered or skipped). The answers are kept
by `store.measures` in their own table: never in the room's state (which the other
partner's socket reads), never on a partner's page, summary or export. To anyone
without the seat this page answers exactly as the room page would.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sessions.access import find_session, role_for
from sessions.engine.vocabulary import PARTNERS, A
from sessions.models import CoupleSession
from sessions.reports import csi4
from sessions.store import measures
from sessions.web.form_fields import unexpected_fields, unexpected_message
from sessions.web.language_choice import in_seat_language
from sessions.web.responses import no_place, to_room

FIELDS = [*csi4.FIELD_NAMES, "skip"]


def _other_name(session: CoupleSession, seat: str) -> str:
    """The other partner's name, as the counselor wrote it for the couple."""
    couple = session.couple
    return couple.name_b if seat == A else couple.name_a


def _page(request, session, seat, *, chosen=None, errors=None, status=200):
    chosen = chosen or {}
    errors = errors or {}
    items = [
        {
            "number": index + 1,
            "name": item["name"],
            "text": _(item["text"]),
            "error": errors.get(item["name"], ""),
            "options": [
                {
                    "value": value,
                    "label": _(label),
                    "checked": chosen.get(item["name"]) == str(value),
                }
                for value, label in enumerate(item["labels"])
            ],
        }
        for index, item in enumerate(csi4.ITEMS)
    ]
    context = {
        "code": session.code,
        "items": items,
        "errors": [errors[name] for name in csi4.FIELD_NAMES if name in errors],
        "partner": _other_name(session, seat),
        # The paper's title and journal are English, and say so (lang="en") to screen readers.
        "citation": format_html(
            '{} <cite lang="en">{}</cite> <i lang="en">{}</i>, {}',
            csi4.CITATION_AUTHORS,
            csi4.CITATION_TITLE,
            csi4.CITATION_JOURNAL,
            csi4.CITATION_ISSUE,
        ),
    }
    return render(request, "sessions/measure.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@in_seat_language  # the room sends a partner here first: the room's own language
def measure(request, code: str):
    session = find_session(code)
    role = role_for(session, request.session, request.user) if session is not None else None
    if role is None:
        return no_place(request, code, session)
    if role not in PARTNERS or not measures.due(session, role):
        return to_room(code)  # the host, or a partner who answered (or skipped) already
    if request.method == "GET":
        return _page(request, session, role)
    extra = unexpected_fields(request.POST, FIELDS)
    if extra:
        return HttpResponseBadRequest(unexpected_message(extra), content_type="text/plain")
    if "skip" in request.POST:
        # Only the page's own "Skip for today" (skip=yes): any other value is a broken form,
        # never a reason to throw away the answers beside it.
        if request.POST.get("skip") != "yes":
            return HttpResponseBadRequest(
                _("'skip' is only ever 'yes' (the Skip for today button); nothing was saved."),
                content_type="text/plain",
            )
        measures.skip(session, role)
        return to_room(code)
    values, errors = csi4.check(request.POST)
    if errors:
        chosen = {name: request.POST.get(name) for name in csi4.FIELD_NAMES}
        return _page(request, session, role, chosen=chosen, errors=errors, status=400)
    measures.record(session, role, values)
    return to_room(code)
