"""The room socket as two partners' browsers see it: frames in, frames out.

Alex sits in seat a and Sam in seat b of a short room (welcome, check-in, a
one-second breath, a turn each to speak, a goodbye). Every test talks to the real
ASGI application through channels' WebsocketCommunicator, with an Origin header
and the Django session cookie a browser would send.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from facilitator.asgi import application
from sessions.access import SEATS_KEY
from sessions.codes import new_seat_token
from sessions.live import consumer, socket_loop
from sessions.live.outgoing import Close
from sessions.live.ratelimit import FrameBudget, Verdict
from sessions.models import Event, Lease
from sessions.store import broadcast, connections, creation, leases, recent, rooms, seats

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://testserver")
WELCOME, CHECKIN, BREATHE, SPEAK_A, SPEAK_B, GOODBYE = range(6)

ROOM_DOC = {
    "slug": "room-test",
    "title": "Room test",
    "minutes": 3,
    "for_whom": "tests",
    "summary": "One step of the kinds the socket tests need.",
    "steps": [
        {"kind": "info", "title": "Welcome", "prompt": "Find a quiet place."},
        {"kind": "checkin", "title": "Arrive", "prompt": "Where are you right now?"},
        {
            "kind": "breathe",
            "title": "Breathe",
            "prompt": "Breathe along, or rest.",
            "inhale": 0.5,
            "hold_in": 0.0,
            "exhale": 0.5,
            "hold_out": 0.0,
            "cycles": 1,
        },
        {
            "kind": "each_partner",
            "title": "Take turns",
            "first": "a",
            "steps": [
                {
                    "kind": "speak",
                    "title": "Share",
                    "prompt": "Something you liked.",
                    "limit_seconds": 60,
                }
            ],
        },
        {"kind": "info", "title": "Goodbye", "prompt": "Thank you both."},
    ],
}


# --- setting up rooms and browsers ---------------------------------------------------


@pytest.fixture(autouse=True)
def quick_clocks(settings):
    """A one-second grace and no breathing lead-in, so deadlines come quickly."""
    settings.STAY = {
        **django_settings.STAY,
        "PRESENCE_GRACE_SECONDS": 1,
        "BREATHING_LEAD_IN_SECONDS": 0,
    }


def browser_cookie(code: str, token: str | None) -> bytes:
    """The session cookie of a browser that holds `token` for room `code`."""
    session = SessionStore()
    if token is not None:
        session[SEATS_KEY] = {code: token}
    session.create()
    return f"{django_settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


@pytest.fixture
def room():
    """A room with Alex in seat a and Sam in seat b; cookies for both browsers."""
    session = creation.create_session("room-test", protocol=SimpleNamespace(doc=ROOM_DOC))
    tokens = {"a": new_seat_token(), "b": new_seat_token()}
    seats.claim_seat(session, "Alex", tokens["a"])
    seats.claim_seat(session, "Sam", tokens["b"])
    return SimpleNamespace(
        code=session.code,
        session=session,
        cookie={seat: browser_cookie(session.code, token) for seat, token in tokens.items()},
    )


@pytest.fixture
async def sockets():
    """Opens sockets for a test and always disconnects them afterwards."""
    opened: list[WebsocketCommunicator] = []

    async def open_socket(code: str, cookie: bytes | None = None, headers=None):
        if headers is None:
            headers = [ORIGIN] + ([(b"cookie", cookie)] if cookie else [])
        socket = WebsocketCommunicator(application, f"/ws/sessions/{code}/", headers=headers)
        opened.append(socket)
        connected, detail = await socket.connect(timeout=3)
        return socket, connected, detail

    yield open_socket
    for socket in opened:
        await socket.disconnect(timeout=3)


async def join(sockets, room, seat: str):
    """Open a seat's socket and read its first state frame."""
    socket, connected, _ = await sockets(room.code, room.cookie[seat])
    assert connected
    first = await receive(socket)
    assert first["type"] == "state"
    return socket, first


async def receive(socket, within: float = 3) -> dict:
    return json.loads(await socket.receive_from(timeout=within))


async def frames_until(socket, match, within: float = 5) -> list[dict]:
    """Every frame up to and including the first one for which `match(frame)` is true."""
    seen = []
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while True:
        left = end - loop.time()
        if left <= 0:
            raise AssertionError(f"no matching frame within {within} s; saw {seen}")
        frame = await receive(socket, within=left)
        seen.append(frame)
        if match(frame):
            return seen


async def until_state(socket, match, within: float = 5) -> dict:
    frames = await frames_until(
        socket, lambda f: f["type"] == "state" and match(f["state"]), within
    )
    return frames[-1]["state"]


async def act(socket, action: str, rid: str | None = None, **fields) -> dict:
    """Send an action frame and return the reply addressed to it (ack or error)."""
    frame = {"type": "action", "action": action, **fields}
    if rid is not None:
        frame["rid"] = rid
    await socket.send_json_to(frame)
    frames = await frames_until(socket, lambda f: f["type"] in ("ack", "error"))
    return frames[-1]


