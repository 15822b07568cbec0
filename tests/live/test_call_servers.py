"""The call's signaling through real Daphne processes: hostile frames, and two servers.

What an in-process communicator cannot show: frames as large as the network lets a
script send (Daphne reads up to 64 KiB, Stay refuses past 20 KiB), a flood of the
largest signals arriving faster than they are handled, and Alex's socket on one
server process relaying to Sam's on another through Redis. Each test looks through
the server's own log afterwards: no SDP and no candidate may be in it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os

import pytest
import websockets

from tests.support.servers import DaphneServer, event_log, fresh_database, redis_available

pytestmark = pytest.mark.timeout(180)

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET_LINE = "a=candidate-secret-line"
SDP = "v=0\r\no=- 46117 2 IN IP4 192.0.2.7\r\ns=-\r\n" + f"{SECRET_LINE}\r\n" * 300
CANDIDATE = {"candidate": "candidate:1 1 udp 2122260223 198.51.100.23 54321 typ host"}


class Page:
    """One person's page over a real socket: every frame kept, waited for by type."""

    def __init__(self, server: DaphneServer, code: str, cookie: str, peer: str) -> None:
        self.server, self.code, self.cookie, self.peer = server, code, cookie, peer
        self.frames: list[dict] = []
        self.arrived = asyncio.Condition()
        self.ws = None
        self.reader: asyncio.Task | None = None
        self.closed_with: int | None = None

    async def open(self) -> Page:
        self.ws = await websockets.connect(
            f"{self.server.ws_url}/ws/sessions/{self.code}/",
            origin=self.server.origin,
            additional_headers={"Cookie": self.cookie},
            open_timeout=10,
            max_size=2**20,
        )
        self.reader = asyncio.create_task(self._read())
        await self.next("state")
        return self

    async def _read(self) -> None:
        try:
            async for text in self.ws:
                async with self.arrived:
                    self.frames.append(json.loads(text))
                    self.arrived.notify_all()
        except websockets.ConnectionClosed:
            pass
        self.closed_with = self.ws.close_code
        async with self.arrived:
            self.arrived.notify_all()

    async def send(self, frame: dict | str | bytes) -> None:
        await self.ws.send(frame if isinstance(frame, (str, bytes)) else json.dumps(frame))

    async def next(self, kind: str, within: float = 10) -> dict:
        """Take the first frame of type `kind` kept so far, or wait for one."""

        def found():
            return next((f for f in self.frames if f["type"] == kind), None)

        async with self.arrived:
            await asyncio.wait_for(
                self.arrived.wait_for(lambda: found() is not None or self.closed_with), within
            )
        frame = found()
        assert frame is not None, f"closed {self.closed_with} before a {kind}: {self.frames}"
        self.frames.remove(frame)
        return frame

    async def join(self) -> dict:
        await self.send({"type": "call.join", "peer": self.peer, "mic": True, "camera": True})
        return await self.next("call.ice")

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
        with contextlib.suppress(Exception):
            await self.ws.close()


def offer(to: str, peer: str, sdp: str = SDP) -> dict:
    return {
        "type": "call.signal",
        "to": to,
        "peer": peer,
        "description": {"type": "offer", "sdp": sdp},
    }


def nothing_logged_of_the_call(*logs) -> None:
    for path in logs:
        text = path.read_text(errors="replace")
        assert SECRET_LINE not in text and "198.51.100.23" not in text, path


