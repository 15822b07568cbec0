"""The workshop console's socket, /ws/workshop/<id>/: one tile per room, live (protocol §14).

The facilitator's console watches up to 60 rooms at once, so it is told each room's
news as a tile (``workshop_console.tile``: names, step, status, a hand up; never a
check-in answer or a message) rather than asked to fetch itself again, and at most
one tile per room per ``COALESCE_S``: a room where both partners tap through a step
costs the console one frame, not four, and the newest state in between is the one
shown. The whole console (``console``) is sent on connect, and again when the
workshop itself changed (started, the group's step moved) or gained a room.

Only the workshop's own facilitator may open it. An id that is unknown and an id
that is someone else's close alike (4404), so ids cannot be probed; a browser not
signed in is closed 4403, as on the counselor's socket. The listening, the coalescing
and the ``sync``-only frames in are ``room_watch``'s, shared with the counselor's
socket, so the two listeners cannot drift apart; what is the console's is here: the
tiles and the console redrawn from the workshop. Nothing here writes: it reads, and
listens.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils import translation

from sessions import access
from sessions.engine.vocabulary import FINISHED
from sessions.live import dbcall, outgoing
from sessions.live.language import socket_language
from sessions.live.outgoing import Close
from sessions.live.room_watch import RoomWatcher
from sessions.models import Workshop
from sessions.store import broadcast, notices, workshop_console, workshops

log = logging.getLogger(__name__)

# At most one `tile` per room this often (the console's target: any change shown within 1 s).
COALESCE_S = 0.2


@dataclass(frozen=True)
class Room:
    """One room of the workshop as read from the database."""

    code: str
    state: dict


@dataclass(frozen=True)
class Reading:
    """The workshop's header and its rooms, oldest first, as the console is drawn from."""

    header: dict
    rooms: list[Room]


def owns(user_id: int, workshop_id: int) -> bool:
    """Whether workshop ``workshop_id`` is this user's (an unknown id is no one's)."""
    return Workshop.objects.filter(pk=workshop_id, counselor_id=user_id).exists()


def read_workshop(user_id: int, workshop_id: int) -> Reading | None:
    """Workshop ``workshop_id`` and its rooms if it is this user's; else None (unknown alike)."""
    workshop = Workshop.objects.filter(pk=workshop_id, counselor_id=user_id).first()
    if workshop is None:
        return None
    header = {
        "status": workshop.status,
        "step": workshop.step,
        "paced": workshop.paced,
        "title": workshop.title,
    }
    rooms = [Room(s.code, s.state) for s in workshops.rooms_of(workshop)]
    return Reading(header=header, rooms=rooms)


class WorkshopConsumer(RoomWatcher):
    """One facilitator's console page, listening to the workshop and to every room of it."""

    COALESCE_S = COALESCE_S
    LEAVING = "leaving the workshop's group"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user_id: int | None = None
        self.workshop_id: int | None = None
        self.header: dict = {}
        self.tiles: dict[str, dict] = {}  # code -> its tile, in the order rooms were made

    def _own_group(self) -> str | None:
        return None if self.workshop_id is None else broadcast.workshop_group(self.workshop_id)

    # --- opening -----------------------------------------------------------------------

    async def connect(self) -> None:
        # The console's language: its cookie, else Accept-Language (as LocaleMiddleware).
        self.language = socket_language(self.scope)
        await self.accept()  # first: a close before accept reaches a browser as a bare 1006
        user = self.scope.get("user")
        if not access.signed_in(user):
            await self._close(Close.NO_SEAT)
            return
        workshop_id = int(self.scope["url_route"]["kwargs"]["workshop_id"])
        if not await dbcall.run(owns, user.pk, workshop_id):
            await self._close(Close.NOT_FOUND)
            return
        self.user_id, self.workshop_id = user.pk, workshop_id
        # The workshop's group first, so a room made while the others are joined is told.
        if not await self._add(broadcast.workshop_group(workshop_id)):
            await self._close(Close.TRY_AGAIN)
            return
        await self._redraw()

    # --- the whole console -------------------------------------------------------------

    async def _redraw(self) -> None:
        """Read the workshop again, join any room not yet watched, and send the console.

        The rooms' groups are joined before the read the console is drawn from, so no
        state committed in between is lost: one that arrives after is newer, or dropped.
        """
        reading = await dbcall.run(read_workshop, self.user_id, self.workshop_id)
        if reading is None:  # deleted while open
            await self._close(Close.NOT_FOUND)
            return
        joined = False
        for room in reading.rooms:
            if room.code in self.watching or room.state.get("status") in FINISHED:
                continue
            if await self._join_room(room.code):
                joined = True
            # else its tile still comes with each console, and a later redraw tries again
        if joined:
            reading = await dbcall.run(read_workshop, self.user_id, self.workshop_id)
            if reading is None:
                await self._close(Close.NOT_FOUND)
                return
        self.header = reading.header
        known = {room.code for room in reading.rooms}
        for code in [c for c in self.tiles if c not in known]:  # gone since (deleted)
            self._forget(code)
        for room in reading.rooms:
            version = room.state.get("version", -1)
            if version >= self.said_version.get(room.code, -1):
                self.said_version[room.code] = version
                self.tiles[room.code] = self._tile(room.code, room.state)
                held = self.unsaid.get(room.code)
                if held is not None and held.get("version", -1) <= version:
                    self.unsaid.pop(room.code)
        counts = workshop_console.counts(list(self.tiles.values()))
        with translation.override(self.language):
            line = str(workshop_console.counts_line(counts))
        await self._send(
            outgoing.Console(
                workshop=self.header, tiles=list(self.tiles.values()), counts=counts, line=line
            )
        )
        for code in [c for c in self.watching if c not in known or c in self.finished()]:
            await self._unwatch(code)

    def finished(self) -> set[str]:
        return {code for code, tile in self.tiles.items() if tile["status"] in FINISHED}

    def _tile(self, code: str, state: dict) -> dict:
        # An opaque room id, never the join code: a code on a page is a code that can be copied.
        # Worded (if it holds words) in the console's language.
        with translation.override(self.language):
            return workshop_console.tile(state, room_id=notices.room_id(code))

    def _forget(self, code: str) -> None:
        for held in (self.tiles, self.said_version, self.said_at, self.unsaid):
            held.pop(code, None)

    # --- messages from the groups ------------------------------------------------------

    async def _say(self, code: str, state: dict) -> None:
        tile = self.tiles[code] = self._tile(code, state)
        counts = workshop_console.counts(list(self.tiles.values()))
        with translation.override(self.language):
            line = str(workshop_console.counts_line(counts))
        await self._send(outgoing.Tile(tile=tile, counts=counts, line=line))

    async def workshop_changed(self, event: dict) -> None:
        """The workshop's row changed (started, the group's step, ended): draw it all again."""
        if not self.closing:
            await self._redraw()

    async def workshop_room(self, event: dict) -> None:
        """A couple started a room: watch it and draw the console with its tile."""
        if not self.closing and isinstance(event.get("code"), str):
            await self._redraw()

    async def room_deleted(self, event: dict) -> None:
        """A room of the workshop was deleted: stop watching it and draw the console without it."""
        code = event.get("code")
        if self.closing or not isinstance(code, str) or code not in self.tiles:
            return
        await self._unwatch(code)
        self._forget(code)
        await self._redraw()
