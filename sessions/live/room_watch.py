"""A socket that listens to many rooms and speaks for each at most once per pause.

The counselor's dashboard (``counselor_socket``) and the workshop console
(``workshop_socket``) are the same kind of listener: each joins one group of its own
and the room group of every room it watches, hears each committed state, and tells
its page about a room at most once per ``COALESCE_S``, the newest state in between
being the one told, so a flurry of taps costs the page one frame, not ten. Neither
takes anything from the browser but ``{"type": "sync"}``, and neither cares for the
room messages that are not states (seats re-checked, the call). That part lives here
once, so the two cannot drift apart; what each says about a room, whom it lets in
and what its own group tells it stay in the subclass.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from sessions.engine.vocabulary import FINISHED
from sessions.live import outgoing
from sessions.live.frames import MAX_FRAME_BYTES
from sessions.live.room_group import call_layer
from sessions.live.socket_loop import SocketLoop
from sessions.store import broadcast

ONLY_SYNC = 'This socket takes only {"type": "sync"}.'
# Room messages heard in a room's group that are not states: nothing to say about them.
IGNORED = frozenset({"room.revoke", "room.evict", "room.end_access"})


def check_frame(text: str | None) -> None:
    """Raise ``ValueError((code, message))`` unless the frame is exactly ``{"type": "sync"}``."""
    if text is None:
        raise ValueError(("bad_frame", "Frames must be JSON text, not binary."))
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
        raise ValueError(("too_large", f"A frame may be at most {MAX_FRAME_BYTES} bytes."))
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ValueError(("bad_json", "That frame is not valid JSON.")) from None
    if data != {"type": "sync"}:
        raise ValueError(("bad_frame", ONLY_SYNC))


class RoomWatcher(SocketLoop):
    """A page listening to its own group and to the rooms it watches (see the module)."""

    COALESCE_S: float  # at most one word per room this often; each subclass sets it
    LEAVING: str  # what leaving its own group is called in the log

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.departed = False
        self.watching: dict[str, Any] = {}  # code -> what the subclass keeps of the room
        self.said_version: dict[str, int] = {}  # the newest version heard of each room
        self.said_at: dict[str, float] = {}  # when each room was last told (monotonic)
        self.unsaid: dict[str, dict] = {}  # a room's newest state held back by the coalescing

    # --- what a subclass provides ------------------------------------------------------

    def _own_group(self) -> str | None:
        """The group this socket joined at connect; None until it knows whose page it is."""
        raise NotImplementedError

    async def _say(self, code: str, state: dict) -> None:
        """Tell the page about this state of the room."""
        raise NotImplementedError

    # --- groups ------------------------------------------------------------------------

    async def disconnect(self, code: int) -> None:
        await self._depart()

    async def _depart(self) -> None:
        if self.departed:
            return
        self.departed = True
        self.closing = True
        group = self._own_group()
        if group is None:
            return
        for code in list(self.watching):
            await self._unwatch(code)
        await call_layer(self.LEAVING, self.channel_layer.group_discard, group, self.channel_name)

    async def _add(self, group: str) -> bool:
        return await call_layer(
            "joining a group", self.channel_layer.group_add, group, self.channel_name
        )

    async def _join_room(self, code: str, about: Any = None) -> bool:
        """Join a room's group and watch it, keeping ``about``; False if the layer failed."""
        if not await self._add(broadcast.group_name(code)):
            return False
        self.watching[code] = about
        return True

    async def _unwatch(self, code: str) -> None:
        self.watching.pop(code, None)
        self.unsaid.pop(code, None)
        await call_layer(
            "leaving a room group",
            self.channel_layer.group_discard,
            broadcast.group_name(code),
            self.channel_name,
        )

    # --- frames in ---------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """A frame the gate let in: a `sync` keep-alive is answered `ok`; nothing else is taken."""
        if self.closing or self._own_group() is None:
            return
        try:
            check_frame(text_data)
        except ValueError as refused:
            code, message = refused.args[0]
            await self._error(code, message)
            return
        await self._send(outgoing.Ok())

    # --- messages from the groups ------------------------------------------------------

    async def room_state(self, event: dict) -> None:
        """A watched room changed: tell it now, or once the coalescing pause is over."""
        code, state = event.get("code"), event["state"]
        if code not in self.watching or state["version"] <= self.said_version.get(code, -1):
            return
        self.said_version[code] = state["version"]
        pause = self.COALESCE_S
        wait = self.said_at.get(code, -pause) + pause - time.monotonic()
        if wait <= 0 and code not in self.unsaid:
            await self._tell(code, state)
            return
        if code not in self.unsaid:
            loop = asyncio.get_running_loop()
            loop.call_later(max(wait, 0), self._post, {"type": "watch.flush", "code": code})
        self.unsaid[code] = state

    async def watch_flush(self, event: dict) -> None:
        """A room's coalescing pause is over: tell the newest state held back."""
        state = self.unsaid.pop(event["code"], None)
        if state is not None and event["code"] in self.watching:
            await self._tell(event["code"], state)

    async def _tell(self, code: str, state: dict) -> None:
        """Say the room's state now; a finished room has nothing more to say, so stop watching."""
        self.said_at[code] = time.monotonic()
        await self._say(code, state)
        if state.get("status") in FINISHED:
            await self._unwatch(code)

    async def dispatch(self, message: dict) -> None:
        """Room messages that are not states (seats, the call) mean nothing to this page."""
        kind = message.get("type", "")
        if kind in IGNORED or kind.startswith("call."):
            return
        await super().dispatch(message)

    # --- frames out --------------------------------------------------------------------

    async def _close(self, code: int) -> None:
        self.closing = True
        await self.close(code)
