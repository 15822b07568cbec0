"""Dana's workshop console sees every couple's room as a tile, live, and no one else's does.

/ws/workshop/<id>/ (docs/protocol.md §14): Dana's console gets the whole workshop on
connect (Alex and Sam's room, Jo waiting alone for Kim); when Alex and Sam's room
starts, its tile follows within the coalescing window, a flurry of taps costs one tile
per 200 ms, and the newest state is the one shown; a couple who start a room later
appear on her console, as does the workshop starting; Robin (another counselor)
and an unknown id are closed 4404 alike, a stranger and a partner 4403; any frame
but `sync` is refused and the socket stays; no check-in answer, no message, no
pairing word and no join code ever reaches the console.
"""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from facilitator.asgi import application
from sessions.codes import new_join_code, new_seat_token
from sessions.live.outgoing import Close
from sessions.live.workshop_socket import COALESCE_S
from sessions.models import CoupleSession, Workshop
from sessions.store import broadcast, creation, notices, rooms, seats
from tests.live.calls import signed_in_cookie
from tests.live.sockets import CHECKIN, ORIGIN, WELCOME, browser_cookie, close_code, room_protocol

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]


def new_workshop(counselor) -> Workshop:
    doc = room_protocol()
    return Workshop.objects.create(
        counselor=counselor,
        code=new_join_code(),
        title="Saturday group",
        protocol_slug=doc["slug"],
        protocol_title=doc["title"],
        protocol_doc=doc,
        max_couples=60,
    )


def couples_room(workshop: Workshop, word: str, *names: str) -> SimpleNamespace:
    """A room of the workshop hosted by its facilitator, with `names` seated (a, then b)."""
    doc = workshop.protocol_doc
    session = creation.create_session(
        doc["slug"], workshop.counselor, protocol=SimpleNamespace(doc=doc)
    )
    CoupleSession.objects.filter(pk=session.pk).update(workshop=workshop, pairing_word=word)
    cookies = {}
    for seat, name in zip("ab", names, strict=False):
        token = new_seat_token()
        seats.claim_seat(session, name, token)
        cookies[seat] = browser_cookie(session.code, token)
    return SimpleNamespace(code=session.code, room=notices.room_id(session.code), cookie=cookies)


@pytest.fixture
def workshop(dana):
    """Dana's workshop: Alex and Sam's room, and Jo's, where Kim has not come yet."""
    workshop = new_workshop(dana)
    alex_and_sam = couples_room(workshop, "lomira", "Alex", "Sam")
    jo = couples_room(workshop, "bekatu", "Jo")
    return SimpleNamespace(id=workshop.pk, row=workshop, alex_and_sam=alex_and_sam, jo=jo)


@pytest.fixture
async def consoles():
    """Opens /ws/workshop/<id>/ sockets for a test and always disconnects them afterwards."""
    opened: list[WebsocketCommunicator] = []

    async def open_console(workshop_id, cookie: bytes | None, *, first: bool = True):
        headers = [ORIGIN] + ([(b"cookie", cookie)] if cookie else [])
        socket = WebsocketCommunicator(application, f"/ws/workshop/{workshop_id}/", headers=headers)
        opened.append(socket)
        connected, _ = await socket.connect(timeout=3)
        assert connected  # accepted first, so a refusal arrives as a close code
        if not first:
            return socket
        console = json.loads(await socket.receive_from(timeout=3))
        assert console["type"] == "console", console
        return socket, console

    yield open_console
    for socket in opened:
        await socket.disconnect(timeout=3)


async def next_frame(socket, kind: str, match=lambda frame: True, within: float = 3) -> dict:
    """The first frame of type `kind` that matches, skipping the others; fail after `within` s."""
    end = time.monotonic() + within
    seen = []
    while (left := end - time.monotonic()) > 0:
        try:
            frame = json.loads(await socket.receive_from(timeout=left))
        except TimeoutError:
            break
        seen.append(frame)
        if frame["type"] == kind and match(frame):
            return frame
    raise AssertionError(f"no matching {kind} frame within {within} s; saw {seen}")


def submit_and_tell(code: str, *inputs: tuple[str, str, dict]) -> None:
    """Each input committed and told to the room, as the room socket and the group POSTs do."""
    for actor, action, args in inputs:
        rooms.submit(code, actor, action, args)
        broadcast.tell_room(code)


