"""The room guard (tests/support/room_guard.py) fires on the database, whoever writes.

Code that pretends to live under sessions/ is compiled with such a file name, so the guard
sees a real stack with a frame "in" a page, the socket or a report, without a module of
bad code in the tree. It writes the ways a source scan misses: a queryset's .delete(),
Model(...).save(), an update spelled with **kwargs.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from sessions.models import CoupleSession, DeletedSession, Seat
from tests.support import room_guard
from tests.support.persistence import seated_session
from tests.support.room_guard import REPO, RoomWrittenOutsideStore

BAD_WRITES = """
from sessions.models import CoupleSession, DeletedSession, Seat


def delete_seats(session_id):
    Seat.objects.filter(session_id=session_id).delete()


def save_a_marker():
    DeletedSession(code_hash="x" * 64).save()


def update_with(session_id, **fields):
    CoupleSession.objects.filter(pk=session_id).update(**fields)
"""


def code_in(relative: str) -> dict:
    """BAD_WRITES' functions, as if they were written in `relative` (a path in the repo)."""
    namespace: dict = {}
    exec(compile(BAD_WRITES, str(REPO / relative), "exec"), namespace)  # noqa: S102
    return namespace


def refused(call, *args, **kwargs) -> str:
    """The complaint `call` raises; its own savepoint keeps the test's transaction usable."""
    with pytest.raises(RoomWrittenOutsideStore) as caught, transaction.atomic():
        call(*args, **kwargs)
    assert room_guard.take_found() == [str(caught.value)]
    return str(caught.value)


@pytest.mark.django_db
def test_a_page_deleting_seats_itself_is_refused_and_named():
    session, _ = seated_session()
    page = code_in("sessions/web/not_a_module.py")

    complaint = refused(page["delete_seats"], session.pk)

    assert complaint.startswith("sessions/web/not_a_module.py:6 wrote a room (DELETE Seat)")
    assert Seat.objects.filter(session=session).count() == 2


@pytest.mark.django_db
def test_a_model_saved_by_hand_and_an_update_by_kwargs_are_refused():
    session, _ = seated_session()
    socket = code_in("sessions/live/not_a_module.py")
    report = code_in("sessions/reports/not_a_module.py")

    assert "(INSERT DeletedSession)" in refused(socket["save_a_marker"])
    assert "(UPDATE CoupleSession)" in refused(report["update_with"], session.pk, version=99)

    assert not DeletedSession.objects.exists()
    session.refresh_from_db()
    assert session.version != 99


@pytest.mark.django_db
def test_the_store_tests_and_migrations_may_write():
    session, _ = seated_session()
    for place in ("sessions/store/not_a_module.py", "tests/not_a_module.py", "bench/x.py"):
        code_in(place)["update_with"](session.pk, delete_kept_by="a")
    code_in("sessions/migrations/not_a_module.py")["save_a_marker"]()
    Seat.objects.filter(session=session).delete()  # a test setting the scene

    assert room_guard.take_found() == []
    assert CoupleSession.objects.get(pk=session.pk).delete_kept_by == "a"


@pytest.mark.django_db(transaction=True)
def test_a_write_on_another_threads_connection_is_seen_too():
    session, _ = seated_session()
    page = code_in("sessions/web/not_a_module.py")
    raised: list[BaseException] = []

    def worker():
        try:
            page["delete_seats"](session.pk)
        except RoomWrittenOutsideStore as exc:
            raised.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()

    assert len(raised) == 1
    assert room_guard.take_found() == [str(raised[0])]
    assert Seat.objects.filter(session=session).count() == 2
