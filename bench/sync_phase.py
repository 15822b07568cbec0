"""Breathing sync: how far apart two partners' breathing animations can be.

Both pages draw the breathing schedule from the server's clock, estimated with
`time.ping` by static/js/clock.js. Here two sockets of one Stay room ping the way
static/js/socket.js does: on connect a burst of pings a few ms apart; after every
pong, while the clock is not `settled` (its best round trip is above clock.js's
`goodRttMs`) and the burst's refine budget lasts, one more ping a little later,
one refine timer at a time; then a later burst that renews the budget and refines
the same way (the page sends one every `pingEveryMs`; the benchmark one, after a
1 s pause). Each page has a simulated device clock (off by up to ±5 s) and an
injected one-way delay on every message.

The code copies none of the page's numbers: `page_rules` imports socket.js's
`PING_RULES` and clock.js's `CLOCK_RULES` under node, and `PageModel` is a port of
the two rules (clock.js's `settled`, socket.js's `pingBurst`/`refineClock`);
tests/bench/test_bench_sync.py runs socket.js and clock.js under node against the port.
The recorded (t0, t1, server) samples are then fed to the page's own clock.js
under node (bench/clock_offsets.mjs): it gives the offsets, so the figures are
those of the code browsers run, not of a port, and `settled` after every sample,
which must match every decision the port took during the run (the run fails
otherwise).

Both processes run on one machine, so the true server time is known: a page's
error is its estimate minus the truth, and the phase difference between the two
pages at any instant is the difference of their errors. Per case: the phase
difference after the second burst (p50/p99/max) and after the connect burst with
its refinements (first_burst_*), the pings each page sent in each phase, and how
many pages were not settled after connecting and how many never were.
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from websockets.asyncio.client import connect

from bench.infra import REPO, Infra
from bench.rows import Config, room_specs, start_configuration

CLOCK_JS = REPO / "static" / "js" / "clock.js"
SOCKET_JS = REPO / "static" / "js" / "socket.js"
SECOND_BURST_PAUSE_S = 1.0  # the page waits PING_EVERY_MS (30 s)
PING_TIMEOUT_S = 5.0
SKEW_MS = 5000


@dataclass(frozen=True)
class PageRules:
    """The page's ping constants: clock.js's CLOCK_RULES and socket.js's PING_RULES."""

    good_rtt_ms: float  # CLOCK_RULES.goodRttMs: settled once the best round trip is ≤ this
    max_age_ms: float  # CLOCK_RULES.maxAgeMs: pruneSamples forgets older samples
    sample_limit: int  # CLOCK_RULES.sampleLimit: pruneSamples keeps this many newest
    refine_every_ms: float  # PING_RULES.refineEveryMs
    refine_limit: int  # PING_RULES.refineLimit, renewed by every burst
    connect_burst: int  # PING_RULES.connectBurst: onOpen's burst
    later_burst: int  # PING_RULES.laterBurst: the burst every pingEveryMs
    burst_spacing_ms: float  # PING_RULES.burstSpacingMs: pingBurst's spacing
    ping_every_ms: float  # PING_RULES.pingEveryMs


# Which exported object and key of the page each field comes from.
_SOURCES = {
    "good_rtt_ms": ("CLOCK_RULES", "goodRttMs"),
    "max_age_ms": ("CLOCK_RULES", "maxAgeMs"),
    "sample_limit": ("CLOCK_RULES", "sampleLimit"),
    "refine_every_ms": ("PING_RULES", "refineEveryMs"),
    "refine_limit": ("PING_RULES", "refineLimit"),
    "connect_burst": ("PING_RULES", "connectBurst"),
    "later_burst": ("PING_RULES", "laterBurst"),
    "burst_spacing_ms": ("PING_RULES", "burstSpacingMs"),
    "ping_every_ms": ("PING_RULES", "pingEveryMs"),
}


