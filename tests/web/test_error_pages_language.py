"""The site's error pages and its urgent-help line read in each reader's language.

Django's own error pages (400, 403, the CSRF failure, 404, 500) are Stay's: calm words,
base.html's look, `<html lang>` from the active language and the urgent-help link in the
footer. The 500 page is rendered with no request (so no context processor) and stands alone,
yet still carries the help link. The help line is Stay's own sentence in each reader's
language unless the deployer typed one (STAY_HELP_TEXT), which is shown as typed. The
Spanish words need the catalog (``make messages``, after the fragments are merged).
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver
from django.utils import translation
from django.views.csrf import csrf_failure

REPO = Path(__file__).resolve().parents[2]
DEFAULT_HELP = {
    "en": "If you or someone else is in danger, find urgent help near you",
    "es": "Si tú u otra persona están en peligro, busca ayuda urgente cerca de ti",
}
# Each error page's heading, in English and in Spanish.
HEADINGS = {
    400: ("That didn't come through as expected", "Eso no llegó como esperábamos"),
    403: ("This page isn't open to you here", "Esta página no está disponible para ti aquí"),
    404: ("We couldn't find that page", "No encontramos esa página"),
    500: ("Something went wrong on our side", "Algo falló de nuestro lado"),
    "csrf": ("That form couldn't be sent", "No se pudo enviar ese formulario"),
}


def error_page(status, language: str):
    """Django's handler for `status` (or its CSRF failure view) answering in `language`."""
    request = RequestFactory().get("/nowhere/")
    request.LANGUAGE_CODE = language
    with translation.override(language):
        if status == "csrf":
            return csrf_failure(request)
        handler = get_resolver().resolve_error_handler(status)
        if status == 500:
            return handler(request)
        return handler(request, exception=Exception("a detail nobody should read"))


def heading(body: str) -> str:
    return html.unescape(re.search(r"<h1>(.*?)</h1>", body, re.S).group(1).strip())


@pytest.mark.parametrize("status", list(HEADINGS))
@pytest.mark.parametrize("language", ["en", "es"])
def test_each_error_page_reads_in_the_readers_language_with_the_help_link(status, language):
    """Same status, the page's own language on <html>, its heading and the help line."""
    response = error_page(status, language)
    body = response.content.decode()
    english, spanish = HEADINGS[status]
    assert response.status_code == (403 if status == "csrf" else status)
    assert f'<html lang="{language}">' in body
    assert heading(body) == (english if language == "en" else spanish)
    assert 'href="https://findahelpline.com/"' in body
    assert DEFAULT_HELP[language] in body


@pytest.mark.parametrize("status", list(HEADINGS))
def test_an_error_page_never_shows_the_exceptions_own_words(status):
    """Whatever the exception said stays in the logs: a reader sees only Stay's sentences."""
    body = error_page(status, "en").content.decode()
    assert "a detail nobody should read" not in body
    assert "Traceback" not in body


def test_the_500_page_stands_alone_yet_keeps_the_deployers_help_link(settings):
    """No request, no context processor: the page still has the look and a deployer's link."""
    settings.STAY = {
        **settings.STAY,
        "HELP_URL": "https://help.example.org/",
        "HELP_TEXT": "Call 112 if you are in danger",
    }
    body = error_page(500, "es").content.decode()
    assert "/static/css/stay.css" in body or "css/stay." in body
    assert 'href="https://help.example.org/"' in body
    assert "Call 112 if you are in danger" in body
    assert "csrfmiddlewaretoken" not in body  # no form that could not be sent


@pytest.mark.django_db
def test_a_missing_page_answers_in_the_browsers_language():
    """A real 404 through the middleware: Accept-Language picks Spanish."""
    response = Client(HTTP_ACCEPT_LANGUAGE="es").get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="es">' in body
    assert heading(body) == "No encontramos esa página"


@pytest.mark.django_db
def test_a_form_sent_without_its_check_gets_the_calm_csrf_page_in_the_readers_language():
    """The footer's language form posted with no CSRF token: Stay's page, not Django's."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="es")
    response = client.post("/language/", {"language": "en", "next": "/"})
    body = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="es">' in body
    assert heading(body) == "No se pudo enviar ese formulario"
    assert "CSRF verification failed" not in body


# --- the urgent-help line -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_default_help_line_reads_in_the_readers_language(language):
    """No STAY_HELP_TEXT: Stay's own sentence, in the browser's language, on every page."""
    body = Client(HTTP_ACCEPT_LANGUAGE=language).get("/").content.decode()
    assert DEFAULT_HELP[language] in body
    other = DEFAULT_HELP["es" if language == "en" else "en"]
    assert other not in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_deployers_own_help_text_is_shown_as_typed_in_every_language(settings, language):
    """A deployer's words are theirs: never translated, never replaced by Stay's."""
    settings.STAY = {**settings.STAY, "HELP_TEXT": "Llama al 112 / call 112"}
    body = Client(HTTP_ACCEPT_LANGUAGE=language).get("/").content.decode()
    assert "Llama al 112 / call 112" in body
    assert DEFAULT_HELP[language] not in body


@pytest.mark.parametrize(("typed", "kept"), [(None, ""), ("   ", ""), (" Call 112 ", "Call 112")])
def test_a_blank_help_text_counts_as_unset_so_the_link_never_goes_empty(typed, kept):
    """STAY_HELP_TEXT unset or blank leaves "" (Stay's words are shown); typed text is trimmed."""
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 60}
    if typed is not None:
        env["STAY_HELP_TEXT"] = typed
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import facilitator.settings as s; print(repr(s.STAY['HELP_TEXT']))",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(kept)
