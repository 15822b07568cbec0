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
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from facilitator.asgi import application
from sessions.access import SEATS_KEY
from sessions.codes import new_seat_token
from sessions.models import CoupleSession, Note, Seat
from sessions.store import creation, rooms

# The HTTP cells run inside a rolled-back transaction (fast); the socket ones need real
# commits, since the consumer reads from its own database thread.
socket_db = pytest.mark.django_db(transaction=True)

DOC = {
    "slug": "authz-test",
    "title": "Evening wind-down",
    "minutes": 5,
    "for_whom": "tests",
    "summary": "A welcome, a check-in and a goodbye.",
    "steps": [
        {"kind": "info", "title": "Welcome", "prompt": "Find a quiet place."},
        {"kind": "checkin", "title": "Arrive", "prompt": "Where are you right now?"},
        {"kind": "info", "title": "Goodbye", "prompt": "Thank you both."},
    ],
}
NAMES = re.compile(r"\b(Alex|Sam)\b")
ORIGIN = "http://testserver"
EVIL = "https://evil.example"


# --- the world: Dana's live session, an ended one, an expired one, another couple's ----


@dataclass
class World:
    live: str
    ended: str
    expired: str
    elsewhere: str
    lapsed: str  # Alex and Sam seated; Sam's device gone longer than the grace period
    alex: Client  # seat a of `live`
    sam: Client  # seat b of `live`
    dana: Client  # the owning counselor
    robin: Client  # another counselor
    third: Client  # holds seat a of `elsewhere`


def _seat(code: str, name: str, **client_options) -> Client:
    browser = Client(**client_options)
    response = browser.post(f"/j/{code}/", {"display_name": name})
    assert response.status_code == 302 and response["Location"] == f"/s/{code}/", response
    return browser


def _counselor(username: str) -> tuple[Client, object]:
    user = get_user_model().objects.create_user(username)  # force_login: no hashing
    browser = Client()
    browser.force_login(user)
    return browser, user


def _session(counselor=None) -> str:
    return creation.create_session("authz-test", counselor, protocol=SimpleNamespace(doc=DOC)).code


def _started(code: str) -> None:
    for seat in ("a", "b"):
        assert rooms.submit(code, "server", "presence", {"seat": seat, "connected": True}).accepted
    assert rooms.submit(code, "host", "start").accepted


@pytest.fixture
def world() -> World:
    cache.clear()  # the join limit counts per address, and every request here is one
    dana, dana_user = _counselor("dana")
    robin, _ = _counselor("robin")
    live = _session(dana_user)
    alex, sam = _seat(live, "Alex"), _seat(live, "Sam")
    _started(live)
    ended = _session(dana_user)
    _seat(ended, "Alex"), _seat(ended, "Sam")
    _started(ended)
    assert rooms.submit(ended, "host", "end").accepted
    expired = _session()
    _seat(expired, "Alex"), _seat(expired, "Sam")
    CoupleSession.objects.filter(code=expired).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    elsewhere = _session()
    third = _seat(elsewhere, "Riley")
    lapsed = _session()
    _seat(lapsed, "Alex"), _seat(lapsed, "Sam")
    Seat.objects.filter(session__code=lapsed, seat="b").update(
        claimed_at=timezone.now() - timedelta(minutes=5)
    )
    Note.objects.create(counselor=dana_user, session_id=_pk(live), session_label="x", text="Note")
    cache.clear()
    yield World(live, ended, expired, elsewhere, lapsed, alex, sam, dana, robin, third)
    cache.clear()


def _pk(code: str) -> int:
    return CoupleSession.objects.get(code=code).pk


# --- personas: a browser and the session code it tries ---------------------------------


def _forged_cookie_browser() -> Client:
    browser = Client()
    browser.cookies[django_settings.SESSION_COOKIE_NAME] = secrets.token_hex(16)
    return browser


def _forged_token_browser(code: str) -> Client:
    browser = Client()
    django_session = browser.session
    django_session[SEATS_KEY] = {code: new_seat_token()}
    django_session.save()
    return browser


