"""The call's signaling over the room socket: who hears what, and that nothing is kept.

Alex, Sam and their counselor Dana each open the room (`tests/live/calls.py`) and
join the call. An offer, an answer or a batch of candidates reaches only the person
it names; joining, muting, hanging up and a closed socket are told to the room; a
page that opens late learns who is already in the call; a second tab of the same
seat takes the call over. None of it changes the room's state, writes an event,
asks the database anything or leaves a line of SDP in the log.
"""

from __future__ import annotations

import logging

import pytest
from channels.db import database_sync_to_async

from sessions.live import dbcall
from sessions.live.room_group import RoomGroup
from tests.live.calls import (
    CANDIDATE,
    PEERS,
    SDP,
    answer,
    candidates,
    drain,
    hears_nothing_of_the_call,
    in_sync,
    join_call,
    next_of,
    offer,
    open_page,
    three_in_the_call,
)
from tests.live.sockets import events_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("quick_clocks")]


async def test_joining_gives_ice_servers_and_tells_everyone_in_the_room(sockets, hosted_room):
    alex = await open_page(sockets, hosted_room, "a")
    sam = await open_page(sockets, hosted_room, "b")
    ice = await join_call(alex, "a", mic=True, camera=False)
    assert ice["type"] == "call.ice"
    assert set(ice) == {"type", "ice_servers", "policy", "expires"}
    assert isinstance(ice["ice_servers"], list) and ice["policy"] in ("all", "relay")
    # Sam is not in the call, but the room shows who is, with their devices.
    assert await next_of(sam, "call.media") == {
        "type": "call.media",
        "role": "a",
        "peer": PEERS["a"],
        "mic": True,
        "camera": False,
    }
    assert await hears_nothing_of_the_call(alex, 0.2)  # no echo of one's own join


async def test_offers_answers_and_candidates_reach_only_the_person_named(sockets, hosted_room):
    pages = await three_in_the_call(sockets, hosted_room)
    alex, sam, dana = pages["a"], pages["b"], pages["host"]

    await alex.send_json_to(offer("b"))
    got = await next_of(sam, "call.signal")
    assert got == {
        "type": "call.signal",
        "from": "a",
        "peer": PEERS["a"],
        "description": {"type": "offer", "sdp": SDP},
    }
    await sam.send_json_to(
        {
            "type": "call.signal",
            "to": "a",
            "peer": PEERS["a"],
            "description": {"type": "answer", "sdp": "v=0\r\n"},
        }
    )
    assert (await next_of(alex, "call.signal"))["description"]["type"] == "answer"
    await dana.send_json_to(candidates("a", count=3))
    got = await next_of(alex, "call.signal")
    assert got["from"] == "host" and got["peer"] == PEERS["host"]
    assert got["candidates"] == [CANDIDATE] * 3 and "description" not in got
    # A candidate as a browser may send it, without the optional fields, stays that way.
    await alex.send_json_to(
        {
            "type": "call.signal",
            "to": "host",
            "peer": PEERS["host"],
            "candidates": [{"candidate": ""}],
        }
    )
    assert (await next_of(dana, "call.signal"))["candidates"] == [{"candidate": ""}]
    # Nobody else heard any of it, and no sender got an answer.
    for socket in (alex, sam, dana):
        assert await hears_nothing_of_the_call(socket, 0.2)


async def test_muting_and_hanging_up_are_told_to_the_others(sockets, hosted_room):
    pages = await three_in_the_call(sockets, hosted_room)
    alex, sam, dana = pages["a"], pages["b"], pages["host"]
    await sam.send_json_to({"type": "call.media", "mic": False, "camera": True})
    for other in (alex, dana):
        media = await next_of(other, "call.media")
        assert (media["role"], media["mic"], media["camera"]) == ("b", False, True)
    await sam.send_json_to({"type": "call.hangup"})
    for other in (alex, dana):
        assert await next_of(other, "call.left") == {
            "type": "call.left",
            "role": "b",
            "peer": PEERS["b"],
            "reason": "hangup",
        }
    # Sam is out of the call: her signals are refused, and signals to her too.
    await sam.send_json_to(offer("a"))
    assert (await answer(sam))["code"] == "not_in_call"
    await alex.send_json_to(offer("b"))
    refused = await answer(alex)
    assert refused == {
        "type": "error",
        "code": "not_in_call",
        "message": "Sam isn't in the call right now.",
        "rid": None,
    }
    await sam.send_json_to({"type": "call.hangup"})  # again: nothing to leave, no answer
    assert await hears_nothing_of_the_call(sam, 0.2)


async def test_a_closed_socket_leaves_the_call_as_gone(sockets, hosted_room):
    pages = await three_in_the_call(sockets, hosted_room)
    await pages["b"].disconnect()
    for role in ("a", "host"):
        left = await next_of(pages[role], "call.left")
        assert (left["role"], left["peer"], left["reason"]) == ("b", PEERS["b"], "gone")


async def test_a_page_that_connects_late_learns_everyone_already_in_the_call(sockets, hosted_room):
    alex = await open_page(sockets, hosted_room, "a")
    dana = await open_page(sockets, hosted_room, "host")
    await join_call(alex, "a", mic=False, camera=True)
    await join_call(dana, "host", mic=True, camera=False)
    sam = await open_page(sockets, hosted_room, "b")
    heard = {}
    for _ in range(2):
        media = await next_of(sam, "call.media")
        heard[media["role"]] = (media["peer"], media["mic"], media["camera"])
    assert heard == {"a": (PEERS["a"], False, True), "host": (PEERS["host"], True, False)}
    # Sam's socket now knows both: once she joins, her signal to each goes through.
    await join_call(sam, "b")
    await sam.send_json_to(offer("host"))
    assert (await next_of(dana, "call.signal"))["from"] == "b"


