"""Two partners on two server processes, over Redis and one shared database.

Alex's phone talks to one Daphne process and Sam's to another; the only things
the processes share are the database and Redis. A short protocol runs from
start to finish: a pause on one side reaches the other, the breathing round
ends by itself exactly once, and Sam's server is killed with SIGKILL mid-step
and started again — Sam reconnects to the same step, Alex sees Sam's presence
lapse and come back, and the event log holds every accepted action once.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import json
import os
import re
import urllib.parse
import urllib.request

import pytest
import websockets

from tests.support.servers import DaphneServer, event_log, fresh_database, redis_available

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = pytest.mark.skipif(
    not redis_available(REDIS_URL),
    reason="redis-server is not installed or not answering; the multi-process test needs it",
)

PROTOCOL = """
slug = "two-servers"
title = "Two servers"
minutes = 3
for_whom = "The multi-process test."
summary = "Welcome, check-in, one breath, a turn each, goodbye."

[[steps]]
kind = "info"
title = "Welcome"
prompt = "Find a quiet place."

[[steps]]
kind = "checkin"
title = "Arrive"
prompt = "Where are you right now?"

[[steps]]
kind = "breathe"
title = "Breathe"
prompt = "Breathe along, or rest."
inhale = 0.5
exhale = 0.5
cycles = 1

[[steps]]
kind = "each_partner"
title = "A turn each"
first = "a"

[[steps.steps]]
kind = "speak"
title = "Share"
prompt = "Something you liked today."
limit_seconds = 300

[[steps]]
kind = "info"
title = "Goodbye"
prompt = "Thank you both."
"""
WELCOME, CHECKIN, BREATHE, SPEAK_A, SPEAK_B, GOODBYE = range(6)

SERVER_ENV = {
    # A lease short enough to lapse during the test; a grace long enough that the
    # outage shows as "away" without pausing the room.
    "STAY_LEASE_SECONDS": "5",
    "STAY_PRESENCE_GRACE_SECONDS": "120",
    "STAY_BREATHING_LEAD_IN_SECONDS": "0",
}
HEARTBEAT_SECONDS = 1.0


def claim_seat(server: DaphneServer, code: str, name: str) -> str:
    """Do what a browser does on the join link; return its session cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"{server.url}/j/{code}/"
    page = opener.open(url, timeout=10).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"display_name": name, "csrfmiddlewaretoken": csrf}).encode()
    with opener.open(urllib.request.Request(url, data=body), timeout=10) as response:
        assert response.url.endswith(f"/s/{code}/"), response.url
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


class Phone:
    """One partner's client: the socket, the newest state, acks by rid, the heartbeat."""

    def __init__(self, name: str, server: DaphneServer, code: str, cookie: str) -> None:
        self.name, self.server, self.code, self.cookie = name, server, code, cookie
        self.state: dict | None = None
        self.version = 0
        self.replies: dict[str, dict] = {}
        self.acked: list[str] = []
        self.changed = asyncio.Condition()
        self.ws = None
        self.tasks: list[asyncio.Task] = []
        self.sent = 0

    async def connect(self, within: float = 30) -> None:
        """Connect, retrying with backoff while the server is (re)starting."""
        loop = asyncio.get_running_loop()
        end, delay = loop.time() + within, 0.2
        while True:
            try:
                self.ws = await websockets.connect(
                    f"{self.server.ws_url}/ws/sessions/{self.code}/",
                    origin=self.server.origin,
                    additional_headers={"Cookie": self.cookie},
                    open_timeout=5,
                )
                break
            except (OSError, websockets.InvalidHandshake, TimeoutError):
                if loop.time() > end:
                    raise
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2)
        self.tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._beat())]

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for text in self.ws:
                frame = json.loads(text)
                async with self.changed:
                    if frame["type"] == "state" and frame["version"] > self.version:
                        self.version, self.state = frame["version"], frame["state"]
                    elif frame["type"] in ("ack", "error") and frame.get("rid"):
                        self.replies[frame["rid"]] = frame
                    self.changed.notify_all()
        async with self.changed:
            self.changed.notify_all()

    async def _beat(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                await asyncio.sleep(HEARTBEAT_SECONDS)
                await self.ws.send(json.dumps({"type": "sync", "version": self.version}))

    async def wait_for(self, what, within: float = 15):
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(what), within)

    async def until(self, match, within: float = 15) -> dict:
        await self.wait_for(lambda: self.state is not None and match(self.state), within)
        return self.state

    async def act(self, action: str, **fields) -> dict:
        self.sent += 1
        rid = f"{self.name}-{self.sent}"
        await self.ws.send(json.dumps({"type": "action", "action": action, "rid": rid, **fields}))
        await self.wait_for(lambda: rid in self.replies)
        reply = self.replies[rid]
        assert reply["type"] == "ack", reply
        self.acked.append(rid)
        return reply


