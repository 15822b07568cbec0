"""Languages: the scripts' catalog per language, and the footer's language picker.

The scripts' catalog is Django's JavaScriptCatalog under the language named in the URL,
so a room page in Spanish loads Spanish words whatever the browser's own
Accept-Language says (two partners of one room may read two languages).

The footer's picker (every page, `choose`) sets the language cookie and goes back to the
page it was on; when that page is a room (or another page of a session) where this
browser holds a seat, the seat reads the room in the new language too, so the room's
socket words it so from the page's reload on.
"""

from urllib.parse import urlsplit

from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import JavaScriptCatalog

from sessions.access import find_session, role_for, seat_token
from sessions.engine.vocabulary import PARTNERS
from sessions.store import seats
from sessions.web.form_fields import unexpected_fields, unexpected_message
from sessions.web.language_choice import LANGUAGE_CODES, is_language, remember_language

_catalog = JavaScriptCatalog.as_view(domain="djangojs")


@require_GET
def js_catalog(request, lang: str):
    if lang not in LANGUAGE_CODES:
        raise Http404("No such language.")
    with translation.override(lang):
        response = _catalog(request)
    # The words change only with a deploy; a short cache spares a phone the refetch.
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_POST
def choose(request):
    """The footer's picker: this browser reads Stay in `language` from now on.

    `next` is the page to go back to, on this site only (anything else: the home page).
    """
    extra = unexpected_fields(request.POST, ["language", "next"])
    if extra:
        return HttpResponseBadRequest(unexpected_message(extra), content_type="text/plain")
    language = request.POST.get("language", "")
    if not is_language(language):
        return HttpResponseBadRequest(
            gettext("Please choose one of the languages offered."), content_type="text/plain"
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    _seat_follows(request, target, language)
    return remember_language(HttpResponseRedirect(target), language)


def _seat_follows(request, target: str, language: str) -> None:
    """The seat this browser holds in the session of the page at `target`, if any, reads
    its room in `language` from now on."""
    try:
        match = resolve(urlsplit(target).path)
    except Resolver404:
        return
    code = match.kwargs.get("code")
    session = find_session(code) if isinstance(code, str) else None
    if session is None:
        return
    role = role_for(session, request.session, request.user)
    token = seat_token(request.session, code)
    if role in PARTNERS and token is not None:
        seats.set_language(session, role, token, language)
