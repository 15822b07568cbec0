"""How a socket reaches the database: on Channels' database thread, with one retry.

Connections are kept open between calls (`CONN_MAX_AGE`). Django's health check
would guard each call with a `SELECT 1` round trip; on the socket path that was one
round trip in three of every tap and one in two of every idle heartbeat, so it is
off (`facilitator/settings.py`). A connection that died while idle (PostgreSQL
restarted, a proxy cut it) now fails the call's first statement instead; the
broken connection is closed and the call runs once more on a new one.

Running a call twice must be harmless, and every call the consumer makes is: an
action carries a `rid` the store applies once (a call without one is not
retried), a `tick` or a `presence` that repeats the state is a no-op, leases are
upserts and reads are reads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from channels.db import database_sync_to_async
from django.db import InterfaceError, OperationalError, connection

log = logging.getLogger(__name__)

T = TypeVar("T")


def _once_more_on_a_new_connection(fn: Callable[..., T]) -> Callable[..., T]:
    def call(*args, **kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except (InterfaceError, OperationalError):
            if not _connection_died():
                raise  # a real error (or no connection at all), for the caller to report
            log.warning("database connection lost; retrying %s once", fn.__name__)
            connection.close()
            return fn(*args, **kwargs)

    call.__name__ = fn.__name__
    return call


def _connection_died() -> bool:
    if connection.in_atomic_block or connection.connection is None:
        return False
    return not connection.is_usable()


async def run(fn: Callable[..., T], *args, retry: bool = True) -> T:
    """Run `fn(*args)` on the database thread; retried once if its connection was dead."""
    target = _once_more_on_a_new_connection(fn) if retry else fn
    return await database_sync_to_async(target)(*args)
