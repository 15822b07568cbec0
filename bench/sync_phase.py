"""Breathing sync: how far apart two partners' breathing animations can be.

Both pages draw the breathing schedule from the server's clock, estimated with
`time.ping` by static/js/clock.js. Here two sockets of one Stay room do exactly
what the page does on connect (a burst of 5 pings 120 ms apart, later a burst of
3), with a simulated device clock each (off by up to ±5 s) and an injected
one-way delay on every message. The recorded (t0, t1, server) samples are then
fed to the page's own clock.js under node (bench/clock_offsets.mjs), so the
figures are those of the code browsers run, not of a port.

Both processes run on one machine, so the true server time is known: a page's
error is its estimate minus the truth, and the phase difference between the two
pages at any instant is the difference of their errors.
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from websockets.asyncio.client import connect

from bench.infra import REPO, Infra
from bench.rows import Config, room_specs, start_configuration

BURSTS = ((5, 0.0), (3, 1.0))  # (pings, pause before the burst in s); the page waits 30 s
PING_SPACING_S = 0.12
SKEW_MS = 5000


def _none() -> float:
    return 0.0


def _jitter() -> float:
    return random.uniform(0, 50)


@dataclass(frozen=True)
class Case:
    name: str
    a_up: Callable[[], float]
    a_down: Callable[[], float]
    b_up: Callable[[], float]
    b_down: Callable[[], float]


CASES = [
    Case("no injected delay", _none, _none, _none, _none),
    Case("jitter 0–50 ms each way, both partners", _jitter, _jitter, _jitter, _jitter),
    Case("+40 ms on a's uplink only, no jitter", lambda: 40.0, _none, _none, _none),
    Case(
        "+40 ms on a's uplink only, plus jitter",
        lambda: 40.0 + _jitter(),
        _jitter,
        _jitter,
        _jitter,
    ),
]


@dataclass
class Page:
    """One partner's page: a socket, a device clock and the network delays it sees."""

    ws: object
    skew: float = 0.0
    up: Callable[[], float] = _none
    down: Callable[[], float] = _none
    samples: list = field(default_factory=list)
    pending: dict = field(default_factory=dict)

    def device_now(self) -> float:
        return time.time() * 1000 + self.skew

    async def reader(self) -> None:
        loop = asyncio.get_running_loop()
        async for text in self.ws:
            frame = json.loads(text)
            if frame.get("type") == "time.pong" and frame.get("t0") in self.pending:
                loop.call_later(self.down() / 1000, self._arrived, frame["t0"], frame["server"])

    def _arrived(self, t0: float, server: int) -> None:
        self.samples.append((t0, self.device_now(), server))
        self.pending.pop(t0).set()

    async def ping(self) -> None:
        t0 = self.device_now()
        done = self.pending[t0] = asyncio.Event()
        await asyncio.sleep(self.up() / 1000)
        await self.ws.send(json.dumps({"type": "time.ping", "t0": t0}))
        await asyncio.wait_for(done.wait(), 5)

    async def bursts(self) -> list[int]:
        """Run the page's ping bursts; return how many samples existed after each burst."""
        marks = []
        for count, pause in BURSTS:
            await asyncio.sleep(pause)
            pings = []
            for n in range(count):
                pings.append(asyncio.create_task(self.ping()))
                if n < count - 1:
                    await asyncio.sleep(PING_SPACING_S)
            await asyncio.gather(*pings)
            marks.append(len(self.samples))
        return marks


async def _trials(specs: list[dict], case: Case, trials: int) -> list[dict]:
    """Run `trials` page pairs over the rooms' sockets; return the recorded samples."""
    records = []

    async def room(spec: dict, count: int) -> None:
        sockets = []
        for role in ("a", "b"):
            s = spec[role]
            sockets.append(
                await connect(
                    s["url"],
                    origin=s["origin"],
                    additional_headers={"Cookie": s["cookie"]},
                    compression=None,
                    ping_interval=None,
                )
            )
        pages = [Page(ws) for ws in sockets]
        readers = [asyncio.create_task(page.reader()) for page in pages]
        try:
            for _ in range(count):
                for page, (up, down) in zip(
                    pages, ((case.a_up, case.a_down), (case.b_up, case.b_down)), strict=True
                ):
                    page.skew, page.up, page.down = random.uniform(-SKEW_MS, SKEW_MS), up, down
                    page.samples = []
                marks = await asyncio.gather(*(page.bursts() for page in pages))
                records.append(
                    {
                        "skews": [page.skew for page in pages],
                        "samples": [page.samples for page in pages],
                        "marks": marks,
                    }
                )
        finally:
            for reader in readers:
                reader.cancel()
            for ws in sockets:
                await ws.close()

    per_room = max(1, trials // len(specs))
    await asyncio.wait_for(asyncio.gather(*(room(spec, per_room) for spec in specs)), 300)
    return records


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def phase_differences(records: list[dict]) -> dict[str, list[float]]:
    """Run clock.js over every page's samples; phase difference after each burst."""
    clients = [samples for record in records for samples in record["samples"]]
    proc = subprocess.run(
        ["node", "bench/clock_offsets.mjs"],
        input=json.dumps({"clients": clients}),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    offsets = json.loads(proc.stdout)["offsets"]
    result: dict[str, list[float]] = {"first burst": [], "second burst": []}
    for index, record in enumerate(records):
        errors = []
        for side in range(2):
            series = offsets[2 * index + side]
            per_burst = [series[mark - 1] + record["skews"][side] for mark in record["marks"][side]]
            errors.append(per_burst)
        result["first burst"].append(abs(errors[0][0] - errors[1][0]))
        result["second burst"].append(abs(errors[0][1] - errors[1][1]))
    return result


def measure_sync(infra: Infra, config: Config, trials: int) -> dict:
    """All cases against one idle Stay server; p50/p99/max of the phase difference in ms."""
    pairs = min(20, max(1, trials // 4))
    _, servers = start_configuration(infra, config)
    try:
        specs = room_specs(infra, config, infra.database(config.db), servers, pairs, offset=0)
        cases = []
        for case in CASES:
            records = asyncio.run(_trials(specs, case, trials))
            diffs = phase_differences(records)
            settled = diffs["second burst"]
            cases.append(
                {
                    "name": case.name,
                    "p50": _percentile(settled, 50),
                    "p99": _percentile(settled, 99),
                    "max": max(settled),
                    "first_burst_p99": _percentile(diffs["first burst"], 99),
                    "pairs": len(settled),
                }
            )
    finally:
        infra.stop_servers()
    return {"server": config.label, "trials": trials, "cases": cases}
