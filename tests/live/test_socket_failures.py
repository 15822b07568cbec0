"""Whatever a client sends and whatever fails on the server, the socket answers or leaves properly.

Bad frames change nothing; a flood closes only the flooder; a failure on our side is
answered `server_error` or closes with 1011, and a layer outage delays the partner's
copy but never the actor's, nor an ack (docs/protocol.md, sections 7-9).
"""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.test import Client

from sessions.live import consumer, socket_loop
from sessions.live.outgoing import Close
from sessions.live.ratelimit import FrameBudget, Verdict
from sessions.store import connections, leases, recent, rooms
from tests.live.sockets import (
    act,
    active_room,
    close_code,
    frames_until,
    join,
    leases_of,
    receive,
    until_state,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("quick_clocks")]


# --- bad input never hurts a room ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{oops", "bad_json"),
        ("[]", "bad_frame"),
        ('{"type": "dance"}', "bad_frame"),
        ('{"type": "sync"}', "bad_frame"),
        ('{"type": "action", "action": "next", "step": "one"}', "bad_frame"),
    ],
)
async def test_a_bad_frame_gets_a_specific_error_and_changes_nothing(sockets, room, text, code):
    alex, first = await join(sockets, room, "a")
    await alex.send_to(text_data=text)
    error = await receive(alex)
    assert error["type"] == "error"
    assert error["code"] == code
    assert error["message"]
    state = await database_sync_to_async(rooms.load_state)(room.code)
    assert state["version"] == first["version"]


async def test_a_five_kib_frame_is_too_large(sockets, room):
    alex, _ = await join(sockets, room, "a")
    await alex.send_to(text_data=json.dumps({"type": "sync", "version": 0, "pad": "x" * 5120}))
    assert (await receive(alex))["code"] == "too_large"


async def test_binary_frames_are_refused(sockets, room):
    alex, _ = await join(sockets, room, "a")
    await alex.send_to(bytes_data=b"\x00\x01")
    assert (await receive(alex))["code"] == "bad_frame"


async def test_a_flooding_socket_is_closed_and_the_partner_carries_on(sockets, room):
    alex, sam = await active_room(sockets, room)
    for _ in range(150):
        await alex.send_json_to({"type": "time.ping", "t0": 1})
    codes = []
    while True:
        output = await alex.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            break
        codes.append(json.loads(output["text"]).get("code"))
    assert output["code"] == 4429
    assert "rate_limited" in codes
    await sam.send_json_to({"type": "time.ping", "t0": 2})
    assert (await receive(sam))["type"] == "time.pong"
    await alex.disconnect()  # what the server does once it has closed the socket
    state = await until_state(sam, lambda s: not s["seats"]["a"]["connected"])
    assert state["seats"]["b"]["connected"] is True


async def test_a_released_seat_closes_its_socket_and_pauses_the_room_for_the_partner(sockets, room):
    alex, sam = await active_room(sockets, room)

    def sam_releases():
        browser = Client()
        name, _, key = room.cookie["b"].decode().partition("=")
        browser.cookies[name] = key
        return browser.post(f"/s/{room.code}/release/")

    response = await database_sync_to_async(sam_releases)()
    assert response.status_code == 302
    state = await until_state(alex, lambda s: s["status"] == "paused")
    assert state["seats"]["b"]["claimed"] is False
    assert state["pause"]["reason"] == "connection"
    frames = []
    while (output := await sam.receive_output(timeout=3))["type"] != "websocket.close":
        frames.append(output)
    assert output["code"] == 4403


