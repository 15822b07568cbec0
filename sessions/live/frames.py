"""Schemas for what a browser may send over the room socket.

Everything a socket receives is outside input, so it is checked here against a
closed schema before anything else looks at it: unknown fields, wrong types and
over-long text are refused with an error that names the field, and nothing
reaches the store. Which actions exist and what their `args` mean is the
engine's business; this module only checks the envelope.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

MAX_FRAME_BYTES = 4096
MAX_RID_CHARS = 64
# How deep arrays and objects may nest: the frame, its `args`, and one level inside
# `args`. No action takes more (each arg is text, a number or true/false), and the
# limit is checked on the text before decoding, so no frame can make the decoder
# recurse ("[" * 2000 raised RecursionError and killed the socket).
MAX_ARGS_DEPTH = 2
MAX_DEPTH = 1 + MAX_ARGS_DEPTH
# Integers beyond this lose precision in a browser's JavaScript numbers.
MAX_SAFE_INTEGER = 2**53 - 1
_LONG_DIGITS = re.compile(r"\d{16}")


class FrameError(Exception):
    """A frame the server refuses; `code` is the machine code sent back in the error frame."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class _Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class TimePing(_Frame):
    """Clock probe: answered at once so the client can estimate the server clock offset."""

    type: Literal["time.ping"]
    t0: int | float


class ActionFrame(_Frame):
    """One engine input from this socket's person; `rid` makes a retried frame harmless."""

    type: Literal["action"]
    action: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z_]+$")]
    args: dict[str, Any] = Field(default_factory=dict)
    step: Annotated[int, Field(ge=0)] | None = None
    phase: Annotated[str, Field(min_length=1, max_length=16)] | None = None
    rid: Annotated[str, Field(min_length=1, max_length=MAX_RID_CHARS)] | None = None

    def engine_args(self) -> dict[str, Any]:
        """The engine wants the intended step and phase inside `args`."""
        merged = dict(self.args)
        for name in ("step", "phase"):
            value = getattr(self, name)
            if value is None:
                continue
            if name in merged:
                raise FrameError(
                    "bad_frame",
                    f"Field '{name}' belongs at the top level of the frame, not in args.",
                )
            merged[name] = value
        return merged


class Sync(_Frame):
    """Heartbeat: renews presence and asks for the state when the client is behind."""

    type: Literal["sync"]
    version: Annotated[int, Field(ge=0)]


ClientFrame = Annotated[TimePing | ActionFrame | Sync, Field(discriminator="type")]
_client_frame = TypeAdapter(ClientFrame)
FRAME_TYPES = ("action", "sync", "time.ping")


def parse(text: str | None) -> TimePing | ActionFrame | Sync:
    """Decode and validate one incoming frame, or raise FrameError with a plain reason."""
    if text is None:
        raise FrameError("bad_frame", "Frames must be JSON text, not binary.")
    data = _decode(text)
    if not isinstance(data, dict):
        raise FrameError("bad_frame", "A frame must be a JSON object with a 'type' field.")
    _refuse_unstorable_text(text, data)
    kind = data.get("type")
    if kind not in FRAME_TYPES:
        expected = ", ".join(FRAME_TYPES)
        if kind is None:
            raise FrameError("bad_frame", f"Field 'type' is required (one of {expected}).")
        raise FrameError("bad_frame", f"Unknown frame type {kind!r}; expected one of {expected}.")
    try:
        return _client_frame.validate_python(data)
    except ValidationError as exc:
        raise FrameError("bad_frame", describe(exc)) from None


def _decode(text: str) -> Any:
    """The JSON value of a frame's text, refused when too long, too deep or not strict JSON."""
    # surrogatepass: a lone surrogate must be measured (and refused later), not crash here.
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
        raise FrameError("too_large", f"A frame may be at most {MAX_FRAME_BYTES} bytes.")
    if _nesting(text) > MAX_DEPTH:
        raise FrameError(
            "bad_frame",
            f"Arrays and objects nest too deeply in this frame: at most {MAX_DEPTH} levels "
            f"(the frame, its 'args', and one level inside 'args').",
        )
    # An integer of up to 15 digits is safe; only a frame with a longer run of digits
    # (perhaps inside a string) pays for checking each integer in Python.
    parse_int = _safe_int if _LONG_DIGITS.search(text) else None
    try:
        return json.loads(
            text,
            parse_constant=_not_json,
            parse_float=_finite,
            parse_int=parse_int,
            object_pairs_hook=_no_repeats,
        )
    except FrameError:
        raise
    except (ValueError, RecursionError):
        raise FrameError("bad_json", "That frame is not valid JSON.") from None