async def test_a_second_tab_of_the_same_seat_takes_the_call_over(sockets, hosted_room):
    pages = await three_in_the_call(sockets, hosted_room)
    alex, sam = pages["a"], pages["b"]
    second = await open_page(sockets, hosted_room, "a")
    # The second tab hears who is in the call: Sam, Dana, and its own seat on the first tab.
    heard = {(await next_of(second, "call.media"))["role"] for _ in range(3)}
    assert heard == {"a", "b", "host"}
    await join_call(second, "a", peer="alex-page-2")
    # The first tab sees its own seat in the call with a new peer id: its page leaves.
    media = await next_of(alex, "call.media")
    assert (media["role"], media["peer"]) == ("a", "alex-page-2")
    await alex.send_json_to(offer("b"))
    assert (await answer(alex))["code"] == "not_in_call"
    # Sam's socket now routes Alex's seat to the new tab only.
    media = await next_of(sam, "call.media")
    assert (media["role"], media["peer"]) == ("a", "alex-page-2")
    await sam.send_json_to(offer("a"))  # still to the old page
    assert (await answer(sam))["code"] == "not_in_call"
    await sam.send_json_to(offer("a", peer="alex-page-2"))
    assert (await next_of(second, "call.signal"))["peer"] == PEERS["b"]
    assert await hears_nothing_of_the_call(alex, 0.2)
    # The first tab closing says nothing about the call: it is no longer in it.
    await alex.disconnect()
    assert await hears_nothing_of_the_call(sam, 0.3)


async def test_a_page_back_on_a_new_socket_resumes_with_its_peer_id(sockets, hosted_room):
    pages = await three_in_the_call(sockets, hosted_room)
    await pages["b"].disconnect()
    assert (await next_of(pages["a"], "call.left"))["reason"] == "gone"
    sam = await open_page(sockets, hosted_room, "b")
    await join_call(sam, "b")  # the same page: the same peer id
    media = await next_of(pages["a"], "call.media")
    assert (media["role"], media["peer"]) == ("b", PEERS["b"])
    await pages["a"].send_json_to(offer("b"))
    assert (await next_of(sam, "call.signal"))["from"] == "a"


async def test_the_call_changes_nothing_in_the_room_and_asks_the_database_nothing(
    sockets, hosted_room, monkeypatch, caplog
):
    caplog.set_level(logging.DEBUG)
    alex = await open_page(sockets, hosted_room, "a")
    sam = await open_page(sockets, hosted_room, "b")
    dana = await open_page(sockets, hosted_room, "host")
    events_before = await as_rows(hosted_room.code)
    await alex.send_json_to({"type": "sync", "version": 0})
    await next_of(alex, "state")
    states = [f["version"] for f in await drain(alex, 0.3) if f["type"] == "state"]
    version = max([(await in_sync(alex, 0))["version"], *states])
    await drain(alex, 0.2)

    asked = []
    real_run = dbcall.run

    async def spy(func, *args, **kwargs):
        asked.append(getattr(func, "__name__", repr(func)))
        return await real_run(func, *args, **kwargs)

    monkeypatch.setattr(dbcall, "run", spy)
    for role, socket in (("a", alex), ("b", sam), ("host", dana)):
        await join_call(socket, role)
    # Alex's socket has heard Sam and Dana join (over Redis that takes a moment).
    joined: set[str] = set()
    while joined != {"b", "host"}:
        frame = await next_of(alex, "call.media")
        joined.add(frame["role"])
    await alex.send_json_to(offer("b"))
    await next_of(sam, "call.signal")
    await sam.send_json_to(candidates("a"))
    await next_of(alex, "call.signal")
    await alex.send_json_to({"type": "call.media", "mic": False, "camera": False})
    await dana.send_json_to({"type": "call.ice"})
    await next_of(dana, "call.ice")
    await alex.send_json_to(offer("b", sdp="x" * 17_000))  # refused: too large
    assert (await answer(alex))["code"] == "too_large"
    await dana.send_json_to({"type": "call.hangup"})
    await next_of(sam, "call.left")
    assert asked == []  # not one database call for any call frame

    monkeypatch.setattr(dbcall, "run", real_run)
    assert (await in_sync(alex, version))["type"] == "ok"  # the room's version is unchanged
    assert await as_rows(hosted_room.code) == events_before
    await sam.disconnect()
    await next_of(alex, "call.left")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "candidate-secret-line" not in logged and "198.51.100.23" not in logged
    assert "v=0" not in logged


async def test_a_failing_relay_is_answered_and_logs_no_sdp(
    sockets, hosted_room, monkeypatch, caplog
):
    pages = await three_in_the_call(sockets, hosted_room)
    alex = pages["a"]

    async def broken(self, channel, message):
        raise RuntimeError(f"cannot send {message}")

    monkeypatch.setattr(RoomGroup, "send_to", broken)
    await alex.send_json_to(offer("b"))
    assert (await answer(alex))["code"] == "server_error"
    logged = "\n".join(
        record.getMessage() + (record.exc_text or "") + repr(record.exc_info)
        for record in caplog.records
    )
    assert "candidate-secret-line" not in logged
    assert "call on_signal failed: RuntimeError" in logged


async def as_rows(code: str) -> list[tuple]:
    def rows():
        return [(e.version, e.actor, e.action) for e in events_of(code)]

    return await database_sync_to_async(rows)()
