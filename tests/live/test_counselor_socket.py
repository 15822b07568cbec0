"""Dana's dashboard socket hears her rooms change, in plain words, and nobody else's.

/ws/counselor/ (docs/protocol.md §13): Dana's socket says `changed` with a line when
Sam pauses in the room she hosts (with the reason), when a practice session of her
couple moves (never a check-in answer in the line), and when a new session of hers
appears; Robin's socket hears none of it; a stranger or a partner is closed 4403; a
frame other than `{"type": "sync"}` gets an error and the socket stays; a flurry of
changes is said at most once per room per 500 ms.
"""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from facilitator.asgi import application
from sessions.codes import new_seat_token
from sessions.live.counselor_socket import COALESCE_S
from sessions.live.outgoing import Close
from sessions.models import Couple, CoupleSession
from sessions.store import broadcast, creation, notices, rooms, seats
from tests.live.calls import signed_in_cookie
from tests.live.sockets import (
    CHECKIN,
    WELCOME,
    act,
    browser_cookie,
    close_code,
    join,
    room_protocol,
    until_state,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]


def couples_room(counselor, *, practice: bool) -> SimpleNamespace:
    """A room of Dana's couple Alex and Sam, both seated: hosted by her, or their practice."""
    couple = Couple.objects.create(
        counselor=counselor, name_a="Alex", name_b="Sam", link_code=new_seat_token()
    )
    doc = room_protocol()
    host = None if practice else counselor
    session = creation.create_session(doc["slug"], host, protocol=SimpleNamespace(doc=doc))
    CoupleSession.objects.filter(pk=session.pk).update(couple=couple)
    tokens = {"a": new_seat_token(), "b": new_seat_token()}
    seats.claim_seat(session, "Alex", tokens["a"])
    seats.claim_seat(session, "Sam", tokens["b"])
    cookies = {seat: browser_cookie(session.code, token) for seat, token in tokens.items()}
    return SimpleNamespace(code=session.code, session=session, cookie=cookies)


async def next_changed(socket, match=lambda frame: True, within: float = 3) -> dict:
    """The first `changed` frame that matches, skipping the others; fail after `within` s."""
    end = time.monotonic() + within
    seen = []
    while (left := end - time.monotonic()) > 0:
        try:
            frame = json.loads(await socket.receive_from(timeout=left))
        except TimeoutError:
            break
        seen.append(frame)
        if frame["type"] == "changed" and match(frame):
            return frame
    raise AssertionError(f"no matching changed frame within {within} s; saw {seen}")


async def says_nothing(socket, within: float = 0.8) -> bool:
    return await socket.receive_nothing(timeout=within)


@pytest.fixture
def hosted(dana, dana_client):
    room = couples_room(dana, practice=False)
    room.cookie["host"] = signed_in_cookie(dana_client)
    return room


async def test_dana_hears_sam_pause_with_the_reason_and_robin_hears_nothing(
    sockets, counselor_sockets, hosted, dana_client, robin_client
):
    dana_desk = await counselor_sockets(signed_in_cookie(dana_client))
    robin_desk = await counselor_sockets(signed_in_cookie(robin_client))
    alex, _ = await join(sockets, hosted, "a")
    sam, _ = await join(sockets, hosted, "b")
    dana, _ = await join(sockets, hosted, "host")
    assert (await act(dana, "start", rid="start"))["type"] == "ack"
    await next_changed(dana_desk, lambda f: f["line"].endswith(": started"))
    assert (await act(sam, "pause", args={"reason": "flooding"}))["type"] == "ack"
    paused = await next_changed(dana_desk, lambda f: "paused" in f["line"])
    assert paused["room"] == notices.room_id(hosted.code)
    assert paused["line"].endswith(": paused — Sam asked for a pause (feeling flooded)")
    assert paused["line"].startswith("Alex and Sam · ")
    assert await says_nothing(robin_desk)
    await until_state(alex, lambda s: s["status"] == "paused")


async def test_alex_waiting_for_sam_is_said_in_the_counselors_words(
    sockets, counselor_sockets, hosted, dana_client
):
    dana_desk = await counselor_sockets(signed_in_cookie(dana_client))
    await join(sockets, hosted, "a")
    changed = await next_changed(dana_desk)
    assert changed["room"] == notices.room_id(hosted.code)
    assert changed["line"].endswith(": Alex is waiting for Sam")


