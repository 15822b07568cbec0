"""What the loader says about a broken protocol, written once in English and worded for
each reader at the edge.

An author reads each problem as one line: ``protocol: step 3 "Breathe": inhale: must be
greater than 0`` — where it is, the field, and a sentence. The command line and the tests
read that English line as it always was (``ProtocolError.errors``); a counselor's page words
the same problem in her language through a ``words`` object, anything with ``gettext`` and
``pgettext`` (Django's ``django.utils.translation`` module, say), as the engine's sentences
are (``sessions/engine/language.py``). This package imports no Django and nothing else of
Stay's, so its sentences are marked with its own ``gettext_noop``, a name ``makemessages``
knows, and translated where they are shown. Each is one whole template with named
placeholders; field names, kinds, codes and the author's own titles stay as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from pydantic_core import PydanticCustomError


class Words(Protocol):
    def gettext(self, message: str) -> str: ...

    def pgettext(self, context: str, message: str) -> str: ...


def gettext_noop(message: str) -> str:
    """Mark a string for the catalogs; it is translated later, where it is shown."""
    return message


def pgettext_lazy(context: str, message: str) -> Said:
    """A phrase with a translator's context ("language name": "Spanish"), worded later;
    the name ``makemessages`` knows for a marked phrase with a context."""
    return Said(message, context=context)


class Said:
    """A sentence: an English template marked with ``gettext_noop``, with named
    ``%(placeholders)s`` filled from ``params`` (a value may be a ``Said`` too, worded with
    it). ``str()`` is the English; ``worded(words)`` the same sentence in ``words``' language.
    """

    __slots__ = ("context", "params", "template")

    def __init__(self, template: str, context: str | None = None, **params: Any):
        self.template = template
        self.context = context
        self.params = params

    def worded(self, words: Words | None = None) -> str:
        if words is None:
            text = self.template
        elif self.context:
            text = words.pgettext(self.context, self.template)
        else:
            text = words.gettext(self.template)
        if not self.params:
            return text
        return text % {key: worded(value, words) for key, value in self.params.items()}

    def __str__(self) -> str:
        return self.worded()

    def __repr__(self) -> str:
        return f"Said({self.worded()!r})"


class Together:
    """Several sentences about one field, read as one: "…; …"."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[Said | str]):
        self.parts = tuple(parts)

    def worded(self, words: Words | None = None) -> str:
        return "; ".join(worded(part, words) for part in self.parts)

    def __str__(self) -> str:
        return self.worded()


def worded(part: Said | Together | str, words: Words | None = None) -> str:
    """A part of a line in ``words``' language: a sentence is worded, plain text kept."""
    return part.worded(words) if isinstance(part, Said | Together) else str(part)


def listed(values: Sequence[str], conjunction: str) -> Said | str:
    """'"a", "b" or "c"' as one worded phrase (``conjunction``: "or" or "and")."""
    values = list(values)
    if len(values) < 2:
        return values[0] if values else ""
    some, last = ", ".join(values[:-1]), values[-1]
    if conjunction == "or":
        return Said(gettext_noop("%(some)s or %(last)s"), some=some, last=last)
    return Said(gettext_noop("%(some)s and %(last)s"), some=some, last=last)


class Problem:
    """One line of a ``ProtocolError``: the source (a file's name), where in it (the steps,
    or a line and column), the field, and the sentence saying what is wrong."""

    __slots__ = ("field", "message", "source", "where")

    def __init__(
        self,
        source: str,
        message: Said | Together | str,
        where: Sequence[Said | str] = (),
        field: str | None = None,
    ):
        self.source = source
        self.where = tuple(where)
        self.field = field
        self.message = message

    def pieces(self, words: Words | None = None, *, with_source: bool = True) -> list:
        """The line's parts in ``words``' language, each named (``"source"``, ``"where"``,
        ``"field"``, ``"message"``), for a page that shows the field as code."""
        parts = [
            ("source", self.source if with_source else ""),
            ("where", ", ".join(worded(part, words) for part in self.where)),
            ("field", self.field or ""),
            ("message", worded(self.message, words)),
        ]
        return [(name, text) for name, text in parts if text]

    def worded(self, words: Words | None = None, *, with_source: bool = True) -> str:
        """The line in ``words``' language (English without), with or without the source."""
        return ": ".join(text for _, text in self.pieces(words, with_source=with_source))

    def __str__(self) -> str:
        return self.worded()

    def __repr__(self) -> str:
        return f"Problem({self.worded()!r})"


def refusal(kind: str, said: Said | Together, **context: Any) -> PydanticCustomError:
    """A schema error whose message is ``said``: pydantic's ``msg`` is its English, and
    ``ctx["said"]`` keeps the sentence for the loader to word again for its reader."""
    return PydanticCustomError(kind, "{said}", {"said": said, **context})
