"""The authorization table: who tries which door of a session, and what each must get.

`tests/web/test_authz_matrix.py` plays every cell; this module holds the cells, so the table
can be read (and a row added) without reading the loop that checks it. The world is Dana's
room with Alex in seat a and Sam in seat b, started, and the rooms beside it that the
outsiders hold codes to; see the test module for what every cell must also keep true.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

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
from tests.support.protocols import short_protocol

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


def seat_in(code: str, name: str, **client_options) -> Client:
    browser = Client(**client_options)
    response = browser.post(f"/j/{code}/", {"display_name": name})
    assert response.status_code == 302 and response["Location"] == f"/s/{code}/", response
    return browser


def counselor_browser(username: str) -> tuple[Client, object]:
    user = get_user_model().objects.create_user(username)  # force_login: no hashing
    browser = Client()
    browser.force_login(user)
    return browser, user


def new_room(counselor=None) -> str:
    doc = short_protocol()
    return creation.create_session(doc["slug"], counselor, protocol=SimpleNamespace(doc=doc)).code


def started(code: str) -> None:
    for seat in ("a", "b"):
        assert rooms.submit(code, "server", "presence", {"seat": seat, "connected": True}).accepted
    assert rooms.submit(code, "host", "start").accepted


def build_world() -> World:
    """Dana's live room and the others beside it, each seated as its row of the table needs."""
    cache.clear()  # the join limit counts per address, and every request here is one
    dana, dana_user = counselor_browser("dana")
    robin, _ = counselor_browser("robin")
    live = new_room(dana_user)
    alex, sam = seat_in(live, "Alex"), seat_in(live, "Sam")
    started(live)
    ended = new_room(dana_user)
    seat_in(ended, "Alex"), seat_in(ended, "Sam")
    started(ended)
    assert rooms.submit(ended, "host", "end").accepted
    expired = new_room()
    seat_in(expired, "Alex"), seat_in(expired, "Sam")
    CoupleSession.objects.filter(code=expired).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    elsewhere = new_room()
    third = seat_in(elsewhere, "Riley")
    lapsed = new_room()
    seat_in(lapsed, "Alex"), seat_in(lapsed, "Sam")
    Seat.objects.filter(session__code=lapsed, seat="b").update(
        claimed_at=timezone.now() - timedelta(minutes=5)
    )
    Note.objects.create(counselor=dana_user, session_id=pk_of(live), session_label="x", text="Note")
    cache.clear()
    return World(live, ended, expired, elsewhere, lapsed, alex, sam, dana, robin, third)
    cache.clear()


def pk_of(code: str) -> int:
    return CoupleSession.objects.get(code=code).pk


# --- personas: a browser and the session code it tries ---------------------------------


def forged_cookie_browser() -> Client:
    browser = Client()
    browser.cookies[django_settings.SESSION_COOKIE_NAME] = secrets.token_hex(16)
    return browser


def forged_token_browser(code: str) -> Client:
    browser = Client()
    django_session = browser.session
    django_session[SEATS_KEY] = {code: new_seat_token()}
    django_session.save()
    return browser


def cross_site_copy(of: Client) -> Client:
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
    "cross-origin": lambda w: (cross_site_copy(w.alex), w.live),
    "forged cookie": lambda w: (forged_cookie_browser(), w.live),
    "forged seat token": lambda w: (forged_token_browser(w.live), w.live),
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


def snapshot(code: str) -> tuple:
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


def expected_location(expected, code: str) -> str:
    return expected[1].format(code=code)


# --- the room socket --------------------------------------------------------------------


def cookie_header(browser: Client) -> bytes:
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


async def connect(world: World, persona: str):
    browser, code = await database_sync_to_async(PERSONAS[persona])(world)
    origin = EVIL if persona == "cross-origin" else ORIGIN
    headers = [(b"origin", origin.encode()), (b"cookie", cookie_header(browser))]
    socket = WebsocketCommunicator(application, f"/ws/sessions/{code}/", headers=headers)
    connected, _ = await socket.connect(timeout=5)
    return socket, connected, code


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
