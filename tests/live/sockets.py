"""Opening room sockets the way a browser does, and reading what comes back.

Shared by the socket tests in this folder: the short room they play (a welcome, a
check-in, a one-second breath, a turn each to speak, a goodbye), a browser's session
cookie, and helpers that read frames until the one a test waits for. The fixtures
(`room`, `sockets`, `quick_clocks`) are in `tests/live/conftest.py`.
"""

from __future__ import annotations

import asyncio
import json

from channels.db import database_sync_to_async
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore

from sessions.access import SEATS_KEY
from sessions.models import Event, Lease
from sessions.store import rooms
from tests.support.protocols import short_protocol

ORIGIN = (b"origin", b"http://testserver")
WELCOME, CHECKIN, BREATHE, SPEAK_A, SPEAK_B, GOODBYE = range(6)


def room_protocol() -> dict:
    """The short protocol with a one-second breath, a minute each to speak and a goodbye."""
    return short_protocol(
        breath=(0.5, 0.0, 0.5, 0.0),
        cycles=1,
        speak_seconds=60,
        reflect=False,
        closing="info",
    )


def browser_cookie(code: str, token: str | None) -> bytes:
    """The session cookie of a browser that holds `token` for room `code`."""
    session = SessionStore()
    if token is not None:
        session[SEATS_KEY] = {code: token}
    session.create()
    return f"{django_settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


async def join(sockets, room, seat: str):
    """Open a seat's socket and read its first state frame."""
    socket, connected, _ = await sockets(room.code, room.cookie[seat])
    assert connected
    first = await receive(socket)
    assert first["type"] == "state"
    return socket, first


async def receive(socket, within: float = 3) -> dict:
    return json.loads(await socket.receive_from(timeout=within))


async def frames_until(socket, match, within: float = 5) -> list[dict]:
    """Every frame up to and including the first one for which `match(frame)` is true."""
    seen = []
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while True:
        left = end - loop.time()
        if left <= 0:
            raise AssertionError(f"no matching frame within {within} s; saw {seen}")
        frame = await receive(socket, within=left)
        seen.append(frame)
        if match(frame):
            return seen


async def until_state(socket, match, within: float = 5) -> dict:
    frames = await frames_until(
        socket, lambda f: f["type"] == "state" and match(f["state"]), within
    )
    return frames[-1]["state"]


async def act(socket, action: str, rid: str | None = None, **fields) -> dict:
    """Send an action frame and return the reply addressed to it (ack or error)."""
    frame = {"type": "action", "action": action, **fields}
    if rid is not None:
        frame["rid"] = rid
    await socket.send_json_to(frame)
    frames = await frames_until(socket, lambda f: f["type"] in ("ack", "error"))
    return frames[-1]


async def active_room(sockets, room):
    """Both partners connected and the room started on the welcome step."""
    alex, _ = await join(sockets, room, "a")
    sam, _ = await join(sockets, room, "b")
    assert (await act(alex, "start", rid="start"))["type"] == "ack"
    await until_state(alex, lambda s: s["status"] == "active")
    await until_state(sam, lambda s: s["status"] == "active")
    return alex, sam


def events_of(code: str, **filters) -> list[Event]:
    return list(Event.objects.filter(session__code=code, **filters).order_by("version"))


def past_the_check_in(code: str) -> dict:
    """Both read the welcome, both check in calmly, and the room moves on to the breathing."""
    rooms.submit(code, "a", "next", {"step": WELCOME})
    rooms.submit(code, "b", "next", {"step": WELCOME})
    for seat in ("a", "b"):
        rooms.submit(code, seat, "checkin", {"step": CHECKIN, "state": "safe", "intensity": 2})
    rooms.submit(code, "b", "next", {"step": CHECKIN})
    return rooms.submit(code, "a", "next", {"step": CHECKIN}).state


async def alex_lease_expiry(room):
    return await database_sync_to_async(
        lambda: Lease.objects.get(session=room.session, role="a").expires_at
    )()


async def close_code(socket, within: float = 3) -> int:
    """Read frames until the server closes the socket; return the close code."""
    while (output := await socket.receive_output(timeout=within))["type"] != "websocket.close":
        pass
    return output["code"]


def leases_of(role: str) -> int:
    return Lease.objects.filter(role=role).count()
