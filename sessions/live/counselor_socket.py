"""The counselor's socket, /ws/counselor/: her dashboard hears her rooms change (protocol §13).

A signed-in counselor's page opens it; anyone else is closed with 4403 at connect.
It joins the counselor's own group (``broadcast.counselor_group``: told when a new
session of hers appears) and the room group of each of her open rooms: the sessions
she hosts and her couples' practice sessions. Each committed state a room sends
becomes one ``changed`` frame naming the room by an opaque id (``notices.room_id``,
never its join code) with a line in plain words (``notices.status_line``,
never a check-in answer), at most one per room per ``COALESCE_S``: the page then
fetches itself again, so a flurry of taps costs one refetch, not ten.

The listening, the coalescing and the ``sync``-only frames in are ``room_watch``'s,
shared with the workshop console's socket; what is hers is here: who may open it,
which rooms are watched, and the line said for each. Nothing here writes: it reads
which rooms are hers, and listens.
"""

from __future__ import annotations

import logging

from django.utils import translation

from sessions import access
from sessions.live import dbcall, outgoing
from sessions.live.language import socket_language
from sessions.live.outgoing import Close
from sessions.live.room_watch import RoomWatcher
from sessions.store import broadcast, notices

log = logging.getLogger(__name__)

# At most one `changed` per room this often: the newest state in between is the one said.
COALESCE_S = 0.5


class CounselorConsumer(RoomWatcher):
    """One counselor's dashboard page, listening to every open room of hers."""

    COALESCE_S = COALESCE_S
    LEAVING = "leaving the counselor's group"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user_id: int | None = None
        self.watching: dict[str, notices.Watched] = {}  # code -> the room as first read

    def _own_group(self) -> str | None:
        return None if self.user_id is None else broadcast.counselor_group(self.user_id)

    async def connect(self) -> None:
        # Her dashboard's language: its cookie, else Accept-Language (as LocaleMiddleware).
        self.language = socket_language(self.scope)
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

    async def _watch(self, watched: notices.Watched) -> bool:
        if not await self._join_room(watched.code, watched):
            return False
        self.said_version[watched.code] = watched.state.get("version", -1)
        return True

    async def counselor_session(self, event: dict) -> None:
        """A new session of hers (hosted, or a couple's practice): watch it and say so."""
        code = event.get("code")
        if not isinstance(code, str) or code in self.watching or self.closing:
            return
        watched = await dbcall.run(notices.watched_room, self.user_id, code)
        if watched is None or not await self._watch(watched):
            return
        await self._tell(code, watched.state)

    async def _say(self, code: str, state: dict) -> None:
        with translation.override(self.language):
            line = str(notices.line_for(self.watching[code], state))
        # An opaque room id, never the join code (a practice code is the couple's own).
        await self._send(outgoing.Changed(room=notices.room_id(code), line=line))

    async def room_deleted(self, event: dict) -> None:
        """One of her rooms was deleted with its couple: say so once, and stop watching it."""
        code = event.get("code")
        watched = self.watching.get(code) if isinstance(code, str) else None
        if watched is None or self.closing:
            return
        with translation.override(self.language):
            line = str(notices.deleted_line(watched))
        await self._send(outgoing.Changed(room=notices.room_id(code), line=line))
        await self._unwatch(code)
