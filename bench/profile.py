"""Where Stay's time goes per accepted action, from a pyinstrument profile of a loaded server.

The server runs under bench/profiled_server.py (one profiler on the event-loop
thread, one on the thread that runs every `database_sync_to_async` call). Each
sample's stack is attributed to the input that caused it (action, broadcast
delivery, heartbeat, connect, deadline timer) and to a part (frame validation,
engine, database, channel layer, JSON, WebSocket server, ...), innermost match
first, so `json.dumps` inside the consumer counts as JSON and `deepcopy` inside
the engine counts as engine. Idle samples (epoll, an empty work queue) are left
out. Times are wall time on each thread: samples blocked on PostgreSQL (a query
or a commit waiting for the WAL flush, or opening a connection) are split out
as waits, and the rest is close to CPU time, inflated evenly when other
processes compete for the cores (the load average is recorded with each run).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import defaultdict
from pathlib import Path

from bench.infra import REPO, Infra
from bench.rows import Config, Row, drive, room_specs, start_configuration

PROFILE_DIR = REPO / "bench" / "results"

# (marker in the file path or function, part); the innermost matching frame wins.
PARTS = [
    ("/sessions/frames.py", "frame validation"),
    ("pydantic", "frame validation"),
    ("view_for", "shaping per recipient (view_for)"),
    ("/sessions/engine/", "engine"),
    ("/django/db/", "database"),
    ("/psycopg/", "database"),
    ("sqlite3", "database"),
    ("/channels/layers.py", "channel layer"),
    ("/sessions/layers.py", "channel layer"),
    ("channels_redis", "channel layer"),
    ("/json/", "JSON"),
    ("/daphne/", "WebSocket server"),
    ("/twisted/", "WebSocket server"),
    ("/autobahn/", "WebSocket server"),
    ("/uvicorn/", "WebSocket server"),
    ("/websockets/", "WebSocket server"),
]
# Consumer entry points → the input they serve (outermost match wins).
PATHS = {
    "submit_action": "action",
    "on_action": "action",
    "room_state": "broadcast delivery",
    "arrive": "connect or heartbeat (arrive)",
    "on_sync": "connect or heartbeat (arrive)",
    "pulse": "connect or heartbeat (arrive)",
    "beat": "connect or heartbeat (arrive)",
    "resolve_access": "connect",
    "connect": "connect",
    "leave": "disconnect",
    "disconnect": "disconnect",
    "settle": "deadline timer",
    "_keep_time": "deadline timer",
    "on_ping": "time.ping",
}
CONNECTING = {"wait_conn", "_connect_gen", "connect"}
PG_WAIT_LEAVES = {"wait", "epoll.poll", "poll", "select", "wait_c"}
IDLE_LEAVES = {"poll", "select", "get", "wait", "acquire", "sleep"}


def _frames(stack: list[str]) -> list[tuple[str, str]]:
    out = []
    for ident in stack:
        parts = ident.split("\x00")
        out.append((parts[0], parts[1] if len(parts) > 1 else ""))
    return out


def attribute(stack: list[str], thread: str) -> tuple[str, str] | None:
    """(input, part) for one sample, or None when the thread was idle."""
    frames = _frames(stack)
    in_work = any(func == "run" and "concurrent/futures/thread.py" in path for func, path in frames)
    in_work = in_work and not any(
        func == "job" and "profiled_server" in path for func, path in frames
    )
    leaf = frames[-1][0] if frames else ""
    if thread == "db" and not in_work:
        return None
    if thread == "loop" and leaf.split(".")[-1] in IDLE_LEAVES and "<built-in>" in frames[-1][1]:
        return None
    if any(func == "_find_and_load" for func, _ in frames):
        return "startup", "imports"
    path_kind = "other"
    for func, path in frames:
        if "/sessions/consumers.py" in path and func in PATHS:
            path_kind = PATHS[func]
            break
    if any("/psycopg/" in path for _, path in frames):
        if any(func in CONNECTING for func, _ in frames):
            return path_kind, "opening a PostgreSQL connection"
        if leaf in PG_WAIT_LEAVES:
            return path_kind, "waiting for PostgreSQL"
    for func, path in reversed(frames):
        for marker, part in PARTS:
            if marker in path or marker == func:
                return path_kind, part
    if any("/sessions/" in path for _, path in frames):
        return path_kind, "Stay code (other)"
    return path_kind, "Django, Channels, asyncio glue"


def split(records: dict[str, list]) -> dict[str, dict[str, dict[str, float]]]:
    """seconds[input][part][thread] over both threads' samples."""
    seconds: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(float)))
    for thread, samples in records.items():
        for stack, duration in samples:
            found = attribute(stack, thread)
            if found is not None:
                seconds[found[0]][found[1]][thread] += duration
    return seconds


