"""How the engine's sentences reach a person in their own language, without Django.

The engine writes each sentence once, in English, and words it through a ``words`` object
handed in at the edge: anything with ``gettext``, ``ngettext``, ``pgettext`` and
``get_language``. Django's ``django.utils.translation`` module is one (inside
``translation.override(lang)``); ``ENGLISH`` is the engine's own, for tests and callers with
no reader. Two partners of one room can so read the same state in two languages.

Constant tables are marked with ``gettext_noop`` so ``makemessages`` finds their strings
(it knows that name) and are translated where they are used.
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
