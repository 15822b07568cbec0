"""Secrets that open a room or bind a seat to one browser."""

from __future__ import annotations

import hashlib
import hmac
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


# --- Seat codes ------------------------------------------------------------------------
# A short code shown to one partner in their room, typed on a new device to prove the seat
# is theirs. Letters and digits nobody confuses (no 0/O, 1/I/L, U/V), in two groups of four:
# 29^8 ≈ 5e11 codes, and guessing is limited per address (`sessions.throttle`).
SEAT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
SEAT_CODE_LENGTH = 8
SEAT_CODE_EXAMPLE = "K7PQ-4XMD"
_SEAT_CODE_SEPARATORS = re.compile(r"[\s\-–—.]+")


class BadSeatCode(ValueError):
    """Text that cannot be a seat code at all (too short, letters never used)."""


def new_seat_code() -> str:
    raw = "".join(secrets.choice(SEAT_CODE_ALPHABET) for _ in range(SEAT_CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_seat_code(text: object) -> str:
    """The code as stored and hashed: upper case, no spaces or dashes; BadSeatCode if it is not one.

    Typing is forgiving (lower case, spaces, an O for a 0 is impossible since neither is used).
    """
    if not isinstance(text, str):
        raise BadSeatCode("Please type your seat code.")
    cleaned = _SEAT_CODE_SEPARATORS.sub("", text).upper()
    if not cleaned:
        raise BadSeatCode("Please type your seat code.")
    if len(cleaned) != SEAT_CODE_LENGTH or any(ch not in SEAT_CODE_ALPHABET for ch in cleaned):
        raise BadSeatCode(
            f"A seat code has {SEAT_CODE_LENGTH} letters and numbers, like {SEAT_CODE_EXAMPLE}. "
            "Please check it and type it again."
        )
    return cleaned


def hash_seat_code(code: str, *, join_code: str, seat: str) -> str:
    """Keyed hash of a normalized seat code, bound to its session and seat.

    Keyed with the server's secret so a copy of the database alone does not let anyone
    try all the codes offline.
    """
    from django.conf import settings

    message = f"{join_code}:{seat}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


_NEVER = "0" * 64


def same_digest(given: str, stored: str) -> bool:
    """Constant-time comparison of two hex digests; an empty stored digest never matches.

    An empty one is compared against a digest of the same length first, so "no such seat"
    costs the same time as "wrong code".
    """
    same = hmac.compare_digest(given.encode(), (stored or _NEVER).encode())
    return same and bool(stored)
