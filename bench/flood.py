"""A flood against a real server: one socket sends as fast as it can, its partner measures.

The offender speaks raw WebSocket over a TCP socket (its own process, so its
writing never shares an event loop or a GIL with the measurement): the HTTP
upgrade, then a stream of prebuilt, masked frames — `time.ping`s, `action`s and
binary frames, as chosen — written as fast as the kernel takes them, for a
fixed time or until the server closes the socket. It reports how long after
its first frame the close frame arrived, with which code, and how many frames
it had written by then.

The partner, in the other seat of the same room, sends a `time.ping` (answered
`time.pong` without the database) every 70 ms and a `sync` every second
(answered `ok` after one database read) — both well inside the per-socket budget —
and records each round trip. `flood_trial` puts the two together with the
server's resident memory before, at the peak, and a few seconds after.

Used by `bench/run.py` (the flood rows, `measure_floods`) and `tests/live/test_flood.py`.

Offender on its own: `python bench/flood.py offend HOST PORT PATH ORIGIN COOKIE KINDS SECONDS`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import math
import os
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KINDS = ("ping", "action", "binary")
PING_EVERY_S = 0.07
SYNC_EVERY_S = 1.0
# Frames per write: large enough that the offender's own loop is not the limit.
CHUNK_FRAMES = 512


def _frame(opcode: int, payload: bytes) -> bytes:
    """One client frame, final, masked with a zero key (the payload bytes stay as they are)."""
    head = bytes([0x80 | opcode])
    size = len(payload)
    if size < 126:
        head += bytes([0x80 | size])
    elif size < 1 << 16:
        head += bytes([0x80 | 126]) + struct.pack("!H", size)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", size)
    return head + b"\0\0\0\0" + payload


def flood_frames(kinds: tuple[str, ...]) -> bytes:
    """A chunk of frames cycling through `kinds`."""
    samples = {
        "ping": _frame(0x1, b'{"type":"time.ping","t0":1}'),
        # No rid: a rid-less action is not deduplicated, so each would be a new input.
        "action": _frame(0x1, b'{"type":"action","action":"pause"}'),
        "binary": _frame(0x2, b"\x00" * 16),
    }
    unknown = set(kinds) - set(samples)
    if unknown or not kinds:
        raise ValueError(f"flood kinds must be among {sorted(samples)}; got {kinds!r}")
    return b"".join(samples[kinds[i % len(kinds)]] for i in range(CHUNK_FRAMES))


async def _read_frames(reader: asyncio.StreamReader, on_close) -> None:
    """Read server frames (unmasked) until a close frame; call on_close(code)."""
    while True:
        head = await reader.readexactly(2)
        opcode, size = head[0] & 0x0F, head[1] & 0x7F
        if size == 126:
            size = struct.unpack("!H", await reader.readexactly(2))[0]
        elif size == 127:
            size = struct.unpack("!Q", await reader.readexactly(8))[0]
        payload = await reader.readexactly(size)
        if opcode == 0x8:
            on_close(struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005)
            return


async def offend(
    host: str,
    port: int,
    path: str,
    origin: str,
    cookie: str,
    kinds: tuple[str, ...],
    seconds: float,
) -> dict:
    """Flood one socket for up to `seconds`; stop at the server's close frame."""
    reader, writer = await asyncio.open_connection(host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {origin}\r\nCookie: {cookie}\r\n\r\n"
        ).encode()
    )
    status = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    if b" 101 " not in status.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"handshake refused: {status[:80]!r}")
    chunk = flood_frames(kinds)
    closed: dict = {}
    started = time.perf_counter()
    watcher = asyncio.create_task(
        _read_frames(reader, lambda code: closed.update(code=code, at=time.perf_counter()))
    )
    sent = 0
    end = started + seconds
    try:
        while not closed and not watcher.done() and time.perf_counter() < end:
            writer.write(chunk)
            sent += CHUNK_FRAMES
            if writer.transport.get_write_buffer_size() > 1 << 20:
                # Bounded: a server that stops reading must not hold the offender forever.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(writer.drain(), max(0.01, end - time.perf_counter()))
            else:
                await asyncio.sleep(0)
    except (ConnectionError, OSError):
        pass
    flood_seconds = time.perf_counter() - started
    if not closed:
        with contextlib.suppress(TimeoutError, asyncio.IncompleteReadError, OSError):
            await asyncio.wait_for(asyncio.shield(watcher), 15)
    watcher.cancel()
    writer.transport.abort()
    return {
        "kinds": list(kinds),
        "frames_written": sent,
        "flood_seconds": round(flood_seconds, 3),
        "close_code": closed.get("code"),
        "closed_after_s": round(closed["at"] - started, 3) if closed else None,
    }


