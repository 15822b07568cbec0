"""Where Stay's time goes per accepted action, from a py-spy profile of a loaded server.

Stay runs as an ordinary Daphne server; once it is up, py-spy (an external
sampling profiler) attaches to its process and records every thread's Python
stack 1000 times a second (`--idle` keeps the samples of waiting threads,
`--nonblocking` does not pause the server to read them) while the usual load
runs, and writes the collapsed stacks when it is stopped with SIGINT. Nothing
runs inside the server, so it cannot fail to write its profile on the way out.

Two threads matter: the event-loop thread (the main thread) and the thread that
runs every `database_sync_to_async` call (a `concurrent.futures` worker: Channels
runs them all on one thread per process). Each sample's stack is attributed to
the input that caused it (action, broadcast delivery, heartbeat, connect,
deadline timer) and to a part (frame validation, engine, database, channel
layer, JSON, WebSocket server, ...), innermost match first, so `json.dumps`
inside the consumer counts as JSON and `deepcopy` inside the engine counts as
engine. Idle samples (the loop in `selectors` waiting on epoll, the worker
waiting on its empty work queue) are left out. Times are wall time on each
thread (samples / rate): samples blocked on PostgreSQL (a query or a commit
waiting for the WAL flush, or opening a connection) are split out as waits, and
the rest is close to CPU time, inflated evenly when other processes compete for
the cores (the load average is recorded with each run; py-spy itself takes a
share of a core while it samples).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.infra import REPO, Infra
from bench.rows import Config, Row, drive, room_specs, start_configuration

PROFILE_DIR = REPO / "bench" / "results"
PY_SPY = Path(sys.executable).parent / "py-spy"
RATE = 1000  # samples per second per thread
STOP_TIMEOUT_S = 30

# (marker in the file path or function, part); the innermost matching frame wins.
PARTS = [
    ("/sessions/live/frames.py", "frame validation"),
    ("pydantic", "frame validation"),
    ("view_for", "shaping per recipient (view_for)"),
    ("/sessions/engine/", "engine"),
    ("/django/db/", "database"),
    ("/psycopg/", "database"),
    ("sqlite3", "database"),
    ("/channels/layers.py", "channel layer"),
    ("/sessions/live/layers.py", "channel layer"),
    ("channels_redis", "channel layer"),
    ("/json/", "JSON"),
    ("/daphne/", "WebSocket server"),
    ("/twisted/", "WebSocket server"),
    ("/autobahn/", "WebSocket server"),
    ("/uvicorn/", "WebSocket server"),
    ("/websockets/", "WebSocket server"),
]
# Where a socket's work starts: the consumer's handlers (event-loop thread), and the
# store's workflows and the access check they call (database thread).
ENTRY_PLACES = ("/sessions/live/", "/sessions/store/", "/sessions/access.py")
# Entry points → the input they serve (outermost match wins). tests/bench/test_profile.py
# checks that each of these names is still defined in ENTRY_PLACES.
PATHS = {
    "submit_action": "action",
    "on_action": "action",
    "room_state": "broadcast delivery",
    "arrive": "connect or heartbeat (arrive)",
    "on_sync": "connect or heartbeat (arrive)",
    "heartbeat": "connect or heartbeat (arrive)",
    "quick_heartbeat": "connect or heartbeat (arrive)",
    "for_socket": "connect",
    "connect": "connect",
    "leave": "disconnect",
    "disconnect": "disconnect",
    "catch_up": "deadline timer",
    "_keep_time": "deadline timer",
    "on_ping": "time.ping",
}
CONNECTING = {"wait_conn", "_connect_gen", "connect"}
# py-spy shows Python frames only: a thread blocked in psycopg's C wait (wait_c,
# from psycopg-binary) shows `Connection.wait` as its leaf; the pure-Python
# implementation shows one of its wait_* functions.
PG_WAIT_LEAVES = {"wait", "wait_c", "wait_epoll", "wait_poll", "wait_select", "wait_selector"}
# The event loop waiting for events: `EpollSelector.select` in selectors.py (in epoll.poll).
IDLE_LEAVES = {("select", "/selectors.py")}


def _frames(stack: list[str]) -> list[tuple[str, str]]:
    out = []
    for ident in stack:
        parts = ident.split("\x00")
        out.append((parts[0], parts[1] if len(parts) > 1 else ""))
    return out


def attribute(stack: list[str], thread: str) -> tuple[str, str] | None:
    """(input, part) for one sample, or None when the thread was idle."""
    frames = _frames(stack)
    # The database worker is busy only inside a work item; between items it
    # waits in `_worker` on its empty work queue.
    in_work = any(func == "run" and "concurrent/futures/thread.py" in path for func, path in frames)
    if thread == "db" and not in_work:
        return None
    if not frames:  # a thread with no Python frame (starting or stopping)
        return None
    leaf, leaf_path = frames[-1]
    if thread == "loop" and any(
        leaf == func and leaf_path.endswith(suffix) for func, suffix in IDLE_LEAVES
    ):
        return None
    if any(func == "_find_and_load" for func, _ in frames):
        return "startup", "imports"
    path_kind = "other"
    for func, path in frames:
        if func in PATHS and any(place in path for place in ENTRY_PLACES):
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


_THREAD = re.compile(r"^thread \((\w+)\)(?:: ?(.*))?$")


def _frame(text: str) -> tuple[str, str, str]:
    """`Class.func (/path/file.py:12)` -> (qualified name, path, line)."""
    if text.endswith(")") and " (" in text:
        name, location = text[:-1].rsplit(" (", 1)
        path, _, line = location.rpartition(":")
        if line.isdigit():
            return name, path, line
        return name, location, ""
    return text, "", ""


def _thread_id(text: str) -> int | None:
    try:
        return int(text, 0)
    except ValueError:
        return None


def parse_raw(text: str, pid: int, rate: int = RATE) -> tuple[dict[str, list], dict[str, int]]:
    """py-spy's raw output -> ({"loop"|"db": [(stack, seconds), ...]}, samples per thread kind).

    Each line is `thread (TID): NAME;frame;...;frame COUNT`, outermost first. A
    stack is a list of "func\x00path" idents (func without its class, as
    `attribute()` matches on it). A thread is "db" when any of its stacks runs in a
    `concurrent.futures` worker (`_worker`), "loop" when it is the main thread (its id is the
    process id, or its name MainThread); other threads are left out.
    """
    lines: dict[str, list[tuple[list[tuple[str, str, str]], int]]] = defaultdict(list)
    names: dict[str, str] = {}
    for raw in text.splitlines():
        body, _, count = raw.rstrip().rpartition(" ")
        if not body or not count.isdigit():
            continue
        head, *rest = body.split(";")
        match = _THREAD.match(head)
        if match is None:  # no thread frame: not written with --threads
            rest = [head, *rest]
            tid, name = "?", ""
        else:
            tid, name = match.group(1), match.group(2) or ""
        names.setdefault(tid, name)
        lines[tid].append(([_frame(f) for f in rest], int(count)))
    records: dict[str, list] = {"loop": [], "db": []}
    raw_stacks: dict[str, list] = {"loop": [], "db": []}
    for tid, entries in lines.items():
        if _thread_id(tid) == pid or names.get(tid) == "MainThread":
            kind = "loop"
        elif any(
            name.endswith("_worker") and path.endswith("concurrent/futures/thread.py")
            for frames, _ in entries
            for name, path, _ in frames
        ):
            kind = "db"
        else:
            continue
        for frames, count in entries:
            stack = [f"{name.rsplit('.', 1)[-1]}\x00{path}" for name, path, _ in frames]
            records[kind].append((stack, count / rate))
            raw_stacks[kind].append((frames, count))
    return records, raw_stacks


def _short(path: str) -> str:
    for marker in ("site-packages/", "/lib/python3."):
        if marker in path:
            tail = path.split(marker, 1)[1]
            return tail.split("/", 1)[1] if marker.startswith("/lib") else tail
    return path.removeprefix(str(REPO) + "/")


def profile_text(thread: str, stacks: list, note: str = "", rate: int = RATE, top: int = 40) -> str:
    """Top functions by self and by total time over one thread's busy samples."""
    self_s: Counter = Counter()
    total_s: Counter = Counter()
    busy = idle = 0
    for frames, count in stacks:
        idents = [f"{name.rsplit('.', 1)[-1]}\x00{path}" for name, path, _ in frames]
        if attribute(idents, thread) is None:
            idle += count
            continue
        busy += count
        labels = [f"{name}  {_short(path)}" for name, path, _ in frames]
        self_s[labels[-1]] += count
        for label in set(labels):
            total_s[label] += count
    out = [
        f"py-spy profile, {thread} thread: {busy / rate:.3f} s busy, {idle / rate:.3f} s idle "
        f"(left out), {rate} samples/s, wall time",
        *([note] if note else []),
    ]
    for title, counter in (("self", self_s), ("total (self and callees)", total_s)):
        out += ["", f"Top {top} functions by {title} time:", f"{'s':>8} {'%':>6}  function"]
        for label, count in counter.most_common(top):
            out.append(f"{count / rate:8.3f} {100 * count / max(busy, 1):5.1f}%  {label}")
    return "\n".join(out) + "\n"


