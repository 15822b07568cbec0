"""Load clients: two partners per room over real WebSockets, measuring a→b latency.

Run by `bench/run.py` as its own process (`python bench/client.py PLAN.json`), so
the measuring code never shares an event loop with a server. The plan names the
rooms and their two sockets (URL, Origin, session cookie); the client

1. connects every partner (bounded concurrency and time), prints
   `{"event": "connected", ...}` and waits for a line on stdin, so the
   orchestrator can read the servers' memory with every socket open;
2. brings each Stay room to `active` (start, or `ready` from both after a pause);
3. runs the load model of issue 5: every room repeats `a` pause, `a` ready,
   `b` ready, then rests for an exponentially distributed time; every partner
   sends `sync` every 10 s;
4. for every accepted action, records the time from the sender sending to the
   *other* partner receiving a state with that version or newer. A partner that
   has not seen it after 2 s sends `sync`; a version still unseen after 10 s is
   a lost update;
5. prints one JSON result line and exits. Every loop is bounded in time.

Two dialects: `stay` speaks docs/protocol.md (`action` → `ack` + `state`);
`relay` speaks to the echo baseline and the floor, which broadcast the sender's
frame to the room (the sender's own copy is its ack, `seq` is the version).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import json
import random
import sys
import time
from dataclasses import dataclass, field

from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

FALLBACK_SYNC_S = 2.0
LOST_AFTER_S = 10.0
HEARTBEAT_S = 10.0
CONNECT_ATTEMPTS = 4
ACTIONS = (("a", "pause"), ("a", "ready"), ("b", "ready"))

_rids = itertools.count(1)
# Rooms are reused by later rows and the server remembers every rid of a room (a
# repeated rid is acked, not applied), so each client process gets its own prefix.
_RUN = f"{random.getrandbits(40):010x}"


def now() -> float:
    return time.perf_counter()


@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    accepted: int = 0
    lost: int = 0
    no_ack: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    fallback_syncs: int = 0
    repaired_after_sync: int = 0
    heartbeats: int = 0
    connect_failures: int = 0
    connect_retries: int = 0
    closed_early: int = 0
    setup_failures: int = 0
    # (seconds into the window, ms) of every latency over 50 ms, to see stalls in time.
    slow: list[tuple[float, float]] = field(default_factory=list)
    window_start: float = 0.0
    errors: list[str] = field(default_factory=list)

    def reject(self, code: str) -> None:
        self.rejected[code] = self.rejected.get(code, 0) + 1


class Partner:
    """One socket: reads every frame, remembers when each newer version first arrived."""

    def __init__(self, role: str, spec: dict, dialect: str):
        self.role = role
        self.spec = spec
        self.dialect = dialect
        self.ws = None
        self.seen = -1
        self.versions: list[int] = []
        self.times: list[float] = []
        self.waiters: list[tuple[int, asyncio.Future]] = []
        self.pending: dict[str, asyncio.Future] = {}
        self.state: dict | None = None
        self.closed = asyncio.Event()

    async def open(self, open_timeout: float) -> None:
        headers = {"Cookie": self.spec["cookie"]} if self.spec.get("cookie") else None
        self.ws = await connect(
            self.spec["url"],
            origin=self.spec["origin"],
            additional_headers=headers,
            open_timeout=open_timeout,
            ping_interval=None,
            compression=None,
            max_size=2**20,
            close_timeout=2,
        )

    async def read(self) -> None:
        try:
            async for text in self.ws:
                self._on_frame(json.loads(text))
        except (WebSocketException, OSError):
            pass
        finally:
            self.closed.set()
            for future in list(self.pending.values()):
                if not future.done():
                    future.set_result(("closed", None))

    def _on_frame(self, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "state":
            self.state = frame.get("state")
            self._saw(frame["version"])
        elif kind == "ack":
            self._settle(frame.get("rid"), ("ack", frame["version"]))
        elif kind == "error":
            self._settle(frame.get("rid"), ("error", frame.get("code", "?")))
        elif kind == "action" and self.dialect == "relay":
            if frame.get("from") == self.role:
                self._settle(frame.get("rid"), ("ack", frame["seq"]))
            else:
                self._saw(frame["seq"])

    def _settle(self, rid, outcome) -> None:
        future = self.pending.pop(rid, None)
        if future is not None and not future.done():
            future.set_result(outcome)

    def _saw(self, version: int) -> None:
        if version <= self.seen:
            return
        at = now()
        self.seen = version
        self.versions.append(version)
        self.times.append(at)
        if len(self.versions) > 64:
            del self.versions[:32]
            del self.times[:32]
        if self.waiters:
            still = []
            for wanted, future in self.waiters:
                if version >= wanted:
                    if not future.done():
                        future.set_result(at)
                else:
                    still.append((wanted, future))
            self.waiters = still

    def first_seen(self, version: int) -> float | None:
        """When a state with `version` or newer first arrived here, if it has."""
        if self.seen < version:
            return None
        index = bisect.bisect_left(self.versions, version)
        return self.times[index] if index < len(self.times) else None

    def when_seen(self, version: int) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.waiters.append((version, future))
        return future

    async def send(self, frame: dict) -> None:
        await self.ws.send(json.dumps(frame, separators=(",", ":")))

    async def sync(self) -> None:
        await self.send({"type": "sync", "version": max(self.seen, 0)})

    async def act(self, action: str, seq: int | None, wait_s: float):
        """Send one action; returns (outcome, version) once acked, refused, or timed out."""
        rid = f"{_RUN}{self.role}{next(_rids)}"
        future = asyncio.get_running_loop().create_future()
        self.pending[rid] = future
        if self.dialect == "stay":
            frame = {"type": "action", "action": action, "args": {}, "rid": rid}
        else:
            frame = {"type": "action", "action": action, "rid": rid, "seq": seq, "from": self.role}
        try:
            await self.send(frame)
            return await asyncio.wait_for(future, wait_s)
        except TimeoutError:
            return ("timeout", None)
        except (WebSocketException, OSError):
            return ("closed", None)
        finally:
            self.pending.pop(rid, None)


class Room:
    def __init__(self, spec: dict, dialect: str, stats: Stats, rng: random.Random):
        self.code = spec["code"]
        self.dialect = dialect
        self.partners = {
            "a": Partner("a", spec["a"], dialect),
            "b": Partner("b", spec["b"], dialect),
        }
        self.stats = stats
        self.rng = rng
        self.seq = 0

    async def measured_action(self, role: str, action: str, window: tuple[float, float]) -> str:
        sender = self.partners[role]
        other = self.partners["b" if role == "a" else "a"]
        self.seq += 1
        sent = now()
        counted = window[0] <= sent < window[1]
        outcome, version = await sender.act(action, self.seq, LOST_AFTER_S)
        if outcome != "ack":
            if counted:
                if outcome == "error":
                    self.stats.reject(version)
                else:
                    self.stats.no_ack += 1
            return version if outcome == "error" else outcome
        seen_at = other.first_seen(version)
        if seen_at is None:
            seen_at = await self._await_version(other, version, sent)
        if counted:
            self.stats.accepted += 1
            if seen_at is None:
                self.stats.lost += 1
            else:
                latency = (seen_at - sent) * 1000
                self.stats.latencies_ms.append(latency)
                if latency > 50:
                    self.stats.slow.append((round(sent - self.stats.window_start, 3), latency))
        return "ack"

    async def _await_version(self, other: Partner, version: int, sent: float) -> float | None:
        future = other.when_seen(version)
        fallback = sent + FALLBACK_SYNC_S - now()
        done, _ = await asyncio.wait({future}, timeout=max(fallback, 0))
        if done:
            return future.result()
        self.stats.fallback_syncs += 1
        with contextlib.suppress(WebSocketException, OSError):
            await other.sync()
        done, _ = await asyncio.wait({future}, timeout=max(sent + LOST_AFTER_S - now(), 0))
        if done:
            self.stats.repaired_after_sync += 1
            return future.result()
        future.cancel()
        return None

    async def make_active(self, deadline: float) -> bool:
        """Bring a Stay room to `active`: start it, or say ready from both after a pause."""
        if self.dialect != "stay":
            return True
        while now() < deadline:
            state = self.partners["a"].state or {}
            status = state.get("status")
            if status == "active":
                return True
            if status == "waiting":
                await self.partners["a"].act("start", None, 5)
            elif status == "paused":
                ready = (state.get("pause") or {}).get("ready") or []
                for role in ("a", "b"):
                    if role not in ready:
                        await self.partners[role].act("ready", None, 5)
            else:
                return False
            await asyncio.sleep(0.2)
        return False

    async def cycle(self, mean_rest: float, window: tuple[float, float], stop: float) -> None:
        await self._rest(mean_rest, window[1])
        while now() < window[1] and now() < stop:
            for role, action in ACTIONS:
                outcome = await self.measured_action(role, action, window)
                if outcome == "closed":
                    return
                if outcome != "ack":
                    await self.make_active(min(now() + 5, stop))
                    break
            await self._rest(mean_rest, window[1])

    async def _rest(self, mean_rest: float, until: float) -> None:
        # Exponential rests make each room a Poisson source (steady from the start);
        # a rest never runs past the window, so the run ends on time.
        await asyncio.sleep(max(0.0, min(self.rng.expovariate(1 / mean_rest), until - now())))

    async def heartbeat(self, partner: Partner, stop: asyncio.Event) -> None:
        """`sync` every 10 s from the moment the socket opens, as the page does."""
        await asyncio.sleep(self.rng.uniform(0, HEARTBEAT_S))
        while not stop.is_set() and not partner.closed.is_set():
            with contextlib.suppress(WebSocketException, OSError):
                await partner.sync()
                self.stats.heartbeats += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), HEARTBEAT_S)


async def connect_all(rooms: list[Room], plan: dict, stats: Stats, stop: asyncio.Event):
    """Open every socket within the plan's connect deadline; start its reader and heartbeat."""
    gate = asyncio.Semaphore(plan.get("connect_concurrency", 16))
    timeout = plan.get("connect_timeout", 30)
    deadline = now() + plan.get("connect_deadline", 120)
    tasks: list[asyncio.Task] = []

    async def one(room: Room, partner: Partner) -> bool:
        # Like the page: a refused handshake is retried after a jittered backoff.
        for attempt in range(CONNECT_ATTEMPTS):
            if now() >= deadline:
                break
            async with gate:
                try:
                    await partner.open(min(timeout, max(deadline - now(), 1)))
                except (WebSocketException, OSError, TimeoutError) as exc:
                    stats.connect_retries += 1
                    if len(stats.errors) < 5:
                        stats.errors.append(f"connect: {type(exc).__name__}: {exc}")
                else:
                    tasks.append(asyncio.create_task(partner.read()))
                    tasks.append(asyncio.create_task(room.heartbeat(partner, stop)))
                    return True
            await asyncio.sleep(random.uniform(0.5, 1.5) * 2**attempt)
        stats.connect_failures += 1
        return False

    async def pair(room: Room) -> bool:
        # a then b, so each room's second socket meets a live first one.
        return await one(room, room.partners["a"]) and await one(room, room.partners["b"])

    results = await asyncio.gather(*(pair(room) for room in rooms))
    live = [room for room, ok in zip(rooms, results, strict=True) if ok]
    for room, ok in zip(rooms, results, strict=True):
        if not ok:
            for partner in room.partners.values():
                if partner.ws is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(partner.ws.close(), 2)
    sockets = sum(1 for room in rooms for p in room.partners.values() if p.ws is not None)
    return live, sockets, tasks


