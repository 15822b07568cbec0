"""Counselor accounts without the shell: a superuser invites, the link sets a password.

Personas: Root runs the server (superuser); Dana is invited; Robin is a counselor
who is not a superuser.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client():
    root = get_user_model().objects.create_superuser("root", password="a-long-test-password")
    client = Client()
    client.force_login(root)
    return client


def invite(client, **data):
    return client.post("/counselor/invite/", {"username": "dana", "name": "Dana Reyes", **data})


def link_in(response) -> str:
    match = re.search(r'id="invite-link"[^>]*value="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def set_password(client, link, password=PASSWORD, again=None):
    """Open the link as Dana's browser would, then choose the password."""
    opened = client.get(link)  # Django moves the token out of the address at once
    assert opened.status_code == 302, opened.content[:500]
    form_url = opened["Location"]
    return client.post(
        form_url, {"new_password1": password, "new_password2": again or password}
    ), form_url


def test_root_invites_dana_who_sets_a_password_and_lands_on_her_dashboard(root_client):
    page = root_client.get("/counselor/invite/")
    assert page.status_code == 200
    assert "works once, for 3 days" in page.content.decode()

    response = invite(root_client)
    assert response.status_code == 201
    dana = get_user_model().objects.get(username="dana")
    assert dana.first_name == "Dana Reyes"
    assert not dana.has_usable_password()  # nobody can sign in as Dana until she chooses
    assert not dana.is_staff and not dana.is_superuser
    html = response.content.decode()
    assert "It works for 3 days, until" in " ".join(html.split())
    link = link_in(response)
    assert link.startswith("http://testserver/counselor/welcome/")

    danas_browser = Client()
    welcome = danas_browser.get(danas_browser.get(link)["Location"])
    assert "Welcome to Stay" in welcome.content.decode()
    assert "dana" in welcome.content.decode()
    saved, _ = set_password(danas_browser, link)
    assert saved.status_code == 302
    assert saved["Location"] == "/counselor/"
    dashboard = danas_browser.get("/counselor/")
    assert dashboard.status_code == 200
    assert "Your sessions" in dashboard.content.decode()

    # From now on she signs in like anyone else.
    fresh = Client()
    assert fresh.login(username="dana", password=PASSWORD)


def test_an_invitation_link_works_once(root_client):
    link = link_in(invite(root_client))
    set_password(Client(), link)

    again = Client().get(link, follow=True)
    html = again.content.decode()
    assert "This link no longer works" in html
    assert "Welcome to Stay" not in html
    assert 'name="new_password1"' not in html


def test_a_link_older_than_the_timeout_no_longer_works(root_client, settings):
    link = link_in(invite(root_client))
    settings.PASSWORD_RESET_TIMEOUT = -1  # as if the days had passed
    html = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in html


def test_a_made_up_link_does_not_work(root_client):
    invite(root_client)
    for link in ("/counselor/welcome/MQ/abc-123/", "/counselor/welcome/zz/set-password/"):
        html = Client().get(link, follow=True).content.decode()
        assert "This link no longer works" in html


def test_robin_who_is_not_a_superuser_cannot_invite(robin_client):
    page = robin_client.get("/counselor/invite/")
    assert page.status_code == 403
    assert "Only the person who runs this Stay server" in page.content.decode()
    assert invite(robin_client).status_code == 403
    assert not get_user_model().objects.filter(username="dana").exists()
    assert "Invite a counselor" not in robin_client.get("/counselor/").content.decode()


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in():
    response = invite(Client())
    assert response.status_code == 302
    assert response["Location"].startswith("/counselor/login/")
    assert not get_user_model().objects.filter(username="dana").exists()


def test_root_finds_the_invitation_page_in_the_counselor_pages_and_the_admin(root_client):
    assert 'href="/counselor/invite/"' in root_client.get("/counselor/").content.decode()
    users = root_client.get("/admin/auth/user/").content.decode()
    assert 'href="/counselor/invite/"' in users


@pytest.mark.parametrize(
    ("data", "field", "complaint"),
    [
        ({"username": ""}, "username", "Give the new counselor a username"),
        ({"username": "dana reyes"}, "username", "no spaces"),
        ({"username": "x" * 151}, "username", "up to 150 characters"),
        ({"username": "ROOT"}, "username", "There is already an account called"),
        ({"email": "dana at clinic"}, "email", "does not look like an email address"),
        ({"name": "Dana\x07"}, "name", "control characters"),
        ({"name": "D" * 151}, "name", "up to 150 characters"),
        ({"is_superuser": "on"}, "username", "does not take the field 'is_superuser'"),
    ],
)
def test_a_mistake_in_the_invitation_is_named_and_nothing_is_made(
    root_client, data, field, complaint
):
    before = get_user_model().objects.count()
    response = invite(root_client, **data)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert complaint in errors
    assert complaint.split("'")[0] in response.content.decode().replace("&#x27;", "'")
    assert get_user_model().objects.count() == before


def test_the_new_password_must_pass_the_password_rules(root_client):
    link = link_in(invite(root_client))
    browser = Client()
    refused, form_url = set_password(browser, link, password="12345678")
    assert refused.status_code == 200
    assert "entirely numeric" in refused.content.decode()
    mismatch = browser.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"})
    assert "match" in " ".join(mismatch.context["form"].errors["new_password2"])
    assert not get_user_model().objects.get(username="dana").has_usable_password()


def test_the_link_is_also_emailed_when_an_email_server_is_configured(root_client, settings):
    settings.EMAIL_HOST = "smtp.example.org"
    response = invite(root_client, email="dana@clinic.example")
    link = link_in(response)
    assert "We also emailed it to dana@clinic.example" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@clinic.example"]
    assert link in mail.outbox[0].body


def test_without_an_email_server_nothing_is_sent(root_client):
    invite(root_client, email="dana@clinic.example")
    assert mail.outbox == []


def test_the_admin_makes_a_fresh_link_for_an_invitation_that_ran_out(root_client):
    invite(root_client)
    dana = get_user_model().objects.get(username="dana")
    response = root_client.post(
        "/admin/auth/user/",
        {"action": "make_password_links", "_selected_action": [dana.pk]},
        follow=True,
    )
    html = response.content.decode()
    match = re.search(r'Link for dana \(works once, for 3 days\): <a href="([^"]+)"', html)
    assert match, html[:3000]
    saved, _ = set_password(Client(), match.group(1))
    assert saved["Location"] == "/counselor/"


def test_staff_without_superuser_cannot_make_password_links(client):
    staff = get_user_model().objects.create_user(
        "helper", password="a-long-test-password", is_staff=True
    )
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="auth"))
    root = get_user_model().objects.create_superuser("root", password="a-long-test-password")
    client.force_login(staff)
    page = client.get("/admin/auth/user/")
    assert page.status_code == 200
    assert "make_password_links" not in page.content.decode()
    response = client.post(
        "/admin/auth/user/",
        {"action": "make_password_links", "_selected_action": [root.pk]},
        follow=True,
    )
    assert "/counselor/welcome/" not in response.content.decode()


def test_two_admins_inviting_the_same_username_at_once_get_a_clear_answer(root_client, monkeypatch):
    from sessions.web.forms import InviteForm

    get_user_model().objects.create_user("dana")  # made by the other admin a moment ago
    monkeypatch.setattr(InviteForm, "clean_username", lambda self: self.cleaned_data["username"])
    response = invite(root_client)
    assert response.status_code == 400
    assert "There is already an account called" in " ".join(
        response.context["form"].errors["username"]
    )
