"""Call frames the server refuses: each with its own error, the socket open, nobody disturbed.

Alex, Sam and Dana (`tests/live/calls.py`) are in a hosted room; a socket of another
room, an oversized offer, a frame with a field too many, a signal to oneself, to
someone not in the call or before joining, and a flood are each answered with a
specific error code (protocol section 7), and the person the frame named hears
nothing. A socket over its signaling budget stays open; one that keeps flooding
meets the frame budget and its 4429.
"""

from __future__ import annotations

import pytest

from sessions.live import call_relay
from sessions.live.frames import MAX_SDP_CHARS, MAX_SIGNAL_FRAME_BYTES
from sessions.live.ratelimit import SIGNAL_BURST_BYTES, SIGNAL_BYTES_PER_SECOND, SignalBudget
from tests.live.calls import (
    CANDIDATE,
    PEERS,
    answer,
    candidates,
    drain,
    hears_nothing_of_the_call,
    join_call,
    next_of,
    offer,
    open_page,
    three_in_the_call,
)
from tests.live.sockets import close_code

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("quick_clocks")]


async def still_open(socket) -> bool:
    await socket.send_json_to({"type": "time.ping", "t0": 1})
    return (await next_of(socket, "time.pong"))["t0"] == 1


def with_field(frame: dict, **extra) -> dict:
    return {**frame, **extra}


REFUSED = [
    ("an SDP over its cap", offer("b", sdp="v" * (MAX_SDP_CHARS + 1)), "too_large", "sdp"),
    (
        "a frame over 20 KiB",
        with_field(candidates("b"), pad="x" * (MAX_SIGNAL_FRAME_BYTES + 1024)),
        "too_large",
        "20480",
    ),
    (
        "a join over 4 KiB",
        {"type": "call.join", "peer": "alex-page-1", "mic": True, "camera": True, "x": "y" * 5000},
        "too_large",
        "4096",
    ),
    ("an unknown field", with_field(offer("b"), note="hi"), "bad_frame", "'note' is not allowed"),
    (
        "an unknown field in a candidate",
        {
            "type": "call.signal",
            "to": "b",
            "peer": PEERS["b"],
            "candidates": [{**CANDIDATE, "ip": 1}],
        },
        "bad_frame",
        "'candidates.0.ip' is not allowed",
    ),
    (
        "a candidate over its cap",
        {
            "type": "call.signal",
            "to": "b",
            "peer": PEERS["b"],
            "candidates": [{"candidate": "c" * 513}],
        },
        "too_large",
        "candidates.0.candidate",
    ),
    ("21 candidates", candidates("b", count=21), "bad_frame", "at most 20"),
    (
        "both a description and candidates",
        with_field(offer("b"), candidates=[CANDIDATE]),
        "bad_frame",
        "exactly one",
    ),
    ("a signal to an unknown role", offer("b") | {"to": "c"}, "bad_frame", "Field 'to'"),
    ("a bad peer id", offer("b", peer="no spaces!"), "bad_frame", "Field 'peer'"),
    ("a signal to oneself", offer("a"), "bad_frame", "Field 'to' names you"),
    ("a signal to an old page", offer("b", peer="sam-page-00"), "not_in_call", "Sam isn't"),
    (
        "nested too deep",
        {"type": "call.signal", "to": "b", "peer": PEERS["b"], "candidates": [{"candidate": [[]]}]},
        "bad_frame",
        "nest too deeply",
    ),
]


