"""Workshops under load (issue 17): the console's latency and "next step for everyone".

One Daphne process serves W workshops of C couples (both partners seated and
connected, every room started by `start_all`) and one console socket per workshop,
the facilitator's (`/ws/workshop/<id>/`, docs/protocol.md section 14). Rooms are made by
`bench/setup_workshop.py` through the store, like `bench/setup_rooms.py`.

The load client runs as its own process (`python bench/workshop.py PLAN.json`, like
`bench/client.py`, whose partners, connect and heartbeat it reuses):

1. **Human pace.** Every room repeats `a` pause, `a` ready, `b` ready, then rests for an
   exponentially distributed time (mean 15 s, the human rows' model); every partner
   sends `sync` every 10 s.
2. **Console latency**: from a partner sending `pause` to its workshop's console
   receiving that room's tile with status `paused`, and from `b` sending the `ready`
   that resumes the room to the console receiving its tile no longer paused (a tile
   has no version; these are the two changes a tile shows). A room waits for the
   console to show each change before its next action, so a tile is never taken for
   an older one; not shown within 10 s is **lost**. Actions sent in the measured window
   count.
3. **Next step for everyone**, after the window, on the first workshop only (the others
   keep their pace): its rooms finish the cycle they are in and wait (a paused room
   does not move with the group by design, so the trial starts with none paused);
   then the facilitator's `POST /counselor/workshops/<id>/next/` (her cookie, CSRF
   token and `Accept: application/json`, as the console's script sends it) and, for
   every partner socket, the time from sending the request to that socket receiving a
   `state` at the new step; and when the console showed every room at it. Repeated
   `trials` times, a few seconds apart; not seen within 10 s is lost.

`measure_workshop(infra, config, workshops, couples, ...)` runs one row for `bench/run.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import math
import os
import random
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.client import LOST_AFTER_S, Partner, Room, Stats, connect_all, now  # noqa: E402

TARGET_MS = (
    1000.0  # issue 17: the console within 1 s p99; next step to every partner within 1 s p99
)
QUIESCE_S = 15.0  # at most this long for a workshop's rooms to finish their cycles
BETWEEN_TRIALS_S = 2.0
SLOW_MS = 250.0  # console samples slower than this are kept with their time, to see stalls


def room_id(code: str) -> str:
    """The console's opaque name for a room (`sessions.store.notices.room_id`)."""
    return hashlib.sha256(f"room:{code}".encode()).hexdigest()[:16]


def pct(values: list[float], p: float) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


# --- the client ---------------------------------------------------------------------------


