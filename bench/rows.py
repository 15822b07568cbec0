"""One row of the table: start a configuration, drive it with the load client, measure.

A configuration is a server (Daphne, Uvicorn or the bare `websockets` floor), an
app (Stay or the Channels echo), a process count, a channel layer and a
database. `human_row` runs the human-rate load model once; `saturation` raises
the number of rooms at 1-s mean rests until p99 passes 100 ms or an update is lost.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import time
from dataclasses import dataclass, field

from bench.infra import PY, REPO, Infra

P99_LIMIT_MS = 100.0
# Connecting is bounded too: rooms not connected by then are left out and counted.
CONNECT_DEADLINE_S = 60


@dataclass(frozen=True)
class Config:
    key: str
    label: str
    app: str  # "stay" | "echo" | "floor"
    server: str  # "daphne" | "uvicorn" | "floor"
    procs: int
    layer: str  # "fast" | "stock" | "redis-pubsub" | "redis-core" | "-"
    db: str  # "postgres" | "sqlite" | "-"
    env: tuple[tuple[str, str], ...] = ()  # extra environment for the servers


@dataclass
class Row:
    config: Config
    kind: str  # "human" | "saturation-step"
    rooms: int
    mean_rest: float
    result: dict = field(default_factory=dict)
    rss_before: int = 0
    rss_after: int = 0
    cpu_seconds: float = 0.0
    error: str | None = None
    load: tuple[float, float] = (0.0, 0.0)  # 1-min load average at start and end

    @property
    def latencies(self) -> list[float]:
        return sorted(self.result.get("latencies_ms", []))

    def pct(self, p: float) -> float | None:
        values = self.latencies
        if not values:
            return None
        return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))]

    @property
    def rate(self) -> float:
        window = self.result.get("window_seconds") or 1
        return self.result.get("accepted", 0) / window

    @property
    def lost(self) -> int:
        return self.result.get("lost", 0) + self.result.get("no_ack", 0)

    @property
    def kb_per_partner(self) -> float | None:
        sockets = self.result.get("sockets") or 0
        if sockets < 100 or not self.rss_after:  # a few sockets: allocator noise dominates
            return None
        return (self.rss_after - self.rss_before) / sockets / 1024

    @property
    def cpu_ms_per_action(self) -> float | None:
        accepted = self.result.get("accepted", 0)
        return self.cpu_seconds * 1000 / accepted if accepted else None

    def overloaded(self) -> bool:
        """Clearly past what the configuration sustains: larger sizes are not worth running."""
        p99 = self.pct(99)
        accepted = self.result.get("accepted", 0)
        return (
            self.error is not None
            or p99 is None
            or p99 > 1000
            or self.lost > 0.01 * max(accepted, 1)
            or bool(self.result.get("connect_failures"))
        )

    def healthy(self) -> bool:
        p99 = self.pct(99)
        return (
            self.error is None
            and p99 is not None
            and p99 <= P99_LIMIT_MS
            and self.lost == 0
            and not self.result.get("connect_failures")
        )

    def summary(self) -> dict:
        return {
            "config": self.config.key,
            "label": self.config.label,
            "db": self.config.db,
            "kind": self.kind,
            "rooms": self.rooms,
            "mean_rest": self.mean_rest,
            "p50": self.pct(50),
            "p95": self.pct(95),
            "p99": self.pct(99),
            "max": self.pct(100),
            "samples": len(self.latencies),
            "rate": self.rate,
            "lost": self.lost,
            "rejected": self.result.get("rejected", {}),
            "connect_failures": self.result.get("connect_failures", 0),
            "connect_retries": self.result.get("connect_retries", 0),
            "setup_failures": self.result.get("setup_failures", 0),
            "closed_early": self.result.get("closed_early", 0),
            "fallback_syncs": self.result.get("fallback_syncs", 0),
            "kb_per_partner": self.kb_per_partner,
            "cpu_ms_per_action": self.cpu_ms_per_action,
            "error": self.error,
            "errors": self.result.get("errors", []),
            "slow": self.result.get("slow", [])[:200],
            "load": self.load,
            "connect_seconds": self.result.get("connect_seconds"),
        }


def start_configuration(infra: Infra, config: Config):
    """Start the servers of one configuration (fresh processes); return them and the room specs."""
    db = infra.database(config.db) if config.db != "-" else None
    if config.layer.startswith("redis"):
        infra.start_redis()
        infra.flush_redis()
    servers = [
        infra.start_server(config.server, config.app, db, config.layer, dict(config.env))
        for _ in range(config.procs)
    ]
    return db, servers


def room_specs(infra: Infra, config: Config, db, servers, rooms: int, offset: int = 0):
    """Partner `a` on the first server, `b` on the last (different processes when there are two)."""
    first, last = servers[0], servers[-1]

    def socket(server, path: str, cookie: str | None) -> dict:
        base = f"127.0.0.1:{server.port}"
        return {"url": f"ws://{base}{path}", "origin": f"http://{base}", "cookie": cookie}

    if config.app == "stay":
        seated = infra.ensure_rooms(db, offset + rooms)[offset:]
        return [
            {
                "code": room["code"],
                "a": socket(first, f"/ws/sessions/{room['code']}/", room["a"]),
                "b": socket(last, f"/ws/sessions/{room['code']}/", room["b"]),
            }
            for room in seated
        ]
    return [
        {
            "code": f"r{offset + n}",
            "a": socket(first, f"/ws/echo/r{offset + n}/", None),
            "b": socket(last, f"/ws/echo/r{offset + n}/", None),
        }
        for n in range(rooms)
    ]


def drive(infra: Infra, row: Row, specs: list[dict], servers, duration: float, seed: int) -> None:
    """Run one client process against running servers; fill in the row's measurements."""
    plan_path = infra.tmp / f"plan-{row.config.key}-{row.rooms}-{seed}.json"
    out_path = plan_path.with_suffix(".out.json")
    plan = {
        "dialect": "stay" if row.config.app == "stay" else "relay",
        "rooms": specs,
        "mean_rest": row.mean_rest,
        "duration": duration,
        "warmup": 3,
        "seed": seed,
        "output": str(out_path),
        "connect_concurrency": 16,
        "connect_timeout": 30,
        "connect_deadline": CONNECT_DEADLINE_S,
        "setup_timeout": 60,
        "handshake": True,
    }
    plan_path.write_text(json.dumps(plan))
    budget = CONNECT_DEADLINE_S + 60 + 3 + duration + 12 + 30 + 60
    client = subprocess.Popen(
        [PY, "bench/client.py", str(plan_path)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    started = time.monotonic()
    load_start = os.getloadavg()[0]
    try:
        line = _read_event(client, "connected", budget)
        time.sleep(1.0)  # let the servers settle after the connect burst before reading RSS
        row.rss_after = sum(s.rss() for s in servers)
        cpu0 = sum(s.cpu_seconds() for s in servers)
        client.stdin.write("go\n")
        client.stdin.flush()
        _read_event(client, "done", budget - (time.monotonic() - started))
        row.cpu_seconds = sum(s.cpu_seconds() for s in servers) - cpu0
        client.wait(timeout=30)
        row.result = json.loads(out_path.read_text())
        row.result.setdefault("connect_seconds", line.get("seconds"))
        row.load = (load_start, os.getloadavg()[0])
    except Exception as exc:  # a failed row is reported, never hangs the run
        row.error = f"{type(exc).__name__}: {exc}"
    finally:
        if client.poll() is None:
            client.kill()
            client.wait(timeout=10)


def _read_event(client: subprocess.Popen, name: str, timeout: float) -> dict:
    deadline = time.monotonic() + max(timeout, 1)
    import selectors

    with selectors.DefaultSelector() as sel:
        sel.register(client.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not sel.select(timeout=1):
                if client.poll() is not None:
                    raise RuntimeError(f"client exited ({client.returncode}) before {name!r}")
                continue
            line = client.stdout.readline()
            if not line:
                raise RuntimeError(f"client closed its output before {name!r}")
            with_event = _parse(line)
            if with_event.get("event") == name:
                return with_event
    raise TimeoutError(f"client did not report {name!r} in {timeout:.0f} s")


def _parse(line: str) -> dict:
    try:
        value = json.loads(line)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def human_row(
    infra: Infra,
    config: Config,
    rooms: int,
    duration: float,
    seed: int = 1,
    *,
    kind: str = "human",
    mean_rest: float = 15.0,
) -> Row:
    row = Row(config, kind, rooms, mean_rest=mean_rest)
    try:
        db, servers = start_configuration(infra, config)
        specs = room_specs(infra, config, db, servers, rooms)
        time.sleep(0.5)
        row.rss_before = sum(s.rss() for s in servers)
        drive(infra, row, specs, servers, duration, seed)
    except Exception as exc:
        row.error = f"{type(exc).__name__}: {exc}"
    finally:
        infra.stop_servers()
    return row


def saturation(
    infra: Infra, config: Config, ladder: list[int], duration: float, seed: int = 7
) -> list[Row]:
    """Rooms at 1-s mean rest, more each step, until p99 > 100 ms or an update is lost."""
    steps: list[Row] = []
    try:
        db, servers = start_configuration(infra, config)
        for rooms in ladder:
            row = Row(config, "saturation-step", rooms, mean_rest=1.0)
            specs = room_specs(infra, config, db, servers, rooms)
            row.rss_before = sum(s.rss() for s in servers)
            drive(infra, row, specs, servers, duration, seed + rooms)
            steps.append(row)
            if not row.healthy():
                break
    except Exception as exc:
        row = Row(config, "saturation-step", 0, 1.0, error=f"{type(exc).__name__}: {exc}")
        steps.append(row)
    finally:
        infra.stop_servers()
    return steps


def best_sustained(steps: list[Row]) -> Row | None:
    healthy = [row for row in steps if row.healthy()]
    return max(healthy, key=lambda row: row.rate) if healthy else None
