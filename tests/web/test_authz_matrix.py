"""Who may do what: every persona against every door of a session, in one table.

The session is Dana's (a counselor), with Alex in seat a and Sam in seat b, started.
Each row of `EXPECTED` says what one persona gets from one endpoint: a status code, a
redirect, a WebSocket close code or a refused handshake, or an engine refusal. For
every cell, whatever the answer:

- nothing changes: the room's version, both seats' names, the notes, the session
  itself (a refusal that still wrote something would be a hole);
- a persona with no place in the session never sees Alex's or Sam's name in the body.

Personas: a stranger with the link; a third browser (it holds a seat in another
session); Alex acting as Sam (the other partner) and as the host; Robin, another
counselor; Alex's own browser driven from another site (no CSRF token, foreign
Origin); a forged session cookie; a forged seat token; a stranger with an expired
code; a stranger with the code of an ended session. Dana, the owner, is the control
row: the same doors open for her.
"""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from django.conf import settings as django_settings
from django.core.cache import cache
from django.shortcuts import resolve_url

from sessions.store import rooms
from tests.web.authz_table import (
    ASKING,
    CSRF,
    EXPECTED_CONNECT,
    EXPECTED_HTTP,
    HTTP,
    IMPERSONATIONS,
    LOGIN,
    N_A,
    NAMES,
    OUTSIDERS,
    PERSONAS,
    World,
    build_world,
    connect,
    expected_location,
    snapshot,
)

# The HTTP cells run inside a rolled-back transaction (fast); the socket ones need real
# commits, since the consumer reads from its own database thread.
socket_db = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world() -> World:
    yield build_world()
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "door"),
    [(p, d) for p in EXPECTED_HTTP for d in HTTP if EXPECTED_HTTP[p][d] != N_A],
)
def test_each_persona_gets_only_its_own_answer_over_http(world, persona, door):
    browser, code = PERSONAS[persona](world)
    method, path, data = HTTP[door]
    before = snapshot(code)
    response = getattr(browser, method)(path.format(code=code), data or {})
    expected = EXPECTED_HTTP[persona][door]
    body = response.content.decode(errors="replace")
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))
    elif expected == CSRF:
        assert response.status_code == 403
        assert "That form couldn't be sent" in body  # templates/403_csrf.html
    elif isinstance(expected, tuple):
        assert (response.status_code, response["Location"]) == (
            302,
            expected_location(expected, code),
        )
    else:
        assert response.status_code == expected, body[:300]
    after = snapshot(code)
    if (persona, door) in ASKING:  # the room now shows a request; nothing else moved
        assert rooms.load_state(code)["knock"]["answer"] is None
        before, after = before[1:], after[1:]
    assert after == before  # refused, or only looked: nothing changed
    if persona in OUTSIDERS:
        assert not NAMES.search(body), NAMES.search(body)


# --- the room socket --------------------------------------------------------------------


@socket_db
@pytest.mark.parametrize("persona", list(EXPECTED_CONNECT))
async def test_each_persona_gets_only_its_own_answer_at_the_socket(world, persona):
    socket, connected, code = await connect(world, persona)
    before = await database_sync_to_async(snapshot)(code)
    expected = EXPECTED_CONNECT[persona]
    try:
        if expected == "refused":
            assert not connected
        elif isinstance(expected, int):
            assert connected  # accepted first, so a browser sees the code
            assert await socket.receive_output(timeout=5) == {
                "type": "websocket.close",
                "code": expected,
            }
        else:
            first = json.loads(await socket.receive_from(timeout=5))
            assert first["type"] == "state" and first["state"]["you"] == expected[1]
    finally:
        await socket.disconnect(timeout=5)
    after = await database_sync_to_async(snapshot)(code)
    assert (after[1:], after[0] is None) == (before[1:], before[0] is None)


@socket_db
@pytest.mark.parametrize("persona", list(IMPERSONATIONS))
async def test_a_partner_cannot_act_for_the_other_partner_or_the_host(world, persona):
    socket, connected, code = await connect(world, persona)
    assert connected
    try:
        assert json.loads(await socket.receive_from(timeout=5))["type"] == "state"
        before = await database_sync_to_async(snapshot)(code)
        for frame, code_expected in IMPERSONATIONS[persona]:
            await socket.send_json_to(frame)
            while (reply := json.loads(await socket.receive_from(timeout=5)))["type"] == "state":
                pass
            assert (reply["type"], reply["code"]) == ("error", code_expected), (frame, reply)
        assert await database_sync_to_async(snapshot)(code) == before
    finally:
        await socket.disconnect(timeout=5)
