"""Dana reads what is wrong with her protocol in her own language.

The loader words each problem for its reader (``ProtocolError.problems``); the counselor's
protocol form shows them in the language her browser asks for, the TOML field she wrote as
code (a key is never translated), her own step titles as she wrote them, and escaped. The
command line keeps the English an author's tools and scripts have always read. The Spanish
words need the catalog (``make messages``, after the fragments are merged).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests.web.counselor_support import GOOD_TOML

pytestmark = pytest.mark.django_db

NEW = "/counselor/protocols/new/"
# No minutes, and a breath of no length in step 3 ("Breathe").
BROKEN = GOOD_TOML.replace("minutes = 5\n", "").replace("inhale = 5.5", "inhale = 0")


def source_errors(response) -> str:
    return response.content.decode().split('id="source-errors"')[1].split("</ul>")[0]


def test_the_loaders_problems_read_in_spanish_with_the_field_as_code(dana_client):
    """ "minutes: es obligatorio", "paso 3 «Breathe»: inhale: tiene que ser mayor que 0"."""
    response = dana_client.post(NEW, {"source": BROKEN}, HTTP_ACCEPT_LANGUAGE="es")
    errors = source_errors(response)
    assert response.status_code == 400
    assert "<code>minutes</code>: es obligatorio" in errors
    assert "paso 3 «Breathe»: <code>inhale</code>: tiene que ser mayor que 0" in errors
    assert "is required" not in errors
    assert "must be" not in errors


def test_the_same_problems_read_as_before_in_english(dana_client):
    """English readers keep the loader's own lines (the file's name left out, as before)."""
    response = dana_client.post(NEW, {"source": BROKEN}, HTTP_ACCEPT_LANGUAGE="en")
    errors = source_errors(response)
    assert "<code>minutes</code>: is required" in errors
    assert "step 3 &quot;Breathe&quot;: <code>inhale</code>: must be greater than 0" in errors
    assert "protocol:" not in errors


def test_an_authors_title_in_a_problem_is_shown_escaped(dana_client):
    """A title is her text, shown as text: markup in it never becomes markup on the page."""
    source = BROKEN.replace('title = "Breathe"', 'title = "<b>Breathe</b>"')
    errors = source_errors(dana_client.post(NEW, {"source": source}, HTTP_ACCEPT_LANGUAGE="es"))
    assert "&lt;b&gt;Breathe&lt;/b&gt;" in errors
    assert "<b>" not in errors


def test_a_toml_syntax_error_names_its_line_in_spanish(dana_client):
    """Stay's words around it are Spanish; the reason itself comes from Python's TOML reader."""
    source = GOOD_TOML.replace("minutes = 5", "minutes = = 5")
    errors = source_errors(dana_client.post(NEW, {"source": source}, HTTP_ACCEPT_LANGUAGE="es"))
    assert "línea 3, columna" in errors
    assert "error de sintaxis TOML" in errors


def test_the_command_line_keeps_the_english_lines_whatever_the_language(tmp_path):
    """validate_protocol prints the loader's English, even with Spanish active."""
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN, encoding="utf-8")
    err = io.StringIO()
    with translation.override("es"), pytest.raises(CommandError):
        call_command("validate_protocol", str(path), stderr=err)
    assert err.getvalue().splitlines() == [
        "broken.toml: minutes: is required",
        'broken.toml: step 3 "Breathe": inhale: must be greater than 0',
    ]
