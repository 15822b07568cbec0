"""The scripts' catalog, per language: Django's JavaScriptCatalog under the language named
in the URL, so a room page in Spanish loads Spanish words whatever the browser's own
Accept-Language says (two partners of one room may read two languages)."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)

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
