"""Heartbeats, deadlines and presence over the room socket.

A `sync` repairs what a broadcast missed and renews the lease; deadlines fire with nobody
sending anything; a partner who goes away shows as away, then pauses the room.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from sessions.models import Lease
from sessions.store import rooms
from tests.live.sockets import (
    CHECKIN,
    WELCOME,
    active_room,
    alex_lease_expiry,
    join,
    receive,
    until_state,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("quick_clocks")]


# --- sync and presence ----------------------------------------------------------------


async def test_sync_when_behind_repairs_with_the_current_state(sockets, room):
    alex, _ = await active_room(sockets, room)
    # Both partners' moves that Alex's channel layer "lost": written without a broadcast.
    await database_sync_to_async(rooms.submit)(room.code, "a", "next", {"step": WELCOME})
    await database_sync_to_async(rooms.submit)(room.code, "b", "next", {"step": WELCOME})
    current = await database_sync_to_async(rooms.load_state)(room.code)
    # Alex's page also missed the last frame it was sent, so it is behind its own socket.
    await alex.send_json_to({"type": "sync", "version": current["version"] - 3})
    frame = await receive(alex)
    assert frame["type"] == "state"
    assert frame["version"] == current["version"]
    assert frame["state"]["step"]["index"] == CHECKIN


async def test_a_lost_broadcast_is_repaired_by_the_next_heartbeat(sockets, room):
    alex, _ = await active_room(sockets, room)
    # Committed without a broadcast, as if the channel layer had dropped them.
    await database_sync_to_async(rooms.submit)(room.code, "a", "next", {"step": WELCOME})
    await database_sync_to_async(rooms.submit)(room.code, "b", "next", {"step": WELCOME})
    current = await database_sync_to_async(rooms.load_state)(room.code)
    await alex.send_json_to({"type": "sync", "version": current["version"] - 2})
    state = await until_state(alex, lambda s: s["version"] == current["version"])
    assert state["step"]["index"] == CHECKIN


async def test_sync_when_current_is_a_small_ok(sockets, room):
    alex, first = await join(sockets, room, "a")
    await alex.send_json_to({"type": "sync", "version": first["version"]})
    assert await receive(alex) == {"type": "ok"}


async def test_a_heartbeat_while_the_lease_is_fresh_leaves_it_alone(sockets, room):
    alex, first = await join(sockets, room, "a")
    before = await alex_lease_expiry(room)
    await asyncio.sleep(0.05)
    await alex.send_json_to({"type": "sync", "version": first["version"]})
    assert await receive(alex) == {"type": "ok"}
    assert await alex_lease_expiry(room) == before


async def test_a_heartbeat_renews_the_lease_once_half_of_it_is_gone(sockets, room, settings):
    settings.STAY = {**settings.STAY, "LEASE_SECONDS": 1}
    alex, first = await join(sockets, room, "a")
    before = await alex_lease_expiry(room)
    await asyncio.sleep(0.6)
    await alex.send_json_to({"type": "sync", "version": first["version"]})
    assert await receive(alex) == {"type": "ok"}
    assert await alex_lease_expiry(room) > before


async def test_a_partner_leaving_shows_as_away_then_pauses_after_the_grace(sockets, room):
    alex, sam = await active_room(sockets, room)
    await sam.disconnect()
    away = await until_state(alex, lambda s: not s["seats"]["b"]["connected"])
    assert away["status"] == "active"  # a locked phone screen does not stop the room at once
    paused = await until_state(alex, lambda s: s["status"] == "paused", within=5)
    assert paused["pause"]["reason"] == "connection"
    assert paused["pause"]["seat"] == "b"
    assert await database_sync_to_async(Lease.objects.filter(role="b").count)() == 0


async def test_two_tabs_count_as_one_presence(sockets, room):
    alex, _ = await join(sockets, room, "a")
    second_tab, _ = await join(sockets, room, "a")
    await second_tab.disconnect()
    await alex.send_json_to({"type": "sync", "version": 0})
    state = (await receive(alex))["state"]
    assert state["seats"]["a"]["connected"] is True


async def test_a_seat_whose_server_died_lapses_when_its_lease_runs_out(sockets, room):
    alex, sam = await active_room(sockets, room)

    def dead_server_lease():
        # Sam's socket lived on a process killed with SIGKILL: its lease is all that remains.
        Lease.objects.filter(role="b").delete()
        Lease.objects.create(
            session=room.session,
            role="b",
            channel_name="dead-process!sam",
            expires_at=timezone.now() + timedelta(milliseconds=300),
        )

    await database_sync_to_async(dead_server_lease)()
    # Alex's heartbeat lets the room learn of the new lease expiry.
    await alex.send_json_to({"type": "sync", "version": 0})
    await until_state(alex, lambda s: not s["seats"]["b"]["connected"], within=5)