async def active_room(sockets, room):
    """Both partners connected and the room started on the welcome step."""
    alex, _ = await join(sockets, room, "a")
    sam, _ = await join(sockets, room, "b")
    assert (await act(alex, "start", rid="start"))["type"] == "ack"
    await until_state(alex, lambda s: s["status"] == "active")
    await until_state(sam, lambda s: s["status"] == "active")
    return alex, sam


def events_of(code: str, **filters) -> list[Event]:
    return list(Event.objects.filter(session__code=code, **filters).order_by("version"))


# --- handshake: origin, seat, code --------------------------------------------------


async def test_a_partner_with_a_seat_gets_the_room_shaped_for_them(sockets, room):
    alex, first = await join(sockets, room, "a")
    state = first["state"]
    assert state["you"] == "a"
    assert state["status"] == "waiting"
    assert state["seats"]["a"] == {
        "name": "Alex",
        "claimed": True,
        "connected": True,
        "resting": False,
        "rejoined_at": None,
        "forgotten": False,
    }
    assert first["version"] == state["version"]
    assert isinstance(first["server"], int)
    assert "seed" not in state and "gone_since" not in json.dumps(state)


async def test_a_handshake_without_origin_is_refused(sockets, room):
    _, connected, _ = await sockets(room.code, headers=[(b"cookie", room.cookie["a"])])
    assert not connected


async def test_a_handshake_from_another_site_is_refused(sockets, room):
    evil = [(b"origin", b"https://evil.example"), (b"cookie", room.cookie["a"])]
    _, connected, _ = await sockets(room.code, headers=evil)
    assert not connected


async def test_a_browser_without_a_seat_is_told_4403_after_accept(sockets, room):
    no_seat = await database_sync_to_async(browser_cookie)(room.code, None)
    socket, connected, _ = await sockets(room.code, no_seat)
    assert connected  # accepted first, so the browser sees the code, not a bare 1006
    assert await socket.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


async def test_an_old_device_leaves_when_its_seat_moved_even_if_the_revoke_was_lost(sockets, room):
    """Alex's seat moves to a new device, but the `room.revoke` telling his old phone is
    lost (the channel layer was down at that moment). The room's next state shows the seat
    changed hands, so the old phone re-checks its claim and leaves (4403); Sam stays."""
    from channels.layers import get_channel_layer

    from sessions.codes import hash_seat_token
    from sessions.models import Seat

    alex, _ = await join(sockets, room, "a")
    sam, _ = await join(sockets, room, "b")

    def take_over_without_a_revoke() -> dict:
        Seat.objects.filter(session=room.session, seat="a").update(
            token_hash=hash_seat_token(new_seat_token())
        )
        moved = rooms.submit(
            room.code, "server", "seat", {"seat": "a", "claimed": True, "name": "Alex"}
        )
        assert moved.accepted and moved.changed
        return moved.state

    state = await database_sync_to_async(take_over_without_a_revoke)()
    await get_channel_layer().group_send(
        broadcast.group_name(room.code), broadcast.state_message(state)
    )

    closed = await alex.receive_output(timeout=3)
    while closed.get("type") != "websocket.close":
        closed = await alex.receive_output(timeout=3)
    assert closed["code"] == 4403
    seen = await until_state(sam, lambda s: s["seats"]["a"]["rejoined_at"] is not None)
    assert seen["seats"]["a"]["name"] == "Alex"


async def test_a_stale_seat_token_is_refused_too(sockets, room):
    stranger = await database_sync_to_async(browser_cookie)(room.code, new_seat_token())
    socket, _, _ = await sockets(room.code, stranger)
    assert (await socket.receive_output(timeout=3))["code"] == 4403


@pytest.mark.parametrize("code", ["no-such-room-abcdefghijklmnop", "short"])
async def test_an_unknown_code_is_told_4404(sockets, room, code):
    socket, connected, _ = await sockets(code, room.cookie["a"])
    assert connected
    assert await socket.receive_output(timeout=3) == {"type": "websocket.close", "code": 4404}


async def test_guessing_codes_over_the_socket_stops_at_the_join_limit_but_alex_still_gets_in(
    sockets, room, settings
):
    """A socket that finds no place counts as a join attempt, like a join link that leads
    nowhere: past the per-address limit a stranger's guesses are closed 4429, unanswered."""
    from django.core.cache import cache

    cache.clear()
    settings.STAY = {**settings.STAY, "JOIN_RATE_PER_MINUTE": 3}
    stranger = await database_sync_to_async(browser_cookie)(room.code, new_seat_token())
    answers = []
    for guess in ("guess-aaaaaaaaaaaaaaaaaaaaa", "guess-bbbbbbbbbbbbbbbbbbbbb"):
        socket, _, _ = await sockets(guess, stranger)
        answers.append((await socket.receive_output(timeout=3))["code"])
    socket, _, _ = await sockets(room.code, stranger)  # the right code, but no seat
    answers.append((await socket.receive_output(timeout=3))["code"])
    socket, _, _ = await sockets("guess-ccccccccccccccccccccc", stranger)
    answers.append((await socket.receive_output(timeout=3))["code"])
    assert answers == [4404, 4404, 4403, 4429]

    alex, connected, _ = await sockets(room.code, room.cookie["a"])
    assert connected
    assert (await alex.receive_json_from(timeout=3))["type"] == "state"
    cache.clear()