def page_exports(clock_js: Path = CLOCK_JS, socket_js: Path = SOCKET_JS) -> dict:
    """clock.js's CLOCK_RULES and socket.js's PING_RULES, as node imports them."""
    code = (
        f"const c = await import({json.dumps(clock_js.as_uri())});"
        f"const s = await import({json.dumps(socket_js.as_uri())});"
        "process.stdout.write(JSON.stringify("
        "{CLOCK_RULES: c.CLOCK_RULES ?? null, PING_RULES: s.PING_RULES ?? null}));"
    )
    proc = subprocess.run(
        ["node", "--input-type=module", "-e", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"node could not import the page's modules: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def page_rules(clock_js: Path = CLOCK_JS, socket_js: Path = SOCKET_JS) -> PageRules:
    """The ping constants the page's modules export (the files in the repo by default)."""
    exports = page_exports(clock_js, socket_js)
    values = {}
    for spec in fields(PageRules):
        obj, key = _SOURCES[spec.name]
        found = exports.get(obj)
        if not isinstance(found, dict) or not isinstance(found.get(key), int | float):
            raise ValueError(f"the page exports no number {obj}.{key}; update bench/sync_phase.py")
        values[spec.name] = int(found[key]) if spec.type == "int" else float(found[key])
    return PageRules(**values)


class PageClock:
    """Port of clock.js's ServerClock, only as far as `settled` needs it."""

    def __init__(self, rules: PageRules) -> None:
        self.rules = rules
        self.samples: list[tuple[float, float]] = []  # (rtt, at), as sampleFrom
        self.rtt: float | None = None

    def add_sample(self, t0: float, t1: float, server: float) -> None:
        self.samples.append((max(0, t1 - t0), t1))
        kept = [s for s in self.samples if t1 - s[1] <= self.rules.max_age_ms]
        self.samples = kept[-self.rules.sample_limit :]
        self.rtt = min(rtt for rtt, _ in self.samples)  # bestSample's rtt

    @property
    def settled(self) -> bool:
        return self.rtt is not None and self.rtt <= self.rules.good_rtt_ms


class PageModel:
    """Port of socket.js's ping decisions (pingBurst, refineClock), no I/O, no time."""

    def __init__(self, rules: PageRules) -> None:
        self.rules = rules
        self.clock = PageClock(rules)
        self.refines_left = 0
        self.refine_timer = False

    def burst(self, count: int) -> list[float]:
        """Start a burst: renews the refine budget; returns each ping's delay in ms."""
        self.refines_left = self.rules.refine_limit
        return [i * self.rules.burst_spacing_ms for i in range(count)]

    def pong(self, t0: float, t1: float, server: float) -> float | None:
        """Record a pong; returns the delay in ms of a refine ping to send, or None."""
        self.clock.add_sample(t0, t1, server)
        if self.clock.settled or self.refines_left <= 0 or self.refine_timer:
            return None
        self.refines_left -= 1
        self.refine_timer = True
        return self.rules.refine_every_ms

    def refine_fired(self) -> None:
        """The refine timer went off (the caller sends its ping)."""
        self.refine_timer = False


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
    """One partner's page: a socket, a device clock, the network delays it sees and
    the page's ping decisions (PageModel)."""

    ws: object
    rules: PageRules
    skew: float = 0.0
    up: Callable[[], float] = _none
    down: Callable[[], float] = _none
    model: PageModel | None = None
    samples: list = field(default_factory=list)
    settled: list = field(default_factory=list)  # the port's `settled` after each sample
    pending: dict = field(default_factory=dict)
    inflight: set = field(default_factory=set)
    refined: asyncio.Event = field(default_factory=asyncio.Event)
    sent: int = 0

    def reset(self, skew: float, up: Callable[[], float], down: Callable[[], float]) -> None:
        """A fresh page load: new device clock, new delays, no samples."""
        self.skew, self.up, self.down = skew, up, down
        self.model = PageModel(self.rules)
        self.samples, self.settled, self.sent = [], [], 0

    def device_now(self) -> float:
        return time.time() * 1000 + self.skew

    async def reader(self) -> None:
        loop = asyncio.get_running_loop()
        async for text in self.ws:
            frame = json.loads(text)
            if frame.get("type") == "time.pong" and frame.get("t0") in self.pending:
                loop.call_later(self.down() / 1000, self._arrived, frame["t0"], frame["server"])

    def _arrived(self, t0: float, server: int) -> None:
        t1 = self.device_now()
        self.samples.append((t0, t1, server))
        delay = self.model.pong(t0, t1, server)
        self.settled.append(self.model.clock.settled)
        if delay is not None:
            self.refined.clear()
            asyncio.get_running_loop().call_later(delay / 1000, self._refine)
        self.pending.pop(t0).set()

    def _refine(self) -> None:
        self.model.refine_fired()
        self._send_ping()
        self.refined.set()

    def _send_ping(self) -> None:
        self.sent += 1
        task = asyncio.create_task(self._ping())
        self.inflight.add(task)
        task.add_done_callback(self.inflight.discard)

    async def _ping(self) -> None:
        t0 = self.device_now()
        done = self.pending[t0] = asyncio.Event()
        await asyncio.sleep(self.up() / 1000)
        await self.ws.send(json.dumps({"type": "time.ping", "t0": t0}))
        await asyncio.wait_for(done.wait(), PING_TIMEOUT_S)

    async def phase(self, count: int) -> int:
        """One burst of `count` pings plus its refinements, until nothing is left to
        send or answer; returns the pings sent."""
        loop = asyncio.get_running_loop()
        before = self.sent
        start = loop.time()
        for delay in self.model.burst(count):
            await asyncio.sleep(max(0.0, start + delay / 1000 - loop.time()))
            self._send_ping()
        # Each pass waits for the pings in flight or for the one refine timer, and a
        # refine timer needs a spent refine: 2 passes per ping bound it.
        for _ in range(2 * (count + self.rules.refine_limit) + 2):
            if self.inflight:
                await asyncio.gather(*list(self.inflight))
            elif self.model.refine_timer:
                await asyncio.wait_for(self.refined.wait(), PING_TIMEOUT_S)
            else:
                return self.sent - before
        raise RuntimeError("the ping phase did not go quiet")


async def _trials(specs: list[dict], case: Case, trials: int, rules: PageRules) -> list[dict]:
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
        pages = [Page(ws, rules) for ws in sockets]
        readers = [asyncio.create_task(page.reader()) for page in pages]

        async def run(page: Page) -> dict:
            marks, pings, settled = [], [], []
            for count, pause in (
                (rules.connect_burst, 0.0),
                (rules.later_burst, SECOND_BURST_PAUSE_S),
            ):
                await asyncio.sleep(pause)
                pings.append(await page.phase(count))
                marks.append(len(page.samples))
                settled.append(page.model.clock.settled)
            return {"marks": marks, "pings": pings, "settled_after": settled}

        try:
            for _ in range(count):
                for page, (up, down) in zip(
                    pages, ((case.a_up, case.a_down), (case.b_up, case.b_down)), strict=True
                ):
                    page.reset(random.uniform(-SKEW_MS, SKEW_MS), up, down)
                sides = await asyncio.gather(*(run(page) for page in pages))
                records.append(
                    {
                        "skews": [page.skew for page in pages],
                        "samples": [page.samples for page in pages],
                        "settled": [page.settled for page in pages],
                        "marks": [side["marks"] for side in sides],
                        "pings": [side["pings"] for side in sides],
                        "settled_after": [side["settled_after"] for side in sides],
                    }
                )
        finally:
            for reader in readers:
                reader.cancel()
            for ws in sockets:
                await ws.close()

    per_room = max(1, trials // len(specs))
    # A trial is two phases of at most burst + REFINE_LIMIT pings, each answered
    # within PING_TIMEOUT_S; in practice a trial takes well under 20 s.
    bound = 60 + per_room * 120
    await asyncio.wait_for(asyncio.gather(*(room(spec, per_room) for spec in specs)), bound)
    return records


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def phase_differences(records: list[dict]) -> dict[str, list[float]]:
    """Run clock.js over every page's samples; phase difference after each phase.

    Fails if clock.js's `settled` differs, after any sample, from the port's
    decision during the run."""
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
    out = json.loads(proc.stdout)
    offsets, node_settled = out["offsets"], out["settled"]
    ported = [flags for record in records for flags in record["settled"]]
    for index, (ours, theirs) in enumerate(zip(ported, node_settled, strict=True)):
        if ours != theirs:
            raise RuntimeError(
                f"client {index}: the port's `settled` {ours} differs from clock.js's {theirs}"
            )
    result: dict[str, list[float]] = {"first burst": [], "second burst": []}
    for index, record in enumerate(records):
        errors = []
        for side in range(2):
            series = offsets[2 * index + side]
            per_phase = [series[mark - 1] + record["skews"][side] for mark in record["marks"][side]]
            errors.append(per_phase)
        result["first burst"].append(abs(errors[0][0] - errors[1][0]))
        result["second burst"].append(abs(errors[0][1] - errors[1][1]))
    return result


def _spread(values: list[float]) -> dict:
    return {"p50": _percentile(values, 50), "p99": _percentile(values, 99), "max": max(values)}


def summarize(name: str, records: list[dict], diffs: dict[str, list[float]]) -> dict:
    """One case's line of the result: phase differences, pings sent, pages unsettled."""
    second, first = diffs["second burst"], diffs["first burst"]
    pages = [
        (pings, after, flags)
        for record in records
        for pings, after, flags in zip(
            record["pings"], record["settled_after"], record["settled"], strict=True
        )
    ]
    return {
        "name": name,
        "p50": _percentile(second, 50),
        "p99": _percentile(second, 99),
        "max": max(second),
        "first_burst_p50": _percentile(first, 50),
        "first_burst_p99": _percentile(first, 99),
        "first_burst_max": max(first),
        "pairs": len(second),
        "clients": len(pages),
        "pings": {
            "connect": _spread([pings[0] for pings, _, _ in pages]),
            "second": _spread([pings[1] for pings, _, _ in pages]),
        },
        "unsettled_after_connect": sum(not after[0] for _, after, _ in pages),
        # settled after no sample at all, in either phase
        "never_settled": sum(not any(flags) for _, _, flags in pages),
    }


def measure_sync(infra: Infra, config: Config, trials: int) -> dict:
    """All cases against one idle Stay server; p50/p99/max of the phase difference in ms."""
    rules = page_rules()
    # Pairs run side by side (up to 20 rooms at once): a pair spends most of its time
    # waiting between pings, so this only shortens the run.
    pairs = min(20, max(1, trials))
    _, servers = start_configuration(infra, config)
    try:
        specs = room_specs(infra, config, infra.database(config.db), servers, pairs, offset=0)
        cases = []
        for case in CASES:
            records = asyncio.run(_trials(specs, case, trials, rules))
            cases.append(summarize(case.name, records, phase_differences(records)))
    finally:
        infra.stop_servers()
    return {"server": config.label, "trials": trials, "page": asdict(rules), "cases": cases}
