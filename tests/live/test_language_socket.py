"""Each room socket speaks its own person's language, in the same room at the same moment.

Alex chose Spanish on the join page and Sam English: when Sam pauses, Alex's socket
words the pause in Spanish and Sam's in English, from one committed state. A socket
learns its language at connect (`sessions.live.language.socket_language`): the seat's
own choice, else the browser's language cookie, else its Accept-Language, else English,
each checked against the languages Stay has.

The Spanish asserted is the real catalog's (helper A's engine words and helper C's socket
words): ``make messages`` compiles it from ``locale/es``.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from django.conf import settings

from sessions.codes import new_seat_token
from sessions.live.language import socket_language
from sessions.store import creation, seats
from tests.live.sockets import (
    ORIGIN,
    act,
    browser_cookie,
    receive,
    room_protocol,
    until_state,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("quick_clocks")]

ALEX_READS_SPANISH = "Sam pidió una pausa. Este tiempo también es para ti."
SAM_READS_ENGLISH = "You asked for a pause. Take the time you need."


def scope(*headers: tuple[bytes, bytes]) -> dict:
    return {"type": "websocket", "headers": list(headers)}


def cookie(value: str) -> tuple[bytes, bytes]:
    return (b"cookie", f"sessionid=x; {settings.LANGUAGE_COOKIE_NAME}={value}".encode())


def accept(value: str) -> tuple[bytes, bytes]:
    return (b"accept-language", value.encode())


# --- where a socket's language comes from ------------------------------------------------


def test_the_seats_own_choice_comes_before_the_browsers():
    assert socket_language(scope(cookie("en"), accept("en")), "es") == "es"


def test_without_a_seat_choice_the_language_cookie_decides():
    assert socket_language(scope(cookie("es"), accept("en"))) == "es"
    assert socket_language(scope(cookie("es")), "") == "es"


def test_without_a_cookie_the_browsers_accept_language_decides_best_first():
    assert socket_language(scope(accept("fr;q=0.9, es-MX, en;q=0.5"))) == "es"
    assert socket_language(scope(accept("en-GB,es;q=0.8"))) == "en"


def test_a_language_stay_does_not_have_is_passed_over_never_spoken():
    assert socket_language(scope(cookie("xx"), accept("de, es;q=0.2")), "klingon") == "es"
    assert socket_language(scope(accept("de, fr"))) == settings.LANGUAGE_CODE


def test_a_socket_with_no_headers_speaks_the_default():
    assert socket_language({"type": "websocket"}) == settings.LANGUAGE_CODE
    assert socket_language(scope(accept("*"))) == settings.LANGUAGE_CODE


# --- one room, two languages -----------------------------------------------------------------


@pytest.fixture
def bilingual_room():
    """Alex (seat a) reads Spanish, Sam (seat b) English; cookies for both browsers."""
    session = creation.create_session(
        "evening-pause", protocol=SimpleNamespace(doc=room_protocol())
    )
    tokens = {"a": new_seat_token(), "b": new_seat_token()}
    seats.claim_seat(session, "Alex", tokens["a"], language="es")
    seats.claim_seat(session, "Sam", tokens["b"], language="en")
    return SimpleNamespace(
        code=session.code,
        session=session,
        cookie={seat: browser_cookie(session.code, token) for seat, token in tokens.items()},
    )


async def open_seat(sockets, room, seat: str, *extra: tuple[bytes, bytes]):
    headers = [ORIGIN, (b"cookie", room.cookie[seat]), *extra]
    socket, connected, _ = await sockets(room.code, headers=headers)
    assert connected
    assert (await receive(socket))["type"] == "state"
    return socket


async def test_sams_pause_reaches_alex_in_spanish_and_sam_in_english(sockets, bilingual_room):
    # Sam's browser asks for Spanish, but Sam chose English for this seat: the seat wins.
    alex = await open_seat(sockets, bilingual_room, "a")
    sam = await open_seat(sockets, bilingual_room, "b", accept("es"))
    assert (await act(alex, "start"))["type"] == "ack"
    assert (await act(sam, "pause"))["type"] == "ack"
    alex_sees = await until_state(alex, lambda s: s["status"] == "paused")
    sam_sees = await until_state(sam, lambda s: s["status"] == "paused")
    assert alex_sees["pause"]["line"] == ALEX_READS_SPANISH
    assert sam_sees["pause"]["line"] == SAM_READS_ENGLISH
    # The codes and data are the same for both: only the words differ.
    assert alex_sees["pause"]["by"] == sam_sees["pause"]["by"] == "b"


async def test_a_refusal_is_worded_for_the_person_who_was_refused(sockets, bilingual_room):
    alex = await open_seat(sockets, bilingual_room, "a")
    sam = await open_seat(sockets, bilingual_room, "b")
    assert (await act(alex, "start"))["type"] == "ack"
    assert (await act(sam, "pause"))["type"] == "ack"
    to_alex = await act(alex, "pause")
    to_sam = await act(sam, "pause")
    assert to_alex["code"] == to_sam["code"] == "already_paused"
    assert to_alex["message"] == "La sesión ya está en pausa. Tómate el tiempo que necesites."
    assert to_sam["message"] == "The session is already paused. Take the time you need."


async def test_a_seat_that_left_it_to_the_browser_follows_the_browsers_cookie(sockets):
    def room_with_browser_choices():
        session = creation.create_session(
            "evening-pause", protocol=SimpleNamespace(doc=room_protocol())
        )
        tokens = {"a": new_seat_token(), "b": new_seat_token()}
        seats.claim_seat(session, "Alex", tokens["a"])  # no choice: the browser's
        seats.claim_seat(session, "Sam", tokens["b"])
        cookies = {seat: browser_cookie(session.code, token) for seat, token in tokens.items()}
        return SimpleNamespace(code=session.code, cookie=cookies)

    room = await database_sync_to_async(room_with_browser_choices)()
    spanish_cookie = room.cookie["a"] + f"; {settings.LANGUAGE_COOKIE_NAME}=es".encode()
    headers = [ORIGIN, (b"cookie", spanish_cookie), accept("en")]
    alex, connected, _ = await sockets(room.code, headers=headers)
    assert connected
    await receive(alex)
    sam = await open_seat(sockets, room, "b", accept("en-US"))
    assert (await act(alex, "start"))["type"] == "ack"
    assert (await act(sam, "pause"))["type"] == "ack"
    assert (await until_state(alex, lambda s: s["status"] == "paused"))["pause"][
        "line"
    ] == ALEX_READS_SPANISH
    assert (await until_state(sam, lambda s: s["status"] == "paused"))["pause"][
        "line"
    ] == SAM_READS_ENGLISH


async def test_the_sockets_own_refusals_are_in_its_persons_language(sockets, bilingual_room):
    alex = await open_seat(sockets, bilingual_room, "a")
    await alex.send_json_to({"type": "call.media", "mic": True, "camera": False})
    answer = await receive(alex)
    assert answer["type"] == "error" and answer["code"] == "not_in_call"
    assert answer["message"] == "Primero únete a la llamada."
