"""Dana revokes Alex and Sam's standing link (or deletes the couple): their rooms close to them.

`broadcast.end_access(code)` tells the room after commit; every partner's open socket
closes with 4410 within a second, and Dana's host socket stays open. A partner's browser
that still holds its seat and connects afterwards is refused with 4410 too (not 4403:
its page says the link no longer works, and stops). Checked through the in-process
communicator and through a real Daphne process (over a Redis of the test's own, so the
revoking process and the serving one are two, as in production).
"""

from __future__ import annotations

import asyncio
import json
import time
from types import SimpleNamespace

import pytest
import websockets
from channels.db import database_sync_to_async

from sessions.codes import new_seat_token
from sessions.live.outgoing import Close
from sessions.models import Couple, CoupleSession
from sessions.store import broadcast, creation, seats
from tests.live.calls import signed_in_cookie
from tests.live.sockets import browser_cookie, close_code, join, room_protocol
from tests.support.servers import DaphneServer, RedisServer, fresh_database

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def couple_room(db, dana, dana_client):
    """A room Dana hosts for her couple Alex and Sam, both seated; cookies for all three."""
    couple = Couple.objects.create(counselor=dana, name_a="Alex", name_b="Sam", link_code="L" * 32)
    doc = room_protocol()
    session = creation.create_session(doc["slug"], dana, protocol=SimpleNamespace(doc=doc))
    CoupleSession.objects.filter(pk=session.pk).update(couple=couple)
    tokens = {"a": new_seat_token(), "b": new_seat_token()}
    seats.claim_seat(session, "Alex", tokens["a"])
    seats.claim_seat(session, "Sam", tokens["b"])
    cookies = {seat: browser_cookie(session.code, token) for seat, token in tokens.items()}
    cookies["host"] = signed_in_cookie(dana_client)
    return SimpleNamespace(code=session.code, couple=couple, cookie=cookies)


def revoke(couple: Couple, code: str) -> None:
    """What the couple page's "revoke" does, as far as the room is concerned."""
    Couple.objects.filter(pk=couple.pk).update(link_code=None)
    broadcast.end_access(code)


@pytest.mark.django_db(transaction=True)
async def test_revoking_the_link_closes_alex_and_sams_sockets_with_4410_and_dana_stays(
    sockets, couple_room
):
    alex, _ = await join(sockets, couple_room, "a")
    sam, _ = await join(sockets, couple_room, "b")
    dana, _ = await join(sockets, couple_room, "host")
    started = time.monotonic()
    await database_sync_to_async(revoke)(couple_room.couple, couple_room.code)
    assert await close_code(alex, within=1) == Close.ACCESS_ENDED
    assert await close_code(sam, within=1) == Close.ACCESS_ENDED
    assert time.monotonic() - started < 1.0
    # Dana's socket is still open and answering.
    await dana.send_json_to({"type": "time.ping", "t0": 1})
    frames = []
    while not frames or frames[-1]["type"] != "time.pong":
        frames.append(json.loads(await dana.receive_from(timeout=2)))
    assert all(f["type"] != "error" for f in frames)


@pytest.mark.django_db(transaction=True)
async def test_after_revoking_alexs_browser_is_refused_with_4410_not_4403(sockets, couple_room):
    await database_sync_to_async(revoke)(couple_room.couple, couple_room.code)
    socket, connected, _ = await sockets(couple_room.code, couple_room.cookie["a"])
    assert connected  # accepted first, so the browser sees the code
    assert await close_code(socket) == Close.ACCESS_ENDED
    # Dana still opens her host view of the room.
    dana, first = await join(sockets, couple_room, "host")
    assert first["state"]["you"] == "host"


@pytest.mark.django_db(transaction=True)
async def test_a_stranger_to_a_revoked_couples_room_still_gets_4403(sockets, couple_room):
    await database_sync_to_async(revoke)(couple_room.couple, couple_room.code)
    stranger = await database_sync_to_async(browser_cookie)(couple_room.code, None)
    socket, connected, _ = await sockets(couple_room.code, stranger)
    assert connected
    assert await close_code(socket) == Close.NO_SEAT