async def test_dana_sees_every_room_of_her_workshop_on_connect(consoles, workshop, dana_client):
    _, console = await consoles(workshop.id, signed_in_cookie(dana_client))
    assert console["workshop"] == {
        "status": "open",
        "step": 0,
        "paced": True,
        "title": "Saturday group",
    }
    tiles = console["tiles"]
    assert [tile["room"] for tile in tiles] == [workshop.alex_and_sam.room, workshop.jo.room]
    assert tiles[0]["names"] == "Alex and Sam"
    assert tiles[1]["names"] == "Jo" and tiles[1]["status"] == "alone"
    assert console["counts"]["couples"] == 2
    assert console["line"].startswith("2 couples")
    # Rooms are named by opaque ids: no join code reaches the console, nor a pairing word.
    for secret in (workshop.alex_and_sam.code, workshop.jo.code, "lomira", "bekatu"):
        assert secret not in json.dumps(console)
    assert all("word" not in tile for tile in tiles)


async def test_a_room_that_starts_reaches_the_console_as_a_tile_within_the_window(
    consoles, workshop, dana_client
):
    socket, _ = await consoles(workshop.id, signed_in_cookie(dana_client))
    started_at = time.monotonic()
    start = (workshop.alex_and_sam.code, ("host", "start", {}))
    await database_sync_to_async(submit_and_tell)(start[0], start[1])
    frame = await next_frame(socket, "tile")
    assert time.monotonic() - started_at < 1  # the console's target: any change within 1 s
    assert frame["tile"]["room"] == workshop.alex_and_sam.room
    assert frame["tile"]["status"] == "active"
    assert frame["tile"]["step"] == 1
    assert frame["counts"]["couples"] == 2
    assert isinstance(frame["line"], str)


async def test_a_flurry_in_one_room_is_one_tile_per_window_and_the_newest_is_shown(
    consoles, workshop, dana_client
):
    socket, _ = await consoles(workshop.id, signed_in_cookie(dana_client))
    code = workshop.alex_and_sam.code
    await database_sync_to_async(submit_and_tell)(
        code,
        ("host", "start", {}),
        ("a", "next", {"step": WELCOME}),
        ("b", "pause", {"reason": "flooding"}),
    )
    first = await next_frame(socket, "tile")
    first_at = time.monotonic()
    second = await next_frame(socket, "tile")
    assert time.monotonic() - first_at >= COALESCE_S - 0.05
    assert second["tile"]["status"] == "paused", (first, second)
    assert second["counts"]["paused"] == 1
    assert await socket.receive_nothing(timeout=COALESCE_S + 0.3)


async def test_a_couple_who_start_a_room_later_appear_and_are_watched(
    consoles, workshop, dana_client
):
    socket, _ = await consoles(workshop.id, signed_in_cookie(dana_client))

    def robin_and_riley_start():
        room = couples_room(workshop.row, "fasodi", "Robin")
        broadcast.tell_workshop(workshop.id, room.code)
        return room

    room = await database_sync_to_async(robin_and_riley_start)()
    console = await next_frame(socket, "console")
    assert [tile["room"] for tile in console["tiles"]][-1] == room.room
    assert console["counts"]["couples"] == 3

    # From then on its changes reach the console too: Riley joins Robin.
    def riley_joins():
        seats.claim_seat(rooms.get_session(room.code), "Riley", new_seat_token())
        broadcast.tell_room(room.code)

    await database_sync_to_async(riley_joins)()
    tile = await next_frame(socket, "tile")
    assert tile["tile"]["room"] == room.room
    assert tile["tile"]["names"] == "Robin and Riley"


async def test_the_workshop_starting_redraws_the_console_with_its_header(
    consoles, workshop, dana_client
):
    socket, _ = await consoles(workshop.id, signed_in_cookie(dana_client))

    def start_the_workshop():
        Workshop.objects.filter(pk=workshop.id).update(status="started", step=1)
        broadcast.workshop_changed(workshop.id)

    await database_sync_to_async(start_the_workshop)()
    console = await next_frame(socket, "console")
    assert console["workshop"]["status"] == "started"
    assert console["workshop"]["step"] == 1
    assert len(console["tiles"]) == 2


