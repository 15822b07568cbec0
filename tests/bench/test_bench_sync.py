"""The breathing-sync benchmark's port of the page's ping rules agrees with the JS.

bench/sync_phase.py imports the page's ping constants (socket.js's PING_RULES,
clock.js's CLOCK_RULES) under node and ports two rules (clock.js's `settled`,
socket.js's burst and refine timer). Here socket.js's RoomSocket and clock.js's
ServerClock run under node on a virtual clock (stubbed timers, a fake socket whose
pongs come back after scripted round trips), and the port runs the same scripts:
the ping times and the `settled` flags must be identical, so the exported constants
are the ones the page's code runs on. Pure python plus node; no server, no database.
"""

from __future__ import annotations

import heapq
import itertools
import json
import random
import shutil
import subprocess

import pytest

from bench.infra import REPO
from bench.sync_phase import (
    CLOCK_JS,
    SOCKET_JS,
    PageModel,
    PageRules,
    page_exports,
    page_rules,
    phase_differences,
    summarize,
)

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

# Drives the page's own RoomSocket + ServerClock in virtual time.
HARNESS = r"""
import { readFileSync } from "node:fs";

const input = JSON.parse(readFileSync(0, "utf8"));
let now = 0;
let seq = 0;
let queue = [];
const schedule = (at, fn, every = null) => {
  const timer = { at, seq: seq++, fn, every, live: true };
  queue.push(timer);
  return timer;
};
globalThis.setTimeout = (fn, ms = 0) => schedule(now + ms, fn);
globalThis.setInterval = (fn, ms) => schedule(now + ms, fn, ms);
globalThis.clearTimeout = (timer) => { if (timer) timer.live = false; };
globalThis.clearInterval = globalThis.clearTimeout;
globalThis.document = { visibilityState: "visible", addEventListener() {} };
globalThis.window = { addEventListener() {} };
globalThis.WebSocket = { CONNECTING: 0, OPEN: 1 };
const { ServerClock } = await import(input.clock);
const { RoomSocket } = await import(input.socket);

const results = input.scripts.map(({ rtts, until }) => {
  now = 0;
  queue = [];
  const clock = new ServerClock(() => now);
  const sock = new RoomSocket("ws://bench", clock, {
    onStatus() {}, onState() {}, onGone() {},
  });
  const sends = [];
  const settled = [];
  sock.ws = {
    readyState: 1,
    send(text) {
      const frame = JSON.parse(text);
      if (frame.type !== "time.ping") return;
      const rtt = rtts[Math.min(sends.length, rtts.length - 1)];
      const t0 = frame.t0;
      sends.push(now);
      schedule(now + rtt, () => {
        sock.onMessage({ data: JSON.stringify({ type: "time.pong", t0, server: 1e6 + t0 + rtt / 2 }) });
        settled.push(clock.settled);
      });
    },
  };
  sock.onOpen();
  for (let step = 0; step < 100000; step += 1) {
    queue = queue.filter((timer) => timer.live);
    if (queue.length === 0) break;
    queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const timer = queue.shift();
    if (timer.at > until) break;
    now = timer.at;
    if (timer.every !== null) {
      queue.push({ ...timer, at: timer.at + timer.every, seq: seq++ });
    }
    timer.fn();
  }
  return { sends, settled };
});
process.stdout.write(JSON.stringify(results));
"""


