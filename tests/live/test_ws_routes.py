"""A socket opened to a path we do not serve is refused plainly, not answered as a crash.

Riley (a stranger, or a client with a typo) opens `/ws/sessions/a/b/`, `/ws/other/` or
`/ws/sessions/abc` (no trailing slash). Before, Channels' router raised
`ValueError: No route found` and the server answered HTTP 500 with a traceback. Now
the handshake is refused (HTTP 404 where the server can send one, HTTP 403 from
Daphne, which can only turn a close before accept into that) and the refusal is
logged at info level.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
import websockets
from channels.testing import WebsocketCommunicator

from facilitator.asgi import application
from sessions.live.routing import no_such_socket
from tests.support.servers import DaphneServer, fresh_database

ORIGIN = (b"origin", b"http://testserver")
UNKNOWN_PATHS = [
    "/ws/sessions/a/b/",
    "/ws/other/",
    "/ws/sessions/abc",
    "/ws/",
    "/",
    "/ws/sessions//",
    "/ws/sessions/" + "x" * 201 + "/",
]


@pytest.mark.parametrize("path", UNKNOWN_PATHS)
async def test_a_socket_to_an_unknown_path_is_refused_at_the_handshake_and_noted(path, caplog):
    socket = WebsocketCommunicator(application, path, headers=[ORIGIN])
    with caplog.at_level(logging.INFO, logger="sessions.live.routing"):
        connected, _ = await socket.connect(timeout=3)
    assert not connected
    notes = [r for r in caplog.records if r.name == "sessions.live.routing"]
    assert [r.levelno for r in notes] == [logging.INFO]
    assert "No WebSocket route" in notes[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_a_server_that_can_answer_404_at_the_handshake_does():
    """Under a server with the ASGI denial-response extension (Uvicorn) it is a real 404."""
    scope = {
        "type": "websocket",
        "path": "/ws/other/",
        "extensions": {"websocket.http.response": {}},
    }
    inbox: asyncio.Queue = asyncio.Queue()
    await inbox.put({"type": "websocket.connect"})
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    await no_such_socket(scope, inbox.get, send)
    assert sent[0]["type"] == "websocket.http.response.start"
    assert sent[0]["status"] == 404
    assert sent[1] == {"type": "websocket.http.response.body", "body": b"Not found.\n"}


def test_through_a_real_daphne_an_unknown_path_is_refused_without_a_crash(tmp_path):
    """The same through a Daphne process: refused with 403, never 500, and no traceback."""
    log_path = tmp_path / "daphne.log"
    with (
        fresh_database(tmp_path) as db,
        DaphneServer(db, env={"LOG_LEVEL": "INFO"}, log_path=log_path) as server,
    ):

        async def status_of(path: str, origin: str = server.origin) -> int | None:
            try:
                async with websockets.connect(
                    server.ws_url + path, origin=origin, open_timeout=5
                ) as ws:
                    await ws.close()
                    return None
            except websockets.InvalidStatus as refused:
                return refused.response.status_code

        async def statuses():
            known = "/ws/sessions/no-such-room-abcdefgh/"
            return {path: await status_of(path) for path in [*UNKNOWN_PATHS[:3], known]}

        seen = asyncio.run(statuses())
    log = log_path.read_text(errors="replace")
    unknown = {path: seen[path] for path in UNKNOWN_PATHS[:3]}
    assert unknown == dict.fromkeys(UNKNOWN_PATHS[:3], 403), log
    # A path we serve still opens (the room then closes it with the documented 4404).
    assert seen["/ws/sessions/no-such-room-abcdefgh/"] is None
    assert "Traceback" not in log and "No route found" not in log and " 500" not in log
    assert log.count("No WebSocket route") == 3