# A JSON string (an unterminated one runs to the end of the text) or one bracket. Matched
# left to right, this splits the text the way the decoder would up to its first error,
# and the decoder never nests past that error, so the depth counted is never less than
# the depth it would reach. Linear: every character is looked at once.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
_OPENERS = frozenset("[{")


def _nesting(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, outside strings."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0  # every frame a client sends normally: nothing to scan
    depth = deepest = 0
    for token in _TOKEN.findall(text):
        if token in _OPENERS:
            depth += 1
            if depth > deepest:
                deepest = depth
        elif token in ("]", "}"):
            depth -= 1
    return deepest


# Text that no database stores alike: PostgreSQL refuses NUL in text and JSON, SQLite keeps
# it, and a lone surrogate is not UTF-8 at all. Refused here, naming the field, so the
# answer is the same `bad_args` on every database and nothing of it reaches one.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def _refuse_unstorable_text(text: str, data: dict) -> None:
    # Such a character arrives escaped (\u0000, \udfff) or, from a non-browser client,
    # raw; a frame with neither is clean without looking at each string.
    if "\\u" not in text and not _UNSTORABLE.search(text):
        return
    problem = _first_unstorable(data, "")
    if problem is not None:
        raise FrameError("bad_args", problem)


def _first_unstorable(value: Any, path: str) -> str | None:
    for where, item, is_key in _strings(value, path):
        if _UNSTORABLE.search(item):
            if is_key:
                inside = f" in field '{where}'" if where else ""
                return f"A field name{inside} contains a NUL character or a lone surrogate."
            return f"Field '{where}' must not contain a NUL character or a lone surrogate."
    return None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str, bool]]:
    """Every string in a decoded frame with where it is; keys are flagged as keys."""
    if isinstance(value, str):
        yield path, value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, key, True
            if not _UNSTORABLE.search(key):
                yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}")


# Python's json module is laxer than JSON: it reads NaN and Infinity, turns 1e999 into
# infinity and keeps the last of two equal keys. None of that may reach the store (a
# non-finite number is not storable JSON in PostgreSQL) or be silently guessed.


def _not_json(name: str) -> float:
    raise FrameError("bad_json", f"{name} is not a JSON number; send a finite number.")


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise FrameError("bad_json", f"The number {literal[:20]} is too large.")
    return value


def _safe_int(literal: str) -> int:
    value = int(literal)
    if abs(value) > MAX_SAFE_INTEGER:
        raise FrameError("bad_json", f"The number {literal[:20]} is too large.")
    return value


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            name = "A field name" if _UNSTORABLE.search(key) else f"Field '{key}'"
            raise FrameError("bad_frame", f"{name} appears more than once.")
        seen.add(key)
    return dict(pairs)


def loose_rid(text: str | None) -> str | None:
    """The rid of a refused frame, when it has a usable one, so the client can match the error.

    Never one the frame itself would refuse to store (NUL, a lone surrogate), and never
    by decoding a frame too long or too deep to decode.
    """
    if not text or len(text) > MAX_FRAME_BYTES or _nesting(text) > MAX_DEPTH:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    rid = data.get("rid") if isinstance(data, dict) else None
    if not isinstance(rid, str) or not 0 < len(rid) <= MAX_RID_CHARS:
        return None
    return None if _UNSTORABLE.search(rid) else rid


_PLAIN = {
    "missing": "is required",
    "extra_forbidden": "is not allowed",
    "int_type": "must be a whole number",
    "string_type": "must be text",
    "dict_type": "must be a JSON object",
    "string_too_long": "is too long",
    "string_too_short": "must not be empty",
    "string_pattern_mismatch": "must be lower-case letters and underscores",
    "greater_than_equal": "must not be negative",
}


_UNION_TAGS = {"int", "float"}


def describe(exc: ValidationError) -> str:
    """The first problem, in words a client author can act on, naming the field."""
    errors = exc.errors(include_url=False)
    error = errors[0]
    field = _field_name(error)
    kinds = {e["type"] for e in errors if _field_name(e) == field}
    reason = _PLAIN.get(error["type"])
    if {"int_type", "float_type"} <= kinds:
        reason = "must be a number"
    if reason is None:
        reason = error["msg"][0].lower() + error["msg"][1:]
    if error["type"] == "string_too_long":
        reason = f"is too long (at most {error['ctx']['max_length']} characters)"
    return f"Field '{field}' {reason}."


def _field_name(error: dict) -> str:
    # The discriminated union puts the frame type first in the location and a plain
    # union (t0) adds the member type after the field; neither is a field name.
    return ".".join(str(part) for part in error["loc"][1:] if part not in _UNION_TAGS)
