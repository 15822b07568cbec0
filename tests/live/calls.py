"""The call's cast and helpers for the signaling tests: a hosted room, three pages joining.

Alex (seat a) and Sam (seat b) hold seats in a short room Dana hosts; each opens the
room socket the way a browser does (`tests/live/sockets.py`) and joins the call with
a page's own peer id. The `hosted_room` fixture is in `tests/live/conftest.py`.
"""

from __future__ import annotations

import asyncio
import json

from django.test import Client

from tests.live.sockets import frames_until, receive

PEERS = {"a": "alex-page-1", "b": "sam-page-01", "host": "dana-page-1"}
# A browser's offer is several KiB of SDP; this one is recognisable in any log.
SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 192.0.2.7\r\ns=-\r\nt=0 0\r\n" + (
    "a=candidate-secret-line\r\n" * 200
)
CANDIDATE = {
    "candidate": "candidate:842163049 1 udp 1677729535 198.51.100.23 61764 typ srflx",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
    "usernameFragment": "x8Kq",
}


def signed_in_cookie(client: Client) -> bytes:
    """The Cookie header of a counselor's signed-in browser."""
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_page(sockets, room, role: str):
    """A role's room socket, past its first state and its hello to the room.

    The socket asks the room who is in the call right after the first state; a clock
    ping answered means that is done (a socket handles one message at a time).
    """
    socket, connected, _ = await sockets(room.code, room.cookie[role])
    assert connected
    first = await receive(socket)
    assert first["type"] == "state", first
    await socket.send_json_to({"type": "time.ping", "t0": 1})
    await next_of(socket, "time.pong")
    return socket


async def join_call(socket, role: str, peer: str | None = None, mic=True, camera=True) -> dict:
    """Send call.join; return the call.ice that answers it."""
    await socket.send_json_to(
        {"type": "call.join", "peer": peer or PEERS[role], "mic": mic, "camera": camera}
    )
    frames = await frames_until(socket, lambda f: f["type"] in ("call.ice", "error"))
    return frames[-1]


async def next_of(socket, kind: str, within: float = 3) -> dict:
    """The next frame of type `kind` (skipping states and others), or fail."""
    return (await frames_until(socket, lambda f: f["type"] == kind, within))[-1]


async def answer(socket) -> dict:
    """The next error frame (a call frame's refusal), skipping anything else."""
    return await next_of(socket, "error")


async def hears_nothing_of_the_call(socket, within: float = 0.3) -> bool:
    """True when no call frame or error reaches `socket` in `within` s (states may)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while (left := end - loop.time()) > 0:
        if await socket.receive_nothing(timeout=min(left, 0.05)):
            continue
        frame = json.loads(await socket.receive_from())  # one is waiting: no timeout to hit
        if frame["type"].startswith("call.") or frame["type"] == "error":
            raise AssertionError(f"heard {frame}")
    return True


async def three_in_the_call(sockets, room) -> dict:
    """Alex, Sam and Dana connected and in the call, each having heard of the other two."""
    pages = {role: await open_page(sockets, room, role) for role in ("a", "b", "host")}
    for role, socket in pages.items():
        await socket.send_json_to(
            {"type": "call.join", "peer": PEERS[role], "mic": True, "camera": True}
        )
    for role, socket in pages.items():
        wanted = {("call.ice", None)} | {("call.media", r) for r in pages if r != role}
        heard = set()
        while not wanted <= heard:
            frame = await receive(socket)
            heard.add((frame["type"], frame.get("role")))
    for socket in pages.values():
        await drain(socket)
    return pages


async def drain(socket, within: float = 0.1) -> list[dict]:
    """Everything that reaches `socket` in the next `within` s (a hello answered twice)."""
    seen = []
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while (left := end - loop.time()) > 0:
        if not await socket.receive_nothing(timeout=min(left, 0.05)):
            seen.append(json.loads(await socket.receive_from()))
    return seen


def offer(to: str, peer: str | None = None, sdp: str = SDP) -> dict:
    return {
        "type": "call.signal",
        "to": to,
        "peer": peer or PEERS[to],
        "description": {"type": "offer", "sdp": sdp},
    }


def candidates(to: str, count: int = 2) -> dict:
    return {"type": "call.signal", "to": to, "peer": PEERS[to], "candidates": [CANDIDATE] * count}


async def in_sync(socket, version: int) -> dict:
    """Send a heartbeat; return the reply (ok when nothing changed since `version`)."""
    await socket.send_json_to({"type": "sync", "version": version})
    return (await frames_until(socket, lambda f: f["type"] in ("ok", "state")))[-1]