def profile_stay(infra: Infra, config: Config, rooms: int, duration: float) -> dict:
    """Load a profiled Stay server at a moderate rate; return the split per accepted action."""
    profiled = dataclasses.replace(config, server="daphne-profiled")
    row = Row(profiled, "profile", rooms, mean_rest=3.0)
    try:
        db, servers = start_configuration(infra, profiled)
        specs = room_specs(infra, profiled, db, servers, rooms)
        drive(infra, row, specs, servers, duration, seed=11)
    finally:
        infra.stop_servers()
    if row.error:
        return {"error": row.error, "accepted": 0, "split_ms_per_action": {}, "files": []}
    prefix = infra.tmp / f"profile-{servers[0].port}"
    missing = [t for t in ("loop", "db") if not Path(f"{prefix}-{t}.json").exists()]
    if missing:  # the profiled server did not write its profiles: say why, keep the run
        tail = servers[0].log.read_text(errors="replace")[-800:] if servers[0].log.exists() else ""
        error = f"profiled server wrote no {'/'.join(missing)} profile; its log ends: {tail!r}"
        return {"error": error, "accepted": 0, "split_ms_per_action": {}, "files": []}
    records = {
        thread: json.loads(Path(f"{prefix}-{thread}.json").read_text()) for thread in ("loop", "db")
    }
    PROFILE_DIR.mkdir(exist_ok=True)
    files = []
    for thread in ("loop", "db"):
        target = PROFILE_DIR / f"profile-stay-{thread}-thread.txt"
        shutil.copy(f"{prefix}-{thread}.txt", target)
        files.append(str(target.relative_to(REPO)))
    seconds = split(records)
    accepted = row.result.get("accepted", 0)
    actions_sent = accepted + sum(row.result.get("rejected", {}).values())
    heartbeats = row.result.get("heartbeats", 0)

    def total(kind: str, part: str | None = None, thread: str | None = None) -> float:
        parts = seconds.get(kind, {})
        return sum(
            value
            for name, threads in parts.items()
            if part is None or name == part
            for t, value in threads.items()
            if thread is None or t == thread
        )

    per_action = {}
    if actions_sent:
        # Frames are parsed before dispatch (in `receive`), so validation is per frame.
        frames_in = actions_sent + heartbeats
        validation = sum(total(kind, "frame validation") for kind in seconds)
        per_action["frame validation (per frame of any type)"] = validation * 1000 / frames_in
        for part in (
            "engine",
            "database",
            "waiting for PostgreSQL",
            "opening a PostgreSQL connection",
        ):
            per_action[part] = total("action", part) * 1000 / actions_sent
        per_action["channel layer (group_send)"] = (
            total("action", "channel layer") * 1000 / actions_sent
        )
        per_action["broadcast delivery (2 recipients: shape, JSON, send)"] = (
            total("broadcast delivery") * 1000 / actions_sent
        )
        named = {
            "engine",
            "database",
            "channel layer",
            "waiting for PostgreSQL",
            "opening a PostgreSQL connection",
        }
        rest = sum(
            value
            for name, threads in seconds.get("action", {}).items()
            if name not in named
            for value in threads.values()
        )
        per_action["rest of the action path (Stay, glue, server)"] = rest * 1000 / actions_sent
    per_heartbeat = {}
    arrivals = heartbeats + row.result.get("sockets", 0)  # every connect also arrives
    if arrivals:
        kind = "connect or heartbeat (arrive)"
        for part in (
            "database",
            "waiting for PostgreSQL",
            "opening a PostgreSQL connection",
            "engine",
        ):
            per_heartbeat[part] = total(kind, part) * 1000 / arrivals
        per_heartbeat["all"] = total(kind) * 1000 / arrivals
    busy = {
        thread: sum(
            value
            for parts in seconds.values()
            for threads in parts.values()
            for t, value in threads.items()
            if t == thread
        )
        for thread in ("loop", "db")
    }
    by_input = {
        kind: {part: dict(threads) for part, threads in parts.items()}
        for kind, parts in seconds.items()
    }
    return {
        "rooms": rooms,
        "mean_rest": row.mean_rest,
        "duration": duration,
        "accepted": accepted,
        "actions_sent": actions_sent,
        "heartbeats": heartbeats,
        "p50": row.pct(50),
        "p99": row.pct(99),
        "busy_seconds": busy,
        "split_ms_per_action": per_action,
        "ms_per_heartbeat": per_heartbeat,
        "seconds_by_input": by_input,
        "files": files,
    }