def _failed(error: str) -> dict:
    return {"error": error, "accepted": 0, "split_ms_per_action": {}, "files": []}


def _start_py_spy(pid: int, output: Path, log: Path) -> subprocess.Popen:
    cmd = [str(PY_SPY), "record", "--pid", str(pid), "--rate", str(RATE), "--idle"]
    cmd += ["--threads", "--full-filenames", "--format", "raw", "--output", str(output)]
    cmd += ["--nonblocking"]
    with open(log, "wb") as out:
        spy = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # wait until it has attached (or failed to)
        if spy.poll() is not None or b"Sampling process" in log.read_bytes():
            break
        time.sleep(0.05)
    return spy


def _stop_py_spy(spy: subprocess.Popen) -> str | None:
    """SIGINT makes py-spy write its output; an error when it does not end in time."""
    if spy.poll() is not None:
        return f"py-spy exited early with code {spy.returncode}"
    spy.send_signal(signal.SIGINT)
    try:
        spy.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        spy.kill()
        spy.wait(timeout=10)
        return f"py-spy did not stop within {STOP_TIMEOUT_S} s of SIGINT"
    return None


def profile_stay(infra: Infra, config: Config, rooms: int, duration: float) -> dict:
    """Load Stay at a moderate rate with py-spy sampling it; return the split per accepted action."""
    if not os.access(PY_SPY, os.X_OK):
        return _failed(f"py-spy not found at {PY_SPY} (pip install py-spy)")
    row = Row(config, "profile", rooms, mean_rest=3.0)
    output = infra.tmp / "profile-py-spy.txt"
    log = infra.tmp / "profile-py-spy.log"
    spy = None
    spy_error = None
    try:
        db, servers = start_configuration(infra, config)
        spy = _start_py_spy(servers[0].pid, output, log)
        if spy.poll() is None:
            specs = room_specs(infra, config, db, servers, rooms)
            drive(infra, row, specs, servers, duration, seed=11)
    finally:
        if spy is not None:
            spy_error = _stop_py_spy(spy)
        infra.stop_servers()
    if row.error:
        return _failed(row.error)
    spy_log = log.read_text(errors="replace") if log.exists() else ""
    spy_log = spy_log.split("\nStack backtrace:")[0][-800:]  # an error's Rust backtrace
    if spy_error or not output.exists() or output.stat().st_size == 0:
        error = spy_error or "py-spy wrote no samples"
        return _failed(f"{error}; py-spy said: {spy_log!r}")
    records, raw_stacks = parse_raw(output.read_text(errors="replace"), servers[0].pid)
    missing = [thread for thread in ("loop", "db") if not records[thread]]
    if missing:
        error = f"py-spy recorded no {'/'.join(missing)} thread samples; py-spy said: {spy_log!r}"
        return _failed(error)
    # With --nonblocking a stack read while it changes is an error (dropped) or torn.
    counts = re.search(r"Samples: (\d+) Errors: (\d+)", spy_log)
    py_spy = {"samples": int(counts[1]), "errors": int(counts[2])} if counts else {}
    note = f"py-spy: {py_spy['samples']} samples, {py_spy['errors']} errors" if counts else ""
    PROFILE_DIR.mkdir(exist_ok=True)
    files = []
    for thread in ("loop", "db"):
        target = PROFILE_DIR / f"profile-stay-{thread}-thread.txt"
        target.write_text(profile_text(thread, raw_stacks[thread], note))
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
        "py_spy": py_spy,
    }