async def run(plan: dict) -> dict:
    stats = Stats()
    rng = random.Random(plan.get("seed", 1))
    rooms = [Room(spec, plan["dialect"], stats, rng) for spec in plan["rooms"]]
    stop_heartbeats = asyncio.Event()
    started = now()
    rooms, sockets, background = await connect_all(rooms, plan, stats, stop_heartbeats)
    connect_s = now() - started
    print(json.dumps({"event": "connected", "sockets": sockets, "seconds": connect_s}), flush=True)
    if plan.get("handshake", True):
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

    setup_deadline = now() + plan.get("setup_timeout", 60)
    await asyncio.sleep(0.5)  # the connect-time state frames arrive first
    ready = await asyncio.gather(*(room.make_active(setup_deadline) for room in rooms))
    stats.setup_failures = ready.count(False)
    rooms = [room for room, ok in zip(rooms, ready, strict=True) if ok]

    warmup, duration = plan.get("warmup", 3), plan["duration"]
    window = (now() + warmup, now() + warmup + duration)
    stats.window_start = window[0]
    stop = window[1] + LOST_AFTER_S + 2
    cycles = [asyncio.create_task(room.cycle(plan["mean_rest"], window, stop)) for room in rooms]
    await asyncio.wait(cycles, timeout=stop - now() + 5)
    stop_heartbeats.set()
    for task in cycles:
        task.cancel()
    stats.closed_early = sum(
        1 for room in rooms for p in room.partners.values() if p.closed.is_set()
    )

    gate = asyncio.Semaphore(500)

    async def close(partner: Partner) -> None:
        async with gate:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(partner.ws.close(), 3)

    await asyncio.wait_for(
        asyncio.gather(*(close(p) for room in rooms for p in room.partners.values())), 30
    )
    for task in background:
        task.cancel()
    result = dict(stats.__dict__)
    result.update(
        event="result",
        rooms=len(rooms),
        sockets=sockets,
        connect_seconds=connect_s,
        window_seconds=duration,
    )
    return result


def main() -> None:
    with open(sys.argv[1]) as fh:
        plan = json.load(fh)
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(run(plan))
    else:  # the load generator shares the cores with the servers: keep it cheap
        result = uvloop.run(run(plan))
    with open(plan["output"], "w") as fh:
        json.dump(result, fh)
    print(json.dumps({"event": "done", "output": plan["output"]}), flush=True)


if __name__ == "__main__":
    main()
