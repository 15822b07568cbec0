"""What a superuser changes in the Django admin is written by the store (store/admin_writes.py).

The admin may edit a session's bookkeeping and a seat's name, and delete a seat (a session it
cannot delete: its event log cannot be); the room guard fails these tests if the admin
writes those rows itself.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from sessions.models import CoupleSession, Seat
from sessions.store import admin_writes, rooms
from tests.support.persistence import started_session

pytestmark = pytest.mark.django_db

BASE = "/admin/coregulation"


@pytest.fixture
def superuser_client(client):
    root = get_user_model().objects.create_superuser("root", password="a-long-test-password")
    client.force_login(root)
    return client


def _posted(form) -> dict:
    """A form's current values, as the browser posts them."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field, forms.MultiValueField):  # the split date and time
            for i, part in enumerate(bound.field.widget.decompress(value)):
                data[f"{bound.html_name}_{i}"] = "" if part is None else part
        elif value is not None:
            data[bound.html_name] = value
    return data


def _form(client, url: str) -> dict:
    """The admin change page posted back unchanged: its form and its inlines."""
    context = client.get(url).context
    data = _posted(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        data.update(_posted(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(_posted(form))
    return data


def test_a_session_cannot_be_deleted_in_the_admin_because_its_event_log_cannot(
    superuser_client,
):
    session, _ = started_session()

    page = superuser_client.post(f"{BASE}/couplesession/{session.pk}/delete/", {"post": "yes"})
    listed = superuser_client.post(
        f"{BASE}/couplesession/",
        {"action": "delete_selected", "_selected_action": [session.pk], "post": "yes"},
    )

    assert page.status_code == 403
    assert listed.status_code == 403
    assert CoupleSession.objects.filter(pk=session.pk).exists()


def test_a_superuser_changes_when_a_session_expires(superuser_client):
    session, _ = started_session()
    url = f"{BASE}/couplesession/{session.pk}/change/"
    data = _form(superuser_client, url)
    soon = timezone.localtime(timezone.now() + timedelta(days=3)).replace(microsecond=0)
    data.update(expires_at_0=soon.strftime("%Y-%m-%d"), expires_at_1=soon.strftime("%H:%M:%S"))

    page = superuser_client.post(url, data)

    assert page.status_code == 302
    row = CoupleSession.objects.get(pk=session.pk)
    assert row.expires_at == soon
    assert (row.state, row.version) == (session.state, session.version)


def test_an_edit_writes_only_its_fields_over_a_room_that_moved_on():
    session, _ = started_session()
    read_by_the_form = CoupleSession.objects.get(pk=session.pk)
    assert rooms.submit(session.code, "b", "pause", {"reason": "flooding"}).accepted
    read_by_the_form.finished_at = timezone.now()

    admin_writes.save(read_by_the_form, ["finished_at"], new=False)

    row = CoupleSession.objects.get(pk=session.pk)
    assert row.finished_at == read_by_the_form.finished_at
    assert row.status == "paused" and row.version == session.version + 1


def test_a_superuser_renames_a_seat_and_deletes_one(superuser_client):
    session, _ = started_session()
    seat = Seat.objects.get(session=session, seat="a")
    url = f"{BASE}/seat/{seat.pk}/change/"
    data = {**_form(superuser_client, url), "name": "Alexandra"}

    assert superuser_client.post(url, data).status_code == 302
    assert Seat.objects.get(pk=seat.pk).name == "Alexandra"

    page = superuser_client.post(f"{BASE}/seat/{seat.pk}/delete/", {"post": "yes"})
    assert page.status_code == 302
    assert not Seat.objects.filter(pk=seat.pk).exists()
