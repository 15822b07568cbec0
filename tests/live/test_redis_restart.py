"""Redis dies for four seconds under two server processes; nobody loses a tap.

Alex's phone talks to one Daphne process and Sam's to another; they share one
database and a Redis of the test's own (started on a free port, killed with
SIGKILL, started again on the same port). While Redis is down both partners keep
acting: every action gets exactly one answer (its `ack` — the change is committed
in the database, so a failed broadcast cannot turn it into an error), and the
partner who acted sees the new state at once. The other partner learns it when
Redis is back (the socket retries its broadcast) or at their next `sync`,
whichever comes first; after that, broadcasts flow again without any sync, and
the event log holds every acknowledged action once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

import pytest
import websockets

from tests.support.servers import DaphneServer, RedisServer, event_log, fresh_database

pytestmark = [
    pytest.mark.timeout(180),
    pytest.mark.skipif(
        not RedisServer.installed(),
        reason="redis-server is not installed; this test starts its own",
    ),
]

OUTAGE_S = 4.0
# A stand-in for the browser's 10-s heartbeat, so the test does not wait that long.
HEARTBEAT_S = 3.0


class Tab:
    """One partner's socket: every frame kept, replies counted per rid, an optional heartbeat."""

    def __init__(self, name: str, server: DaphneServer, code: str, cookie: str) -> None:
        self.name, self.server, self.code, self.cookie = name, server, code, cookie
        self.version = 0
        self.state: dict | None = None
        self.seen_at: dict[int, float] = {}  # version -> when it arrived
        self.replies: dict[str, list[dict]] = {}
        self.errors: list[dict] = []
        self.closed: int | None = None
        self.changed = asyncio.Condition()
        self.sent = 0
        self.ws = None
        self.tasks: list[asyncio.Task] = []

    async def open(self) -> None:
        self.ws = await websockets.connect(
            f"{self.server.ws_url}/ws/sessions/{self.code}/",
            origin=self.server.origin,
            additional_headers={"Cookie": self.cookie},
            open_timeout=10,
            ping_interval=None,
        )
        self.tasks.append(asyncio.create_task(self._read()))

    def beat(self, every: float) -> None:
        self.tasks.append(asyncio.create_task(self._beat(every)))

    def still(self) -> None:
        """Stop the heartbeat (keep reading)."""
        for task in self.tasks[1:]:
            task.cancel()
        del self.tasks[1:]

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def _read(self) -> None:
        try:
            async for text in self.ws:
                frame = json.loads(text)
                async with self.changed:
                    if frame["type"] == "state" and frame["version"] > self.version:
                        self.version, self.state = frame["version"], frame["state"]
                        self.seen_at[self.version] = time.monotonic()
                    elif frame["type"] in ("ack", "error") and frame.get("rid"):
                        self.replies.setdefault(frame["rid"], []).append(frame)
                    if frame["type"] == "error":
                        self.errors.append(frame)
                    self.changed.notify_all()
        except websockets.ConnectionClosed as closed:
            self.closed = closed.rcvd.code if closed.rcvd else 1006
        async with self.changed:
            self.changed.notify_all()

    async def _beat(self, every: float) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                await asyncio.sleep(every)
                await self.ws.send(json.dumps({"type": "sync", "version": self.version}))

    async def wait_for(self, what, within: float = 15) -> None:
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(what), within)

    async def until(self, match, within: float = 15) -> dict:
        await self.wait_for(lambda: self.state is not None and match(self.state), within)
        return self.state

    async def act(self, action: str, **fields) -> tuple[str, dict]:
        self.sent += 1
        rid = f"{self.name}-{self.sent}"
        await self.ws.send(json.dumps({"type": "action", "action": action, "rid": rid, **fields}))
        await self.wait_for(lambda: rid in self.replies)
        return rid, self.replies[rid][0]


async def test_a_redis_restart_loses_no_tap_and_answers_each_once(tmp_path):
    with contextlib.ExitStack() as stack:
        redis = stack.enter_context(RedisServer(tmp_path))
        db = stack.enter_context(fresh_database(tmp_path))
        first = DaphneServer(db, redis_url=redis.url, log_path=tmp_path / "1.log")
        second = DaphneServer(db, redis_url=redis.url, log_path=tmp_path / "2.log")
        room = first.seated_rooms(1)[0]
        stack.enter_context(first)
        stack.enter_context(second)
        alex = Tab("alex", first, room["code"], room["a"])
        sam = Tab("sam", second, room["code"], room["b"])
        try:
            await outage(alex, sam, redis, first, room["code"])
        finally:
            await alex.close()
            await sam.close()


async def outage(alex: Tab, sam: Tab, redis: RedisServer, server, code: str) -> None:
    await alex.open()
    await sam.open()
    for tab in (alex, sam):
        await tab.until(lambda s: s["seats"]["a"]["connected"] and s["seats"]["b"]["connected"])
    _, started = await alex.act("start")
    await sam.until(lambda s: s["status"] == "active")

    # Redis dies. Both partners keep going, each on their own server process.
    redis.kill()
    killed = time.monotonic()
    acted: list[tuple[Tab, str, dict]] = []
    for tab, action in ((alex, "pause"), (sam, "ready"), (alex, "ready")):
        rid, reply = await tab.act(action)
        assert reply["type"] == "ack", reply  # committed: the broadcast failing changes nothing
        acted.append((tab, rid, reply))
        # The one who acted sees the change at once, from their own server.
        await tab.wait_for(lambda t=tab, v=reply["version"]: t.version >= v, within=1.0)
    newest = acted[-1][2]["version"]
    assert alex.state["status"] == "active"  # paused and resumed while Redis was down
    assert alex.closed is None and sam.closed is None  # nobody's socket was closed

    # Redis comes back on the same port; Sam (heartbeat on) catches up.
    await asyncio.sleep(max(0.0, OUTAGE_S - (time.monotonic() - killed)))
    redis.start()
    back = time.monotonic()
    sam.beat(HEARTBEAT_S)
    await sam.wait_for(lambda: sam.version >= newest, within=HEARTBEAT_S + 5)
    caught_up = sam.seen_at[min(v for v in sam.seen_at if v >= newest)]
    print(f"Sam had the state made during the outage {caught_up - back:.2f} s after Redis returned")
    assert sam.state["status"] == "active"

    # Broadcasts flow again, with no heartbeat to help them.
    sam.still()
    await asyncio.sleep(1.0)
    rid, reply = await alex.act("pause")
    assert reply["type"] == "ack", reply
    acted.append((alex, rid, reply))
    await sam.until(lambda s: s["status"] == "paused", within=3)

    # One answer per rid, never an error; every acknowledged action logged once.
    for tab, rid, _ in acted:
        assert len(tab.replies[rid]) == 1, tab.replies[rid]
    assert alex.errors == [] and sam.errors == []
    log = event_log(server, code)
    logged = [entry["rid"] for entry in log if entry["rid"] is not None]
    assert sorted(logged) == sorted(["alex-1"] + [rid for _, rid, _ in acted])
    assert [entry["version"] for entry in log] == list(range(1, len(log) + 1))
    assert started["type"] == "ack"
