"""Fuzzing the room socket: whatever a client sends, the room answers and stays whole.

Alex's socket (seat a; Sam sits in seat b, connected and silent) receives frames that
hypothesis makes up (tests/live/fuzz_strategies.py): valid-looking actions with random
args, wrong types, deep nesting, huge numbers, NUL and lone surrogates (escaped and raw),
unknown fields, binary frames, text that is not JSON, frames over the size limit, retried
rids. For every frame:

- it is answered, once: `ack` or `error` for an action (with the frame's own rid,
  if any), `time.pong` for a clock ping, `ok` or `state` for a heartbeat, `error` for
  anything else;
- the room's stored state changes only by a valid action that was acknowledged (each
  fresh `ack` moves the version by exactly one, and a batch with no fresh ack leaves
  the stored state as it was, byte for byte);
- nothing is logged at ERROR, and the socket stays open.

`make test` sends FUZZ_FRAMES (default 5,000) frames; `make fuzz` sends 100,000 and
prints the count. The per-socket frame budget is raised for Alex's socket here: the
flood rules have their own tests.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import re
import time
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.asgi import application
from sessions.codes import new_seat_token
from sessions.engine.vocabulary import FINISHED
from sessions.live import socket_loop
from sessions.live.ratelimit import FrameBudget
from sessions.store import creation, rooms, seats
from tests.live.fuzz_strategies import frames
from tests.live.sockets import ORIGIN, browser_cookie

pytestmark = pytest.mark.django_db(transaction=True)

FUZZ_FRAMES = int(os.environ.get("FUZZ_FRAMES", "5000"))
BATCH = 50
EXAMPLES = math.ceil(FUZZ_FRAMES / BATCH)

# Tap-to-move steps only: no clock of the room's own changes the state during the run.
FUZZ_DOC = {
    "slug": "fuzz-test",
    "title": "Fuzz test",
    "minutes": 3,
    "for_whom": "tests",
    "summary": "Steps that move only when someone taps.",
    "steps": [
        {"kind": "info", "title": "Welcome", "prompt": "Find a quiet place."},
        {"kind": "checkin", "title": "Arrive", "prompt": "Where are you right now?"},
        {"kind": "info", "title": "Between", "prompt": "Take a breath.", "advance": "either"},
        {"kind": "checkin", "title": "Again", "prompt": "And now?"},
        {"kind": "info", "title": "Goodbye", "prompt": "Thank you both."},
    ],
}

ANSWERS = {"ack", "error", "time.pong", "ok", "state"}

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _decoded_text(payload: str) -> str:
    """Every string of a JSON frame, escapes decoded, run together ("" when not JSON)."""
    try:
        value = json.loads(payload)
    except (ValueError, RecursionError):
        return ""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            found.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return "".join(found)


# --- the room and Alex's socket ------------------------------------------------------


class Arena:
    """One room with Alex fuzzing and Sam connected; a finished or paused room is replaced."""

    def __init__(self) -> None:
        self.alex: WebsocketCommunicator | None = None
        self.sam: WebsocketCommunicator | None = None
        self.code = ""
        self.version = 0
        self.status = ""
        self.frames = 0
        self.rooms = 0
        self.acks = 0
        self.codes: dict[str, int] = {}

    async def open(self) -> None:
        await self.close()
        code, cookies = await database_sync_to_async(self._make_room)()
        self.code = code
        self.rooms += 1
        self.sam = await self._connect(cookies["b"])
        self.alex = await self._connect(cookies["a"])
        state = await self.stored()
        self.version, self.status = state["version"], state["status"]

    @staticmethod
    def _make_room() -> tuple[str, dict[str, bytes]]:
        session = creation.create_session("fuzz-test", protocol=SimpleNamespace(doc=FUZZ_DOC))
        tokens = {"a": new_seat_token(), "b": new_seat_token()}
        seats.claim_seat(session, "Alex", tokens["a"])
        seats.claim_seat(session, "Sam", tokens["b"])
        return session.code, {s: browser_cookie(session.code, t) for s, t in tokens.items()}

    async def _connect(self, cookie: bytes) -> WebsocketCommunicator:
        socket = WebsocketCommunicator(
            application, f"/ws/sessions/{self.code}/", headers=[ORIGIN, (b"cookie", cookie)]
        )
        connected, _ = await socket.connect(timeout=5)
        assert connected
        first = json.loads(await socket.receive_from(timeout=5))
        assert first["type"] == "state"
        return socket

    async def close(self) -> None:
        for socket in (self.alex, self.sam):
            if socket is not None:
                await socket.disconnect(timeout=5)
        self.alex = self.sam = None

    async def batch(self, batch: list, caplog) -> None:
        """Send a batch of frames; check the stored room afterwards and the log."""
        if self.status in FINISHED or self.status == "paused":
            await self.open()  # a fresh room, so the valid-looking actions keep mattering
        before = await self.stored()
        assert before["version"] == self.version
        acked_before = self.version
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            for kind, payload in batch:
                await self.send(kind, payload)
            # Nothing more to come: no frame was answered twice.
            assert await self.alex.receive_nothing(timeout=0.02)
        after = await self.stored()
        assert after["version"] == self.version
        if self.version == acked_before:
            assert after == before  # refused frames left the stored state exactly as it was
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not errors, [r.getMessage() for r in errors]

    async def stored(self) -> dict:
        return await database_sync_to_async(rooms.load_state)(self.code)

    async def receive(self) -> dict:
        return json.loads(await self.alex.receive_from(timeout=10))

    async def send(self, kind: str, payload) -> dict:
        """Send one frame and return its answer, checking it against the room's version."""
        # As the server hands them over (an empty frame included, which send_to refuses).
        await self.alex.send_input({"type": "websocket.receive", kind: payload})
        self.frames += 1
        answer = await self.receive()
        assert answer["type"] in ANSWERS, answer
        self.codes[answer.get("code") or answer["type"]] = (
            self.codes.get(answer.get("code") or answer["type"], 0) + 1
        )
        if answer["type"] == "state":  # a heartbeat's answer, never a change of its own
            assert answer["version"] == self.version, (payload, answer)
        if answer["type"] in ("ack", "error") and answer["rid"] is not None:
            sent = json.loads(payload) if kind == "text" else None
            assert isinstance(sent, dict) and answer["rid"] == sent.get("rid"), (payload, answer)
        if answer["type"] == "ack":
            self.acks += 1
            if answer["version"] > self.version:  # a fresh action, not a retried rid
                assert answer["version"] == self.version + 1, (payload, answer)
                self.version = answer["version"]
                # Its broadcast comes next; wait for it so it is not taken for an answer.
                while (shown := await self.receive())["type"] != "state":
                    raise AssertionError(f"expected the new state, got {shown}")
                assert shown["version"] == self.version
                self.status = shown["state"]["status"]
            else:
                assert answer["version"] <= self.version
        if answer["type"] == "error":
            assert answer["code"] != "server_error", (payload, answer)
        if kind == "text" and _UNSTORABLE.search(_decoded_text(payload)):
            assert answer["type"] == "error", (payload, answer)  # never stored, never acked
        return answer


