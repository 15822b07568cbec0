"""How a room socket runs: a gate for every frame as it arrives, a listener, one handler.

Channels' own loop reads the next frame only when the previous one has been
handled: a flood then waited in the server's unbounded queue, and the frame
budget saw frames as they were handled, seconds after they came. `SocketLoop`
replaces it with three parts: a gate that takes every frame off the server's
queue the moment it arrives and applies the budget to it, a listener for the
room's broadcasts, and one handler that works through what the other two let in,
one message at a time. Whatever goes wrong in a message, the socket either
carries on (answered `server_error`) or is closed with its departure run.

What the socket says is the subclass's (`sessions.live.consumer.RoomConsumer`):
it provides `_close` and `_depart`, and Channels' handlers (`connect`,
`receive`, `disconnect`, one method per room message type).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from sessions.live import outgoing, room_group
from sessions.live.frames import loose_rid
from sessions.live.outgoing import SERVER_ERROR_CODE, Close
from sessions.live.ratelimit import FrameBudget, Verdict
from sessions.live.room_group import RoomGroup

log = logging.getLogger(__name__)

# Frames the budget let in that may wait for the handler (which awaits the database).
# Past it a frame is refused `busy`: the budget bounds a client, this bounds a slow server.
MAX_WAITING_FRAMES = 64

# Words a person may read, worded in their language when sent (each subclass's `_error`).
SERVER_ERROR_MESSAGE = gettext_lazy("Something went wrong on our side; try again.")
BUSY_MESSAGE = gettext_lazy("We're catching up; send that again in a moment.")
TOO_FAST_MESSAGE = gettext_lazy("Too many frames; slow down and try again.")


class SocketLoop(AsyncWebsocketConsumer):
    """A socket run as gate, listener and handler (see the module docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.room: RoomGroup | None = None
        self.budget = FrameBudget()
        self.closing = False
        # What the gate and the listener let in, for the handler, in arrival order. A list,
        # not a deque: it holds one message or none almost always, and a list is smaller.
        self.inbox: list[dict] = []
        self.inbox_ready: asyncio.Future | None = None
        self.waiting_frames = 0
        # The language this socket's person reads (`language.socket_language`), set by the
        # subclass at connect; every error frame is worded in it.
        self.language: str = settings.LANGUAGE_CODE

    async def __call__(self, scope, receive, send) -> None:
        """Run the socket: gate and listener as tasks, the handler in this one."""
        self.scope = scope
        self.base_send = send
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        try:
            self.channel_name = await room_group.new_channel(self.channel_layer)
        except Exception:
            log.warning("the channel layer is unreachable; refusing a socket for now")
            await self._refuse(receive, Close.TRY_AGAIN)
            return
        self.room = RoomGroup(self.channel_layer, self.channel_name, lambda: self.closing)
        helpers = [asyncio.create_task(self._gate(receive)), asyncio.create_task(self._listen())]
        try:
            await self._handle()
        finally:
            for task in helpers:
                task.cancel()
            await self._depart()

    async def _refuse(self, receive, code: int) -> None:
        """Accept and close at once (a close before accept reaches a browser as a bare 1006)."""
        if (await receive())["type"] == "websocket.connect":
            await self.accept()
            await self.close(code)

    # --- frames out, and what the subclass says ---------------------------------------------

    async def _error(self, code: str, message, rid: str | None = None) -> None:
        """An error frame; `message` (a marked sentence, possibly lazy) in this person's words."""
        with translation.override(self.language):
            text = str(message)
        await self._send(outgoing.Error(code=code, message=text, rid=rid))

    async def _send(self, frame: outgoing.Frame) -> None:
        if not self.closing:
            await self.send(text_data=outgoing.text(frame))

    async def _close(self, code: int) -> None:
        raise NotImplementedError

    async def _depart(self) -> None:
        """Leave the room once, whatever ended the socket."""
        raise NotImplementedError

    # --- the gate: every frame as it arrives ---------------------------------------------

    async def _gate(self, receive) -> None:
        """Take each message off the server's queue at once; frames pass the budget here.

        Taking a message that is already queued does not wait, so a burst is worked
        through in one go; only frames within the budget reach the handler. A socket
        over it is closed on the spot, and whatever the server still reads from it
        until the close completes is dropped.
        """
        while True:
            message = await receive()
            if message["type"] != "websocket.receive":
                self._post(message)
                if message["type"] == "websocket.disconnect":
                    return
                continue
            try:
                await self._admit(message)
            except Exception:  # the gate must not die quietly: the socket goes, properly
                log.exception("a room socket's gate failed; closing the socket")
                with contextlib.suppress(Exception):
                    await self._close(Close.SERVER_ERROR)
                self._post({"type": "websocket.disconnect", "code": Close.SERVER_ERROR})
                return

    async def _admit(self, message: dict) -> None:
        if self.closing:
            return
        verdict = self.budget.take(time.monotonic())
        if verdict is Verdict.ALLOW:
            if self.waiting_frames >= MAX_WAITING_FRAMES:
                rid = loose_rid(message.get("text"))
                await self._error("busy", BUSY_MESSAGE, rid)
                return
            self.waiting_frames += 1
            self._post(message)
        elif verdict is Verdict.LIMITED:
            await self._error("rate_limited", TOO_FAST_MESSAGE)
        else:
            # Frames still waiting are the flood's too: none of them is handled.
            self.inbox = [m for m in self.inbox if m["type"] != "websocket.receive"]
            self.waiting_frames = 0
            await self._close(Close.FLOODING)

    async def _listen(self) -> None:
        """Bring the room's broadcasts to the handler; a failing layer is waited out."""
        while True:
            self._post(await self.room.next_message())

    def _post(self, message: dict) -> None:
        self.inbox.append(message)
        if self.inbox_ready is not None and not self.inbox_ready.done():
            self.inbox_ready.set_result(None)

    # --- the handler: one message at a time -------------------------------------------------

    async def _handle(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self.inbox:
                self.inbox_ready = loop.create_future()
                await self.inbox_ready
                continue
            message = self.inbox.pop(0)
            if message["type"] == "websocket.receive":
                self.waiting_frames -= 1
            try:
                await self.dispatch(message)
            except StopConsumer:
                return
            except Exception:
                if not await self._survive(message):
                    return

    async def _survive(self, message: dict) -> bool:
        """After an unexpected exception in `message`: answer it, or close. Carry on?

        A frame is answered `server_error` (with its rid) and the socket stays; a
        broadcast is skipped (the next `sync` repairs it); a failed connect closes
        the socket with 1011; in every case that ends the socket, `_depart` runs.
        """
        kind = message["type"]
        log.exception("room socket failed on %s", kind)
        try:
            if kind == "websocket.receive":
                await self._error(
                    SERVER_ERROR_CODE, SERVER_ERROR_MESSAGE, loose_rid(message.get("text"))
                )
                return True
            if kind == "websocket.connect":
                await self._depart()  # first: a client that sees the close finds the room told
                await self._close(Close.SERVER_ERROR)
                return True  # the disconnect still comes, and ends the loop
            return kind != "websocket.disconnect"
        except Exception:
            log.exception("answering a failure on a room socket failed too")
            return False

    async def dispatch(self, message: dict) -> None:
        """Route a message to its handler, without Channels' per-message thread hop.

        Channels' own `dispatch` first runs `close_old_connections` on the database
        thread for every message, so each frame and each broadcast delivery queued
        behind the whole process's database work. Every database call of a room socket
        goes through `dbcall.run`, which already closes stale connections on that thread.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
