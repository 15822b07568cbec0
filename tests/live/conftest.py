"""Fixtures of the room socket tests: a seated room, a hosted one, sockets that always close,
quick clocks."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings

from facilitator.asgi import application
from sessions.codes import new_seat_token
from sessions.store import creation, seats
from tests.live.calls import signed_in_cookie
from tests.live.sockets import ORIGIN, browser_cookie, room_protocol


@pytest.fixture
def quick_clocks(settings):
    """A one-second grace and no breathing lead-in, so deadlines come quickly."""
    settings.STAY = {
        **django_settings.STAY,
        "PRESENCE_GRACE_SECONDS": 1,
        "BREATHING_LEAD_IN_SECONDS": 0,
    }


@pytest.fixture
def room():
    """A room with Alex in seat a and Sam in seat b; cookies for both browsers."""
    doc = room_protocol()
    session = creation.create_session(doc["slug"], protocol=SimpleNamespace(doc=doc))
    tokens = {"a": new_seat_token(), "b": new_seat_token()}
    seats.claim_seat(session, "Alex", tokens["a"])
    seats.claim_seat(session, "Sam", tokens["b"])
    return SimpleNamespace(
        code=session.code,
        session=session,
        cookie={seat: browser_cookie(session.code, token) for seat, token in tokens.items()},
    )


@pytest.fixture
def hosted_room(db, dana, dana_client):
    """A room Dana hosts (for the call) with Alex in seat a and Sam in seat b; cookies for all three."""
    doc = room_protocol()
    session = creation.create_session(doc["slug"], dana, protocol=SimpleNamespace(doc=doc))
    tokens = {"a": new_seat_token(), "b": new_seat_token()}
    seats.claim_seat(session, "Alex", tokens["a"])
    seats.claim_seat(session, "Sam", tokens["b"])
    cookies = {seat: browser_cookie(session.code, token) for seat, token in tokens.items()}
    cookies["host"] = signed_in_cookie(dana_client)
    return SimpleNamespace(code=session.code, session=session, cookie=cookies)


@pytest.fixture
async def sockets():
    """Opens sockets for a test and always disconnects them afterwards."""
    opened: list[WebsocketCommunicator] = []

    async def open_socket(code: str, cookie: bytes | None = None, headers=None):
        if headers is None:
            headers = [ORIGIN] + ([(b"cookie", cookie)] if cookie else [])
        socket = WebsocketCommunicator(application, f"/ws/sessions/{code}/", headers=headers)
        opened.append(socket)
        connected, detail = await socket.connect(timeout=3)
        return socket, connected, detail

    yield open_socket
    for socket in opened:
        await socket.disconnect(timeout=3)


@pytest.fixture
async def counselor_sockets():
    """Opens /ws/counselor/ sockets for a test and always disconnects them afterwards."""
    opened: list[WebsocketCommunicator] = []

    async def open_socket(cookie: bytes | None, *, listening: bool = True):
        headers = [ORIGIN] + ([(b"cookie", cookie)] if cookie else [])
        socket = WebsocketCommunicator(application, "/ws/counselor/", headers=headers)
        opened.append(socket)
        connected, _ = await socket.connect(timeout=3)
        assert connected  # accepted first, so a refusal arrives as a close code
        if listening:
            # Answered only once the connect (joining the rooms' groups) is done.
            await socket.send_json_to({"type": "sync"})
            assert json.loads(await socket.receive_from(timeout=3)) == {"type": "ok"}
        return socket

    yield open_socket
    for socket in opened:
        await socket.disconnect(timeout=3)
