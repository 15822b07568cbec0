"""Refusing form fields nobody asked for.

Django's forms and `request.POST` ignore unknown keys, so a mistyped field
(`seats=a`) or a script sending more than the page does would pass silently.
Every POST we answer names the fields it takes; anything else is refused with a
sentence naming the field, like an unknown key in a WebSocket frame.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext

# Added to every POST by the CSRF middleware's template tag, never ours to refuse.
ALWAYS_ALLOWED = frozenset({"csrfmiddlewaretoken"})


def filled_lazy(message: str, values: dict):
    """``message`` (marked with ``gettext_noop``) translated and filled with ``values`` only
    when read, in the language active then: a form's label or error written once at import
    (``gettext_lazy(...) % values`` would translate at import, in English)."""
    return lazy(lambda: gettext(message) % values, str)()


def unexpected_fields(data: Iterable[str], expected: Iterable[str]) -> list[str]:
    return sorted(set(data) - set(expected) - ALWAYS_ALLOWED)


def unexpected_message(names: list[str]) -> str:
    listed = ", ".join(f"'{name}'" for name in names)
    return ngettext(
        "This form does not take the field %(fields)s.",
        "This form does not take the fields %(fields)s.",
        len(names),
    ) % {"fields": listed}


class ClosedFormMixin:
    """A form that refuses unknown POST fields; the error shows under its first field.

    Under a field rather than as a non-field error, so every template that shows
    field errors shows this one too. `also_allowed` names fields the view reads
    itself (e.g. `next`).
    """

    also_allowed: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        extra = unexpected_fields(self.data, [*self.fields, *self.also_allowed])
        if extra:
            self.add_error(next(iter(self.fields)), unexpected_message(extra))
        return cleaned
