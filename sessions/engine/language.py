"""How the engine's sentences reach a person in their own language, without Django.

The engine writes each sentence once, in English, and words it through a ``words`` object
handed in at the edge: anything with ``gettext``, ``ngettext``, ``pgettext`` and
``get_language``. Django's ``django.utils.translation`` module is one (inside
``translation.override(lang)``); ``ENGLISH`` is the engine's own, for tests and callers with
no reader. Two partners of one room can so read the same state in two languages.

Constant tables are marked with ``gettext_noop`` so ``makemessages`` finds their strings
(it knows that name) and are translated where they are used. Every sentence is one whole
template with named placeholders (``"%(name)s asked for a pause"``), never pieces glued
together, so a translator can put the name wherever their language wants it.
"""

from typing import Protocol


class Words(Protocol):
    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, number: int) -> str: ...

    def pgettext(self, context: str, message: str) -> str: ...

    def get_language(self) -> str | None: ...


def gettext_noop(message: str) -> str:
    """Mark a string for the catalogs; it is translated later, where it is shown."""
    return message


class _English:
    """The source language: every sentence as written."""

    @staticmethod
    def gettext(message: str) -> str:
        return message

    @staticmethod
    def ngettext(singular: str, plural: str, number: int) -> str:
        return singular if number == 1 else plural

    @staticmethod
    def pgettext(context: str, message: str) -> str:
        return message

    @staticmethod
    def get_language() -> str:
        return "en"


ENGLISH: Words = _English()


class Phrase(str):
    """An English phrase kept as a value until someone reads it: a stand-in name such as
    "Partner A" inside a refusal, translated when the refusal is worded for its reader."""

    __slots__ = ()


def language_of(words: Words) -> str:
    """The reader's language code in lower case ("es", "pt-br"); "en" when ``words`` has none."""
    return (words.get_language() or "en").lower().replace("_", "-")


def in_language(texts: object, language: str) -> dict | None:
    """The entry of a ``texts`` map ({"es": {...}}) for ``language``, else for its base
    language ("es" for "es-mx"); None when there is none."""
    if not texts or not isinstance(texts, dict):
        return None
    found = texts.get(language)
    if found is None and "-" in language:
        found = texts.get(language.split("-", 1)[0])
    return found if isinstance(found, dict) else None
