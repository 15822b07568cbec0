"""Forms and page words built in Python follow the reader's language, and English stays as it was.

A form's labels and errors are written once, at import, yet read per request: Dana with
Spanish active reads "Elige entre 1 y 60 parejas, en cifras." and, a moment later in
English, "Choose between 1 and 60 couples, in digits." — a limit filled in lazily, never
frozen in the language the server started in. Protocol lists name a built-in protocol in
the reader's language (its file carries both). The Spanish words need the catalog
(``make messages``); the protocol titles come from the protocol files themselves.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from sessions.models import MAX_WORKSHOP_COUPLES
from sessions.web.couple_forms import CoupleForm
from sessions.web.forms import NewSessionForm
from sessions.web.workshop_forms import WorkshopForm

pytestmark = pytest.mark.django_db

WORKSHOP = {"protocol": "daily-checkin", "title": "Tarde", "max_couples": "900", "pacing": "host"}


def _errors(form) -> dict:
    form.is_valid()
    return {name: list(errors) for name, errors in form.errors.items()}


def test_a_workshop_s_limit_is_worded_in_the_language_of_each_reader(dana):
    """The same lazily filled message, in Spanish then in English."""
    with translation.override("es"):
        spanish = _errors(WorkshopForm(WORKSHOP, owner=dana))["max_couples"]
    with translation.override("en"):
        english = _errors(WorkshopForm(WORKSHOP, owner=dana))["max_couples"]
    assert spanish == [f"Elige entre 1 y {MAX_WORKSHOP_COUPLES} parejas, en cifras."]
    assert english == [f"Choose between 1 and {MAX_WORKSHOP_COUPLES} couples, in digits."]


def test_a_couple_form_s_labels_and_errors_read_in_spanish():
    """A missing name and a name too long for the second partner, in tú and plainly."""
    data = {"name_a": " ", "name_b": "x" * 41, "note": ""}
    with translation.override("es"):
        form = CoupleForm(data)
        errors = _errors(form)
        label = str(form.fields["name_a"].label)
    assert errors["name_a"] == ["Escribe el nombre de pila o las iniciales de la primera persona."]
    assert errors["name_b"][0].startswith("El nombre de la segunda persona puede tener hasta 40")
    assert label == "Primera persona"


def test_the_protocol_list_names_built_in_protocols_in_the_reader_s_language(dana):
    """Daily check-in is "Conexión diaria" to a Spanish reader, as its file says."""
    with translation.override("es"):
        groups = NewSessionForm(owner=dana).fields["protocol"].choices
    titles = dict(groups[0][1])
    assert titles["daily-checkin"] == "Conexión diaria"
    with translation.override("en"):
        groups = NewSessionForm(owner=dana).fields["protocol"].choices
    assert dict(groups[0][1])["daily-checkin"] == "Daily check-in"


def test_the_home_page_lists_protocols_in_the_browser_s_language():
    """A browser asking for Spanish sees the Spanish titles of the built-in protocols."""
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Conexión diaria" in page and "Daily check-in" not in page
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Daily check-in" in page


def test_a_refused_workshop_command_answers_in_the_facilitator_s_language(dana_client, dana):
    """A plain refusal from a view (a message to every room left empty) reads in Spanish."""
    made = dana_client.post("/counselor/workshops/new/", {**WORKSHOP, "max_couples": "3"})
    pk = int(made["Location"].rstrip("/").rsplit("/", 1)[1])
    answer = dana_client.post(
        f"/counselor/workshops/{pk}/say/",
        {"text": "  "},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("Escribe primero unas palabras.")