async def test_a_failure_on_our_side_is_answered_and_the_socket_stays_usable(
    sockets, room, monkeypatch
):
    alex, _ = await join(sockets, room, "a")

    def broken_submit(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(rooms, "submit", broken_submit)
    error = await act(alex, "start", rid="a-1")
    assert (error["code"], error["rid"]) == ("server_error", "a-1")
    await alex.send_json_to({"type": "time.ping", "t0": 5})
    assert (await receive(alex))["type"] == "time.pong"
    monkeypatch.undo()


# --- whatever fails, the socket answers or leaves properly (issue 13, items 7, 9, 10) ---


async def test_an_unexpected_failure_reading_a_frame_is_answered_and_the_socket_stays(
    sockets, room, monkeypatch
):
    alex, _ = await join(sockets, room, "a")

    def parse_blows_up(text):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(consumer, "parse", parse_blows_up)
    await alex.send_json_to({"type": "action", "action": "start", "rid": "a-1"})
    error = await receive(alex)
    assert (error["type"], error["code"], error["rid"]) == ("error", "server_error", "a-1")
    monkeypatch.undo()
    await alex.send_json_to({"type": "time.ping", "t0": 5})
    assert (await receive(alex))["type"] == "time.pong"


async def test_a_failure_while_opening_closes_with_1011_and_leaves_no_lease_behind(
    sockets, room, monkeypatch
):
    def crowd_check_fails(*args):
        raise RuntimeError("database went away mid-connect")

    monkeypatch.setattr(leases, "evict_oldest", crowd_check_fails)
    alex, connected, _ = await sockets(room.code, room.cookie["a"])
    assert connected  # accepted first, so the browser sees a real close code
    assert await close_code(alex) == 1011
    assert await database_sync_to_async(leases_of)("a") == 0  # the lease it took is gone


async def test_a_failure_judging_a_frame_closes_the_socket_and_tells_the_partner(
    sockets, room, monkeypatch
):
    alex, _ = await join(sockets, room, "a")
    sam, _ = await join(sockets, room, "b")

    def budget_blows_up(self, now):
        raise RuntimeError("a bug in the frame budget")

    monkeypatch.setattr(FrameBudget, "take", budget_blows_up)
    await alex.send_json_to({"type": "time.ping", "t0": 1})
    assert await close_code(alex) == 1011
    state = await until_state(sam, lambda s: not s["seats"]["a"]["connected"])
    assert state["seats"]["b"]["connected"] is True
    assert await database_sync_to_async(leases_of)("a") == 0


async def test_a_failing_broadcast_delivery_does_not_take_the_partners_socket(
    sockets, room, monkeypatch
):
    alex, sam = await active_room(sockets, room)

    def remembering_fails(code, state):
        raise RuntimeError("a bug in shaping a broadcast")

    monkeypatch.setattr(recent, "remember_state", remembering_fails)
    assert (await act(alex, "pause", rid="a-1"))["type"] == "ack"
    await asyncio.sleep(0.3)  # the broadcast reaches Sam's socket, and fails there
    await sam.send_json_to({"type": "time.ping", "t0": 7})
    assert (await receive(sam))["type"] == "time.pong"  # still open, still answering
    monkeypatch.undo()
    await sam.send_json_to({"type": "sync", "version": 0})
    assert (await until_state(sam, lambda s: s["status"] == "paused"))["pause"]["by"] == "a"


async def test_a_broadcast_failing_after_the_commit_keeps_the_ack_and_shows_the_actor_at_once(
    sockets, room, monkeypatch
):
    alex, _ = await join(sockets, room, "a")
    sam, _ = await join(sockets, room, "b")
    layer = get_channel_layer()
    working_send = layer.group_send

    async def broker_down(group, message):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(layer, "group_send", broker_down)
    await alex.send_json_to({"type": "action", "action": "start", "rid": "a-1"})
    frames = await frames_until(alex, lambda f: f["type"] == "state")
    replies = [f for f in frames if f.get("rid") == "a-1"]
    assert [f["type"] for f in replies] == ["ack"]  # one answer, and no server_error after it
    assert frames[-1]["version"] == replies[0]["version"]
    assert frames[-1]["state"]["status"] == "active"
    # Once the layer is back, the socket's retry brings Sam the change without a sync.
    monkeypatch.setattr(layer, "group_send", working_send)
    assert (await until_state(sam, lambda s: s["status"] == "active", within=5))["status"]


async def test_a_socket_opened_while_the_layer_is_unreachable_is_told_to_try_again(
    sockets, room, monkeypatch
):
    async def broker_down(prefix="specific."):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(get_channel_layer(), "new_channel", broker_down)
    alex, connected, _ = await sockets(room.code, room.cookie["a"])
    assert connected  # accepted first, so the browser sees the code
    assert await close_code(alex) == Close.TRY_AGAIN == 1013
    assert await database_sync_to_async(leases_of)("a") == 0


def stall_the_store(monkeypatch) -> threading.Event:
    """Every action waits on the database thread (up to 5 s) until the returned event is set."""
    release = threading.Event()
    submit = connections.submit_action

    def stalled(*args, **kwargs):
        release.wait(5)
        return submit(*args, **kwargs)

    monkeypatch.setattr(connections, "submit_action", stalled)
    return release


async def test_frames_are_judged_as_they_arrive_even_while_the_socket_waits_on_the_database(
    sockets, room, monkeypatch
):
    alex, _ = await join(sockets, room, "a")
    release = stall_the_store(monkeypatch)
    await alex.send_json_to({"type": "action", "action": "start", "rid": "a-1"})
    loop = asyncio.get_running_loop()
    began = loop.time()
    for _ in range(150):
        await alex.send_json_to({"type": "time.ping", "t0": 1})
    try:
        assert await close_code(alex, within=2) == 4429
        assert loop.time() - began < 1.0  # not after the slow action was done
    finally:
        release.set()


async def test_frames_past_what_may_wait_for_a_stuck_socket_are_refused_busy(
    sockets, room, monkeypatch
):
    alex, _ = await join(sockets, room, "a")
    release = stall_the_store(monkeypatch)
    monkeypatch.setattr(FrameBudget, "take", lambda self, now: Verdict.ALLOW)
    await alex.send_json_to({"type": "action", "action": "start", "rid": "a-1"})
    for n in range(socket_loop.MAX_WAITING_FRAMES + 3):
        await alex.send_json_to({"type": "action", "action": "pause", "rid": f"a-{n + 2}"})
    try:
        refused = [await receive(alex) for _ in range(3)]  # while the first is still stuck
    finally:
        release.set()
    # The first action may or may not have left the queue for the database yet.
    assert [f["code"] for f in refused] == ["busy"] * 3
    first = int(refused[0]["rid"].removeprefix("a-"))
    assert first in (socket_loop.MAX_WAITING_FRAMES + 1, socket_loop.MAX_WAITING_FRAMES + 2)
    assert [f["rid"] for f in refused] == [f"a-{first + n}" for n in range(3)]


async def test_a_seat_keeps_at_most_five_sockets_and_a_sixth_pushes_out_the_oldest(sockets, room):
    tabs = [(await join(sockets, room, "a"))[0] for _ in range(leases.SOCKETS_PER_SEAT)]
    assert await database_sync_to_async(leases_of)("a") == leases.SOCKETS_PER_SEAT
    newest, _ = await join(sockets, room, "a")
    assert await close_code(tabs[0]) == Close.TOO_MANY_TABS == 4409
    assert await database_sync_to_async(leases_of)("a") == leases.SOCKETS_PER_SEAT
    for tab in (*tabs[1:], newest):
        await tab.send_json_to({"type": "time.ping", "t0": 3})
        assert (await receive(tab))["type"] == "time.pong"