class StepPartner(Partner):
    """A partner socket that also remembers when it first saw each step of the protocol."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.index = -1
        self.step_waiters: list[tuple[int, asyncio.Future]] = []

    def _on_frame(self, frame: dict) -> None:
        super()._on_frame(frame)
        if frame.get("type") != "state":
            return
        index = ((frame.get("state") or {}).get("step") or {}).get("index", -1)
        if index <= self.index:
            return
        self.index = index
        at = now()
        still = []
        for wanted, future in self.step_waiters:
            if index >= wanted:
                if not future.done():
                    future.set_result(at)
            else:
                still.append((wanted, future))
        self.step_waiters = still

    def when_step(self, index: int) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        if self.index >= index:
            future.set_result(now())
        else:
            self.step_waiters.append((index, future))
        return future


class Console:
    """The facilitator's console socket: every tile it is sent, by room, as it arrives."""

    def __init__(self, spec: dict) -> None:
        self.partner = Partner("console", spec, "stay")  # for its connect and its socket
        self.tiles: dict[str, dict] = {}
        self.header: dict = {}
        self.waiters: dict[str, list[tuple[object, asyncio.Future]]] = {}
        self.frames = {"console": 0, "tile": 0, "other": 0}

    async def open(self, open_timeout: float) -> None:
        await self.partner.open(open_timeout)

    async def read(self) -> None:
        with contextlib.suppress(Exception):
            async for text in self.partner.ws:
                self._on_frame(json.loads(text))

    def _on_frame(self, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "tile":
            self.frames["tile"] += 1
            self._saw(frame["tile"])
        elif kind == "console":
            self.frames["console"] += 1
            self.header = frame.get("workshop") or {}
            for tile in frame.get("tiles") or []:
                self._saw(tile)
        else:
            self.frames["other"] += 1

    def _saw(self, tile: dict) -> None:
        room = tile.get("room")
        self.tiles[room] = tile
        waiting = self.waiters.get(room)
        if not waiting:
            return
        at = now()
        still = []
        for check, future in waiting:
            if future.done():
                continue
            if check(tile):
                future.set_result(at)
            else:
                still.append((check, future))
        self.waiters[room] = still

    def expect(self, room: str, check) -> asyncio.Future:
        """The time the next tile of `room` passing `check` arrives (from now on)."""
        future = asyncio.get_running_loop().create_future()
        self.waiters.setdefault(room, []).append((check, future))
        return future


def _paused(tile: dict) -> bool:
    return tile.get("status") == "paused"


def _not_paused(tile: dict) -> bool:
    return tile.get("status") != "paused"


class Gate:
    """Holds one workshop's rooms between cycles (for a "next step" trial) and lets them go."""

    def __init__(self) -> None:
        self.holding = asyncio.Event()
        self.open = asyncio.Event()
        self.open.set()


class WorkshopRoom(Room):
    def __init__(self, spec, stats, rng, *, console: Console, gate: Gate, measured: dict):
        super().__init__(spec, "stay", stats, rng)
        self.partners = {
            "a": StepPartner("a", spec["a"], "stay"),
            "b": StepPartner("b", spec["b"], "stay"),
        }
        self.room = room_id(spec["code"])
        self.console = console
        self.gate = gate
        self.measured = measured  # the run's console figures, shared by every room
        self.idle = asyncio.Event()

    async def pace(self, mean_rest: float, window: tuple[float, float], stop: asyncio.Event):
        """The human pace until `stop`; between cycles, wait while the gate holds the room."""
        while not stop.is_set():
            rest = self.rng.expovariate(1 / mean_rest)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_first(self.gate.holding, stop), rest)
            if stop.is_set():
                return
            if self.gate.holding.is_set():
                self.idle.set()
                await _first(self.gate.open, stop)
                self.idle.clear()
                continue
            if not await self.cycle_once(window):
                return

    async def cycle_once(self, window: tuple[float, float]) -> bool:
        """One pause/ready/ready; False once a socket closed."""
        for role, action, shows in (
            ("a", "pause", _paused),
            ("a", "ready", None),
            ("b", "ready", _not_paused),
        ):
            seen = self.console.expect(self.room, shows) if shows else None
            sent = now()
            counted = window[0] <= sent < window[1]
            outcome, version = await self.partners[role].act(action, None, LOST_AFTER_S)
            if outcome != "ack":
                if seen is not None:
                    seen.cancel()
                if counted:
                    if outcome == "error":
                        self.stats.reject(version)
                    else:
                        self.stats.no_ack += 1
                if outcome == "closed":
                    return False
                await self.make_active(now() + 5)
                return True
            if counted:
                self.stats.accepted += 1
                self.measured["ack_ms"].append((now() - sent) * 1000)
            if seen is None:
                continue
            # The other partner's copy of the same change: a→b, as in the human rows.
            other = _seen(self.partners["b" if role == "a" else "a"], version)
            bound = max(sent + LOST_AFTER_S - now(), 0)
            done, _ = await asyncio.wait({seen, other}, timeout=bound)
            if other.done():
                if counted:
                    self.measured["partner_ms"].append((other.result() - sent) * 1000)
            else:
                other.cancel()
            if not counted:
                if seen not in done:
                    seen.cancel()
                continue
            if seen not in done:  # the console is slower than the partner: wait on for it
                done, _ = await asyncio.wait({seen}, timeout=max(sent + LOST_AFTER_S - now(), 0))
            if done and seen in done:
                ms = (seen.result() - sent) * 1000
                self.measured["latencies_ms"].append(ms)
                self.measured[action + "_ms"].append(ms)
                if ms > SLOW_MS:
                    self.measured["slow"].append((round(sent - window[0], 2), round(ms)))
            else:
                seen.cancel()
                self.measured["lost"] += 1
        return True


