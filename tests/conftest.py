"""Fixtures every test folder shares: the cast and the short protocol.

The cast (see ``tests/support/personas.py``) is the same in every file:

* ``alex`` and ``sam`` (``couple`` for both): the couple, Alex in seat ``a``, Sam in seat ``b``.
  Each can ``join(code)`` a room through the shared link and gets a browser back.
* ``dana`` / ``dana_client``: Dana, a counselor, as a user and as her signed-in browser.
* ``robin`` / ``robin_client``: Robin, another counselor, who must never reach Dana's sessions.
* ``riley``: the browser of Riley, a stranger with nothing but the link; never signed in.

``short_protocol`` is a fresh copy of the one test protocol (``tests/support/protocols.py``);
call the function there for another shape or other clocks.

Every test starts and ends with an empty cache, so one test's joins, knocks and creations
never count against the next one's per-address limits.

Every test is watched by ``tests/support/room_guard.py``: a statement that writes a room's
rows (session, seats, events, leases, deletion markers) on behalf of code under ``sessions/``
that is not ``sessions/store/`` fails the test, naming the file and line. Tests and their
helpers in ``tests/`` may write rows directly to set the scene; a helper under ``sessions/``
may not, whoever calls it.

Fixtures that touch the database ask for ``db`` themselves, so a test marked for
transactions still gets them inside its own kind of database.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from tests.support import personas, protocols, room_guard


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english_between_tests():
    """Each test starts in the site's default language and leaves it so.

    A request in Spanish through the test client leaves Spanish active in this thread
    (LocaleMiddleware activates, nothing resets), so a later test reading a page's or a
    report's words would read them in Spanish.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def only_the_store_writes_rooms():
    with room_guard.watching():
        yield
    found = room_guard.take_found()
    if found:
        pytest.fail(
            "code under sessions/ other than the store wrote a room:\n" + "\n".join(found),
            pytrace=False,
        )


@pytest.fixture
def short_protocol() -> dict:
    return protocols.short_protocol()


@pytest.fixture
def alex() -> personas.Partner:
    return personas.ALEX


@pytest.fixture
def sam() -> personas.Partner:
    return personas.SAM


@pytest.fixture
def couple() -> personas.Couple:
    return personas.Couple()


@pytest.fixture
def dana(db, django_user_model):
    return django_user_model.objects.create_user(personas.COUNSELOR, password=personas.PASSWORD)


@pytest.fixture
def dana_client(dana) -> Client:
    return personas.signed_in(dana)


@pytest.fixture
def robin(db, django_user_model):
    return django_user_model.objects.create_user(
        personas.OTHER_COUNSELOR, password=personas.PASSWORD
    )


@pytest.fixture
def robin_client(robin) -> Client:
    return personas.signed_in(robin)


@pytest.fixture
def riley() -> Client:
    """A stranger's browser: no seat, no sign-in, only whatever link it was given."""
    return Client()
