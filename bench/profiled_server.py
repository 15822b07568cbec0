"""Daphne under pyinstrument, profiling both threads where Stay's work happens.

Channels runs every `database_sync_to_async` call of a process on one shared
thread (asgiref's thread-sensitive executor), and everything else on the event
loop's thread. pyinstrument samples only the thread it is started in, so one
profiler is started on each. On SIGINT Daphne stops, and both profiles are
written as text (for people) and as raw stacks (for the category split).

Wall time is sampled (pyinstrument's default). A thread-CPU clock was tried and
dropped: reading it costs a system call on every Python call and return, which
inflated the cheap parts of the profile many times over.

Run: `python bench/profiled_server.py OUT_PREFIX <daphne arguments>`.
"""

import json
import sys
from pathlib import Path

from pyinstrument import Profiler

INTERVAL_S = 0.0005


def main() -> None:
    prefix = Path(sys.argv[1])
    sys.argv = ["daphne", *sys.argv[2:]]
    from asgiref.sync import SyncToAsync
    from daphne.cli import CommandLineInterface

    loop_profiler = Profiler(interval=INTERVAL_S, async_mode="disabled")
    db_profiler = Profiler(interval=INTERVAL_S, async_mode="disabled")
    executor = SyncToAsync.single_thread_executor
    executor.submit(db_profiler.start).result()
    loop_profiler.start()
    try:
        CommandLineInterface().run(sys.argv[1:])
    finally:
        loop_profiler.stop()
        executor.submit(db_profiler.stop).result()
        for name, profiler in (("loop", loop_profiler), ("db", db_profiler)):
            session = profiler.last_session
            text = profiler.output_text(unicode=False, color=False, show_all=False)
            Path(f"{prefix}-{name}.txt").write_text(text)
            records = [[list(stack), duration] for stack, duration in session.frame_records]
            Path(f"{prefix}-{name}.json").write_text(json.dumps(records))


if __name__ == "__main__":
    main()
