"""The counselor's socket, /ws/counselor/: her dashboard hears her rooms change (protocol §13).

A signed-in counselor's page opens it; anyone else is closed with 4403 at connect.
It joins the counselor's own group (``broadcast.counselor_group``: told when a new
session of hers appears) and the room group of each of her open rooms: the sessions
she hosts and her couples' practice sessions. Each committed state a room sends
becomes one ``changed`` frame naming the room by an opaque id (``notices.room_id``,
never its join code) with a line in plain words (``notices.status_line``,
never a check-in answer), at most one per room per ``COALESCE_S``: the page then
fetches itself again, so a flurry of taps costs one refetch, not ten.

It takes nothing from the browser but ``{"type": "sync"}`` (answered ``ok``), under
the room socket's frame budget (``SocketLoop``'s gate); anything else gets an
``error`` frame. Nothing here writes: it reads which rooms are hers, and listens.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from sessions import access
from sessions.engine.vocabulary import FINISHED
from sessions.live import dbcall, outgoing
from sessions.live.frames import MAX_FRAME_BYTES
from sessions.live.outgoing import Close
from sessions.live.room_group import call_layer
from sessions.live.socket_loop import SocketLoop
from sessions.store import broadcast, notices

log = logging.getLogger(__name__)

# At most one `changed` per room this often: the newest state in between is the one said.
COALESCE_S = 0.5
ONLY_SYNC = 'This socket takes only {"type": "sync"}.'
# Room messages this socket hears in a room's group and has nothing to say about.
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


class CounselorConsumer(SocketLoop):
    """One counselor's dashboard page, listening to every open room of hers."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user_id: int | None = None
        self.departed = False
        self.watching: dict[str, notices.Watched] = {}  # code -> the room as first read
        self.said_version: dict[str, int] = {}  # the newest version heard of each room
        self.said_at: dict[str, float] = {}  # when each room's last `changed` went (monotonic)
        self.unsaid: dict[str, dict] = {}  # a room's newest state held back by the coalescing

    # --- opening and closing -----------------------------------------------------------

    async def connect(self) -> None:
        await self.accept()  # first: a close before accept reaches a browser as a bare 1006
        user = self.scope.get("user")
        if not access.signed_in(user):
            await self._close(Close.NO_SEAT)
            return
        self.user_id = user.pk
        rooms = await dbcall.run(notices.watched_rooms, self.user_id)
        if not await self._add(broadcast.counselor_group(self.user_id)):
            await self._close(Close.TRY_AGAIN)
            return
        for watched in rooms:
            await self._watch(watched)

    async def disconnect(self, code: int) -> None:
        await self._depart()

    async def _depart(self) -> None:
        if self.departed:
            return
        self.departed = True
        self.closing = True
        if self.user_id is None:
            return
        for code in list(self.watching):
            await self._unwatch(code)
        await call_layer(
            "leaving the counselor's group",
            self.channel_layer.group_discard,
            broadcast.counselor_group(self.user_id),
            self.channel_name,
        )

    async def _add(self, group: str) -> bool:
        return await call_layer(
            "joining a group", self.channel_layer.group_add, group, self.channel_name
        )

    async def _watch(self, watched: notices.Watched) -> bool:
        if not await self._add(broadcast.group_name(watched.code)):
            return False
        self.watching[watched.code] = watched
        self.said_version[watched.code] = watched.state.get("version", -1)
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
        if self.closing or self.user_id is None:
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
        """A room of hers changed: say it now, or once the coalescing pause is over."""
        code, state = event.get("code"), event["state"]
        if code not in self.watching or state["version"] <= self.said_version.get(code, -1):
            return
        self.said_version[code] = state["version"]
        wait = self.said_at.get(code, -COALESCE_S) + COALESCE_S - time.monotonic()
        if wait <= 0 and code not in self.unsaid:
            await self._say(code, state)
            return
        if code not in self.unsaid:
            loop = asyncio.get_running_loop()
            loop.call_later(max(wait, 0), self._post, {"type": "counselor.flush", "code": code})
        self.unsaid[code] = state

    async def counselor_flush(self, event: dict) -> None:
        """The coalescing pause of a room is over: say its newest state held back."""
        state = self.unsaid.pop(event["code"], None)
        if state is not None and event["code"] in self.watching:
            await self._say(event["code"], state)

    async def counselor_session(self, event: dict) -> None:
        """A new session of hers (hosted, or a couple's practice): watch it and say so."""
        code = event.get("code")
        if not isinstance(code, str) or code in self.watching or self.closing:
            return
        watched = await dbcall.run(notices.watched_room, self.user_id, code)
        if watched is None or not await self._watch(watched):
            return
        await self._say(code, watched.state)

    async def _say(self, code: str, state: dict) -> None:
        self.said_at[code] = time.monotonic()
        line = notices.line_for(self.watching[code], state)
        # An opaque room id, never the join code (a practice code is the couple's own).
        await self._send(outgoing.Changed(room=notices.room_id(code), line=line))
        if state.get("status") in FINISHED:
            await self._unwatch(code)

    async def room_deleted(self, event: dict) -> None:
        """One of her rooms was deleted with its couple: say so once, and stop watching it."""
        code = event.get("code")
        watched = self.watching.get(code) if isinstance(code, str) else None
        if watched is None or self.closing:
            return
        line = notices.deleted_line(watched)
        await self._send(outgoing.Changed(room=notices.room_id(code), line=line))
        await self._unwatch(code)

    async def dispatch(self, message: dict) -> None:
        """Room messages that are not states (seats, the call) mean nothing to a dashboard."""
        kind = message.get("type", "")
        if kind in IGNORED or kind.startswith("call."):
            return
        await super().dispatch(message)

    # --- frames out --------------------------------------------------------------------

    async def _error(self, code: str, message: str, rid: str | None = None) -> None:
        await self._send(outgoing.Error(code=code, message=message, rid=rid))

    async def _send(self, frame: outgoing.Frame) -> None:
        if not self.closing:
            await self.send(text_data=outgoing.text(frame))

    async def _close(self, code: int) -> None:
        self.closing = True
        await self.close(code)