def pct(values: list[float], p: float) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


@dataclass
class Probe:
    """The partner's round trips: (perf_counter when sent, ms, kind)."""

    samples: list[tuple[float, float, str]] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    closed: int | None = None

    def between(self, start: float, end: float) -> list[float]:
        return [ms for at, ms, _ in self.samples if start <= at < end]


async def probe(url: str, origin: str, cookie: str, stop: asyncio.Event, out: Probe) -> None:
    """The partner: pings and syncs at a person's pace, every round trip timed."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    async with connect(
        url,
        origin=origin,
        additional_headers={"Cookie": cookie},
        ping_interval=None,
        compression=None,
        open_timeout=10,
        close_timeout=2,
    ) as ws:
        version = 0
        pending: dict[str, float] = {}
        first_state = asyncio.get_running_loop().create_future()

        async def read() -> None:
            nonlocal version
            try:
                async for text in ws:
                    frame = json.loads(text)
                    now = time.perf_counter()
                    kind = frame["type"]
                    if kind == "state":
                        version = max(version, frame["version"])
                        if not first_state.done():
                            first_state.set_result(None)
                    if kind == "time.pong" and str(frame["t0"]) in pending:
                        sent = pending.pop(str(frame["t0"]))
                        out.samples.append((sent, (now - sent) * 1000, "ping"))
                    elif kind in ("ok", "state") and "sync" in pending:
                        sent = pending.pop("sync")
                        out.samples.append((sent, (now - sent) * 1000, "sync"))
                    elif kind == "error":
                        out.errors.append(frame)
            except ConnectionClosed as closed:
                out.closed = closed.rcvd.code if closed.rcvd else 1006

        reader = asyncio.create_task(read())
        await asyncio.wait_for(first_state, 10)
        next_sync = time.perf_counter()
        serial = 0
        try:
            while not stop.is_set() and not reader.done():
                now = time.perf_counter()
                if now >= next_sync and "sync" not in pending:
                    pending["sync"] = now
                    await ws.send(json.dumps({"type": "sync", "version": version}))
                    next_sync = now + SYNC_EVERY_S
                serial += 1
                pending[str(serial)] = time.perf_counter()
                await ws.send(json.dumps({"type": "time.ping", "t0": serial}))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), PING_EVERY_S)
        except ConnectionClosed:
            pass
        # A round trip still unanswered when the probe stops counts as its wait so far.
        now = time.perf_counter()
        for sent in pending.values():
            if now - sent > 0.05:
                out.samples.append((sent, (now - sent) * 1000, "unanswered"))
        reader.cancel()


def run_offender(
    ws_url: str, origin: str, code: str, cookie: str, kinds: tuple[str, ...], seconds: float
) -> subprocess.Popen:
    """Start the offender in its own process; its stdout is one JSON line."""
    host_port = ws_url.split("://", 1)[1]
    host, port = host_port.rsplit(":", 1)
    return subprocess.Popen(
        [
            sys.executable,
            str(REPO / "bench" / "flood.py"),
            "offend",
            host,
            port,
            f"/ws/sessions/{code}/",
            origin,
            cookie,
            ",".join(kinds),
            str(seconds),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )


async def flood_trial(
    ws_url: str,
    origin: str,
    room: dict,
    rss,
    *,
    kinds: tuple[str, ...] = KINDS,
    seconds: float = 4.0,
    settle_seconds: float = 3.0,
) -> dict:
    """Seat `a` floods while seat `b` measures; `rss()` reads the server's memory in bytes.

    Returns the offender's report, the partner's round trips before the flood and
    during it (from the offender's start until `settle_seconds` after it stopped
    writing, so a backlog the server works off late still counts), and the
    server's RSS before, at its peak and `settle_seconds` after the flood.
    """
    stop = asyncio.Event()
    out = Probe()
    partner = asyncio.create_task(
        probe(f"{ws_url}/ws/sessions/{room['code']}/", origin, room["b"], stop, out)
    )
    await asyncio.sleep(1.5)  # the partner's quiet baseline
    rss_before = rss()
    began = time.perf_counter()
    offender = run_offender(ws_url, origin, room["code"], room["a"], kinds, seconds)
    peak = rss_before
    loop = asyncio.get_running_loop()
    while offender.poll() is None:
        peak = max(peak, rss())
        await asyncio.sleep(0.1)
    flood_end = time.perf_counter()
    report = json.loads(await loop.run_in_executor(None, offender.stdout.read) or "{}")
    # Keep measuring while the server works off whatever the flood left behind.
    settle_end = flood_end + settle_seconds
    while time.perf_counter() < settle_end:
        peak = max(peak, rss())
        await asyncio.sleep(0.1)
    rss_after = rss()
    stop.set()
    await partner
    baseline = out.between(0.0, began)
    during = out.between(began, settle_end)
    return {
        "offender": report,
        "partner": {
            "baseline_p50_ms": _round(pct(baseline, 50)),
            "baseline_p99_ms": _round(pct(baseline, 99)),
            "p50_ms": _round(pct(during, 50)),
            "p99_ms": _round(pct(during, 99)),
            "max_ms": _round(max(during, default=None)),
            "samples": len(during),
            # (seconds after the flood began, ms, kind) of every round trip over 20 ms.
            "slow": [
                (round(at - began, 2), round(ms, 1), kind)
                for at, ms, kind in out.samples
                if began <= at < settle_end and ms > 20
            ],
            "errors": _count(frame.get("code") for frame in out.errors),
            "closed": out.closed,
        },
        "rss_mb": {
            "before": round(rss_before / 2**20, 1),
            "peak": round(peak / 2**20, 1),
            "after": round(rss_after / 2**20, 1),
        },
    }


# The flood rows of `make bench`: each kind alone, then all three mixed.
FLOOD_PLAN: tuple[tuple[str, ...], ...] = (("ping",), ("action",), ("binary",), KINDS)


def measure_floods(
    infra, config, plan=FLOOD_PLAN, *, seconds: float = 4.0, settle_seconds: float = 3.0
) -> dict:
    """One server of `config`, one fresh room per flood of `plan`; every trial's figures."""
    from bench.rows import start_configuration

    trials = []
    try:
        db, servers = start_configuration(infra, config)
        server = servers[0]
        rooms = infra.ensure_rooms(db, 20)[-len(plan) :]  # rooms the other rows rarely use
        base = f"127.0.0.1:{server.port}"
        for kinds, room in zip(plan, rooms, strict=True):
            result = asyncio.run(
                flood_trial(
                    f"ws://{base}",
                    f"http://{base}",
                    room,
                    server.rss,
                    kinds=kinds,
                    seconds=seconds,
                    settle_seconds=settle_seconds,
                )
            )
            trials.append({"kinds": "+".join(kinds), **result})
    except Exception as exc:
        trials.append({"kinds": "-", "error": f"{type(exc).__name__}: {exc}"})
    finally:
        infra.stop_servers()
    return {"config": config.key, "label": config.label, "seconds": seconds, "trials": trials}


def _count(codes) -> dict[str, int]:
    counts: dict[str, int] = {}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    return counts


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def main(argv: list[str]) -> int:
    if len(argv) != 8 or argv[0] != "offend":
        raise SystemExit("usage: flood.py offend HOST PORT PATH ORIGIN COOKIE KINDS SECONDS")
    _, host, port, path, origin, cookie, kinds, seconds = argv
    report = asyncio.run(
        offend(host, int(port), path, origin, cookie, tuple(kinds.split(",")), float(seconds))
    )
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
