"""Everything about the room socket: one per open room page (docs/protocol.md).

What belongs here: the consumer (`consumer`: validate a frame, call the store,
answer), how a socket runs (`socket_loop`: gate, listener, handler), incoming
frame schemas (`frames`), the typed outgoing frames and close codes (`outgoing`),
the socket's place in its room's group through a layer outage (`room_group`), the
per-socket frame budget (`ratelimit`), the in-memory channel layer (`layers`),
database calls from the event loop (`dbcall`) and the WebSocket routes (`routing`);
the call's signaling, relayed between a room's sockets and never stored
(`call_relay`), and its ICE servers (`ice`); which language a socket speaks to its
person (`language`).

May import ``sessions.store``, ``sessions.engine``, ``sessions.access``,
``sessions.codes``, ``sessions.throttle`` and ``sessions.models``. Never
``sessions.web``; never ``sessions.store.hot_path`` or the engine's
``apply``/``apply_at``/``settle`` (rooms are written only through the store).
"""
