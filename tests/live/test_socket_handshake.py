"""Opening the room socket: who gets in, as whom, and who is turned away with which code.

Alex (seat a) and Sam (seat b) hold seats in a short room; Dana owns a hosted one. Every
test talks to the real ASGI application, with the Origin header and session cookie a
browser would send (`tests/live/sockets.py`).
"""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.test import Client
from django.utils import timezone

from sessions.codes import new_seat_token
from sessions.store import broadcast, creation, rooms, seats
from tests.live.sockets import (
    CHECKIN,
    WELCOME,
    act,
    browser_cookie,
    join,
    receive,
    room_protocol,
    until_state,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("quick_clocks")]


# --- handshake: origin, seat, code --------------------------------------------------


async def test_a_partner_with_a_seat_gets_the_room_shaped_for_them(sockets, room):
    alex, first = await join(sockets, room, "a")
    state = first["state"]
    assert state["you"] == "a"
    assert state["status"] == "waiting"
    assert state["seats"]["a"] == {
        "name": "Alex",
        "claimed": True,
        "connected": True,
        "resting": False,
        "rejoined_at": None,
        "forgotten": False,
    }
    assert first["version"] == state["version"]
    assert isinstance(first["server"], int)
    assert "seed" not in state and "gone_since" not in json.dumps(state)


async def test_a_handshake_without_origin_is_refused(sockets, room):
    _, connected, _ = await sockets(room.code, headers=[(b"cookie", room.cookie["a"])])
    assert not connected


async def test_a_handshake_from_another_site_is_refused(sockets, room):
    evil = [(b"origin", b"https://evil.example"), (b"cookie", room.cookie["a"])]
    _, connected, _ = await sockets(room.code, headers=evil)
    assert not connected


async def test_a_browser_without_a_seat_is_told_4403_after_accept(sockets, room):
    no_seat = await database_sync_to_async(browser_cookie)(room.code, None)
    socket, connected, _ = await sockets(room.code, no_seat)
    assert connected  # accepted first, so the browser sees the code, not a bare 1006
    assert await socket.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


async def test_an_old_device_leaves_when_its_seat_moved_even_if_the_revoke_was_lost(sockets, room):
    """Alex's seat moves to a new device, but the `room.revoke` telling his old phone is
    lost (the channel layer was down at that moment). The room's next state shows the seat
    changed hands, so the old phone re-checks its claim and leaves (4403); Sam stays."""

    from sessions.codes import hash_seat_token
    from sessions.models import Seat

    alex, _ = await join(sockets, room, "a")
    sam, _ = await join(sockets, room, "b")

    def take_over_without_a_revoke() -> dict:
        Seat.objects.filter(session=room.session, seat="a").update(
            token_hash=hash_seat_token(new_seat_token())
        )
        moved = rooms.submit(
            room.code, "server", "seat", {"seat": "a", "claimed": True, "name": "Alex"}
        )
        assert moved.accepted and moved.changed
        return moved.state

    state = await database_sync_to_async(take_over_without_a_revoke)()
    await get_channel_layer().group_send(
        broadcast.group_name(room.code), broadcast.state_message(state)
    )

    closed = await alex.receive_output(timeout=3)
    while closed.get("type") != "websocket.close":
        closed = await alex.receive_output(timeout=3)
    assert closed["code"] == 4403
    seen = await until_state(sam, lambda s: s["seats"]["a"]["rejoined_at"] is not None)
    assert seen["seats"]["a"]["name"] == "Alex"


async def test_a_stale_seat_token_is_refused_too(sockets, room):
    stranger = await database_sync_to_async(browser_cookie)(room.code, new_seat_token())
    socket, _, _ = await sockets(room.code, stranger)
    assert (await socket.receive_output(timeout=3))["code"] == 4403


@pytest.mark.parametrize("code", ["no-such-room-abcdefghijklmnop", "short"])
async def test_an_unknown_code_is_told_4404(sockets, room, code):
    socket, connected, _ = await sockets(code, room.cookie["a"])
    assert connected
    assert await socket.receive_output(timeout=3) == {"type": "websocket.close", "code": 4404}


