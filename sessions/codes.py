"""Secrets that open a room or bind a seat to one browser."""

from __future__ import annotations

import hashlib
import re
import secrets

# 22 random bytes = 176 bits, well over the 128 the join link must carry; URL-safe base64.
JOIN_CODE_BYTES = 22
SEAT_TOKEN_BYTES = 32
_JOIN_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def new_join_code() -> str:
    return secrets.token_urlsafe(JOIN_CODE_BYTES)


def looks_like_join_code(value: object) -> bool:
    """Cheap shape check so a mistyped link never reaches the database as a query."""
    return isinstance(value, str) and bool(_JOIN_CODE_RE.match(value))


def new_seat_token() -> str:
    """The secret kept in the browser's Django session; only its hash is stored."""
    return secrets.token_urlsafe(SEAT_TOKEN_BYTES)


def hash_seat_token(token: str) -> str:
    if not isinstance(token, str) or len(token) < 16:
        raise ValueError("a seat token must be a string of at least 16 characters")
    return hashlib.sha256(token.encode()).hexdigest()