async def test_a_deleted_room_leaves_the_console_and_a_deleted_workshop_closes_it_4404(
    consoles, workshop, dana_client
):
    socket, _ = await consoles(workshop.id, signed_in_cookie(dana_client))

    def delete_jos_room():
        CoupleSession.objects.filter(code=workshop.jo.code).delete()
        broadcast.room_deleted(workshop.jo.code)

    await database_sync_to_async(delete_jos_room)()
    console = await next_frame(socket, "console")
    assert [tile["room"] for tile in console["tiles"]] == [workshop.alex_and_sam.room]

    def delete_the_workshop():
        Workshop.objects.filter(pk=workshop.id).delete()
        broadcast.workshop_changed(workshop.id)

    await database_sync_to_async(delete_the_workshop)()
    assert await close_code(socket) == Close.NOT_FOUND


async def test_no_check_in_answer_or_message_ever_reaches_the_console(
    consoles, workshop, dana_client
):
    socket, _ = await consoles(workshop.id, signed_in_cookie(dana_client))
    code = workshop.alex_and_sam.code
    inputs = [
        ("host", "start", {}),
        ("a", "next", {"step": WELCOME}),
        ("b", "next", {"step": WELCOME}),
    ]
    for seat, word in (("a", "hopeful"), ("b", "tender")):
        answer = {"step": CHECKIN, "state": "mobilized", "intensity": 7, "word": word}
        inputs.append((seat, "checkin", answer))
    inputs.append(("host", "say", {"text": "Breathe slowly, marigold"}))
    await database_sync_to_async(submit_and_tell)(code, *inputs)
    frames = []  # every frame until the console has been quiet for a while
    while not await socket.receive_nothing(timeout=COALESCE_S + 0.5):
        frames.append(await socket.receive_from(timeout=1))
    assert any(json.loads(frame)["type"] == "tile" for frame in frames)
    secrets = ("hopeful", "tender", "mobilized", "7 of 10", "On edge", "marigold", "lomira", code)
    for secret in secrets:
        assert not [frame for frame in frames if secret in frame], secret


async def test_robin_and_an_unknown_id_are_closed_alike_4404(
    consoles, workshop, robin_client, dana_client
):
    robins = await consoles(workshop.id, signed_in_cookie(robin_client), first=False)
    assert await close_code(robins) == Close.NOT_FOUND
    unknown = await consoles(workshop.id + 1000, signed_in_cookie(dana_client), first=False)
    assert await close_code(unknown) == Close.NOT_FOUND


@pytest.mark.parametrize("who", ["stranger", "alex"])
async def test_anyone_not_signed_in_is_closed_4403(consoles, workshop, who):
    cookie = None if who == "stranger" else workshop.alex_and_sam.cookie["a"]
    socket = await consoles(workshop.id, cookie, first=False)
    assert await close_code(socket) == Close.NO_SEAT


@pytest.mark.parametrize("path", ["/ws/workshop/abc/", "/ws/workshop/1234567890123/"])
async def test_an_id_that_is_not_a_number_is_no_socket_at_all(path, dana_client):
    headers = [ORIGIN, (b"cookie", signed_in_cookie(dana_client))]
    socket = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await socket.connect(timeout=3)
    assert not connected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"type": "action", "action": "pace", "args": {"step": 2}}', "bad_frame"),
        ('{"type": "sync", "version": 3}', "bad_frame"),
        ('{"type": "sync", "tiles": []}', "bad_frame"),
        ("[1, 2]", "bad_frame"),
        ("not json", "bad_json"),
        ("[" * 5000, "too_large"),
        ('{"type": "sync", "pad": "' + "x" * 5000 + '"}', "too_large"),
    ],
)
async def test_frames_other_than_sync_get_an_error_and_the_socket_stays(
    consoles, workshop, dana_client, text, code
):
    socket, _ = await consoles(workshop.id, signed_in_cookie(dana_client))
    await socket.send_to(text_data=text)
    error = json.loads(await socket.receive_from(timeout=3))
    assert error["type"] == "error" and error["code"] == code
    await socket.send_json_to({"type": "sync"})
    assert json.loads(await socket.receive_from(timeout=3)) == {"type": "ok"}


async def test_a_binary_frame_is_refused_and_the_socket_stays(consoles, workshop, dana_client):
    socket, _ = await consoles(workshop.id, signed_in_cookie(dana_client))
    await socket.send_to(bytes_data=b'{"type": "sync"}')
    error = json.loads(await socket.receive_from(timeout=3))
    assert error["type"] == "error" and error["code"] == "bad_frame"
    await socket.send_json_to({"type": "sync"})
    assert json.loads(await socket.receive_from(timeout=3)) == {"type": "ok"}
