"""WebSocket routes, and a plain refusal for every path that is not one of them."""

import logging
import re

from django.urls import re_path

from sessions.access import SOCKET_PREFIX
from sessions.live.consumer import RoomConsumer
from sessions.live.counselor_socket import CounselorConsumer
from sessions.live.workshop_socket import WorkshopConsumer

log = logging.getLogger(__name__)

LOGGED_PATH_CHARS = 200


async def no_such_socket(scope, receive, send) -> None:
    """Refuse the handshake of a socket to a path we do not serve, as HTTP 404 when we can.

    Without this, Channels' router raises `ValueError: No route found`, which the
    server logs as a crash and answers with HTTP 500. A mistyped or probing path is
    not our error: it is noted at info level and refused. A server that speaks the
    ASGI "websocket.http.response" extension (Uvicorn) sends a real 404; others
    (Daphne) turn a close before accept into HTTP 403.
    """
    log.info("No WebSocket route for %r; handshake refused", scope["path"][:LOGGED_PATH_CHARS])
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    if "websocket.http.response" in scope.get("extensions", {}):
        await send(
            {
                "type": "websocket.http.response.start",
                "status": 404,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")],
            }
        )
        await send({"type": "websocket.http.response.body", "body": b"Not found.\n"})
    else:
        await send({"type": "websocket.close"})


# Any segment of the right length reaches the consumer, so an unknown or malformed
# code gets the documented 4404 close; every other path gets the refusal above.
websocket_urlpatterns = [
    re_path(rf"^{re.escape(SOCKET_PREFIX)}(?P<code>[^/]{{1,200}})/$", RoomConsumer.as_asgi()),
    # A signed-in counselor's dashboard and couple pages (docs/protocol.md, section 13).
    re_path(r"^ws/counselor/$", CounselorConsumer.as_asgi()),
    # A facilitator's workshop console (section 14); any other id shape is no route at all.
    re_path(r"^ws/workshop/(?P<workshop_id>[0-9]{1,12})/$", WorkshopConsumer.as_asgi()),
    re_path(r"", no_such_socket),
]
