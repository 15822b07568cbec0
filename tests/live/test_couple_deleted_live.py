"""Dana deletes Alex and Sam while their room is open: every socket of it ends at once.

Her host view in another tab closes 4404 (her page then says the session was deleted and
offers only the way back), Alex's and Sam's close 4410 (their link no longer works), and
her dashboard's socket says the room went, once, in her words, and stops watching it.
"""

from __future__ import annotations

import time

import pytest
from channels.db import database_sync_to_async

from sessions.live.outgoing import Close
from sessions.models import Couple, CoupleSession
from sessions.store import couples, notices
from tests.live.calls import signed_in_cookie
from tests.live.sockets import close_code, join
from tests.live.test_counselor_socket import couples_room, next_changed, says_nothing

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]


@pytest.fixture
def hosted(dana, dana_client):
    room = couples_room(dana, practice=False)
    room.cookie["host"] = signed_in_cookie(dana_client)
    return room


def delete_the_couple(code: str) -> None:
    couples.delete_couple(Couple.objects.get(sessions__code=code))


async def test_deleting_the_couple_closes_danas_host_view_and_both_partners_at_once(
    sockets, counselor_sockets, hosted, dana_client
):
    desk = await counselor_sockets(signed_in_cookie(dana_client))
    alex, _ = await join(sockets, hosted, "a")
    sam, _ = await join(sockets, hosted, "b")
    dana, _ = await join(sockets, hosted, "host")
    await next_changed(desk, lambda f: "both are here" in f["line"])
    started = time.monotonic()
    await database_sync_to_async(delete_the_couple)(hosted.code)
    assert await close_code(dana, within=2) == Close.NOT_FOUND
    assert await close_code(alex, within=2) == Close.ACCESS_ENDED
    assert await close_code(sam, within=2) == Close.ACCESS_ENDED
    assert time.monotonic() - started < 2.0
    went = await next_changed(desk, lambda f: f["room"] == notices.room_id(hosted.code))
    assert went["line"].startswith("Alex and Sam · ")
    assert went["line"].endswith(": deleted with the couple")
    assert await says_nothing(desk)  # said once; the room is no longer watched
    assert not await database_sync_to_async(CoupleSession.objects.exists)()
