"""Counting what one client address does, in the shared cache, within a fixed window.

Anyone may start a session, and anyone may type a join link or a seat code; both are
counted per address so nobody can start thousands of rooms or guess at codes. The count
lives in the shared cache (Redis when configured), so it holds across server processes.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

JOIN_WINDOW_SECONDS = 60
CREATE_WINDOW_SECONDS = 3600
# Asking to be let in puts a question on the present partner's screen, so it is limited per
# session as well as per address: a few new questions in ten minutes, whoever asks. An
# answer is good for the same ten minutes (`web.new_device._knock_answer`).
KNOCK_WINDOW_SECONDS = 600
KNOCK_WINDOW_MS = KNOCK_WINDOW_SECONDS * 1000
KNOCKS_PER_SESSION = 3


def _nearest_hop(forwarded: str) -> str | None:
    """Behind a TLS proxy, the address the nearest proxy saw (the last X-Forwarded-For hop)."""
    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return None
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-1] if hops else None


def client_address(request) -> str:
    """The address to rate-limit: the peer, or the nearest proxy's view of it behind TLS."""
    return (
        _nearest_hop(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        or request.META.get("REMOTE_ADDR")
        or "unknown"
    )


def socket_address(scope: dict) -> str:
    """The same address for a WebSocket, read from its ASGI scope."""
    headers = dict(scope.get("headers") or ())
    forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
    client = scope.get("client")
    return _nearest_hop(forwarded) or (client[0] if client else None) or "unknown"


def _key(kind: str, address: str) -> str:
    return f"stay:{kind}-rate:{address}"


def count(kind: str, address: str, window: int) -> int:
    """Count one more for `address` and return the total in the current window.

    A fixed window from the first count: the key is created with the window as its
    lifetime and only incremented afterwards.
    """
    key = _key(kind, address)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def allow(kind: str, address: str, limit: int, window: int) -> bool:
    """Count one for this address; False once it has spent `limit` in the window."""
    return count(kind, address, window) <= limit


def spent(kind: str, address: str, limit: int) -> bool:
    """Whether this address has already used up its allowance (counts nothing)."""
    return (cache.get(_key(kind, address)) or 0) >= limit


# --- The two allowances Stay keeps -------------------------------------------------------


def allow_creation(address: str) -> bool:
    """Count one session created from this address; False once the hourly allowance is spent."""
    return allow("create", address, settings.STAY["CREATE_RATE_PER_HOUR"], CREATE_WINDOW_SECONDS)


def join_limit() -> int:
    return settings.STAY["JOIN_RATE_PER_MINUTE"]


def join_blocked(request) -> bool:
    """Whether this address has spent its join attempts for the minute (counts nothing)."""
    return spent("join", client_address(request), join_limit())


def count_join_attempt(request) -> bool:
    """Count a join attempt that found nothing (or a take-over try); False once over the limit."""
    return count_join_miss(client_address(request))


def count_join_miss(address: str) -> bool:
    """Count one try from `address` that found no place (a page or a socket); False once over."""
    return allow("join", address, join_limit(), JOIN_WINDOW_SECONDS)


def allow_knock(join_code: str) -> bool:
    """Count one request to be let in to this session; False once its allowance is spent.

    Counted per session whatever the address, so many addresses cannot keep asking the
    partner who is there. The cache key holds only a hash of the join code.
    """
    room = hashlib.sha256(join_code.encode()).hexdigest()[:32]
    return allow("knock", room, KNOCKS_PER_SESSION, KNOCK_WINDOW_SECONDS)