def _cross_site_copy(of: Client) -> Client:
    """Alex's own cookie, sent by a page on another site: no CSRF token, a foreign Origin."""
    browser = Client(enforce_csrf_checks=True, headers={"origin": EVIL})
    browser.cookies = of.cookies
    return browser


PERSONAS = {
    "stranger": lambda w: (Client(), w.live),
    # Before: "I'm Sam — continue here", Sam's name, his seat, his summary, deleting.
    "stranger, Sam gone": lambda w: (Client(), w.lapsed),
    "third browser": lambda w: (w.third, w.live),
    "partner as other partner": lambda w: (w.alex, w.live),
    "partner as host": lambda w: (w.alex, w.live),
    "other counselor": lambda w: (w.robin, w.live),
    "cross-origin": lambda w: (_cross_site_copy(w.alex), w.live),
    "forged cookie": lambda w: (_forged_cookie_browser(), w.live),
    "forged seat token": lambda w: (_forged_token_browser(w.live), w.live),
    "expired code": lambda w: (Client(), w.expired),
    "ended session": lambda w: (Client(), w.ended),
    "owner (control)": lambda w: (w.dana, w.live),
}
OUTSIDERS = {
    "stranger",
    "stranger, Sam gone",
    "third browser",
    "other counselor",
    "cross-origin",
    "forged cookie",
    "forged seat token",
    "expired code",
    "ended session",
}


# --- endpoints -------------------------------------------------------------------------

HTTP = {
    "join GET": ("get", "/j/{code}/", None),
    "join POST": ("post", "/j/{code}/", {"display_name": "Mallory"}),
    "take-over: seat code": ("post", "/j/{code}/seat-code/", {"seat_code": "K7PQ-4XMD"}),
    "take-over: ask": ("post", "/j/{code}/ask/", {"seat": "a"}),
    "take-over: waiting": ("get", "/j/{code}/waiting/", None),
    "take-over: take back": ("post", "/j/{code}/take-back/", None),
    "room": ("get", "/s/{code}/", None),
    "release": ("post", "/s/{code}/release/", {"seat": "b"}),
    "summary": ("get", "/s/{code}/summary/", None),
    "delete": ("post", "/s/{code}/delete/", {"confirm": "yes"}),
    "remove me": ("post", "/s/{code}/forget/", {"confirm": "yes"}),
    "counselor: share": ("get", "/counselor/s/{code}/", None),
    "counselor: summary": ("get", "/counselor/s/{code}/summary/", None),
    "export csv": ("get", "/counselor/s/{code}/export.csv", None),
    "export json": ("get", "/counselor/s/{code}/export.json", None),
    "notes": ("post", "/counselor/s/{code}/notes/", {"text": "Robin was here"}),
}

# Expected answers. An int is an HTTP status; ("to", path) a redirect to that path
# ("{code}" filled in); LOGIN a redirect to the sign-in page; CSRF a 403 from the
# CSRF check; N/A a cell that means nothing (a cross-site page cannot read a GET).
LOGIN = "login"
CSRF = "csrf"
N_A = "n/a"
JOIN = ("to", "/j/{code}/")
ROOM = ("to", "/s/{code}/")

_STRANGER = {
    "join GET": 409,  # both places taken: a seat code or asking, no names
    "join POST": 409,
    "take-over: seat code": 400,  # a wrong code and a free seat get the same answer
    "take-over: ask": 409,  # nobody has been gone long enough to hand a seat over
    "take-over: waiting": JOIN,
    "take-over: take back": JOIN,  # no old seat code kept in this browser: nothing to take
    "room": JOIN,
    "release": 403,
    "summary": 404,
    "delete": 404,
    "remove me": 404,
    "counselor: share": LOGIN,
    "counselor: summary": LOGIN,
    "export csv": LOGIN,
    "export json": LOGIN,
    "notes": LOGIN,
}
_ALEX = {
    "join GET": ROOM,
    "join POST": ROOM,  # never a second claim
    "take-over: seat code": ROOM,
    "take-over: ask": ROOM,
    "take-over: waiting": ROOM,
    "take-over: take back": ROOM,
    "room": 200,  # Alex's own room, as Alex
    "release": 403,  # Sam's seat
    "summary": 200,  # Alex's own summary, so far
    "delete": 409,
    "remove me": 409,
    **{door: LOGIN for door in ("counselor: share", "counselor: summary")},
    **{door: LOGIN for door in ("export csv", "export json", "notes")},
}
_NOT_FOUND = dict.fromkeys(HTTP, 404)

