"""Daphne under pyinstrument, profiling both threads where Stay's work happens.

Stay's database calls run on Channels' single thread-sensitive executor (one
thread per process), and everything else on the event loop's thread. pyinstrument samples
only the thread it is started in, so one profiler is started on each of them. On SIGINT Daphne stops, and both profiles are
written as text (for people) and as raw stacks (for the category split).

Wall time is sampled (pyinstrument's default). A thread-CPU clock was tried and
dropped: reading it costs a system call on every Python call and return, which
inflated the cheap parts of the profile many times over.

Run: `python bench/profiled_server.py OUT_PREFIX <daphne arguments>`.
"""

import json
import sys
import threading
from pathlib import Path

from pyinstrument import Profiler

INTERVAL_S = 0.0005


def _db_executor():
    """The executor Stay's database calls run on: Channels' one database thread."""
    import django

    django.setup()
    from asgiref.sync import SyncToAsync

    return SyncToAsync.single_thread_executor, 1


def _on_every_thread(executor, threads: int, fn) -> list:
    """Run `fn` once on each of the executor's threads (a barrier keeps them apart)."""
    barrier = threading.Barrier(threads)

    def job():
        result = fn()
        barrier.wait(timeout=30)
        return result

    return [f.result(timeout=60) for f in [executor.submit(job) for _ in range(threads)]]


def main() -> None:
    prefix = Path(sys.argv[1])
    sys.argv = ["daphne", *sys.argv[2:]]
    from daphne.cli import CommandLineInterface

    executor, threads = _db_executor()
    local = threading.local()

    def start() -> Profiler:
        local.profiler = Profiler(interval=INTERVAL_S, async_mode="disabled")
        local.profiler.start()
        return local.profiler

    def stop() -> Profiler:
        local.profiler.stop()
        return local.profiler

    _on_every_thread(executor, threads, start)
    loop_profiler = Profiler(interval=INTERVAL_S, async_mode="disabled")
    loop_profiler.start()
    try:
        CommandLineInterface().run(sys.argv[1:])
    finally:
        loop_profiler.stop()
        db_profilers = _on_every_thread(executor, threads, stop)
        outputs = {"loop": [loop_profiler], "db": db_profilers}
        for name, profilers in outputs.items():
            text = "\n".join(
                p.output_text(unicode=False, color=False, show_all=False) for p in profilers
            )
            Path(f"{prefix}-{name}.txt").write_text(text)
            records = [
                [list(stack), duration]
                for p in profilers
                for stack, duration in p.last_session.frame_records
            ]
            Path(f"{prefix}-{name}.json").write_text(json.dumps(records))


if __name__ == "__main__":
    main()
