"""Dana's way in: her account, signing in and out, and the dashboard that lists only her sessions.

A counselor's pages hold what partners told her in confidence, so nobody reaches them without
signing in, a link alone cannot sign her out, and Robin's sessions never show on Dana's dashboard.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from sessions.models import CoupleSession, Note
from sessions.store import creation
from tests.support.personas import PASSWORD, join_as


def group_html(html: str, key: str) -> str:
    """The dashboard section for one group (waiting / live / finished)."""
    start = html.index(f'data-group="{key}"')
    return html[start : html.index("</section>", start)]


# --- signing in and out --------------------------------------------------------------------


COUNSELOR_PAGES = [
    "/counselor/",
    "/counselor/protocols/",
    "/counselor/protocols/new/",
    "/counselor/sessions/new/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", COUNSELOR_PAGES)
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/counselor/login/?next=")


@pytest.mark.django_db
def test_session_pages_of_a_visitor_who_is_not_signed_in_lead_to_sign_in(client, dana):
    code = creation.create_session("daily-checkin", counselor=dana).code
    for url in (
        f"/counselor/s/{code}/",
        f"/counselor/s/{code}/summary/",
        f"/counselor/s/{code}/export.csv",
        f"/counselor/s/{code}/export.json",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/counselor/login/")
    response = client.post(f"/counselor/s/{code}/notes/", {"text": "hello"})
    assert response.status_code == 302
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_dana_signs_in_and_lands_on_her_dashboard(client, dana):
    page = client.get("/counselor/login/")
    assert page.status_code == 200
    assert b'name="password"' in page.content

    response = client.post("/counselor/login/", {"username": "dana", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/counselor/"
    dashboard = client.get("/counselor/")
    assert dashboard.status_code == 200
    assert b"Your sessions" in dashboard.content


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_clear_message(client, dana):
    response = client.post("/counselor/login/", {"username": "dana", "password": "nope"})
    assert response.status_code == 200
    assert b"correct username and password" in response.content
    assert client.get("/counselor/").status_code == 302


@pytest.mark.django_db
def test_signing_out_takes_a_post_so_a_link_cannot_sign_dana_out(dana_client):
    assert dana_client.get("/counselor/logout/").status_code == 405
    assert dana_client.get("/counselor/").status_code == 200
    response = dana_client.post("/counselor/logout/")
    assert response.status_code == 302
    assert dana_client.get("/counselor/").status_code == 302


# --- dashboard -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_groups_dana_s_sessions_into_waiting_live_and_finished(dana_client, dana):
    waiting = creation.create_session("daily-checkin", counselor=dana)
    live = creation.create_session("breathe-together", counselor=dana)
    paused = creation.create_session("daily-checkin", counselor=dana)
    finished = creation.create_session("calm-down-together", counselor=dana)
    CoupleSession.objects.filter(pk=live.pk).update(status="active", expires_at=None)
    CoupleSession.objects.filter(pk=paused.pk).update(status="paused", expires_at=None)
    CoupleSession.objects.filter(pk=finished.pk).update(status="completed")

    html = dana_client.get("/counselor/").content.decode()

    assert waiting.code in group_html(html, "waiting")
    assert live.code in group_html(html, "live")
    assert paused.code in group_html(html, "live")
    assert finished.code in group_html(html, "finished")
    assert waiting.code not in group_html(html, "live") + group_html(html, "finished")
    assert f'/counselor/s/{waiting.code}/"' in group_html(html, "waiting")  # link + QR
    assert f'/s/{live.code}/"' in group_html(html, "live")  # host view
    assert f"/counselor/s/{finished.code}/summary/" in group_html(html, "finished")


@pytest.mark.django_db
def test_dashboard_shows_the_names_of_partners_who_joined(dana_client, dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    join_as("Alex", session.code)
    html = dana_client.get("/counselor/").content.decode()
    assert "Alex" in group_html(html, "waiting")


@pytest.mark.django_db
def test_dashboard_never_lists_another_counselor_s_sessions(dana_client, robin):
    theirs = creation.create_session("daily-checkin", counselor=robin)
    self_guided = creation.create_session("daily-checkin")
    html = dana_client.get("/counselor/").content.decode()
    assert theirs.code not in html
    assert self_guided.code not in html


# --- the create_counselor command -----------------------------------------------------------


@pytest.mark.django_db
def test_create_counselor_makes_an_account_that_can_sign_in(monkeypatch, client):
    monkeypatch.setenv("DANA_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("create_counselor", "dana", "--password-from-env", "DANA_PASSWORD", stdout=out)
    assert "Created counselor 'dana'" in out.getvalue()
    assert client.login(username="dana", password=PASSWORD)


@pytest.mark.django_db
def test_create_counselor_changes_the_password_of_an_existing_account(monkeypatch, dana, client):
    monkeypatch.setenv("NEW_PASSWORD", "another-quiet-river-77")
    out = io.StringIO()
    call_command("create_counselor", "dana", "--password-from-env", "NEW_PASSWORD", stdout=out)
    assert "password was changed" in out.getvalue()
    assert client.login(username="dana", password="another-quiet-river-77")


@pytest.mark.django_db
def test_create_counselor_explains_a_missing_or_weak_password(monkeypatch, django_user_model):
    monkeypatch.delenv("NOPE", raising=False)
    with pytest.raises(CommandError, match="NOPE is not set"):
        call_command("create_counselor", "dana", "--password-from-env", "NOPE")
    monkeypatch.setenv("WEAK", "123")
    with pytest.raises(CommandError, match="Password refused"):
        call_command("create_counselor", "dana", "--password-from-env", "WEAK")
    assert not django_user_model.objects.exists()


@pytest.mark.django_db
def test_create_counselor_without_a_terminal_asks_for_the_env_option(django_user_model):
    with pytest.raises(CommandError, match="--password-from-env"):
        call_command("create_counselor", "dana")
    assert not django_user_model.objects.exists()
