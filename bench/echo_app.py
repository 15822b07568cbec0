"""Baseline: the Channels tutorial chat, as an ASGI app for the same servers and layers.

Each socket joins its room's group and every frame is `group_send` to the room,
so a row with this app measures what Django Channels itself costs (routing,
consumer dispatch, the channel layer) with no validation, engine or database.
Only `sync` and `time.ping` are answered to the sender alone, as Stay does, so
the load client speaks one protocol to every server.

Run: `daphne bench.echo_app:application` with `DJANGO_SETTINGS_MODULE=bench.settings`.
"""

import json
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402


class EchoConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.group = f"echo.{self.scope['url_route']['kwargs']['room']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        frame = json.loads(text_data)
        kind = frame.get("type")
        if kind == "sync":
            await self.send(text_data='{"type":"ok"}')
        elif kind == "time.ping":
            pong = {"type": "time.pong", "t0": frame.get("t0"), "server": int(time.time() * 1000)}
            await self.send(text_data=json.dumps(pong))
        else:
            await self.channel_layer.group_send(
                self.group, {"type": "chat.message", "text": text_data}
            )

    async def chat_message(self, event):
        await self.send(text_data=event["text"])


async def health(scope, receive, send):
    """Answers every HTTP request with 200 so the orchestrator knows the server is up."""
    if scope["type"] != "http":
        return
    await receive()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


application = ProtocolTypeRouter(
    {
        "http": health,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(
                URLRouter([re_path(r"^ws/echo/(?P<room>[\w-]+)/$", EchoConsumer.as_asgi())])
            )
        ),
    }
)
