"""Schemas for what a browser may send over the room socket.

Everything a socket receives is outside input, so it is checked here against a
closed schema before anything else looks at it: unknown fields, wrong types and
over-long text are refused with an error that names the field, and nothing
reaches the store. Which actions exist and what their `args` mean is the
engine's business; this module only checks the envelope.

The call's frames (`call.*`, issue 15) are checked here too, down to each ICE
candidate, because they are relayed to another person's browser: what leaves
this server for someone else must be what the schema allows, nothing more. Only
`call.signal` may be larger than 4 KiB (an SDP offer for audio and video is
several KiB); its own text fields are capped so the relay costs a bounded amount.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

MAX_FRAME_BYTES = 4096
# A `call.signal` frame carries an SDP (a browser's offer for audio and video is 3-8 KiB)
# or a batch of ICE candidates; it may be this large. Every other frame keeps the 4 KiB cap,
# checked once the frame's type is known.
MAX_SIGNAL_FRAME_BYTES = 20 * 1024
MAX_SDP_CHARS = 16_384
MAX_CANDIDATE_CHARS = 512
MAX_CANDIDATES = 20
# A page's id for its place in the call: a new one per page load, the same through a
# socket's reconnects (`call.join` again with it resumes the call).
PEER_PATTERN = r"^[A-Za-z0-9_-]{8,36}$"
ROLES = ("a", "b", "host")
MAX_RID_CHARS = 64
# How deep arrays and objects may nest: the frame, its `args`, and one level inside
# `args` (a call.signal's `candidates` list and each candidate in it are the same
# depth). No action takes more (each arg is text, a number or true/false), and the
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


# --- the call (issue 15): relayed to one other person in the room, never stored ----------

Peer = Annotated[str, Field(pattern=PEER_PATTERN)]


class CallJoin(_Frame):
    """Enter the call (or re-enter it after a reconnect, with the same `peer`)."""

    type: Literal["call.join"]
    peer: Peer
    mic: bool
    camera: bool


class CallMedia(_Frame):
    """This person's microphone or camera changed; only while in the call."""

    type: Literal["call.media"]
    mic: bool
    camera: bool


class CallHangup(_Frame):
    """Leave the call."""

    type: Literal["call.hangup"]


class CallIceAsk(_Frame):
    """Ask for fresh ICE servers (the TURN credential is near its end)."""

    type: Literal["call.ice"]


class Description(_Frame):
    """An SDP offer or answer, as `RTCSessionDescription.toJSON()` gives it."""

    type: Literal["offer", "answer"]
    sdp: Annotated[str, Field(max_length=MAX_SDP_CHARS)]


class Candidate(_Frame):
    """One ICE candidate, as `RTCIceCandidate.toJSON()` gives it ("" ends the candidates)."""

    candidate: Annotated[str, Field(max_length=MAX_CANDIDATE_CHARS)]
    sdpMid: Annotated[str, Field(max_length=64)] | None = None  # noqa: N815 (the browser's name)
    sdpMLineIndex: Annotated[int, Field(ge=0, le=1023)] | None = None  # noqa: N815
    usernameFragment: Annotated[str, Field(max_length=256)] | None = None  # noqa: N815


class CallSignal(_Frame):
    """An offer, answer or ICE candidates for one other person in the call.

    `to` is their role and `peer` the peer id this socket last heard for them, so a
    signal meant for a page that has since reloaded is refused, not misdelivered.
    """

    type: Literal["call.signal"]
    to: Literal["a", "b", "host"]
    peer: Peer
    description: Description | None = None
    candidates: (
        Annotated[list[Candidate], Field(min_length=1, max_length=MAX_CANDIDATES)] | None
    ) = None

    def check(self) -> None:
        if (self.description is None) == (self.candidates is None):
            raise FrameError(
                "bad_frame",
                "A call.signal carries exactly one of 'description' and 'candidates'.",
            )

    def payload(self) -> dict[str, Any]:
        """What is relayed: the description or the candidates, exactly as validated."""
        if self.description is not None:
            return {"description": self.description.model_dump()}
        return {"candidates": [c.model_dump(exclude_unset=True) for c in self.candidates]}


ClientFrame = Annotated[
    TimePing | ActionFrame | Sync | CallJoin | CallMedia | CallHangup | CallIceAsk | CallSignal,
    Field(discriminator="type"),
]
_client_frame = TypeAdapter(ClientFrame)
CALL_FRAME_TYPES = ("call.join", "call.media", "call.hangup", "call.signal", "call.ice")
FRAME_TYPES = ("action", "sync", "time.ping", *CALL_FRAME_TYPES)
# The byte cap of each frame type beyond the common one.
_FRAME_BYTES = {"call.signal": MAX_SIGNAL_FRAME_BYTES}
# Text fields whose length is a size, not a shape: over it, the answer is `too_large`.
_SIZED_FIELDS = ("sdp", "candidate")


