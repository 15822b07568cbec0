"""A protocol's text in each language it offers.

A document may say ``languages = ["en", "es"]``; the first is its own language, and without
the line it offers English only (so every file written before languages existed keeps
loading). Each text field (the protocol's title, for_whom and summary; a step's or block's
title and prompt) is then either plain text, which fits only a document in one language, or
a table of language → text (``prompt.en = "…"`` / ``prompt.es = "…"``) with every offered
language and no other.

The loaded document keeps the shape the engine and the pages always read, in its own
language, and adds ``languages`` and, when it offers more than one, ``texts``: the other
languages' words for the same fields, ``{"es": {"title": …, "prompt": …}}``, on the
document and on each step and block.

The codes are Stay's (``SUPPORTED``); a test keeps them the same as Django's
``settings.LANGUAGES``, which this package may not import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationInfo
from pydantic_core import PydanticCustomError

from .sentences import Said, Together, gettext_noop, listed, pgettext_lazy, refusal

SUPPORTED = ("en", "es")
NAMES = {"en": "English", "es": "Spanish"}
# The same names, worded for the reader of a message ("inglés", "español").
_NAMES_SAID = {
    "en": pgettext_lazy("language name", "English"),
    "es": pgettext_lazy("language name", "Spanish"),
}
DEFAULT_LANGUAGES = ("en",)

# The fields that hold words people read, on the document and on its steps and blocks.
TEXT_FIELDS = ("title", "for_whom", "summary", "prompt")


def _codes(languages: tuple[str, ...]) -> str:
    return ", ".join(languages)


def check_languages(value: Any) -> list[str]:
    """The languages a document offers, its own first; PydanticCustomError if the list is wrong."""
    example = '["' + '", "'.join(SUPPORTED) + '"]'
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise refusal(
            "languages_type",
            Said(
                gettext_noop("must be a list of language codes, such as %(example)s"),
                example=example,
            ),
        )
    if not value:
        raise refusal("languages_empty", Said(gettext_noop("must name at least one language")))
    for code in value:
        if code not in SUPPORTED:
            raise refusal(
                "language_unknown",
                Said(
                    gettext_noop('unknown language "%(code)s" (Stay offers: %(offered)s)'),
                    code=code,
                    offered=_codes(SUPPORTED),
                ),
            )
    for index, code in enumerate(value):
        if code in value[:index]:
            raise refusal("language_twice", Said(gettext_noop('names "%(code)s" twice'), code=code))
    return list(value)


def offered(data: Mapping) -> tuple[str, ...] | None:
    """The languages a raw document offers, or None when its ``languages`` line is wrong
    (that line's own error is then the one to read, not one per text)."""
    try:
        return tuple(check_languages(data.get("languages", list(DEFAULT_LANGUAGES))))
    except (PydanticCustomError, TypeError):
        return None


def undeclared(data: Mapping) -> Said | None:
    """What to say when a document writes texts in several languages without a
    ``languages`` line: one sentence for the whole document rather than one per text."""
    if "languages" in data:
        return None
    used: list[str] = []
    nodes = [data]
    while nodes:
        node = nodes.pop(0)
        for field in TEXT_FIELDS:
            text = node.get(field)
            codes = list(text) if isinstance(text, Mapping) else [DEFAULT_LANGUAGES[0]]
            if text is not None:
                used += [code for code in codes if code in SUPPORTED and code not in used]
        steps = node.get("steps")
        nodes += (
            [step for step in steps if isinstance(step, Mapping)] if isinstance(steps, list) else []
        )
    if used in ([], list(DEFAULT_LANGUAGES)):
        return None
    line = "languages = [" + ", ".join(f'"{code}"' for code in used) + "]"
    return Said(
        gettext_noop(
            "the texts are in %(used)s, but the protocol does not say which languages it "
            "offers: add %(line)s (its own language first)"
        ),
        used=_codes(tuple(used)),
        line=line,
    )


def as_text_table(value: Any, info: ValidationInfo) -> Any:
    """A text field as a table of language → text, checked against the offered languages.

    Plain text becomes the table of the document's one language; the text of each language
    is then checked on its own (not empty, not too long).
    """
    context = info.context if isinstance(info.context, Mapping) else {}
    languages = context.get("languages", DEFAULT_LANGUAGES)
    field = info.field_name
    if isinstance(value, str):
        if languages is None or len(languages) == 1:
            return {(languages or DEFAULT_LANGUAGES)[0]: value}
        tables = listed([f'{field}.{code} = "…"' for code in languages], "and")
        raise refusal(
            "text_needs_languages",
            Said(
                gettext_noop(
                    "needs its text in each language this protocol offers (%(offered)s): "
                    "write %(tables)s"
                ),
                offered=_codes(languages),
                tables=tables,
            ),
        )
    if not isinstance(value, Mapping):
        raise refusal("text_type", Said(gettext_noop("must be text")))
    if languages is None:
        return value
    offers = _codes(languages)
    problems = [
        Said(
            gettext_noop("no %(language)s text (%(code)s); this protocol offers %(offered)s"),
            language=_NAMES_SAID[code],
            code=code,
            offered=offers,
        )
        for code in languages
        if code not in value
    ]
    for code in value:
        if code in languages:
            continue
        if code in SUPPORTED:
            problems.append(
                Said(
                    gettext_noop(
                        "has %(language)s (%(code)s) text, but this protocol offers "
                        '%(offered)s: add "%(code)s" to languages, or remove %(field)s.%(code)s'
                    ),
                    language=_NAMES_SAID[code],
                    code=code,
                    offered=offers,
                    field=field,
                )
            )
        else:
            problems.append(
                Said(
                    gettext_noop(
                        'unknown language "%(code)s" in %(field)s.%(code)s '
                        "(Stay offers: %(offered)s)"
                    ),
                    code=code,
                    field=field,
                    offered=_codes(SUPPORTED),
                )
            )
    if problems:
        raise refusal("text_languages", Together(problems))
    return value


def split_texts(doc: dict, languages: tuple[str, ...]) -> dict:
    """The loaded document in its own language, the other languages' words under ``texts``."""
    doc = _split(doc, languages)
    doc["languages"] = list(languages)
    doc["steps"] = [_split_step(step, languages) for step in doc["steps"]]
    return doc


def _split_step(step: dict, languages: tuple[str, ...]) -> dict:
    step = _split(step, languages)
    if "steps" in step:
        step["steps"] = [_split(inner, languages) for inner in step["steps"]]
    return step


def _split(node: dict, languages: tuple[str, ...]) -> dict:
    own, others = languages[0], languages[1:]
    out = dict(node)
    texts: dict[str, dict[str, str]] = {code: {} for code in others}
    for field in TEXT_FIELDS:
        table = node.get(field)
        if not isinstance(table, Mapping):
            continue
        out[field] = table[own]
        for code in others:
            texts[code][field] = table[code]
    if others:
        out["texts"] = texts
    return out


def text_in(value: Any, languages: tuple[str, ...] | None) -> str | None:
    """A field's text in the document's own language as written (for naming a step in a
    message), whether plain or a table; None when there is none to show."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        for code in [*(languages or ()), *value]:
            if isinstance(value.get(code), str):
                return value[code]
    return None


def in_language(item: Mapping, language: str | None) -> dict:
    """A loaded document, step or block with its words in ``language`` where it has them
    (its own language's otherwise), for a page that lists protocols: a shallow copy without
    ``texts``. ``"es-mx"`` reads as ``"es"``."""
    out = {key: value for key, value in item.items() if key != "texts"}
    texts = item.get("texts")
    code = (language or "").lower().split("-")[0]
    words = texts.get(code) if isinstance(texts, Mapping) else None
    if isinstance(words, Mapping):
        out.update({field: words[field] for field in TEXT_FIELDS if field in words})
    return out
