"""Dana's own protocols: she writes them in TOML, fixes what the loader points at, and edits
them without changing a session that already runs; Robin can neither see nor change them.
"""

from __future__ import annotations

import re

import pytest

from sessions.models import Protocol
from sessions.store import creation
from tests.web.counselor_support import GOOD_TOML

# --- own protocols -------------------------------------------------------------------------


@pytest.mark.django_db
def test_dana_writes_a_protocol_and_it_is_hers(dana_client, dana):
    page = dana_client.get("/counselor/protocols/new/")
    assert page.status_code == 200
    assert b"<textarea" in page.content

    response = dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    assert response.status_code == 302
    protocol = Protocol.objects.get(slug="dana-evening")
    assert protocol.owner == dana
    assert protocol.title == "Evening landing"
    assert protocol.doc["steps"][2]["kind"] == "breathe"
    listing = dana_client.get("/counselor/protocols/").content.decode()
    assert "Evening landing" in listing
    assert "/counselor/protocols/dana-evening/edit/" in listing


@pytest.mark.django_db
def test_a_broken_protocol_is_not_saved_and_the_loader_s_error_shows_under_the_field(dana_client):
    broken = GOOD_TOML.replace("inhale = 5.5", "inhale = 0")
    response = dana_client.post("/counselor/protocols/new/", {"source": broken})

    assert response.status_code == 400
    assert not Protocol.objects.filter(slug="dana-evening").exists()
    html = response.content.decode()
    errors = html[html.index('id="source-errors"') :]
    assert "step 3" in errors
    assert "Breathe" in errors
    assert "inhale" in errors
    assert 'aria-invalid="true"' in html
    # What Dana typed is still there to fix, not lost.
    assert "inhale = 0" in html


@pytest.mark.django_db
def test_every_problem_in_a_protocol_is_listed_not_only_the_first(dana_client):
    broken = GOOD_TOML.replace("inhale = 5.5", "inhale = 0").replace(
        'kind = "checkin"\ntitle = "Closing"', 'kind = "chat"\ntitle = "Closing"'
    )
    response = dana_client.post("/counselor/protocols/new/", {"source": broken})
    errors = response.content.decode().split('id="source-errors"')[1]
    assert errors.count('class="field-error"') >= 2
    assert "inhale" in errors
    assert "chat" in errors


@pytest.mark.django_db
def test_a_toml_syntax_error_names_the_line(dana_client):
    response = dana_client.post(
        "/counselor/protocols/new/", {"source": 'slug = "x"\ntitle = "unclosed\n'}
    )
    assert response.status_code == 400
    errors = response.content.decode().split('id="source-errors"')[1]
    assert re.search(r"line \d", errors)


@pytest.mark.django_db
def test_a_protocol_cannot_take_the_name_of_a_built_in_one(dana_client):
    response = dana_client.post(
        "/counselor/protocols/new/",
        {"source": GOOD_TOML.replace('"dana-evening"', '"daily-checkin"')},
    )
    assert response.status_code == 400
    assert "built-in" in response.content.decode()
    assert not Protocol.objects.filter(owner__isnull=False).exists()


@pytest.mark.django_db
def test_dana_edits_her_protocol_and_a_running_session_keeps_its_copy(dana_client, dana):
    dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    protocol = Protocol.objects.get(slug="dana-evening")
    session = creation.create_session(protocol.slug, counselor=dana, protocol=protocol)

    edit_url = "/counselor/protocols/dana-evening/edit/"
    assert "Evening landing" in dana_client.get(edit_url).content.decode()
    response = dana_client.post(
        edit_url, {"source": GOOD_TOML.replace("Evening landing", "Night landing")}
    )
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert protocol.title == "Night landing"
    session.refresh_from_db()
    assert session.protocol_doc["title"] == "Evening landing"


@pytest.mark.django_db
def test_robin_cannot_open_or_edit_dana_s_protocol(dana_client, robin_client):
    dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    edit_url = "/counselor/protocols/dana-evening/edit/"
    assert robin_client.get(edit_url).status_code == 404
    changed = GOOD_TOML.replace("Evening landing", "Robin was here")
    assert robin_client.post(edit_url, {"source": changed}).status_code == 404
    assert Protocol.objects.get(slug="dana-evening").title == "Evening landing"
    assert "Evening landing" not in robin_client.get("/counselor/protocols/").content.decode()


def test_a_protocol_form_with_a_field_it_does_not_take_is_refused(dana_client, dana):
    response = dana_client.post(
        "/counselor/protocols/new/", {"source": GOOD_TOML, "owner": "1", "is_builtin": "on"}
    )
    assert response.status_code == 400
    assert "&#x27;is_builtin&#x27;, &#x27;owner&#x27;" in response.content.decode()
    assert not Protocol.objects.filter(owner=dana).exists()
