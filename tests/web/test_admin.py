"""The Django admin: superusers only, seat secrets hidden, the event log untouchable."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from sessions.models import Event, Protocol, Seat
from tests.support.persistence import TINY_TOML, started_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    admin = get_user_model().objects.create_superuser("root", password="a-long-test-password")
    client.force_login(admin)
    return client


def test_staff_with_every_permission_still_cannot_see_couples_sessions(client):
    staff = get_user_model().objects.create_user(
        "helper", password="a-long-test-password", is_staff=True
    )
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="coregulation"))
    client.force_login(staff)
    session, _ = started_session()

    assert client.get("/admin/coregulation/couplesession/").status_code == 403
    assert client.get(f"/admin/coregulation/couplesession/{session.pk}/change/").status_code == 403
    assert client.get("/admin/coregulation/event/").status_code == 403
    assert b"coregulation" not in client.get("/admin/").content


def test_a_superuser_sees_sessions_and_seats_but_never_the_seat_secret(superuser_client):
    session, _ = started_session()
    seat = Seat.objects.get(session=session, seat="a")

    page = superuser_client.get(f"/admin/coregulation/couplesession/{session.pk}/change/")
    assert page.status_code == 200
    assert seat.token_hash.encode() not in page.content
    assert b"Alex" in page.content

    page = superuser_client.get(f"/admin/coregulation/seat/{seat.pk}/change/")
    assert page.status_code == 200
    assert seat.token_hash.encode() not in page.content


def test_the_event_log_cannot_be_added_to_changed_or_deleted_in_the_admin(superuser_client):
    session, _ = started_session()
    event = Event.objects.filter(session=session).first()
    base = "/admin/coregulation/event/"

    assert superuser_client.get(base).status_code == 200
    assert superuser_client.get(f"{base}add/").status_code == 403
    assert superuser_client.get(f"{base}{event.pk}/delete/").status_code == 403
    superuser_client.post(f"{base}{event.pk}/change/", {"action": "end"})
    event.refresh_from_db()
    assert event.action != "end"


def test_a_protocol_with_a_mistake_is_shown_with_the_loaders_message(superuser_client):
    bad = TINY_TOML.replace("cycles = 1", "cycles = 0")
    page = superuser_client.post("/admin/coregulation/protocol/add/", {"source": bad})

    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert "source" in errors
    assert "cycles" in errors["source"][0]
    assert not Protocol.objects.exists()


def test_a_superuser_adds_a_protocol_from_its_toml(superuser_client):
    page = superuser_client.post("/admin/coregulation/protocol/add/", {"source": TINY_TOML})

    assert page.status_code == 302, page.content[:2000]
    protocol = Protocol.objects.get(slug="tiny")
    assert protocol.title == "Tiny test protocol"
    assert protocol.doc["steps"][1]["kind"] == "checkin"
    assert not protocol.is_builtin