@pytest.fixture
def generous_budget(monkeypatch):
    """Alex's socket may send as fast as the test can; flooding is tested elsewhere."""
    monkeypatch.setattr(
        socket_loop, "FrameBudget", lambda: FrameBudget(rate=1e9, burst=1e9), raising=True
    )


@pytest.fixture
def long_leases(settings):
    """No lease lapses and no absence pauses the room while the fuzz runs."""
    settings.STAY = {
        **django_settings.STAY,
        "LEASE_SECONDS": 3600,
        "PRESENCE_GRACE_SECONDS": 3600,
    }


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
def test_every_fuzzed_frame_is_answered_and_changes_the_room_only_when_valid(
    generous_budget, long_leases, caplog
):
    # The socket and the consumer live on this loop; hypothesis drives it one batch at a time.
    loop = asyncio.new_event_loop()
    arena = Arena()
    loop.run_until_complete(arena.open())
    started = time.monotonic()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(batch=st.lists(frames, min_size=BATCH, max_size=BATCH))
    def one_batch(batch):
        loop.run_until_complete(arena.batch(batch, caplog))

    try:
        one_batch()
    finally:
        loop.run_until_complete(arena.close())
        loop.close()
    took = time.monotonic() - started
    print(
        f"\nfuzz: {arena.frames} frames to the room socket in {took:.1f} s "
        f"({arena.frames / took:.0f}/s), {arena.acks} acked, {arena.rooms} rooms; "
        f"answers: {dict(sorted(arena.codes.items()))}"
    )
    assert arena.frames >= FUZZ_FRAMES
