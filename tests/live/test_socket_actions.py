"""Actions over the room socket: each gets one answer, and the room sees what changed.

Alex (seat a) and Sam (seat b) in a short room (`tests/live/sockets.py`): acks and
refusals reach the sender only, states reach both, a repeated rid is applied once.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async

from sessions.codes import new_seat_token
from sessions.store import creation, rooms, seats
from tests.live.sockets import (
    BREATHE,
    CHECKIN,
    SPEAK_A,
    WELCOME,
    act,
    active_room,
    browser_cookie,
    events_of,
    frames_until,
    join,
    past_the_check_in,
    receive,
    room_protocol,
    until_state,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("quick_clocks")]


# --- frames in ------------------------------------------------------------------------


async def test_time_ping_is_answered_with_the_server_clock(sockets, room):
    alex, _ = await join(sockets, room, "a")
    await alex.send_json_to({"type": "time.ping", "t0": 1234.5})
    pong = await receive(alex)
    assert pong["type"] == "time.pong"
    assert pong["t0"] == 1234.5
    assert abs(pong["server"] - rooms.now_ms()) < 5000


async def test_an_accepted_action_acks_the_sender_and_reaches_both(sockets, room):
    alex, sam = await active_room(sockets, room)
    assert (await act(alex, "next", rid="alex-1", step=WELCOME))["type"] == "ack"
    ack = await act(sam, "next", rid="sam-1", step=WELCOME)
    assert ack == {"type": "ack", "rid": "sam-1", "version": ack["version"]}
    for socket in (alex, sam):
        state = await until_state(socket, lambda s: s["step"]["index"] == CHECKIN)
        assert state["version"] == ack["version"]


async def test_a_rejected_action_is_told_only_to_the_sender(sockets, room):
    alex, sam = await active_room(sockets, room)
    error = await act(alex, "next", rid="late", step=CHECKIN)
    assert error["type"] == "error"
    assert error["code"] == "stale"
    assert error["rid"] == "late"
    assert error["message"]
    assert await sam.receive_nothing(timeout=0.3)


async def test_a_repeated_rid_gets_the_same_ack_and_is_applied_once(sockets, room):
    alex, sam = await active_room(sockets, room)
    first = await act(alex, "next", rid="tap-1", step=WELCOME)
    assert (await act(sam, "pause"))["type"] == "ack"  # the room moves on meanwhile
    again = await act(alex, "next", rid="tap-1", step=WELCOME)
    assert again == first
    logged = await database_sync_to_async(events_of)(room.code, rid="tap-1")
    assert len(logged) == 1


async def test_server_only_inputs_are_unknown_actions_from_a_browser(sockets, room):
    alex, _ = await active_room(sockets, room)
    for action, args in [
        ("tick", {}),
        ("presence", {"seat": "b", "connected": False}),
        ("seat", {"seat": "b", "name": "Mallory", "claimed": True}),
        ("fly", {}),
    ]:
        error = await act(alex, action, args=args)
        assert error["code"] == "unknown_action", action
    state = await database_sync_to_async(rooms.load_state)(room.code)
    assert state["seats"]["b"]["name"] == "Sam"


async def test_each_engine_refusal_reaches_the_sender_with_its_code(sockets, room):
    alex, _ = await join(sockets, room, "a")
    assert (await act(alex, "next", step=WELCOME))["code"] == "not_started"
    sam, _ = await join(sockets, room, "b")
    assert (await act(alex, "start"))["type"] == "ack"
    assert (await act(alex, "ready"))["code"] == "not_paused"
    assert (await act(alex, "skip", step=WELCOME))["code"] == "host_only"
    assert (await act(alex, "checkin", step=WELCOME, args={"state": "safe", "intensity": 3}))[
        "code"
    ] == "not_now"
    assert (await act(alex, "next", step=WELCOME))["type"] == "ack"
    assert (await act(sam, "next", step=WELCOME))["type"] == "ack"
    assert (await act(alex, "checkin", step=CHECKIN, args={"state": "safe", "intensity": 11}))[
        "code"
    ] == "bad_args"
    answer = {"state": "safe", "intensity": 3}
    assert (await act(alex, "checkin", step=CHECKIN, args=answer))["type"] == "ack"
    assert (await act(alex, "checkin", step=CHECKIN, args=answer))["code"] == "already_answered"
    assert (await act(alex, "pause"))["type"] == "ack"
    assert (await act(sam, "pause"))["code"] == "already_paused"
    assert (await act(sam, "checkin", step=CHECKIN, args=answer))["code"] == "paused"
    assert (await act(alex, "end"))["type"] == "ack"
    assert (await act(sam, "pause"))["code"] == "finished"


async def test_starting_before_both_seats_are_taken_is_refused(sockets):
    def half_room():
        session = creation.create_session(
            "evening-pause", protocol=SimpleNamespace(doc=room_protocol())
        )
        token = new_seat_token()
        seats.claim_seat(session, "Alex", token)
        return session.code, browser_cookie(session.code, token)

    code, cookie = await database_sync_to_async(half_room)()
    alex, _, _ = await sockets(code, cookie)
    await receive(alex)
    assert (await act(alex, "start"))["code"] == "seats_not_taken"


async def test_only_the_floor_holder_may_finish_a_turn(sockets, room):
    alex, sam = await active_room(sockets, room)

    await database_sync_to_async(past_the_check_in)(room.code)
    await alex.send_json_to({"type": "sync", "version": 0})
    state = await until_state(alex, lambda s: s["step"]["index"] == SPEAK_A, within=5)
    floor = state["step"]["floor"]
    listener = sam if floor == "a" else alex
    assert (await act(listener, "done", step=SPEAK_A))["code"] == "not_your_turn"


# --- what the room sees ---------------------------------------------------------------


async def test_a_check_in_answer_stays_private_until_both_have_answered(sockets, room):
    alex, sam = await active_room(sockets, room)
    await act(alex, "next", step=WELCOME)
    await act(sam, "next", step=WELCOME)
    alex_answer = {"state": "mobilized", "intensity": 7, "word": "tender-xyzzy"}
    assert (await act(alex, "checkin", step=CHECKIN, args=alex_answer))["type"] == "ack"
    before = await frames_until(
        sam, lambda f: f["type"] == "state" and f["state"]["step"]["answered"] == ["a"]
    )
    assert all("tender-xyzzy" not in json.dumps(frame) for frame in before)
    assert before[-1]["state"]["checkins"][str(CHECKIN)]["a"] is None
    sam_answer = {"state": "safe", "intensity": 2}
    assert (await act(sam, "checkin", step=CHECKIN, args=sam_answer))["type"] == "ack"
    revealed = await until_state(sam, lambda s: s["step"]["answered"] == ["a", "b"])
    assert revealed["checkins"][str(CHECKIN)]["a"]["word"] == "tender-xyzzy"


async def test_a_pause_from_one_partner_stops_the_room_for_both(sockets, room):
    alex, sam = await active_room(sockets, room)
    assert (await act(sam, "pause", args={"reason": "flooding"}))["type"] == "ack"
    state = await until_state(alex, lambda s: s["status"] == "paused")
    assert state["pause"]["by"] == "b"
    assert state["pause"]["reason"] == "flooding"
    await act(alex, "ready")
    await act(sam, "ready")
    await until_state(alex, lambda s: s["status"] == "active")


async def test_a_breathing_round_ends_by_itself_once_with_nobody_sending_anything(sockets, room):
    alex, sam = await active_room(sockets, room)

    state = await database_sync_to_async(past_the_check_in)(room.code)
    assert state["index"] == BREATHE
    await alex.send_json_to({"type": "sync", "version": 0})
    await sam.send_json_to({"type": "sync", "version": 0})
    for socket in (alex, sam):
        await until_state(socket, lambda s: s["step"]["index"] == SPEAK_A, within=5)
    ticks = await database_sync_to_async(events_of)(room.code, actor="server", action="tick")
    assert len(ticks) == 1
