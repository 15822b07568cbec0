"""WebSocket routes."""

from django.urls import re_path

from sessions.consumers import RoomConsumer

# Any path segment reaches the consumer, so an unknown code gets the documented
# 4404 close instead of a routing error.
websocket_urlpatterns = [
    re_path(r"^ws/sessions/(?P<code>[^/]{1,200})/$", RoomConsumer.as_asgi()),
]