EXPECTED_HTTP: dict[str, dict[str, object]] = {
    "stranger": _STRANGER,
    "stranger, Sam gone": {
        **_STRANGER,
        "take-over: ask": ("to", "/j/{code}/waiting/"),  # Alex is asked; nothing is given
    },
    "third browser": _STRANGER,
    "forged cookie": _STRANGER,
    "forged seat token": _STRANGER,
    "partner as other partner": _ALEX,
    "partner as host": _ALEX,
    "other counselor": {**_NOT_FOUND, "release": 403},
    "cross-origin": {
        door: (CSRF if method == "post" else N_A) for door, (method, _, _) in HTTP.items()
    },
    "expired code": {
        **_NOT_FOUND,
        **{door: LOGIN for door in HTTP if door.startswith(("counselor", "export", "notes"))},
    },
    "ended session": {
        **_STRANGER,
        "take-over: ask": 409,  # finished: nobody to ask, only a seat code opens it
    },
    "owner (control)": {
        **_NOT_FOUND,  # a counselor never takes a partner's seat over, nor deletes for them
        "join GET": ROOM,
        "join POST": ROOM,
        "room": 200,
        "summary": 200,
        "release": N_A,  # the host may free a seat: a power, not a refusal to test
        "counselor: share": 200,
        "counselor: summary": 200,
        "export csv": 200,
        "export json": 200,
        "notes": N_A,  # writing a note is what the door is for; not a refusal to test
    },
}


# The one cell where a refusal is not the whole answer: asking the partner to let you in.
ASKING = {("stranger, Sam gone", "take-over: ask")}


def _snapshot(code: str) -> tuple:
    session = CoupleSession.objects.filter(code=code).first()
    if session is None:
        return (None,)
    seats = list(
        Seat.objects.filter(session=session)
        .order_by("seat")
        .values_list("seat", "name", "token_hash", "code_hash", "prior_code_hash")
    )
    notes = Note.objects.filter(session=session).count()
    return (session.state["version"], session.status, seats, notes, session.expires_at)


def _expected_location(expected, code: str) -> str:
    return expected[1].format(code=code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "door"),
    [(p, d) for p in EXPECTED_HTTP for d in HTTP if EXPECTED_HTTP[p][d] != N_A],
)
def test_each_persona_gets_only_its_own_answer_over_http(world, persona, door):
    browser, code = PERSONAS[persona](world)
    method, path, data = HTTP[door]
    before = _snapshot(code)
    response = getattr(browser, method)(path.format(code=code), data or {})
    expected = EXPECTED_HTTP[persona][door]
    body = response.content.decode(errors="replace")
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(django_settings.LOGIN_URL)
    elif expected == CSRF:
        assert response.status_code == 403
        assert "CSRF" in body
    elif isinstance(expected, tuple):
        assert (response.status_code, response["Location"]) == (
            302,
            _expected_location(expected, code),
        )
    else:
        assert response.status_code == expected, body[:300]
    after = _snapshot(code)
    if (persona, door) in ASKING:  # the room now shows a request; nothing else moved
        assert rooms.load_state(code)["knock"]["answer"] is None
        before, after = before[1:], after[1:]
    assert after == before  # refused, or only looked: nothing changed
    if persona in OUTSIDERS:
        assert not NAMES.search(body), NAMES.search(body)


# --- the room socket --------------------------------------------------------------------


