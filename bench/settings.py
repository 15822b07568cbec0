"""Settings for benchmark servers: the test settings, with the channel layer chosen per row.

`BENCH_LAYER` picks the layer so one run can put configurations side by side:
`fast` (the embedded default), `stock` (channels' InMemoryChannelLayer),
`redis-pubsub` (the configured Redis layer) and `redis-core` (channels-redis'
RedisChannelLayer, measured once to justify the choice). Everything else is
what production runs, minus TLS.
"""

import os

# Production reuses database connections (the test settings turn that off for
# isolation); measure what production runs unless a row says otherwise.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")

from tests.settings import *  # noqa: E402, F403

_LAYER = os.environ.get("BENCH_LAYER", "fast")
_REDIS = os.environ.get("REDIS_URL", "")

if _LAYER == "fast":
    CHANNEL_LAYERS = {"default": {"BACKEND": "sessions.layers.FastInMemoryChannelLayer"}}
elif _LAYER == "stock":
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
elif _LAYER == "redis-pubsub":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": _REDIS, "max_connections": 1000}]},
        }
    }
elif _LAYER == "redis-core":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Capacity raised: the default (100) silently drops group messages under load.
            "CONFIG": {"hosts": [_REDIS], "capacity": 1000},
        }
    }
else:
    raise ValueError(f"BENCH_LAYER must be fast, stock, redis-pubsub or redis-core; got {_LAYER!r}")

if _LAYER.startswith("redis") and not _REDIS:
    raise ValueError(f"BENCH_LAYER={_LAYER} needs REDIS_URL")

# `BENCH_CONN_MAX_AGE` (seconds) measures persistent database connections, the
# first fix the profile points at; unset, the project's own setting is used.
if os.environ.get("BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])  # noqa: F405
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# `BENCH_DB_THREADS=N` measures the second fix the profile points at: Channels runs
# every `database_sync_to_async` call of a process on ONE thread, so all rooms'
# database work queues behind each other. Here those calls go to a pool of N
# threads instead (each with its own connection; the store's version-guarded
# writes are already safe between processes, hence between threads).
if os.environ.get("BENCH_DB_THREADS"):
    from concurrent.futures import ThreadPoolExecutor

    from channels.db import DatabaseSyncToAsync

    _POOL = ThreadPoolExecutor(
        max_workers=int(os.environ["BENCH_DB_THREADS"]), thread_name_prefix="db"
    )
    _original_init = DatabaseSyncToAsync.__init__

    def _pooled_init(self, func, thread_sensitive=True, executor=None, **kwargs):
        _original_init(self, func, thread_sensitive=False, executor=_POOL, **kwargs)

    DatabaseSyncToAsync.__init__ = _pooled_init

# Nothing per request on the console: logging would be part of what is measured.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}

# `BENCH_GC_LOG=path` appends one line per full (generation 2) garbage collection
# with its pause in ms, to tell collector pauses from other stalls.
if os.environ.get("BENCH_GC_LOG"):
    import gc
    import time

    _gc_log = open(os.environ["BENCH_GC_LOG"], "a", buffering=1)  # noqa: SIM115
    _gc_started = [0.0]

    def _time_collections(phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            _gc_started[0] = time.perf_counter()
        else:
            pause = (time.perf_counter() - _gc_started[0]) * 1000
            _gc_log.write(f"{time.time():.3f} gen2 {pause:.1f} ms collected {info['collected']}\n")

    gc.callbacks.append(_time_collections)
