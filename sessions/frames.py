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
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

MAX_FRAME_BYTES = 4096
MAX_RID_CHARS = 64


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
    if len(text.encode("utf-8")) > MAX_FRAME_BYTES:
        raise FrameError("too_large", f"A frame may be at most {MAX_FRAME_BYTES} bytes.")
    try:
        data = json.loads(
            text, parse_constant=_not_json, parse_float=_finite, object_pairs_hook=_no_repeats
        )
    except FrameError:
        raise
    except ValueError:
        raise FrameError("bad_json", "That frame is not valid JSON.") from None
    if not isinstance(data, dict):
        raise FrameError("bad_frame", "A frame must be a JSON object with a 'type' field.")
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


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise FrameError("bad_frame", f"Field '{key}' appears more than once.")
        seen.add(key)
    return dict(pairs)


def loose_rid(text: str | None) -> str | None:
    """The rid of a refused frame, when it has a usable one, so the client can match the error."""
    if not text or len(text) > MAX_FRAME_BYTES:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    rid = data.get("rid") if isinstance(data, dict) else None
    return rid if isinstance(rid, str) and 0 < len(rid) <= MAX_RID_CHARS else None


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
