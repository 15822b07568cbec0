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
from .sentences import Problem, Said, Words, gettext_noop, listed
from .texts import offered, split_texts, text_in, undeclared

BUILTIN_DIR = Path(__file__).resolve().parent
MAX_TEXT_CHARS = 100_000


class ProtocolError(ValueError):
    """A protocol document that cannot be used; ``errors`` holds one line per problem, in
    English, and ``problems`` the same lines as ``Problem``s a page words in its reader's
    language (``worded``)."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        self.errors = [str(problem) for problem in self.problems]
        super().__init__("\n".join(self.errors))

    def worded(self, words: Words | None = None, *, with_source: bool = True) -> list[str]:
        """Each line in ``words``' language (anything with ``gettext`` and ``pgettext``:
        Django's ``django.utils.translation``); English without ``words``."""
        return [problem.worded(words, with_source=with_source) for problem in self.problems]


def load_protocol_text(text: str, source: str = "<protocol>") -> dict:
    """Parse and validate TOML text; return the normalised protocol doc."""
    if not isinstance(text, str):
        got = type(text).__name__
        raise ProtocolError(
            [Problem(source, Said(gettext_noop("expected TOML text, got %(got)s"), got=got))]
        )
    if len(text) > MAX_TEXT_CHARS:
        too_long = gettext_noop("too long (%(length)s characters, at most %(most)s)")
        raise ProtocolError(
            [Problem(source, Said(too_long, length=len(text), most=MAX_TEXT_CHARS))]
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError([_describe_syntax_error(source, exc)]) from None
    except RecursionError:
        # "[[[[…" thousands deep exhausts the parser's stack: a refusal, never a crash.
        nested = gettext_noop("nested too deeply to read")
        raise ProtocolError([Problem(source, Said(nested))]) from None
    try:
        return load_protocol_data(data, source=source)
    except RecursionError:
        nested = gettext_noop("nested too deeply to read")
        raise ProtocolError([Problem(source, Said(nested))]) from None


def load_protocol_file(path: str | Path) -> dict:
    """Read a protocol file; errors are reported under the file's name."""
    path = Path(path)
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc
        cannot = Said(gettext_noop("cannot read file: %(reason)s"), reason=reason)
        raise ProtocolError([Problem(source, cannot)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError([Problem(source, Said(gettext_noop("not UTF-8 text")))]) from None
    return load_protocol_text(text, source=source)


def load_protocol_data(data: Any, source: str = "<protocol>") -> dict:
    """Validate an already-parsed document (a stored JSON copy, say) by the same rules."""
    if not isinstance(data, Mapping):
        got = type(data).__name__
        expected = Said(gettext_noop("expected a table of fields, got %(got)s"), got=got)
        raise ProtocolError([Problem(source, expected)])
    missing_line = undeclared(data)
    first = [Problem(source, missing_line, field="languages")] if missing_line else []
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
            # Stay's own files: a developer reads this one, in English.
            must_match = f"{doc['slug']!r} must match the file name {path.stem!r}"
            raise ProtocolError([Problem(path.name, must_match, field="slug")])
        protocols[doc["slug"]] = doc
    return protocols


def step_count(doc: Mapping) -> int:
    """How many screens the partners go through: a block runs once per partner."""
    return sum(
        2 * len(step["steps"]) if step["kind"] == "each_partner" else 1 for step in doc["steps"]
    )


# --- turning pydantic errors into sentences ---------------------------------

_SYNTAX_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


# TOML's own reason ("Invalid value") comes from Python, in English, in every language.
_SYNTAX_ERROR = gettext_noop("TOML syntax error: %(reason)s")


def _describe_syntax_error(source: str, exc: tomllib.TOMLDecodeError) -> Problem:
    message = str(exc)
    match = _SYNTAX_POSITION.search(message)
    if match:
        line, column = match.groups()
        reason = message[: match.start()]
        at = Said(gettext_noop("line %(line)s, column %(column)s"), line=line, column=column)
        return Problem(source, Said(_SYNTAX_ERROR, reason=reason), where=[at])
    reason = message.replace("(at end of document)", "at the end")
    return Problem(source, Said(_SYNTAX_ERROR, reason=reason))


def _describe(source: str, data: Mapping, err: dict) -> Problem:
    loc = list(err["loc"])
    where: list[Said] = []
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
        message = Said(
            gettext_noop("unknown field (expected one of: %(fields)s)"),
            fields=", ".join(model.model_fields),
        )
    if err["type"] == "reflect_without_speak":
        number = err["ctx"]["step"]
        inner = steps[number - 1] if isinstance(steps, list) and number <= len(steps) else None
        where.append(_step_label(number - 1, inner, languages))
        field = "kind"
    return Problem(source, message, where=where, field=field)


def _step_label(index: int, step: Any, languages: tuple[str, ...] | None) -> Said:
    title = text_in(step.get("title"), languages) if isinstance(step, Mapping) else None
    if title and title.strip():
        return Said(
            gettext_noop('step %(number)s "%(title)s"'), number=index + 1, title=title.strip()
        )
    return Said(gettext_noop("step %(number)s"), number=index + 1)


# Sentences that need no value, by pydantic's error type.
_PLAIN = {
    "model_attributes_type": gettext_noop("must be a table of fields"),
    "missing": gettext_noop("is required"),
    "float_type": gettext_noop("must be a number (seconds)"),
    "float_parsing": gettext_noop("must be a number (seconds)"),
    "int_type": gettext_noop("must be a whole number"),
    "int_parsing": gettext_noop("must be a whole number"),
    "int_from_float": gettext_noop("must be a whole number"),
    "string_type": gettext_noop("must be text"),
    "string_pattern_mismatch": gettext_noop(
        "must use only lowercase letters, digits and single hyphens"
    ),
    "list_type": gettext_noop("must be a list of steps"),
    "too_short": gettext_noop("must have at least one step"),
}
# A number's bound, by pydantic's error type.
_BOUNDS = {
    "greater_than": gettext_noop("must be greater than %(bound)s"),
    "greater_than_equal": gettext_noop("must be at least %(bound)s"),
    "less_than_equal": gettext_noop("must be at most %(bound)s"),
    "less_than": gettext_noop("must be less than %(bound)s"),
}


def _message(err: dict, field: str | None, in_block: bool) -> tuple[Said | str, str | None]:
    """A plain sentence for one error, and the field it belongs to."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "union_tag_invalid":
        return _misplaced_kind(str(ctx.get("tag")), in_block), "kind"
    if kind == "union_tag_not_found":
        required = gettext_noop("is required (one of: %(kinds)s)")
        return Said(required, kinds=", ".join(ALL_KINDS)), "kind"
    if kind == "extra_forbidden":
        return Said(gettext_noop("unknown field")), field
    if kind in _PLAIN:
        return Said(_PLAIN[kind]), field
    if kind in _BOUNDS:
        return Said(_BOUNDS[kind], bound=_number(next(iter(ctx.values())))), field
    if kind == "string_too_long":
        too_long = gettext_noop("is too long (at most %(most)s characters)")
        return Said(too_long, most=ctx["max_length"]), field
    if kind == "literal_error":
        return Said(gettext_noop("must be one of %(choices)s"), choices=_choices(ctx)), field
    if kind == "too_long":
        too_many = gettext_noop("has too many steps (at most %(most)s)")
        return Said(too_many, most=ctx["max_length"]), field
    # Custom errors from the schema (blank text, reflect without speak, languages) carry
    # their sentence (sentences.refusal); any other reads as pydantic wrote it.
    said = ctx.get("said")
    return (said if said is not None else err["msg"]), field


def _choices(ctx: dict) -> Said | str:
    """pydantic's "'both' or 'either'" as '"both" or "either"', its "or" worded too."""
    expected = str(ctx["expected"])
    values = re.findall(r"'([^']*)'", expected)
    english = expected.replace(chr(39), chr(34))
    choices = listed([f'"{value}"' for value in values], "or")
    return choices if str(choices) == english else english


# How each kind that does not end by a tap moves on, to say why ``advance`` has no place there.
_ENDS_BY = {
    "breathe": gettext_noop("a breathe step ends by itself when the breathing round is over"),
    "speak": gettext_noop("a speak step ends when the speaker says they are done"),
    "reflect": gettext_noop("a reflect step ends when the listener has reflected back"),
    "each_partner": gettext_noop("set it on the info or checkin steps inside the block instead"),
}


def _advance_misplaced(model: type) -> Said:
    kind = next(kind for kind, known in MODELS_BY_KIND.items() if known is model)
    return Said(
        gettext_noop(
            "only %(kinds)s steps can say how they move on, since they end by a tap; %(why)s"
        ),
        kinds=listed(ADVANCE_KINDS, "and"),
        why=Said(_ENDS_BY[kind]),
    )


def _misplaced_kind(tag: str, in_block: bool) -> Said:
    if tag in ("speak", "reflect") and not in_block:
        return Said(
            gettext_noop(
                '"%(kind)s" steps belong inside an each_partner block, so each of you gets a turn'
            ),
            kind=tag,
        )
    if tag == "each_partner" and in_block:
        return Said(gettext_noop("an each_partner block cannot contain another each_partner block"))
    if tag == "breathe" and in_block:
        return Said(
            gettext_noop('"breathe" steps go outside each_partner blocks, so you breathe together')
        )
    expected = TOP_LEVEL_KINDS if not in_block else BLOCK_KINDS
    return Said(
        gettext_noop('unknown kind "%(kind)s" (expected one of: %(kinds)s)'),
        kind=tag,
        kinds=", ".join(expected),
    )


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