async def test_an_expired_session_is_told_4404(sockets, room):
    room.session.expires_at = timezone.now() - timedelta(minutes=1)
    await database_sync_to_async(room.session.save)()
    socket, _, _ = await sockets(room.code, room.cookie["a"])
    assert (await socket.receive_output(timeout=3))["code"] == 4404


async def test_the_owning_counselor_joins_as_host_and_another_counselor_cannot(sockets):
    def make():
        owner = get_user_model().objects.create_user("robin", password="pw-robin-123")
        other = get_user_model().objects.create_user("kim", password="pw-kim-1234")
        session = creation.create_session(
            "room-test", owner, protocol=SimpleNamespace(doc=ROOM_DOC)
        )
        cookies = []
        for user in (owner, other):
            client = Client()
            client.force_login(user)
            cookies.append(f"sessionid={client.cookies['sessionid'].value}".encode())
        return session.code, cookies

    code, (owner_cookie, other_cookie) = await database_sync_to_async(make)()
    host, connected, _ = await sockets(code, owner_cookie)
    assert connected
    state = (await receive(host))["state"]
    assert state["you"] == "host"
    assert state["host"]["connected"] is True
    stranger, _, _ = await sockets(code, other_cookie)
    assert (await stranger.receive_output(timeout=3))["code"] == 4403


async def test_the_host_leads_but_cannot_answer_for_a_partner(sockets, settings):
    settings.STAY = {**settings.STAY, "PRESENCE_GRACE_SECONDS": 600}

    def hosted_room():
        robin = get_user_model().objects.create_user("robin", password="pw-robin-123")
        session = creation.create_session(
            "room-test", robin, protocol=SimpleNamespace(doc=ROOM_DOC)
        )
        tokens = {"a": new_seat_token(), "b": new_seat_token()}
        seats.claim_seat(session, "Alex", tokens["a"])
        client = Client()
        client.force_login(robin)
        host_cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
        return session.code, host_cookie, tokens, session

    code, host_cookie, tokens, session = await database_sync_to_async(hosted_room)()
    host, _, _ = await sockets(code, host_cookie)
    await receive(host)
    assert (await act(host, "start"))["code"] == "seats_not_taken"
    await database_sync_to_async(seats.claim_seat)(session, "Sam", tokens["b"])
    alex, _, _ = await sockets(
        code, await database_sync_to_async(browser_cookie)(code, tokens["a"])
    )
    await receive(alex)
    assert (await act(alex, "start"))["code"] == "host_only"
    assert (await act(host, "start"))["type"] == "ack"
    assert (await act(host, "next", step=WELCOME))["type"] == "ack"
    answer = {"state": "safe", "intensity": 1}
    assert (await act(host, "checkin", step=CHECKIN, args=answer))["code"] == "partners_only"


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
        session = creation.create_session("room-test", protocol=SimpleNamespace(doc=ROOM_DOC))
        token = new_seat_token()
        seats.claim_seat(session, "Alex", token)
        return session.code, browser_cookie(session.code, token)

    code, cookie = await database_sync_to_async(half_room)()
    alex, _, _ = await sockets(code, cookie)
    await receive(alex)
    assert (await act(alex, "start"))["code"] == "seats_not_taken"


def past_the_check_in(code: str) -> dict:
    """Both read the welcome, both check in calmly, and the room moves on to the breathing."""
    rooms.submit(code, "a", "next", {"step": WELCOME})
    rooms.submit(code, "b", "next", {"step": WELCOME})
    for seat in ("a", "b"):
        rooms.submit(code, seat, "checkin", {"step": CHECKIN, "state": "safe", "intensity": 2})
    rooms.submit(code, "b", "next", {"step": CHECKIN})
    return rooms.submit(code, "a", "next", {"step": CHECKIN}).state


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


async def alex_lease_expiry(room):
    return await database_sync_to_async(
        lambda: Lease.objects.get(session=room.session, role="a").expires_at
    )()


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


async def close_code(socket, within: float = 3) -> int:
    """Read frames until the server closes the socket; return the close code."""
    while (output := await socket.receive_output(timeout=within))["type"] != "websocket.close":
        pass
    return output["code"]


def leases_of(role: str) -> int:
    return Lease.objects.filter(role=role).count()


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


async def test_frames_are_judged_as_they_arrive_even_while_the_socket_waits_on_the_database(
    sockets, room, monkeypatch
):
    import threading

    alex, _ = await join(sockets, room, "a")
    release = threading.Event()
    submit = connections.submit_action

    def slow_submit(*args, **kwargs):
        release.wait(5)
        return submit(*args, **kwargs)

    monkeypatch.setattr(connections, "submit_action", slow_submit)
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
    import threading

    alex, _ = await join(sockets, room, "a")
    release = threading.Event()
    submit = connections.submit_action

    def stuck_submit(*args, **kwargs):
        release.wait(5)
        return submit(*args, **kwargs)

    monkeypatch.setattr(connections, "submit_action", stuck_submit)
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