@pytest.mark.django_db(transaction=True)
async def test_end_access_closes_the_partners_of_whatever_room_it_is_sent_to(sockets, room):
    """end_access speaks to the room, whoever's it is: a plain room's partners go too."""
    alex, _ = await join(sockets, room, "a")
    await database_sync_to_async(broadcast.end_access)(room.code)
    assert await close_code(alex, within=1) == Close.ACCESS_ENDED


# --- through a real Daphne -------------------------------------------------------------

SETUP = """
import json
from types import SimpleNamespace
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from sessions.access import SEATS_KEY
from sessions.codes import new_seat_token
from sessions.models import Couple, CoupleSession
from sessions.store import creation, seats
dana = User.objects.create_user("dana-live", password="not-used-here-9")
couple = Couple.objects.create(counselor=dana, name_a="Alex", name_b="Sam", link_code="L" * 32)
session = creation.create_session("daily-checkin", dana)
CoupleSession.objects.filter(pk=session.pk).update(couple=couple)
cookies = {}
for seat, name in (("a", "Alex"), ("b", "Sam")):
    token = new_seat_token()
    seats.claim_seat(session, name, token)
    browser = SessionStore()
    browser[SEATS_KEY] = {session.code: token}
    browser.create()
    cookies[seat] = "sessionid=" + browser.session_key
host = SessionStore()
host[SESSION_KEY] = str(dana.pk)
host[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
host[HASH_SESSION_KEY] = dana.get_session_auth_hash()
host.create()
cookies["host"] = "sessionid=" + host.session_key
print(json.dumps({"code": session.code, "couple": couple.pk, "cookies": cookies}))
"""

REVOKE = """
import time
from sessions.models import Couple
from sessions.store import broadcast
Couple.objects.filter(pk={couple}).update(link_code=None)
broadcast.end_access({code!r})
print(time.time())
"""


@pytest.mark.skipif(not RedisServer.installed(), reason="redis-server is not installed")
def test_through_a_real_daphne_partners_close_4410_within_a_second_and_dana_stays(tmp_path):
    with (
        RedisServer(tmp_path) as redis,
        fresh_database(tmp_path) as db,
        DaphneServer(db, redis_url=redis.url, log_path=tmp_path / "daphne.log") as server,
    ):
        made = json.loads(server.manage("shell", "-c", SETUP).strip().splitlines()[-1])
        closed = asyncio.run(_revoke_while_open(server, made))
    assert closed["a"][0] == Close.ACCESS_ENDED, closed
    assert closed["b"][0] == Close.ACCESS_ENDED, closed
    assert closed["host"] is None, closed  # still open when the partners had gone
    for seat in ("a", "b"):
        assert closed[seat][1] - closed["sent"] < 1.0, closed


async def _revoke_while_open(server: DaphneServer, made: dict) -> dict:
    path = f"{server.ws_url}/ws/sessions/{made['code']}/"
    opened = {}
    for role, cookie in made["cookies"].items():
        ws = await websockets.connect(
            path, origin=server.origin, additional_headers={"Cookie": cookie}, open_timeout=10
        )
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "state"
        opened[role] = ws
    closed: dict = {}

    async def watch(role: str) -> None:
        ws = opened[role]
        try:
            while True:
                await ws.recv()
        except websockets.ConnectionClosed as gone:
            closed[role] = (gone.rcvd.code if gone.rcvd else None, time.time())

    watchers = [asyncio.create_task(watch(role)) for role in opened]
    script = REVOKE.format(couple=made["couple"], code=made["code"])
    output = await asyncio.to_thread(server.manage, "shell", "-c", script)
    closed["sent"] = float(output.strip().splitlines()[-1])
    await asyncio.wait(watchers[:2], timeout=3)
    await asyncio.sleep(0.3)  # the host's socket has had every chance to close too
    closed["host"] = closed.get("host")
    for task in watchers:
        task.cancel()
    for ws in opened.values():
        await ws.close()
    return closed
