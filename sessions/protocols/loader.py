"""Reading protocol documents and explaining what is wrong with them.

The people who write protocols are counselors, not programmers, so every
problem is reported in one pass, each on its own line, pointing at the file,
the step (number and title, the block too for a step inside one) and the
field — never a pydantic traceback.
"""

from __future__ import annotations

import copy
import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .schema import (
    ADVANCE_KINDS,
    ALL_KINDS,
    BLOCK_KINDS,
    MODELS_BY_KIND,
    TOP_LEVEL_KINDS,
    Protocol,
    reflect_before_speak,
    reflect_without_speak_error,
)
from .texts import offered, split_texts, text_in, undeclared

BUILTIN_DIR = Path(__file__).resolve().parent
MAX_TEXT_CHARS = 100_000


class ProtocolError(ValueError):
    """A protocol document that cannot be used; ``errors`` holds one line per problem."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def load_protocol_text(text: str, source: str = "<protocol>") -> dict:
    """Parse and validate TOML text; return the normalised protocol doc."""
    if not isinstance(text, str):
        raise ProtocolError([f"{source}: expected TOML text, got {type(text).__name__}"])
    if len(text) > MAX_TEXT_CHARS:
        raise ProtocolError(
            [f"{source}: too long ({len(text)} characters, at most {MAX_TEXT_CHARS})"]
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError([_describe_syntax_error(source, exc)]) from None
    return load_protocol_data(data, source=source)


def load_protocol_file(path: str | Path) -> dict:
    """Read a protocol file; errors are reported under the file's name."""
    path = Path(path)
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProtocolError([f"{source}: cannot read file: {exc.strerror or exc}"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError([f"{source}: not UTF-8 text"]) from None
    return load_protocol_text(text, source=source)


def load_protocol_data(data: Any, source: str = "<protocol>") -> dict:
    """Validate an already-parsed document (a stored JSON copy, say) by the same rules."""
    if not isinstance(data, Mapping):
        raise ProtocolError([f"{source}: expected a table of fields, got {type(data).__name__}"])
    missing_line = undeclared(data)
    first = [f"{source}: languages: {missing_line}"] if missing_line else []
    languages = None if missing_line else offered(data)
    try:
        protocol = Protocol.model_validate(dict(data), context={"languages": languages})
    except ValidationError as exc:
        errors = exc.errors()
        raise ProtocolError(
            first
            + [_describe(source, data, err) for err in [*errors, *_unchecked_order(data, errors)]]
        ) from None
    if first:
        raise ProtocolError(first)
    return split_texts(protocol.model_dump(mode="json"), tuple(protocol.languages))


def _unchecked_order(data: Mapping, errors: list) -> list[dict]:
    """Reflect-before-speak errors in blocks pydantic stopped checking early.

    The schema checks step order only in a block whose fields are all valid; an
    author should still see every problem in one pass.
    """
    reported = {err["loc"][:2] for err in errors if err["type"] == "reflect_without_speak"}
    steps = data.get("steps")
    extra = []
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        if not isinstance(step, Mapping) or step.get("kind") != "each_partner":
            continue
        inner = step.get("steps")
        if ("steps", index) in reported or not isinstance(inner, list):
            continue
        kinds = [s.get("kind") if isinstance(s, Mapping) else None for s in inner]
        number = reflect_before_speak(kinds)
        if number is not None:
            error = reflect_without_speak_error(number)
            extra.append(
                {
                    "type": error.type,
                    "loc": ("steps", index, "each_partner"),
                    "msg": error.message(),
                    "ctx": error.context,
                }
            )
    return extra


def builtin_protocols() -> dict[str, dict]:
    """The protocols shipped with Stay, by slug (a fresh copy each call)."""
    return copy.deepcopy(_load_builtins())


@functools.cache
def _load_builtins() -> dict[str, dict]:
    protocols: dict[str, dict] = {}
    for path in sorted(BUILTIN_DIR.glob("*.toml")):
        doc = load_protocol_file(path)
        if doc["slug"] != path.stem:
            raise ProtocolError(
                [f"{path.name}: slug: {doc['slug']!r} must match the file name {path.stem!r}"]
            )
        protocols[doc["slug"]] = doc
    return protocols


def step_count(doc: Mapping) -> int:
    """How many screens the partners go through: a block runs once per partner."""
    return sum(
        2 * len(step["steps"]) if step["kind"] == "each_partner" else 1 for step in doc["steps"]
    )


# --- turning pydantic errors into sentences ---------------------------------

_SYNTAX_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _describe_syntax_error(source: str, exc: tomllib.TOMLDecodeError) -> str:
    message = str(exc)
    match = _SYNTAX_POSITION.search(message)
    if match:
        line, column = match.groups()
        reason = message[: match.start()]
        return f"{source}: line {line}, column {column}: TOML syntax error: {reason}"
    return f"{source}: TOML syntax error: {message.replace('(at end of document)', 'at the end')}"


def _describe(source: str, data: Mapping, err: dict) -> str:
    loc = list(err["loc"])
    where: list[str] = []
    languages = offered(data)
    node: Any = data
    steps: Any = data.get("steps")
    field: str | None = None
    model: type = Protocol
    while loc:
        head = loc.pop(0)
        if head == "steps" and loc and isinstance(loc[0], int):
            index = loc.pop(0)
            step = steps[index] if isinstance(steps, list) and index < len(steps) else None
            where.append(_step_label(index, step, languages))
            if loc and loc[0] in ALL_KINDS:  # the discriminator tag pydantic inserts
                model = MODELS_BY_KIND[loc.pop(0)]
            node = step
            steps = step.get("steps") if isinstance(step, Mapping) else None
            continue
        if len(loc) == 1 and isinstance(node, Mapping) and isinstance(node.get(head), str):
            loc = []  # plain text, checked as the one language's: name the field as written
        field = ".".join(str(part) for part in [head, *loc])
        break

    message, field = _message(err, field, in_block=len(where) > 1)
    if err["type"] == "extra_forbidden" and field == "advance" and model is not Protocol:
        message = _advance_misplaced(model)
    elif err["type"] == "extra_forbidden":
        message += " (expected one of: " + ", ".join(model.model_fields) + ")"
    if err["type"] == "reflect_without_speak":
        number = err["ctx"]["step"]
        inner = steps[number - 1] if isinstance(steps, list) and number <= len(steps) else None
        where.append(_step_label(number - 1, inner, languages))
        field = "kind"
    parts = [source, ", ".join(where), field, message]
    return ": ".join(part for part in parts if part)


def _step_label(index: int, step: Any, languages: tuple[str, ...] | None) -> str:
    title = text_in(step.get("title"), languages) if isinstance(step, Mapping) else None
    if title and title.strip():
        return f'step {index + 1} "{title.strip()}"'
    return f"step {index + 1}"


def _message(err: dict, field: str | None, in_block: bool) -> tuple[str, str | None]:
    """A plain sentence for one error, and the field it belongs to."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "union_tag_invalid":
        return _misplaced_kind(str(ctx.get("tag")), in_block), "kind"
    if kind == "union_tag_not_found":
        return "is required (one of: " + ", ".join(ALL_KINDS) + ")", "kind"
    if kind == "model_attributes_type":
        return "must be a table of fields", field
    if kind == "missing":
        return "is required", field
    if kind == "extra_forbidden":
        return "unknown field", field
    if kind in ("greater_than", "greater_than_equal", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()))
        words = {
            "greater_than": "greater than",
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        return f"must be {words} {_number(bound)}", field
    if kind in ("float_type", "float_parsing"):
        return "must be a number (seconds)", field
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number", field
    if kind == "string_type":
        return "must be text", field
    if kind == "string_too_long":
        return f"is too long (at most {ctx['max_length']} characters)", field
    if kind == "string_pattern_mismatch":
        return "must use only lowercase letters, digits and single hyphens", field
    if kind == "literal_error":
        return f"must be one of {ctx['expected'].replace(chr(39), chr(34))}", field
    if kind == "list_type":
        return "must be a list of steps", field
    if kind == "too_short":
        return "must have at least one step", field
    if kind == "too_long":
        return f"has too many steps (at most {ctx['max_length']})", field
    # Custom errors from the schema (blank text, reflect without speak) read well as they are.
    return err["msg"], field


# How each kind that does not end by a tap moves on, to say why ``advance`` has no place there.
_ENDS_BY = {
    "breathe": "a breathe step ends by itself when the breathing round is over",
    "speak": "a speak step ends when the speaker says they are done",
    "reflect": "a reflect step ends when the listener has reflected back",
    "each_partner": "set it on the info or checkin steps inside the block instead",
}


def _advance_misplaced(model: type) -> str:
    kind = next(kind for kind, known in MODELS_BY_KIND.items() if known is model)
    kinds = " and ".join(ADVANCE_KINDS)
    return f"only {kinds} steps can say how they move on, since they end by a tap; {_ENDS_BY[kind]}"


def _misplaced_kind(tag: str, in_block: bool) -> str:
    if tag in ("speak", "reflect") and not in_block:
        return f'"{tag}" steps belong inside an each_partner block, so each of you gets a turn'
    if tag == "each_partner" and in_block:
        return "an each_partner block cannot contain another each_partner block"
    if tag == "breathe" and in_block:
        return '"breathe" steps go outside each_partner blocks, so you breathe together'
    expected = TOP_LEVEL_KINDS if not in_block else BLOCK_KINDS
    return f'unknown kind "{tag}" (expected one of: {", ".join(expected)})'


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