async def test_a_practice_sessions_line_carries_no_check_in_answer(
    counselor_sockets, dana, dana_client
):
    practice = await database_sync_to_async(couples_room)(dana, practice=True)
    dana_desk = await counselor_sockets(signed_in_cookie(dana_client))

    def check_in_calmly():
        rooms.submit(practice.code, "a", "start", {})
        rooms.submit(practice.code, "a", "next", {"step": WELCOME})
        rooms.submit(practice.code, "b", "next", {"step": WELCOME})
        for seat, word in (("a", "hopeful"), ("b", "tender")):
            answer = {"step": CHECKIN, "state": "mobilized", "intensity": 7, "word": word}
            rooms.submit(practice.code, seat, "checkin", answer)
        broadcast.tell_room(practice.code)

    await database_sync_to_async(check_in_calmly)()
    changed = await next_changed(dana_desk, within=3)
    assert changed["line"].startswith("Alex and Sam · ")
    assert "(practice)" in changed["line"]
    for secret in ("hopeful", "tender", "On edge", "7 of 10", "mobilized"):
        assert secret not in changed["line"]
    # The couple's practice join code never reaches Dana's page: the room has an opaque id.
    assert set(changed) == {"type", "room", "line"}
    assert practice.code not in json.dumps(changed)
    assert changed["room"] == notices.room_id(practice.code)


async def test_a_new_session_of_danas_is_watched_from_the_moment_it_is_created(
    counselor_sockets, dana, dana_client
):
    dana_desk = await counselor_sockets(signed_in_cookie(dana_client))

    def create():
        session = creation.create_session("daily-checkin", dana)
        notices.session_created(session)
        return session.code

    code = await database_sync_to_async(create)()
    first = await next_changed(dana_desk)
    assert first == {
        "type": "changed",
        "room": notices.room_id(code),
        "line": "Daily check-in: waiting for the couple to join",
    }
    # From then on the new room's changes reach her too.
    token = new_seat_token()
    await database_sync_to_async(
        lambda: (
            seats.claim_seat(rooms.get_session(code), "Alex", token),
            broadcast.tell_room(code),
        )
    )()
    assert (await next_changed(dana_desk))["room"] == notices.room_id(code)


async def test_changes_in_a_flurry_are_said_at_most_once_per_room_per_half_second(
    counselor_sockets, hosted, dana_client
):
    dana_desk = await counselor_sockets(signed_in_cookie(dana_client))

    def start_and_flurry():
        rooms.submit(hosted.code, "host", "start", {})
        broadcast.tell_room(hosted.code)
        rooms.submit(hosted.code, "a", "next", {"step": WELCOME})
        broadcast.tell_room(hosted.code)
        rooms.submit(hosted.code, "b", "pause", {"reason": "need_a_moment"})
        broadcast.tell_room(hosted.code)

    await database_sync_to_async(start_and_flurry)()
    first = await next_changed(dana_desk)
    first_at = time.monotonic()
    second = await next_changed(dana_desk)
    assert time.monotonic() - first_at >= COALESCE_S - 0.1
    # The held-back change said is the newest: Sam's pause.
    assert second["line"].endswith("paused — Sam asked for a pause"), (first, second)
    assert await says_nothing(dana_desk, within=COALESCE_S + 0.2)


@pytest.mark.parametrize("who", ["stranger", "alex"])
async def test_anyone_but_a_signed_in_counselor_is_closed_4403(counselor_sockets, hosted, who):
    cookie = None if who == "stranger" else hosted.cookie["a"]
    socket = await counselor_sockets(cookie, listening=False)
    assert await close_code(socket) == Close.NO_SEAT


async def test_another_origin_is_refused_at_the_handshake(dana_client):
    headers = [
        (b"origin", b"https://elsewhere.example"),
        (b"cookie", signed_in_cookie(dana_client)),
    ]
    socket = WebsocketCommunicator(application, "/ws/counselor/", headers=headers)
    connected, _ = await socket.connect(timeout=3)
    assert not connected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"type": "action", "action": "pause"}', "bad_frame"),
        ('{"type": "sync", "version": 3}', "bad_frame"),
        ("[1, 2]", "bad_frame"),
        ("not json", "bad_json"),
        ('{"type": "sync", "pad": "' + "x" * 5000 + '"}', "too_large"),
    ],
)
async def test_frames_other_than_sync_get_an_error_and_the_socket_stays(
    counselor_sockets, dana_client, text, code
):
    dana_desk = await counselor_sockets(signed_in_cookie(dana_client))
    await dana_desk.send_to(text_data=text)
    error = json.loads(await dana_desk.receive_from(timeout=3))
    assert error["type"] == "error" and error["code"] == code
    await dana_desk.send_json_to({"type": "sync"})
    assert json.loads(await dana_desk.receive_from(timeout=3)) == {"type": "ok"}