async def test_guessing_codes_over_the_socket_stops_at_the_join_limit_but_alex_still_gets_in(
    sockets, room, settings
):
    """A socket that finds no place counts as a join attempt, like a join link that leads
    nowhere: past the per-address limit a stranger's guesses are closed 4429, unanswered."""
    from django.core.cache import cache

    cache.clear()
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 3}
    stranger = await database_sync_to_async(browser_cookie)(room.code, new_seat_token())
    answers = []
    for guess in ("guess-aaaaaaaaaaaaaaaaaaaaa", "guess-bbbbbbbbbbbbbbbbbbbbb"):
        socket, _, _ = await sockets(guess, stranger)
        answers.append((await socket.receive_output(timeout=3))["code"])
    socket, _, _ = await sockets(room.code, stranger)  # the right code, but no seat
    answers.append((await socket.receive_output(timeout=3))["code"])
    socket, _, _ = await sockets("guess-ccccccccccccccccccccc", stranger)
    answers.append((await socket.receive_output(timeout=3))["code"])
    assert answers == [4404, 4404, 4403, 4429]

    alex, connected, _ = await sockets(room.code, room.cookie["a"])
    assert connected
    assert (await alex.receive_json_from(timeout=3))["type"] == "state"
    cache.clear()


async def test_an_expired_session_is_told_4404(sockets, room):
    room.session.expires_at = timezone.now() - timedelta(minutes=1)
    await database_sync_to_async(room.session.save)()
    socket, _, _ = await sockets(room.code, room.cookie["a"])
    assert (await socket.receive_output(timeout=3))["code"] == 4404


def signed_in_cookie(client: Client) -> bytes:
    """The Cookie header of a counselor's signed-in browser."""
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def test_the_owning_counselor_joins_as_host_and_another_counselor_cannot(
    sockets, dana, dana_client, robin_client
):
    def make():
        doc = room_protocol()
        return creation.create_session(doc["slug"], dana, protocol=SimpleNamespace(doc=doc)).code

    code = await database_sync_to_async(make)()
    host, connected, _ = await sockets(code, signed_in_cookie(dana_client))
    assert connected
    state = (await receive(host))["state"]
    assert state["you"] == "host"
    assert state["host"]["connected"] is True
    robin, _, _ = await sockets(code, signed_in_cookie(robin_client))
    assert (await robin.receive_output(timeout=3))["code"] == 4403


async def test_the_host_leads_but_cannot_answer_for_a_partner(sockets, settings, dana, dana_client):
    settings.STAY = {**settings.STAY, "PRESENCE_GRACE_SECONDS": 600}

    def hosted_room():
        doc = room_protocol()
        session = creation.create_session(doc["slug"], dana, protocol=SimpleNamespace(doc=doc))
        tokens = {"a": new_seat_token(), "b": new_seat_token()}
        seats.claim_seat(session, "Alex", tokens["a"])
        return session.code, tokens, session

    code, tokens, session = await database_sync_to_async(hosted_room)()
    host_cookie = signed_in_cookie(dana_client)
    host, _, _ = await sockets(code, host_cookie)
    await receive(host)
    assert (await act(host, "start"))["code"] == "seats_not_taken"
    await database_sync_to_async(seats.claim_seat)(session, "Sam", tokens["b"])
    alex, _, _ = await sockets(
        code, await database_sync_to_async(browser_cookie)(code, tokens["a"])
    )
    await receive(alex)
    assert (await act(alex, "start"))["code"] == "host_only"
    assert (await act(host, "start"))["type"] == "ack"
    assert (await act(host, "next", step=WELCOME))["type"] == "ack"
    answer = {"state": "safe", "intensity": 1}
    assert (await act(host, "checkin", step=CHECKIN, args=answer))["code"] == "partners_only"