def _seen(partner: Partner, version: int) -> asyncio.Future:
    """When `partner` first had `version` or newer: already, or a future for later."""
    at = partner.first_seen(version)
    if at is None:
        return partner.when_seen(version)
    future = asyncio.get_running_loop().create_future()
    future.set_result(at)
    return future


async def _first(*events: asyncio.Event) -> None:
    """Return as soon as any of `events` is set."""
    waits = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()


def next_body(from_step: int) -> bytes:
    """The form the console's script posts: the step the group moves on from, so a retry
    can never move it twice (the server refuses a "Next step" without it)."""
    return urllib.parse.urlencode({"from": from_step}).encode()


def post_next(base: str, workshop_id: int, facilitator: str, from_step: int) -> tuple[int, str]:
    """The console's "Next step for everyone", as its script posts it."""
    token = secrets.token_hex(16)  # a CSRF secret of 32 characters, the cookie's shape
    request = urllib.request.Request(
        f"http://{base}/counselor/workshops/{workshop_id}/next/",
        data=next_body(from_step),
        method="POST",
        headers={
            "Cookie": f"{facilitator}; csrftoken={token}",
            "X-CSRFToken": token,
            "Origin": f"http://{base}",
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=LOST_AFTER_S) as response:
            return response.status, response.read().decode()[:300]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()[:300]
    except OSError as exc:
        return 0, f"{type(exc).__name__}: {exc}"


async def next_step_trial(
    plan: dict, rooms: list[WorkshopRoom], console: Console, gate: Gate, step: int
) -> dict:
    """Hold the workshop's rooms, press "Next step", time every partner reaching `step`."""
    gate.open.clear()
    gate.holding.set()
    idle = [asyncio.ensure_future(room.idle.wait()) for room in rooms]
    await asyncio.wait(idle, timeout=QUIESCE_S)
    for wait in idle:
        wait.cancel()
    not_held = sum(not room.idle.is_set() for room in rooms)
    partners = [p for room in rooms for p in room.partners.values()]
    seen = [p.when_step(step) for p in partners]
    shown = [
        console.expect(room.room, lambda t, s=step: t.get("step", 0) >= s + 1) for room in rooms
    ]
    loop = asyncio.get_running_loop()
    sent = now()
    status, body = await loop.run_in_executor(
        None, post_next, plan["base"], plan["measured_id"], plan["facilitator"], step - 1
    )
    answered = now()
    await asyncio.wait([*seen, *shown], timeout=max(sent + LOST_AFTER_S - now(), 0))
    latencies = [(f.result() - sent) * 1000 for f in seen if f.done() and not f.cancelled()]
    on_console = [(f.result() - sent) * 1000 for f in shown if f.done() and not f.cancelled()]
    for future in [*seen, *shown]:
        future.cancel()
    gate.holding.clear()
    gate.open.set()
    return {
        "step": step,
        "http_status": status,
        "http_body": body if status != 200 else "",
        "http_ms": (answered - sent) * 1000,
        "partners": len(partners),
        "latencies_ms": latencies,
        "lost": len(partners) - len(latencies),
        "last_ms": max(latencies) if latencies else None,
        "console_all_ms": max(on_console) if len(on_console) == len(rooms) else None,
        "console_missing": len(rooms) - len(on_console),
        "not_held": not_held,
    }


async def run(plan: dict) -> dict:
    stats = Stats()
    rng = random.Random(plan.get("seed", 17))
    base = plan["base"]
    measured = {
        "latencies_ms": [],
        "pause_ms": [],
        "ready_ms": [],
        "ack_ms": [],
        "partner_ms": [],
        "slow": [],
        "lost": 0,
    }
    consoles, gates, groups = [], [], []
    for workshop in plan["workshops"]:
        console = Console(
            {
                "url": f"ws://{base}/ws/workshop/{workshop['id']}/",
                "origin": f"http://{base}",
                "cookie": plan["facilitator"],
            }
        )
        gate = Gate()
        consoles.append(console)
        gates.append(gate)
        groups.append(
            [
                WorkshopRoom(
                    {
                        "code": spec["code"],
                        "a": _socket(base, spec["code"], spec["a"]),
                        "b": _socket(base, spec["code"], spec["b"]),
                    },
                    stats,
                    rng,
                    console=console,
                    gate=gate,
                    measured=measured,
                )
                for spec in workshop["rooms"]
            ]
        )
    started = now()
    readers = []
    console_failures = 0
    for console in consoles:  # first, so each console sees its rooms' sockets arrive
        try:
            await console.open(30)
        except Exception as exc:  # reported, never hangs the run
            console_failures += 1
            stats.errors.append(f"console: {type(exc).__name__}: {exc}")
        else:
            readers.append(asyncio.create_task(console.read()))
    stop_heartbeats = asyncio.Event()
    every = [room for group in groups for room in group]
    live, sockets, background = await connect_all(every, plan, stats, stop_heartbeats)
    live_set = set(map(id, live))
    groups = [[room for room in group if id(room) in live_set] for group in groups]
    connect_s = now() - started
    print(json.dumps({"event": "connected", "sockets": sockets, "seconds": connect_s}), flush=True)
    if plan.get("handshake", True):
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

    await asyncio.sleep(0.5)
    setup_deadline = now() + plan.get("setup_timeout", 60)
    every = [room for group in groups for room in group]
    ready = await asyncio.gather(*(room.make_active(setup_deadline) for room in every))
    stats.setup_failures = ready.count(False)

    stop = asyncio.Event()
    window = (now() + plan.get("warmup", 3), now() + plan.get("warmup", 3) + plan["duration"])
    stats.window_start = window[0]
    pacing = [
        asyncio.create_task(room.pace(plan["mean_rest"], window, stop))
        for room, ok in zip(every, ready, strict=True)
        if ok
    ]
    await asyncio.sleep(max(window[1] - now(), 0))
    # Let the window's last actions finish (each is bounded by LOST_AFTER_S).
    await asyncio.sleep(min(LOST_AFTER_S, 2.0))

    trials = []
    step = consoles[0].header.get("step", 0) if consoles else 0
    for _ in range(plan["trials"]):
        if step + 1 >= plan["steps"] or not groups or not groups[0]:
            break
        step += 1
        trials.append(await next_step_trial(plan, groups[0], consoles[0], gates[0], step))
        await asyncio.sleep(BETWEEN_TRIALS_S)

    stop.set()
    stop_heartbeats.set()
    await asyncio.wait(pacing, timeout=LOST_AFTER_S + 5)
    for task in pacing:
        task.cancel()
    stats.closed_early = sum(
        1 for room in every for p in room.partners.values() if p.closed.is_set()
    )
    gate = asyncio.Semaphore(500)

    async def close(ws) -> None:
        async with gate:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 3)

    sockets_open = [p.ws for room in every for p in room.partners.values() if p.ws is not None]
    sockets_open += [c.partner.ws for c in consoles if c.partner.ws is not None]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(close(ws) for ws in sockets_open)), 30)
    for task in [*background, *readers]:
        task.cancel()
    result = {
        key: getattr(stats, key)
        for key in (
            "accepted",
            "no_ack",
            "rejected",
            "heartbeats",
            "connect_failures",
            "connect_retries",
            "closed_early",
            "setup_failures",
            "errors",
        )
    }
    result.update(
        event="result",
        console=measured,
        console_failures=console_failures,
        console_frames=[c.frames for c in consoles],
        trials=trials,
        rooms=len(every),
        sockets=sockets,
        connect_seconds=connect_s,
        window_seconds=plan["duration"],
    )
    return result