def _cookie_header(browser: Client) -> bytes:
    value = browser.cookies.get(django_settings.SESSION_COOKIE_NAME)
    return f"{django_settings.SESSION_COOKIE_NAME}={value.value if value else ''}".encode()


# What the handshake gives: "refused" (no accept at all), a close code after accept, or
# "open" (then the first frame is the state shaped for `you`).
EXPECTED_CONNECT = {
    "stranger": 4403,
    "stranger, Sam gone": 4403,
    "third browser": 4403,
    "forged cookie": 4403,
    "forged seat token": 4403,
    "other counselor": 4403,
    "cross-origin": "refused",
    "expired code": 4404,
    "ended session": 4403,
    "partner as other partner": ("open", "a"),
    "partner as host": ("open", "a"),
    "owner (control)": ("open", "host"),
}


async def _connect(world: World, persona: str):
    browser, code = await database_sync_to_async(PERSONAS[persona])(world)
    origin = EVIL if persona == "cross-origin" else ORIGIN
    headers = [(b"origin", origin.encode()), (b"cookie", _cookie_header(browser))]
    socket = WebsocketCommunicator(application, f"/ws/sessions/{code}/", headers=headers)
    connected, _ = await socket.connect(timeout=5)
    return socket, connected, code


@socket_db
@pytest.mark.parametrize("persona", list(EXPECTED_CONNECT))
async def test_each_persona_gets_only_its_own_answer_at_the_socket(world, persona):
    socket, connected, code = await _connect(world, persona)
    before = await database_sync_to_async(_snapshot)(code)
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
    after = await database_sync_to_async(_snapshot)(code)
    assert (after[1:], after[0] is None) == (before[1:], before[0] is None)


# Frames a seated partner sends to act as someone else; each is refused and changes nothing.
IMPERSONATIONS = {
    "partner as other partner": [
        # There is no field for who is acting: the socket's seat is the actor.
        ({"type": "action", "action": "next", "step": 0, "seat": "b", "rid": "x1"}, "bad_frame"),
        ({"type": "action", "action": "next", "step": 0, "actor": "b", "rid": "x2"}, "bad_frame"),
        (
            {
                "type": "action",
                "action": "checkin",
                "step": 0,
                "args": {"seat": "b", "state": "safe", "intensity": 3},
                "rid": "x3",
            },
            "bad_args",
        ),
        # Server inputs (presence, seats, knocks, forgetting) are not the browser's.
        (
            {
                "type": "action",
                "action": "presence",
                "args": {"seat": "b", "connected": False},
                "rid": "x4",
            },
            "unknown_action",
        ),
        (
            {"type": "action", "action": "seat", "args": {"seat": "b", "claimed": False}},
            "unknown_action",
        ),
        ({"type": "action", "action": "forget", "args": {"seat": "b"}}, "unknown_action"),
        (
            {"type": "action", "action": "knock", "args": {"seat": "b", "id": "k1"}},
            "unknown_action",
        ),
    ],
    "partner as host": [
        ({"type": "action", "action": "skip", "step": 0, "rid": "h1"}, "host_only"),
        ({"type": "action", "action": "back", "step": 0, "rid": "h2"}, "host_only"),
        ({"type": "action", "action": "tick", "rid": "h3"}, "unknown_action"),
    ],
}


@socket_db
@pytest.mark.parametrize("persona", list(IMPERSONATIONS))
async def test_a_partner_cannot_act_for_the_other_partner_or_the_host(world, persona):
    socket, connected, code = await _connect(world, persona)
    assert connected
    try:
        assert json.loads(await socket.receive_from(timeout=5))["type"] == "state"
        before = await database_sync_to_async(_snapshot)(code)
        for frame, code_expected in IMPERSONATIONS[persona]:
            await socket.send_json_to(frame)
            while (reply := json.loads(await socket.receive_from(timeout=5)))["type"] == "state":
                pass
            assert (reply["type"], reply["code"]) == ("error", code_expected), (frame, reply)
        assert await database_sync_to_async(_snapshot)(code) == before
    finally:
        await socket.disconnect(timeout=5)