async def test_hostile_call_frames_through_daphne_are_refused_and_the_partner_carries_on(
    tmp_path,
):
    log = tmp_path / "daphne.log"
    with contextlib.ExitStack() as stack:
        db = stack.enter_context(fresh_database(tmp_path))
        server = stack.enter_context(DaphneServer(db, log_path=log))
        room = server.seated_rooms(1)[0]
        alex = await Page(server, room["code"], room["a"], "alex-page-1").open()
        sam = await Page(server, room["code"], room["b"], "sam-page-01").open()
        try:
            await sam.send({"type": "sync", "version": 0})
            await sam.next("state")
            before = event_log(server, room["code"])
            await alex.send(offer("b", "sam-page-01"))
            assert (await alex.next("error"))["code"] == "not_in_call"  # not joined yet
            await alex.join()
            await sam.join()
            assert (await alex.next("call.media"))["role"] == "b"
            hostile = [
                (offer("b", "sam-page-01") | {"pad": "x" * 40_000}, "too_large"),  # 40 KiB
                (offer("b", "sam-page-01", sdp="v" * 16_385), "too_large"),
                (
                    {"type": "call.signal", "to": "b", "peer": "sam-page-01", "candidates": [[[]]]},
                    "bad_frame",
                ),
                (offer("a", "alex-page-1"), "bad_frame"),  # to oneself
                (offer("host", "dana-page-1"), "not_in_call"),  # nobody hosts this room
                (b"\x00" * 1000, "bad_frame"),
                ('{"type": "call.signal", "to": "b", "to": "b"}', "bad_frame"),
            ]
            for frame, code in hostile:
                await alex.send(frame)
                assert (await alex.next("error"))["code"] == code, frame
            # None of it reached Sam; a good offer still does.
            await alex.send(offer("b", "sam-page-01"))
            relayed = await sam.next("call.signal")
            assert relayed["description"]["sdp"] == SDP and relayed["from"] == "a"
            assert not [f for f in sam.frames if f["type"] in ("call.signal", "error")]

            # The largest signals as fast as the network takes them: limited, then cut off.
            flood = json.dumps(offer("b", "sam-page-01", sdp="v" * 16_000))
            with contextlib.suppress(websockets.ConnectionClosed):
                for _ in range(400):
                    await alex.send(flood)
            async with alex.arrived:
                await asyncio.wait_for(alex.arrived.wait_for(lambda: alex.closed_with), 10)
            assert alex.closed_with == 4429
            assert any(f.get("code") == "rate_limited" for f in alex.frames)
            left = await sam.next("call.left")
            assert (left["role"], left["reason"]) == ("a", "gone")
            # Sam heard at most the signaling budget's worth of the flood, and is still served.
            assert len([f for f in sam.frames if f["type"] == "call.signal"]) <= 5
            await sam.send({"type": "time.ping", "t0": 7})
            assert (await sam.next("time.pong"))["t0"] == 7
            # The room's log holds nothing of the call: only Alex's socket going away.
            after = event_log(server, room["code"])
            assert after[: len(before)] == before
            assert [e["action"] for e in after[len(before) :]] == ["presence"]
        finally:
            await alex.close()
            await sam.close()
    nothing_logged_of_the_call(log)


@pytest.mark.skipif(
    not redis_available(REDIS_URL),
    reason="redis-server is not installed or not answering; the two-process call test needs it",
)
async def test_a_call_between_two_server_processes_goes_through_redis(tmp_path):
    logs = [tmp_path / "1.log", tmp_path / "2.log"]
    with contextlib.ExitStack() as stack:
        db = stack.enter_context(fresh_database(tmp_path))
        first = stack.enter_context(DaphneServer(db, redis_url=REDIS_URL, log_path=logs[0]))
        second = stack.enter_context(DaphneServer(db, redis_url=REDIS_URL, log_path=logs[1]))
        room = first.seated_rooms(1)[0]
        alex = await Page(first, room["code"], room["a"], "alex-page-1").open()
        await alex.join()
        # Sam opens the room on the other process: she learns Alex is in the call.
        sam = await Page(second, room["code"], room["b"], "sam-page-01").open()
        try:
            media = await sam.next("call.media")
            assert (media["role"], media["peer"]) == ("a", "alex-page-1")
            await sam.join()
            assert (await alex.next("call.media"))["peer"] == "sam-page-01"
            await alex.send(offer("b", "sam-page-01"))
            assert (await sam.next("call.signal"))["description"]["sdp"] == SDP
            await sam.send(
                {"type": "call.signal", "to": "a", "peer": "alex-page-1", "candidates": [CANDIDATE]}
            )
            assert (await alex.next("call.signal"))["candidates"] == [CANDIDATE]
            # Sam's page goes: Alex's process hears it from Sam's.
            await sam.close()
            left = await alex.next("call.left")
            assert (left["role"], left["peer"], left["reason"]) == ("b", "sam-page-01", "gone")
        finally:
            await alex.close()
            await sam.close()
    nothing_logged_of_the_call(*logs)
