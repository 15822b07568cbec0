"""The language a person chooses to read Stay in: the join forms' picker and its cookie.

Shared by the pages that take a seat (the join link, the couple's "which of you is this?",
a workshop's door) and the footer's picker (``languages.choose``). A form's `language`
field is a code of ``settings.LANGUAGES``; a form without the field leaves the choice
to the browser (""), and a value the picker never offers is refused with a sentence, so
nothing is claimed on a tampered form. The chosen language is kept twice: on the seat
(``Seat.language``: the room page and the room socket word the room in it, whatever
browser the person is in) and in the ``stay_language`` cookie, which Django's
``LocaleMiddleware`` reads for every other page.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext

LANGUAGE_FIELD = "language"
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def is_language(value: object) -> bool:
    """Whether `value` is a code of a language Stay can be read in."""
    return isinstance(value, str) and value in LANGUAGE_CODES


def posted_language(data) -> str:
    """The language a form chose ("" when it has no picker); ValueError for any other value."""
    raw = data.get(LANGUAGE_FIELD)
    if raw is None:
        return ""
    if not is_language(raw):
        offered = ", ".join(name for _code, name in settings.LANGUAGES)
        raise ValueError(
            gettext("Please choose a language from the list: %(offered)s.") % {"offered": offered}
        )
    return raw


def field(chosen: str = "", error: str = "") -> dict:
    """What the picker's template (``sessions/_language_field.html``) shows: the language
    chosen on a form sent back (else the page's own) and why a value was refused."""
    return {"language_chosen": chosen if is_language(chosen) else "", "language_error": error}


def remember_language(response, language: str):
    """Keep `language` in the browser's language cookie (nothing for ""); returns `response`."""
    if is_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