def run_page(scripts: list[dict]) -> list[dict]:
    """The page's own ping times and `settled` flags for each script, under node."""
    payload = json.dumps(
        {"clock": CLOCK_JS.as_uri(), "socket": SOCKET_JS.as_uri(), "scripts": scripts}
    )
    proc = subprocess.run(
        [NODE, "--input-type=module", "-e", HARNESS],
        input=payload,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def run_port(rules: PageRules, rtts: list[float], until: float) -> dict:
    """The same script through the benchmark's port (PageModel), same timer order."""
    now = 0.0
    order = itertools.count()
    queue: list = []
    model = PageModel(rules)
    sends: list[float] = []
    settled: list[bool] = []

    def schedule(at: float, fn) -> None:
        heapq.heappush(queue, (at, next(order), fn))

    def send() -> None:
        rtt = rtts[min(len(sends), len(rtts) - 1)]
        t0 = now
        sends.append(now)
        schedule(now + rtt, lambda: pong(t0, rtt))

    def pong(t0: float, rtt: float) -> None:
        delay = model.pong(t0, now, 1e6 + t0 + rtt / 2)
        settled.append(model.clock.settled)
        if delay is not None:
            schedule(now + delay, refine)

    def refine() -> None:
        model.refine_fired()
        send()

    def burst(count: int) -> None:
        for delay in model.burst(count):
            schedule(now + delay, send)

    def every() -> None:
        schedule(now + rules.ping_every_ms, every)
        burst(rules.later_burst)

    burst(rules.connect_burst)
    schedule(rules.ping_every_ms, every)
    for _ in range(100000):
        if not queue or queue[0][0] > until:
            break
        now, _, fn = heapq.heappop(queue)
        fn()
    return {"sends": sends, "settled": settled}


def scripts() -> list[dict]:
    rng = random.Random(7)
    return [
        # Settles on the first pong: only the bursts.
        {"rtts": [5.3], "until": 45000},
        # Never settles: every burst spends its whole refine budget.
        {"rtts": [40.7], "until": 70000},
        # Settles on the 9th ping, in the middle of the refinements.
        {"rtts": [60.1] * 8 + [10.2, 70.3], "until": 45000},
        # A round trip of exactly GOOD_RTT_MS counts as good.
        {"rtts": [30.5, 16, 50], "until": 45000},
        # Jittery round trips around the threshold.
        {"rtts": [rng.uniform(15, 90) for _ in range(80)], "until": 70000},
        # The one good sample ages out (clock.js forgets samples after 120 s).
        {"rtts": [5, 50.5], "until": 160000},
    ]


@needs_node
def test_the_constants_are_the_objects_the_page_modules_export():
    exports = page_exports()
    rules = page_rules()
    assert rules.good_rtt_ms == exports["CLOCK_RULES"]["goodRttMs"]
    assert rules.max_age_ms == exports["CLOCK_RULES"]["maxAgeMs"]
    assert rules.sample_limit == exports["CLOCK_RULES"]["sampleLimit"]
    assert rules.refine_limit == exports["PING_RULES"]["refineLimit"]
    assert rules.connect_burst == exports["PING_RULES"]["connectBurst"]
    assert rules.later_burst == exports["PING_RULES"]["laterBurst"]
    assert rules.burst_spacing_ms == exports["PING_RULES"]["burstSpacingMs"]
    assert rules.refine_every_ms == exports["PING_RULES"]["refineEveryMs"]
    assert rules.ping_every_ms == exports["PING_RULES"]["pingEveryMs"]


@needs_node
def test_a_changed_page_is_refused_rather_than_misread(tmp_path):
    socket_js = tmp_path / "socket.js"
    socket_js.write_text(SOCKET_JS.read_text().replace("refineLimit:", "refineBudget:"))
    with pytest.raises(ValueError, match=r"PING_RULES\.refineLimit"):
        page_rules(socket_js=socket_js)


@needs_node
def test_the_port_pings_and_settles_exactly_like_the_page():
    rules = page_rules()
    cases = scripts()
    page = run_page(cases)
    for case, theirs in zip(cases, page, strict=True):
        ours = run_port(rules, case["rtts"], case["until"])
        assert ours == theirs, case
    # The scripts do exercise the rules: refinement, budget, settling, forgetting.
    fast, never, ninth, edge, _, aged = page
    assert len(fast["sends"]) == rules.connect_burst + rules.later_burst
    per_burst = rules.connect_burst + rules.refine_limit
    assert len(never["sends"]) == per_burst + 2 * (rules.later_burst + rules.refine_limit)
    assert not any(never["settled"])
    assert ninth["settled"].index(True) == 8
    assert edge["settled"][1] is True
    assert aged["settled"][0] is True and aged["settled"][-1] is False


@needs_node
def test_the_run_fails_if_the_port_and_clock_js_disagree():
    samples = [[0.0, 30.0, 5000.0], [100.0, 110.0, 5100.0]]
    record = {
        "skews": [0.0, 0.0],
        "samples": [samples, samples],
        "settled": [[False, True], [False, True]],
        "marks": [[1, 2], [1, 2]],
    }
    assert phase_differences([record]) == {"first burst": [0.0], "second burst": [0.0]}
    record["settled"][1] = [False, False]
    with pytest.raises(RuntimeError, match="settled"):
        phase_differences([record])


@needs_node
def test_the_case_summary_counts_pings_and_unsettled_pages():
    samples = [[0.0, 30.0, 5000.0], [100.0, 110.0, 5100.0]]
    slow = [[0.0, 30.0, 5000.0], [100.0, 140.0, 5100.0]]
    record = {
        "skews": [0.0, 0.0],
        "samples": [samples, slow],
        "settled": [[False, True], [False, False]],
        "marks": [[1, 2], [1, 2]],
        "pings": [[1, 1], [1, 1]],
        "settled_after": [[False, True], [False, False]],
    }
    line = summarize("case", [record], phase_differences([record]))
    assert line["pairs"] == 1 and line["clients"] == 2
    assert line["pings"]["connect"] == {"p50": 1, "p99": 1, "max": 1}
    assert line["unsettled_after_connect"] == 2
    assert line["never_settled"] == 1
    assert line["max"] == 10.0  # best samples: 5100 - 105 = 4995 and 5000 - 15 = 4985
