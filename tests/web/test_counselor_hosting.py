"""Hosting a session: Dana starts one from a built-in, shared or own protocol and shares it by
link and QR code; another counselor (Robin) gets a plain 404 for everything of hers.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions.models import CoupleSession, Note, Protocol
from sessions.store import creation
from tests.web.counselor_support import GOOD_TOML

# --- new sessions and sharing ---------------------------------------------------------------


@pytest.mark.django_db
def test_dana_starts_a_hosted_session_from_a_built_in_protocol_and_gets_link_and_qr(
    dana_client, dana
):
    response = dana_client.post("/counselor/sessions/new/", {"protocol": "daily-checkin"})
    assert response.status_code == 302
    session = CoupleSession.objects.get(counselor=dana)
    assert response["Location"] == f"/counselor/s/{session.code}/"
    assert session.protocol_slug == "daily-checkin"
    assert session.state["host"] is not None

    share = dana_client.get(response["Location"])
    html = share.content.decode()
    assert share.status_code == 200
    assert f"http://testserver/j/{session.code}/" in html
    assert "<svg" in html
    assert f'href="/s/{session.code}/"' in html


@pytest.mark.django_db
def test_dana_starts_a_session_from_her_own_protocol(dana_client, dana):
    dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    form = dana_client.get("/counselor/sessions/new/").content.decode()
    assert 'value="dana-evening"' in form
    response = dana_client.post("/counselor/sessions/new/", {"protocol": "dana-evening"})
    assert response.status_code == 302
    session = CoupleSession.objects.get(counselor=dana)
    assert session.protocol_title == "Evening landing"
    assert [step["kind"] for step in session.state["steps"]][:2] == ["info", "checkin"]


@pytest.mark.django_db
def test_a_protocol_an_admin_added_is_offered_to_every_counselor(dana_client, dana, robin):
    shared = Protocol(source=GOOD_TOML.replace("dana-evening", "clinic-evening"), owner=None)
    shared.full_clean()
    shared.save()
    assert 'value="clinic-evening"' in dana_client.get("/counselor/sessions/new/").content.decode()
    response = dana_client.post("/counselor/sessions/new/", {"protocol": "clinic-evening"})
    assert response.status_code == 302
    assert CoupleSession.objects.get(counselor=dana).protocol_slug == "clinic-evening"


@pytest.mark.django_db
def test_robin_cannot_start_a_session_from_dana_s_protocol(dana_client, robin_client, robin):
    dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    assert (
        'value="dana-evening"' not in robin_client.get("/counselor/sessions/new/").content.decode()
    )
    response = robin_client.post("/counselor/sessions/new/", {"protocol": "dana-evening"})
    assert response.status_code == 400
    assert "Choose one of the protocols" in response.content.decode()
    assert not CoupleSession.objects.filter(counselor=robin).exists()


@pytest.mark.django_db
def test_an_unknown_protocol_is_refused_with_a_clear_message(dana_client, dana):
    response = dana_client.post("/counselor/sessions/new/", {"protocol": "no-such-thing"})
    assert response.status_code == 400
    assert "Choose one of the protocols" in response.content.decode()
    assert not CoupleSession.objects.exists()


@pytest.mark.django_db
def test_a_new_session_form_with_a_field_it_does_not_take_is_refused(dana_client, dana):
    response = dana_client.post(
        "/counselor/sessions/new/", {"protocol": "daily-checkin", "counselor": "robin"}
    )
    assert response.status_code == 400
    assert "does not take the field &#x27;counselor&#x27;" in response.content.decode()
    assert not CoupleSession.objects.exists()


@pytest.mark.django_db
# --- one counselor never sees another's sessions --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/counselor/s/{code}/"),
        ("get", "/counselor/s/{code}/summary/"),
        ("get", "/counselor/s/{code}/export.csv"),
        ("get", "/counselor/s/{code}/export.json"),
        ("post", "/counselor/s/{code}/notes/"),
        ("get", "/s/{code}/"),
    ],
)
def test_robin_gets_404_for_everything_of_dana_s_session(robin_client, dana, method, path):
    session = creation.create_session("daily-checkin", counselor=dana)
    Note.objects.create(counselor=dana, session=session, text="Dana's own thought")
    url = path.format(code=session.code)
    response = getattr(robin_client, method)(
        url, {"text": "Robin's note"} if method == "post" else {}
    )
    assert response.status_code == 404
    assert b"Dana's own thought" not in response.content
    assert not Note.objects.filter(text="Robin's note").exists()


@pytest.mark.django_db
def test_a_self_guided_session_is_not_any_counselor_s(dana_client):
    session = creation.create_session("daily-checkin")
    assert dana_client.get(f"/counselor/s/{session.code}/summary/").status_code == 404


@pytest.mark.django_db
def test_an_unknown_code_is_a_plain_404(dana_client):
    assert dana_client.get("/counselor/s/not-a-real-code-at-all-000/summary/").status_code == 404


@pytest.mark.django_db
def test_a_code_that_cannot_be_a_join_code_is_a_404_without_looking_it_up(dana_client):
    with CaptureQueriesContext(connection) as queries:
        response = dana_client.get("/counselor/s/short!/summary/")
    assert response.status_code == 404
    assert not [q for q in queries.captured_queries if "coregulation_couplesession" in q["sql"]]
