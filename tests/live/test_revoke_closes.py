"""Dana stops Alex and Sam's link through the store: their sockets close 4410, not 4403.

`couples.revoke_link` frees both seats as well as ending access, so a partner's socket
hears two things after commit; it must hear "access ended" first, or its page would send
Alex to a join link that cannot help (4403) instead of saying the link no longer works.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from sessions.live.outgoing import Close
from sessions.store import couples
from tests.live.sockets import close_code, join
from tests.live.test_end_access import couple_room  # noqa: F401  (the fixture)

pytestmark = pytest.mark.timeout(60)


@pytest.mark.django_db(transaction=True)
async def test_stopping_the_link_closes_alex_and_sam_with_4410_and_frees_their_seats(
    sockets,
    couple_room,  # noqa: F811
):
    alex, _ = await join(sockets, couple_room, "a")
    sam, _ = await join(sockets, couple_room, "b")
    await database_sync_to_async(couples.revoke_link)(couple_room.couple)
    assert await close_code(alex, within=1) == Close.ACCESS_ENDED
    assert await close_code(sam, within=1) == Close.ACCESS_ENDED
    # Their browsers, coming back, are told the same (not sent to the join link).
    again, connected, _ = await sockets(couple_room.code, couple_room.cookie["a"])
    assert connected and await close_code(again) == Close.ACCESS_ENDED
