"""The management commands scripts and operators rely on."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from sessions.models import CoupleSession, DeletedSession, Event, Lease, Note, Protocol, Seat
from sessions.protocols.loader import builtin_protocols
from sessions.store import creation, deletion, rooms
from tests.support.persistence import started_session

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- create_session -------------------------------------------------------------


def test_create_session_prints_one_json_object_a_script_can_use():
    out = run("create_session", "--protocol", "daily-checkin")

    data = json.loads(out)
    assert set(data) == {"code", "join_url", "protocol"}
    assert data["protocol"] == "daily-checkin"
    assert data["join_url"] == f"http://127.0.0.1:8000/j/{data['code']}/"
    assert rooms.load_state(data["code"])["status"] == "waiting"


def test_create_session_uses_the_given_base_url_and_counselor():
    get_user_model().objects.create_user("robin", password="a-long-test-password")
    out = run(
        "create_session",
        "--protocol",
        "breathe-together",
        "--counselor",
        "robin",
        "--base-url",
        "https://stay.example.org/",
    )
    data = json.loads(out)
    assert data["join_url"] == f"https://stay.example.org/j/{data['code']}/"
    session = CoupleSession.objects.get(code=data["code"])
    assert session.counselor.username == "robin"


def test_create_session_links_to_the_public_url_when_one_is_set(settings):
    settings.STAY = {**settings.STAY, "PUBLIC_URL": "http://192.168.1.20:8000"}
    out = json.loads(run("create_session", "--protocol", "daily-checkin"))
    assert out["join_url"] == f"http://192.168.1.20:8000/j/{out['code']}/"


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--protocol", "no-such-protocol"], "daily-checkin"),  # lists the known ones
        (["--protocol", "daily-checkin", "--counselor", "nobody"], "nobody"),
        (["--protocol", "daily-checkin", "--base-url", "stay.example.org"], "--base-url"),
    ],
)
def test_create_session_explains_what_is_wrong(args, complaint):
    with pytest.raises(CommandError, match=complaint):
        run("create_session", *args)
    assert not CoupleSession.objects.exists()


# --- purge_expired --------------------------------------------------------------


def _expire(session):
    CoupleSession.objects.filter(pk=session.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


def test_purge_deletes_expired_sessions_with_everything_that_belongs_to_them():
    robin = get_user_model().objects.create_user("robin", password="a-long-test-password")
    finished, _ = started_session()
    rooms.submit(finished.code, "a", "end")
    Lease.objects.create(session=finished, role="a", channel_name="x", expires_at=timezone.now())
    note = Note.objects.create(
        counselor=robin, session=finished, session_label="Tiny · today", text="Went well."
    )
    unstarted = creation.create_session("daily-checkin")
    _expire(finished)
    _expire(unstarted)
    keep = creation.create_session("daily-checkin")

    out = run("purge_expired")

    assert "Deleted 2 expired sessions" in out
    assert list(CoupleSession.objects.all()) == [keep]
    assert not Seat.objects.filter(session_id=finished.pk).exists()
    assert not Event.objects.filter(session_id=finished.pk).exists()
    assert not Lease.objects.exists()
    note.refresh_from_db()
    assert note.session is None
    assert note.session_label == "Tiny · today"


def test_purge_never_touches_a_session_in_progress_whatever_its_dates_say():
    active, _ = started_session()
    paused, _ = started_session()
    rooms.submit(paused.code, "b", "pause", {"reason": "flooding"})
    for session in (active, paused):
        CoupleSession.objects.filter(pk=session.pk).update(
            expires_at=timezone.now() - timedelta(days=365)
        )

    out = run("purge_expired")

    assert "Deleted 0 expired sessions" in out
    assert CoupleSession.objects.filter(pk__in=[active.pk, paused.pk]).count() == 2


def test_purge_forgets_old_deletion_markers_but_keeps_recent_ones():
    old, recent = "old-code-that-was-deleted", "recent-code-that-was-deleted"
    now = timezone.now()
    retention = settings.STAY["FINISHED_RETENTION_DAYS"]
    DeletedSession.objects.create(
        code_hash=deletion.deleted_marker(old), deleted_at=now - timedelta(days=retention + 1)
    )
    DeletedSession.objects.create(code_hash=deletion.deleted_marker(recent), deleted_at=now)

    out = run("purge_expired")

    assert "and 1 old deletion markers" in out
    assert not deletion.deleted_by_agreement(old)
    assert deletion.deleted_by_agreement(recent)


def test_purge_dry_run_only_counts():
    session = creation.create_session("daily-checkin")
    _expire(session)
    assert "1 expired sessions would be deleted" in run("purge_expired", "--dry-run")
    assert CoupleSession.objects.filter(pk=session.pk).exists()


# --- load_protocols --------------------------------------------------------------


def test_load_protocols_brings_in_every_built_in_protocol_once():
    first = run("load_protocols")
    second = run("load_protocols")

    builtins = builtin_protocols()
    assert f"{len(builtins)} new" in first
    assert f"{len(builtins)} unchanged" in second
    rows = Protocol.objects.filter(is_builtin=True, owner=None)
    assert sorted(rows.values_list("slug", flat=True)) == sorted(builtins)
    for row in rows:
        assert row.doc == builtins[row.slug]
        assert row.source.strip()


def test_load_protocols_repairs_a_built_in_edited_in_the_database():
    run("load_protocols")
    Protocol.objects.filter(slug="daily-checkin").update(title="Edited", doc={})

    out = run("load_protocols")

    assert "1 updated" in out
    assert (
        Protocol.objects.get(slug="daily-checkin").title
        == builtin_protocols()["daily-checkin"]["title"]
    )


def test_load_protocols_refuses_to_overwrite_a_counselors_protocol_with_the_same_slug():
    robin = get_user_model().objects.create_user("robin", password="a-long-test-password")
    Protocol.objects.create(
        slug="daily-checkin", title="Robin's", source="x", doc={"slug": "x"}, owner=robin
    )
    with pytest.raises(CommandError, match="daily-checkin"):
        run("load_protocols")
    assert Protocol.objects.get(slug="daily-checkin").title == "Robin's"
    # The other built-ins were still loaded.
    assert Protocol.objects.filter(is_builtin=True).count() == len(builtin_protocols()) - 1