def parse(
    text: str | None,
) -> TimePing | ActionFrame | Sync | CallJoin | CallMedia | CallHangup | CallIceAsk | CallSignal:
    """Decode and validate one incoming frame, or raise FrameError with a plain reason."""
    if text is None:
        raise FrameError("bad_frame", "Frames must be JSON text, not binary.")
    size = len(text.encode("utf-8", "surrogatepass"))
    data = _decode(text, size)
    if not isinstance(data, dict):
        raise FrameError("bad_frame", "A frame must be a JSON object with a 'type' field.")
    _refuse_unstorable_text(text, data)
    kind = data.get("type")
    if kind not in FRAME_TYPES:
        expected = ", ".join(FRAME_TYPES)
        if kind is None:
            raise FrameError("bad_frame", f"Field 'type' is required (one of {expected}).")
        raise FrameError("bad_frame", f"Unknown frame type {kind!r}; expected one of {expected}.")
    cap = _FRAME_BYTES.get(kind, MAX_FRAME_BYTES)
    if size > cap:
        raise FrameError("too_large", f"A frame of type {kind!r} may be at most {cap} bytes.")
    try:
        frame = _client_frame.validate_python(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        too_long = error["type"] == "string_too_long" and error["loc"][-1] in _SIZED_FIELDS
        raise FrameError("too_large" if too_long else "bad_frame", describe(exc)) from None
    if isinstance(frame, CallSignal):
        frame.check()
    return frame


def _decode(text: str, size: int) -> Any:
    """The JSON value of a frame's text, refused when too long, too deep or not strict JSON.

    Text up to the largest cap of any frame type is decoded; the cap of the frame's own
    type is applied once its type is known (`parse`).
    """
    if size > MAX_SIGNAL_FRAME_BYTES:
        raise FrameError(
            "too_large",
            f"A frame may be at most {MAX_FRAME_BYTES} bytes "
            f"({MAX_SIGNAL_FRAME_BYTES} for call.signal).",
        )
    if _nesting(text) > MAX_DEPTH:
        raise FrameError(
            "bad_frame",
            f"Arrays and objects nest too deeply in this frame: at most {MAX_DEPTH} levels "
            "(the frame, a field such as 'args' or 'candidates', and one level inside it).",
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
# the depth it would reach. Linear: every character is looked at once. The string is
# written as runs of plain characters between escapes ("unrolled"), not one alternation
# per character: 4-7x faster on a call.signal's long candidate and SDP strings
# (bench/signal_cost.py), the same tokens.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)
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
    # raw; a frame with neither is clean without looking at each string. An ASCII text
    # (`isascii` reads a flag, it scans nothing) holds no surrogate, raw; searching a
    # 5 KB SDP for one took 100-200 µs.
    if "\\u" not in text and not _raw_unstorable(text):
        return
    problem = _first_unstorable(data, "")
    if problem is not None:
        raise FrameError("bad_args", problem)


def _raw_unstorable(text: str) -> bool:
    if text.isascii():
        return "\x00" in text
    return _UNSTORABLE.search(text) is not None


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
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object",
}

# What each pattern asks for, in words (the default is the action's).
_PATTERN_WORDS = {PEER_PATTERN: "must be 8 to 36 characters of A-Z, a-z, 0-9, _ and -"}


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
    context = error.get("ctx", {})
    if error["type"] == "string_too_long":
        reason = f"is too long (at most {context['max_length']} characters)"
    elif error["type"] == "string_pattern_mismatch":
        reason = _PATTERN_WORDS.get(context.get("pattern"), reason)
    elif error["type"] == "literal_error":
        reason = f"must be one of {context['expected']}"
    elif error["type"] == "too_short":
        reason = f"must have at least {context['min_length']} item"
    elif error["type"] == "too_long":
        reason = f"may have at most {context['max_length']} items"
    elif error["type"] == "less_than_equal":
        reason = f"must be at most {context['le']}"
    if not field:
        return reason[:1].upper() + reason[1:] + "."
    return f"Field '{field}' {reason}."


def _field_name(error: dict) -> str:
    # The discriminated union puts the frame type first in the location and a plain
    # union (t0) adds the member type after the field; neither is a field name.
    return ".".join(str(part) for part in error["loc"][1:] if part not in _UNION_TAGS)
