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
    CHANNEL_LAYERS = {"default": {"BACKEND": "sessions.live.layers.FastInMemoryChannelLayer"}}
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