@pytest.mark.parametrize(
    ("frame", "code", "words"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
async def test_a_malformed_call_frame_is_refused_and_reaches_nobody(
    sockets, hosted_room, frame, code, words
):
    pages = await three_in_the_call(sockets, hosted_room)
    await pages["a"].send_json_to(frame)
    refused = await answer(pages["a"])
    assert refused["code"] == code and words in refused["message"], refused
    for role in ("b", "host"):
        assert await hears_nothing_of_the_call(pages[role], 0.1)
    assert await still_open(pages["a"])


async def test_before_joining_a_socket_can_neither_signal_nor_change_its_devices(
    sockets, hosted_room
):
    alex = await open_page(sockets, hosted_room, "a")
    sam = await open_page(sockets, hosted_room, "b")
    await join_call(sam, "b")
    for frame in (
        offer("b"),
        {"type": "call.media", "mic": False, "camera": False},
        {"type": "call.ice"},
    ):
        await alex.send_json_to(frame)
        refused = await answer(alex)
        assert (refused["code"], refused["message"]) == ("not_in_call", "Join the call first.")
    assert await hears_nothing_of_the_call(sam)


async def test_a_signal_to_someone_not_in_the_call_names_them(sockets, hosted_room):
    alex = await open_page(sockets, hosted_room, "a")
    sam = await open_page(sockets, hosted_room, "b")
    dana = await open_page(sockets, hosted_room, "host")
    await join_call(alex, "a")
    await alex.send_json_to(offer("b"))
    assert (await answer(alex))["message"] == "Sam isn't in the call right now."
    await alex.send_json_to(offer("host"))
    assert (await answer(alex))["message"] == "Your counselor isn't in the call right now."
    for socket in (sam, dana):
        # Alex's join, and perhaps (over Redis, when Dana's hello reaches Alex's socket
        # after the join) the same news again as an answer: never a signal or an error.
        heard = [f for f in await drain(socket, within=0.3) if f["type"] != "state"]
        assert heard and {(f["type"], f["role"], f["peer"]) for f in heard} == {
            ("call.media", "a", PEERS["a"])
        }


async def test_a_socket_of_another_room_cannot_reach_this_rooms_call(sockets, hosted_room, room):
    pages = await three_in_the_call(sockets, hosted_room)
    # Alex also has a seat in another room; that room's socket knows nothing of this call.
    elsewhere = await open_page(sockets, room, "a")
    assert await hears_nothing_of_the_call(elsewhere)
    await join_call(elsewhere, "a", peer="alex-other")
    for to in ("b", "host"):
        await elsewhere.send_json_to(offer(to))
        assert (await answer(elsewhere))["code"] == "not_in_call"
        assert await hears_nothing_of_the_call(pages[to], 0.1)
    # And this room's people cannot reach it either.
    await pages["b"].send_json_to(offer("a", peer="alex-other"))
    assert (await answer(pages["b"]))["code"] == "not_in_call"
    assert await hears_nothing_of_the_call(elsewhere)


async def test_a_stream_of_large_signals_is_limited_and_the_socket_stays_open(sockets, hosted_room):
    pages = await three_in_the_call(sockets, hosted_room)
    alex, sam = pages["a"], pages["b"]
    big = offer("b", sdp="v" * 16_000)
    sent = 10
    for _ in range(sent):
        await alex.send_json_to(big)
    answers = [await next_of(alex, "error") for _ in range(sent - SIGNAL_BURST_BYTES // 16_100)]
    assert {a["code"] for a in answers} == {"rate_limited"}
    heard = await drain(sam, within=0.3)
    relayed = [frame for frame in heard if frame["type"] == "call.signal"]
    assert len(relayed) == SIGNAL_BURST_BYTES // 16_100  # what fits the burst, and no more
    assert await still_open(alex)


async def test_leaving_the_call_goes_through_even_with_the_signaling_budget_spent(
    sockets, hosted_room, monkeypatch
):
    pages = await three_in_the_call(sockets, hosted_room)
    alex, sam = pages["a"], pages["b"]
    monkeypatch.setattr(call_relay, "within_budget", lambda memory, text: False)
    await alex.send_json_to(candidates("b"))
    assert (await answer(alex))["code"] == "rate_limited"
    await alex.send_json_to({"type": "call.hangup"})
    left = await next_of(sam, "call.left")
    assert (left["role"], left["reason"]) == ("a", "hangup")
    assert await alex.receive_nothing(timeout=0.2)  # the hang-up was not refused


async def test_a_flood_of_call_frames_is_limited_then_cut_off(sockets, hosted_room):
    pages = await three_in_the_call(sockets, hosted_room)
    alex = pages["a"]
    for _ in range(200):
        await alex.send_json_to(candidates("b", count=1))
    seen_limited = False
    while True:
        output = await alex.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            assert output["code"] == 4429
            break
        seen_limited = seen_limited or '"rate_limited"' in output.get("text", "")
    assert seen_limited
    await alex.disconnect()  # the browser's half of the close
    # Sam's socket is untouched: Alex's page is gone from the call, and Sam can still act.
    left = await next_of(pages["b"], "call.left")
    assert (left["role"], left["reason"]) == ("a", "gone")
    assert await still_open(pages["b"])


async def test_a_refused_socket_cannot_signal(sockets, hosted_room):
    alex = await open_page(sockets, hosted_room, "a")
    await join_call(alex, "a")
    riley, connected, _ = await sockets(hosted_room.code, None)
    assert connected and await close_code(riley) == 4403
    await riley.send_json_to(
        {"type": "call.join", "peer": "riley-page", "mic": True, "camera": True}
    )
    await riley.send_json_to(offer("a"))
    assert await hears_nothing_of_the_call(alex)
    assert await riley.receive_nothing(timeout=0.1)


def test_the_signaling_budget_lets_a_call_through_and_refuses_a_stream():
    budget = SignalBudget()
    # Joining a call of three: two offers and some candidates at once, then a trickle.
    assert all(budget.take(8_000, 0.0) for _ in range(2))
    assert all(budget.take(600, 0.1 + i / 50) for i in range(20))
    # A steady 16 KiB a second goes on for ever.
    steady = SignalBudget()
    assert all(steady.take(SIGNAL_BYTES_PER_SECOND, float(i)) for i in range(120))
    # Past the burst, a frame is refused, and being refused costs nothing.
    flood = SignalBudget()
    assert all(flood.take(16_000, 0.0) for _ in range(4))
    assert not flood.take(16_000, 0.0)
    assert not flood.take(16_000, 0.5)
    assert flood.take(16_000, 1.0)


async def test_with_turn_configured_a_socket_gets_one_short_lived_credential_until_it_nears_its_end(
    sockets, hosted_room, settings, monkeypatch
):
    settings.STAY = {
        **settings.STAY,
        "TURN_URLS": ["turn:turn.example:3478"],
        "TURN_SECRET": "not-sent-anywhere",
        "TURN_TTL_SECONDS": 600,
    }
    alex = await open_page(sockets, hosted_room, "a")
    first = await join_call(alex, "a")
    turn = [s for s in first["ice_servers"] if s["urls"] == ["turn:turn.example:3478"]][0]
    assert ":a-" in turn["username"] and isinstance(first["expires"], int)
    # Asking again and again mints nothing new (coturn's quotas count usernames)...
    for _ in range(5):
        await alex.send_json_to({"type": "call.ice"})
        assert (await next_of(alex, "call.ice")) == first
    # ...until the credential has less than a quarter of its time left.
    later = first["expires"] - 100_000
    monkeypatch.setattr(call_relay.rooms, "now_ms", lambda: later)
    await alex.send_json_to({"type": "call.ice"})
    fresh = await next_of(alex, "call.ice")
    again = [s for s in fresh["ice_servers"] if "username" in s][0]
    assert again["username"] != turn["username"] and fresh["expires"] > first["expires"]
    assert "not-sent-anywhere" not in str(first) + str(fresh)


async def test_joining_with_a_new_page_again_and_again_is_limited_but_a_reconnect_is_not(
    sockets, hosted_room
):
    pages = await three_in_the_call(sockets, hosted_room)
    alex, sam = pages["a"], pages["b"]
    await drain(sam)
    for n in range(2):  # three page loads in a row are fine (the first join was one)
        assert (await join_call(alex, "a", peer=f"alex-load-{n}"))["type"] == "call.ice"
    await alex.send_json_to(
        {"type": "call.join", "peer": "alex-load-9", "mic": True, "camera": True}
    )
    refused = await answer(alex)
    assert refused["code"] == "rate_limited" and "again so often" in refused["message"]
    heard = [f["peer"] for f in await drain(sam, within=0.3) if f["type"] == "call.media"]
    assert "alex-load-9" not in heard and heard[-1] == "alex-load-1"
    # The same page back (a reconnect keeps its peer id): always welcome.
    assert (await join_call(alex, "a", peer="alex-load-1"))["type"] == "call.ice"
