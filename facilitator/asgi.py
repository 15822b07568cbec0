"""ASGI entry point: HTTP through Django, WebSockets through Channels.

The WebSocket stack refuses handshakes from other origins (or with no Origin
header) before any of our code runs, and a socket to a path Stay does not serve
is refused at the handshake and noted at info level (sessions/live/routing.py), never
answered as a crash.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facilitator.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from facilitator import collector  # noqa: E402
from sessions.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Last, so that everything start-up created is frozen (facilitator/collector.py).
collector.tune()