def _socket(base: str, code: str, cookie: str) -> dict:
    return {"url": f"ws://{base}/ws/sessions/{code}/", "origin": f"http://{base}", "cookie": cookie}


def main() -> None:
    with open(sys.argv[1]) as fh:
        plan = json.load(fh)
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(run(plan))
    else:  # the load generator shares the cores with the server: keep it cheap
        result = uvloop.run(run(plan))
    with open(plan["output"], "w") as fh:
        json.dump(result, fh)
    print(json.dumps({"event": "done", "output": plan["output"]}), flush=True)


# --- the row, for bench/run.py ------------------------------------------------------------


def setup_workshops(infra, db, workshops: int, couples: int) -> dict:
    from bench.infra import PY, REPO

    proc = subprocess.run(
        [PY, "bench/setup_workshop.py", str(workshops), str(couples)],
        cwd=REPO,
        env=infra.env(db),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if proc.returncode:
        raise RuntimeError(f"setup_workshop failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def measure_workshop(
    infra,
    config,
    workshops: int,
    couples: int,
    *,
    key: str,
    duration: float = 30.0,
    trials: int = 5,
    mean_rest: float = 15.0,
    seed: int = 17,
) -> dict:
    """One row: W workshops of C couples on one server process; see the module's doc."""
    from bench.infra import PY, REPO
    from bench.rows import _read_event, start_configuration

    row = {
        "key": key,
        "label": f"{workshops} workshop{'s' if workshops > 1 else ''} of {couples} couples",
        "server": config.label,
        "db": config.db,
        "workshops": workshops,
        "couples": couples,
        "mean_rest": mean_rest,
        "duration": duration,
        "error": None,
    }
    started = time.monotonic()
    try:
        db, servers = start_configuration(infra, config)
        if len(servers) != 1:
            raise ValueError("a workshop row runs on one server process")
        server = servers[0]
        made = time.monotonic()
        setup = setup_workshops(infra, db, workshops, couples)
        row["setup_seconds"] = time.monotonic() - made
        plan_path = infra.tmp / f"plan-{key}.json"
        out_path = plan_path.with_suffix(".out.json")
        plan = {
            "base": f"127.0.0.1:{server.port}",
            "facilitator": setup["facilitator"],
            "workshops": setup["workshops"],
            "measured_id": setup["workshops"][0]["id"],
            "steps": setup["steps"],
            "trials": trials,
            "mean_rest": mean_rest,
            "duration": duration,
            "warmup": 3,
            "seed": seed,
            "output": str(out_path),
            "connect_concurrency": 16,
            "connect_timeout": 30,
            "connect_deadline": 120,
            "setup_timeout": 60,
            "handshake": True,
        }
        plan_path.write_text(json.dumps(plan))
        budget = 120 + 60 + 3 + duration + trials * (QUIESCE_S + LOST_AFTER_S + 5) + 90
        rss_before = server.rss()
        client = subprocess.Popen(
            [PY, "bench/workshop.py", str(plan_path)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        load_start = os.getloadavg()[0]
        try:
            _read_event(client, "connected", budget)
            time.sleep(1.0)
            row["rss_mb"] = {"before": rss_before / 2**20, "connected": server.rss() / 2**20}
            cpu0, threads0, wall0 = server.cpu_seconds(), thread_cpu(server.pid), time.monotonic()
            spy = _start_profile(server.pid, infra.tmp)
            client.stdin.write("go\n")
            client.stdin.flush()
            try:
                _read_event(client, "done", budget - (time.monotonic() - started))
            finally:
                if spy is not None:
                    row["profile"] = _stop_profile(spy, server.pid, infra.tmp)
            row["cpu_seconds"] = server.cpu_seconds() - cpu0
            row["busy"] = busy(
                threads0, thread_cpu(server.pid), time.monotonic() - wall0, server.pid
            )
            client.wait(timeout=30)
            row["load"] = (load_start, os.getloadavg()[0])
            row.update(summarize(json.loads(out_path.read_text())))
        finally:
            if client.poll() is None:
                client.kill()
                client.wait(timeout=10)
    except Exception as exc:  # a failed row is reported, never hangs the run
        row["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        infra.stop_servers()
    row["seconds"] = time.monotonic() - started
    return row


def thread_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of each thread of the server process, by thread id."""
    import psutil

    return {t.id: t.user_time + t.system_time for t in psutil.Process(pid).threads()}


def busy(before: dict[int, float], after: dict[int, float], wall: float, pid: int) -> dict:
    """How busy the event loop (the main thread) and the busiest other thread (the
    database worker) were over `wall` seconds: the profile hint when a target is missed."""
    used = {tid: after[tid] - before.get(tid, 0.0) for tid in after}
    loop = used.pop(pid, 0.0)  # the main thread's id is the process id
    other = max(used.values(), default=0.0)
    return {"wall_s": wall, "loop_cpu_s": loop, "worker_cpu_s": other}


def _start_profile(pid: int, tmp: Path):
    """py-spy on the server while the client runs, when BENCH_WORKSHOP_PROFILE names a file."""
    if not os.environ.get("BENCH_WORKSHOP_PROFILE"):
        return None
    from bench import profile

    return profile._start_py_spy(pid, tmp / "workshop-py-spy.txt", tmp / "workshop-py-spy.log")


def _stop_profile(spy, pid: int, tmp: Path) -> str:
    """Top functions of the event loop and the database worker, written to the named file."""
    from bench import profile

    error = profile._stop_py_spy(spy)
    raw = tmp / "workshop-py-spy.txt"
    if error or not raw.exists():
        return f"py-spy: {error or 'no output'}"
    _, stacks = profile.parse_raw(raw.read_text(), pid)
    text = "".join(profile.profile_text(kind, stacks[kind], top=25) for kind in ("loop", "db"))
    path = Path(os.environ["BENCH_WORKSHOP_PROFILE"])
    path.write_text(text)
    return str(path)


def summarize(result: dict) -> dict:
    """The row's figures from the client's result (every sample kept for the JSON)."""
    console = result["console"]
    trials = result["trials"]
    per_partner = [ms for trial in trials for ms in trial["latencies_ms"]]
    lasts = [trial["last_ms"] for trial in trials if trial["last_ms"] is not None]
    console_all = [t["console_all_ms"] for t in trials if t["console_all_ms"] is not None]
    summary = {
        "rooms": result["rooms"],
        "sockets": result["sockets"],
        "connect_seconds": result["connect_seconds"],
        "accepted": result["accepted"],
        "rate": result["accepted"] / max(result["window_seconds"], 1),
        "rejected": result["rejected"],
        "no_ack": result["no_ack"],
        "connect_failures": result["connect_failures"],
        "console_failures": result["console_failures"],
        "setup_failures": result["setup_failures"],
        "closed_early": result["closed_early"],
        "errors": result["errors"],
        "console_frames": result["console_frames"],
        "console_ms": {
            "samples": len(console["latencies_ms"]),
            "p50": pct(console["latencies_ms"], 50),
            "p99": pct(console["latencies_ms"], 99),
            "max": pct(console["latencies_ms"], 100),
            "pause_p99": pct(console["pause_ms"], 99),
            "pause_p50": pct(console["pause_ms"], 50),
            "resume_p50": pct(console["ready_ms"], 50),
            "resume_p99": pct(console["ready_ms"], 99),
            "lost": console["lost"],
            # The same actions' ack to the sender and copy to the other partner.
            "ack_p50": pct(console.get("ack_ms", []), 50),
            "ack_p99": pct(console.get("ack_ms", []), 99),
            "partner_p50": pct(console.get("partner_ms", []), 50),
            "partner_p99": pct(console.get("partner_ms", []), 99),
            "slow": console.get("slow", [])[:300],
        },
        "next_step": {
            "trials": len(trials),
            "samples": len(per_partner),
            "p50": pct(per_partner, 50),
            "p99": pct(per_partner, 99),
            "last_ms": lasts,
            "last_max": max(lasts) if lasts else None,
            "console_all_ms": console_all,
            "http_ms": [t["http_ms"] for t in trials],
            "http_status": [t["http_status"] for t in trials],
            "lost": sum(t["lost"] for t in trials),
            "not_held": sum(t["not_held"] for t in trials),
        },
        "trials": trials,
        "console_samples_ms": console["latencies_ms"],
    }
    bad_http = [t["http_body"] for t in trials if t["http_status"] != 200]
    if bad_http:
        summary["errors"] = [*summary["errors"], f"next step refused: {bad_http[0]}"]
    summary["met"] = met(summary)
    return summary


def met(s: dict) -> dict:
    """Issue 17's two targets, each True/False (None when not measured)."""
    console, step = s["console_ms"], s["next_step"]
    return {
        "console_p99_1s": None
        if console["p99"] is None
        else console["p99"] <= TARGET_MS and console["lost"] == 0,
        "next_step_p99_1s": None
        if step["p99"] is None
        else step["p99"] <= TARGET_MS and step["lost"] == 0 and not step["not_held"],
    }


if __name__ == "__main__":
    main()