async def test_two_partners_on_two_processes_share_one_room_through_a_crash(tmp_path):
    protocol_file = tmp_path / "two-servers.toml"
    protocol_file.write_text(PROTOCOL)
    with contextlib.ExitStack() as stack:
        db = stack.enter_context(fresh_database(tmp_path))
        first = DaphneServer(db, redis_url=REDIS_URL, env=SERVER_ENV, log_path=tmp_path / "1.log")
        second = DaphneServer(db, redis_url=REDIS_URL, env=SERVER_ENV, log_path=tmp_path / "2.log")
        first.manage("load_protocol_file", str(protocol_file))
        code = first.manage_json("create_session", "--protocol", "two-servers")["code"]
        stack.enter_context(first)
        stack.enter_context(second)
        alex = Phone("alex", first, code, claim_seat(first, code, "Alex"))
        sam = Phone("sam", second, code, claim_seat(second, code, "Sam"))
        try:
            await play(alex, sam, first, second, code)
        finally:
            await alex.close()
            await sam.close()


async def play(alex: Phone, sam: Phone, first, second, code: str) -> None:
    await alex.connect()
    await sam.connect()
    for phone in (alex, sam):
        await phone.until(lambda s: s["seats"]["a"]["connected"] and s["seats"]["b"]["connected"])

    # Every accepted change reaches the other process's partner.
    await alex.act("start")
    await sam.until(lambda s: s["status"] == "active")
    await sam.act("next", step=WELCOME)
    await alex.until(lambda s: s["step"]["moving_on"] == ["b"])  # "Sam is ready to move on"
    await alex.act("next", step=WELCOME)
    await alex.until(lambda s: s["step"]["index"] == CHECKIN)
    await alex.act("checkin", step=CHECKIN, args={"state": "safe", "intensity": 3})
    await sam.act("checkin", step=CHECKIN, args={"state": "mobilized", "intensity": 6})
    revealed = await alex.until(lambda s: s["step"]["answered"] == ["a", "b"])
    assert revealed["checkins"][str(CHECKIN)]["b"]["state"] == "mobilized"

    # The breathing round ends by itself, once, though two processes keep its time.
    await alex.act("next", step=CHECKIN)
    await sam.act("next", step=CHECKIN)
    for phone in (alex, sam):
        await phone.until(lambda s: s["step"]["index"] == SPEAK_A)
    ticks = [e for e in event_log(first, code) if e["action"] == "tick"]
    assert len(ticks) == 1, ticks

    # A pause on one side stops the room on the other.
    await sam.act("pause")
    paused = await alex.until(lambda s: s["status"] == "paused")
    assert paused["pause"]["by"] == "b"
    await alex.act("ready")
    await sam.act("ready")
    await alex.until(lambda s: s["status"] == "active")
    await sam.until(lambda s: s["status"] == "active")

    # Sam's server dies mid-step without a word; Alex sees Sam's presence lapse.
    step_before = sam.state["step"]["index"]
    second.kill()
    await alex.until(lambda s: not s["seats"]["b"]["connected"], within=20)
    assert alex.state["status"] == "active"
    await sam.close()

    # The process comes back; Sam reconnects to the same step and the version Alex sees.
    second.start()
    await sam.connect()
    back = await alex.until(lambda s: s["seats"]["b"]["connected"])
    await sam.until(lambda s: s["version"] >= back["version"])
    assert sam.state["step"]["index"] == step_before == SPEAK_A
    assert sam.version == alex.version

    # And the session carries on to its end.
    await alex.act("done", step=SPEAK_A)
    await sam.until(lambda s: s["step"]["index"] == SPEAK_B)
    await sam.act("done", step=SPEAK_B)
    await sam.act("next", step=GOODBYE)
    await alex.act("next", step=GOODBYE)
    for phone in (alex, sam):
        await phone.until(lambda s: s["status"] == "completed")

    log = event_log(first, code)
    logged = [e["rid"] for e in log if e["rid"] is not None]
    assert sorted(logged) == sorted(alex.acked + sam.acked)  # every accepted action, once
    assert [e["version"] for e in log] == list(range(1, len(log) + 1))
