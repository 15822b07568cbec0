"""`make bench`: measure Stay against its baselines on this machine, in one run.

Quick mode (default, a few minutes) runs one row per configuration at a modest
size; `--full` runs the whole table of issue 5 (100/500/1000/2000 rooms at human
rate, saturation, ratios, breathing sync, memory, a profile; and issue 13's
flood rows, also in quick mode; issue 15's cost per call signaling frame; issue 17's
workshop rows, both also in quick mode) and rewrites the
generated part of docs/benchmarks.md. Everything runs on 127.0.0.1, every server,
database and Redis it starts is its own and is stopped at the end, and every
loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import report  # noqa: E402
from bench.infra import REPO, Infra, postgres_answers  # noqa: E402
from bench.rows import Config, best_sustained, human_row, saturation  # noqa: E402


def configurations(main_db: str, redis: bool) -> dict[str, Config]:
    """Every configuration of issue 5, keyed for `--only`."""
    configs = [
        Config("floor", "floor: bare websockets relay", "floor", "floor", 1, "-", "-"),
        Config(
            "echo-stock",
            "echo: Channels chat, Daphne ×1, stock layer",
            "echo",
            "daphne",
            1,
            "stock",
            "-",
        ),
        Config(
            "echo-fast",
            "echo: Channels chat, Daphne ×1, fast layer",
            "echo",
            "daphne",
            1,
            "fast",
            "-",
        ),
        Config("stay-1", "Stay: Daphne ×1, fast layer", "stay", "daphne", 1, "fast", main_db),
        Config(
            "stay-1-noreuse",
            "Stay: Daphne ×1, fast layer, a new DB connection per call (before)",
            "stay",
            "daphne",
            1,
            "fast",
            main_db,
            (("DATABASE_CONN_MAX_AGE", "0"),),
        ),
        Config(
            "stay-1-gcdefault",
            "Stay: Daphne ×1, fast layer, CPython's default collector (before)",
            "stay",
            "daphne",
            1,
            "fast",
            main_db,
            (("GC_TUNING", "0"),),
        ),
        Config(
            "stay-1-sqlite",
            "Stay: Daphne ×1, fast layer (embedded default)",
            "stay",
            "daphne",
            1,
            "fast",
            "sqlite",
        ),
        Config(
            "stay-uvicorn", "Stay: Uvicorn ×1, fast layer", "stay", "uvicorn", 1, "fast", main_db
        ),
        Config(
            "echo-uvicorn",
            "echo: Channels chat, Uvicorn ×1, fast layer",
            "echo",
            "uvicorn",
            1,
            "fast",
            "-",
        ),
    ]
    if redis:
        configs += [
            Config(
                "stay-2-redis",
                "Stay: Daphne ×2 + Redis pub/sub",
                "stay",
                "daphne",
                2,
                "redis-pubsub",
                main_db,
            ),
            Config(
                "stay-2-rediscore",
                "Stay: Daphne ×2 + Redis core layer",
                "stay",
                "daphne",
                2,
                "redis-core",
                main_db,
            ),
            Config(
                "echo-2-redis",
                "echo: Channels chat, Daphne ×2 + Redis pub/sub",
                "echo",
                "daphne",
                2,
                "redis-pubsub",
                "-",
            ),
        ]
    return {config.key: config for config in configs}


# Human rate: (configuration, sizes), smallest first. A Stay configuration stops
# climbing once it misses p99 <= 100 ms with nothing lost (a larger size only
# queues more); a baseline once it is clearly overloaded (p99 over 1 s, updates
# lost, connects failing). The skipped sizes are reported; the run stays bounded.
QUICK_HUMAN = [
    ("floor", [200]),
    ("echo-stock", [1000]),
    ("echo-fast", [1000]),
    ("stay-1", [100]),
    ("stay-2-redis", [100]),
]
QUICK_SATURATION = {"stay-1": [80, 160, 240]}

FULL_UNLOADED = ["floor", "echo-fast", "echo-2-redis", "stay-1", "stay-2-redis"]
QUICK_UNLOADED = ["stay-2-redis"]

FULL_SIZES = [100, 500, 1000, 2000]
# The whole table does not fit the ~25-minute budget on two shared cores: the
# baselines get every size, Stay's main configurations climb until they miss the target,
# the variants (server, database, layer) are compared at one size.
FULL_HUMAN = [
    ("floor", FULL_SIZES),
    ("echo-fast", FULL_SIZES),
    ("echo-stock", [1000]),
    ("stay-1", [25, *FULL_SIZES]),
    ("stay-2-redis", [25, *FULL_SIZES]),
    ("stay-1-gcdefault", [1000]),
    ("stay-1-noreuse", [100]),
    ("stay-1-sqlite", [100]),
    ("stay-uvicorn", [100]),
    ("stay-2-rediscore", [100]),
]
FULL_SATURATION = {
    "floor": [800, 1600, 3200],
    "echo-fast": [200, 400, 600, 800],
    "stay-1": [80, 160, 200, 240, 280, 320],
    "stay-2-redis": [160, 240, 320, 400, 480],
    # What a second process buys even the bare Channels relay on these shared cores.
    "echo-2-redis": [200, 400, 600, 800, 1000],
}


# Issue 17: (workshops, couples each) on one Daphne process; see bench/workshop.py. Both
# rows run in quick mode too: about 1 and 1.5-2 minutes (the larger one's setup and
# 1,210 connects take ~40 s of it).
WORKSHOP_ROWS = {"workshop": (1, 60), "workshop-10x60": (10, 60)}
WORKSHOP_TRIALS = 5  # "next step for everyone" presses per row (the protocol has 9 steps)


def raise_open_files() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="the whole table; rewrites the docs")
    parser.add_argument("--only", default="", help="comma-separated configuration keys")
    parser.add_argument("--duration", type=float, help="seconds of measured load per row")
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated: human,unloaded,saturation,sync,flood,profile,frames,signal,workshop",
    )
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    args = parser.parse_args()

    started = time.monotonic()
    nofile = raise_open_files()
    main_db = "postgres" if postgres_answers() else "sqlite"
    infra = Infra()
    redis = infra.redis_available()
    configs = configurations(main_db, redis)
    only = {key for key in args.only.split(",") if key}
    skip = {key for key in args.skip.split(",") if key}
    unknown = only - set(configs) - set(WORKSHOP_ROWS)
    if unknown:
        known = sorted([*configs, *WORKSHOP_ROWS])
        parser.error(f"unknown configuration(s) {sorted(unknown)}; known: {known}")

    human_plan = FULL_HUMAN if args.full else QUICK_HUMAN
    sat_plan = FULL_SATURATION if args.full else QUICK_SATURATION
    duration = args.duration or (15.0 if args.full else 10.0)
    sat_duration = 8.0 if args.full else 6.0
    wanted = lambda key: key in configs and (not only or key in only)  # noqa: E731

    print(
        f"Stay benchmarks ({'full' if args.full else 'quick'}): database {main_db}, "
        f"Redis {'yes' if redis else 'no (Redis rows skipped)'}, open files {nofile}",
        flush=True,
    )
    results: dict = {
        "human": [],
        "skipped": [],
        "unloaded": [],
        "saturation": {},
        "sync": None,
        "flood": None,
        "profile": None,
        "frames": None,
        "signal": None,
        "workshop": [],
    }
    try:
        if "human" not in skip:
            for key, sizes in human_plan:
                if not wanted(key):
                    continue
                for index, rooms in enumerate(sizes):
                    row = human_row(infra, configs[key], rooms, duration)
                    results["human"].append(row.summary())
                    print(report.progress_line(row.summary()), flush=True)
                    # Stay stops climbing once it misses the target (larger sizes only
                    # queue more); the baselines climb until clearly overloaded.
                    stop = not row.healthy() if key.startswith("stay") else row.overloaded()
                    if stop and index < len(sizes) - 1:
                        results["skipped"].append(
                            {
                                "config": key,
                                "label": configs[key].label,
                                "rooms": sizes[index + 1 :],
                                "because": f"past the target at {rooms} rooms",
                            }
                        )
                        print(
                            f"  skipping {configs[key].label} at {sizes[index + 1 :]} rooms: "
                            f"past the target at {rooms}",
                            flush=True,
                        )
                        break
        if "unloaded" not in skip:
            # A handful of rooms acting every second or so: latency with no queueing.
            for key in FULL_UNLOADED if args.full else QUICK_UNLOADED:
                if wanted(key):
                    row = human_row(
                        infra, configs[key], 4, duration, kind="unloaded", mean_rest=1.0
                    )
                    results["unloaded"].append(row.summary())
                    print("  unloaded " + report.progress_line(row.summary()).strip(), flush=True)
        if "saturation" not in skip:
            for key, ladder in sat_plan.items():
                if not wanted(key):
                    continue
                steps = saturation(infra, configs[key], ladder, sat_duration)
                best = best_sustained(steps)
                results["saturation"][key] = {
                    "label": configs[key].label,
                    "db": configs[key].db,
                    "steps": [step.summary() for step in steps],
                    "best": best.summary() if best else None,
                }
                print(report.saturation_line(key, results["saturation"][key]), flush=True)
        if "sync" not in skip and wanted("stay-1"):
            from bench.sync_phase import measure_sync

            results["sync"] = measure_sync(infra, configs["stay-1"], trials=100 if args.full else 6)
            print(report.sync_lines(results["sync"]), flush=True)
        if "flood" not in skip and wanted("stay-1"):
            from bench.flood import measure_floods

            results["flood"] = measure_floods(infra, configs["stay-1"])
            print(report.flood_lines(results["flood"]), flush=True)
        if "profile" not in skip and wanted("stay-1"):
            from bench.profile import profile_stay

            results["profile"] = profile_stay(
                infra, configs["stay-1"], rooms=20, duration=15.0 if args.full else 8.0
            )
            print(report.profile_lines(results["profile"]), flush=True)
        if "frames" not in skip:
            from bench.frame_cost import measure_shipped

            results["frames"] = measure_shipped()
            print(report.frame_lines(results["frames"]), flush=True)
        if "signal" not in skip:
            from bench import signal_cost

            # In process always; through Daphne when Stay's own server row is wanted.
            results["signal"] = signal_cost.measure(
                infra, configs["stay-1"], daphne=wanted("stay-1")
            )
            print(signal_cost.lines(results["signal"]), flush=True)
        if "workshop" not in skip:
            from bench.workshop import measure_workshop

            for key in WORKSHOP_ROWS:
                if only and key not in only:
                    continue
                count, couples = WORKSHOP_ROWS[key]
                row = measure_workshop(
                    infra,
                    configs["stay-1"],
                    count,
                    couples,
                    key=key,
                    duration=args.duration or 30.0,
                    trials=WORKSHOP_TRIALS,
                )
                results["workshop"].append(row)
                print(report.workshop_lines(row), flush=True)
    finally:
        infra.close()

    results["machine"] = report.machine(main_db)
    results["elapsed_seconds"] = time.monotonic() - started
    print()
    print(report.markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    if args.full:
        report.rewrite_docs(REPO / "docs" / "benchmarks.md", results)
        (REPO / "bench" / "results").mkdir(exist_ok=True)
        (REPO / "bench" / "results" / "full.json").write_text(json.dumps(results, indent=1))
        print("docs/benchmarks.md rewritten.")
    print(f"Finished in {results['elapsed_seconds']:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
