"""The garbage collector's settings for a server process.

A process holding thousands of open sockets tracks a great many long-lived objects
(each socket's protocol, consumer, tasks and scope). CPython's full (generation 2)
collection walks every one of them while the event loop waits; under load those
pauses were the whole tail of the a→b latency (measured in docs/benchmarks.md).

Two changes, both standard for long-running Python servers: objects alive once
start-up is done (Django, the app, its protocols) are frozen out of the
collector's reach, since they are never garbage; and the young generation is
collected after 50,000 allocations instead of 700, so short-lived objects die
before they are promoted and full collections become rare. Reference counting
still frees everything that is not in a cycle at once; cycles are still found,
just later. `GC_TUNING=0` keeps CPython's defaults.
"""

from __future__ import annotations

import gc

from facilitator.env import env_bool

THRESHOLDS = (50_000, 20, 100)


def tune() -> bool:
    """Apply the settings above unless GC_TUNING=0; returns whether it did."""
    if not env_bool("GC_TUNING", True):
        return False
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    return True
