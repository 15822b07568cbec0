"""The language a person chooses to read Stay in: the join forms' picker and its cookie.

Shared by the pages that take a seat (the join link, the couple's "which of you is this?",
a workshop's door) and the footer's picker (``languages.choose``). A form's `language`
field is a code of ``settings.LANGUAGES``; a form without the field leaves the choice
to the browser (""), and a value the picker never offers is refused with a sentence, so
nothing is claimed on a tampered form. The chosen language is kept twice: on the seat
(``Seat.language``: the room page and the room socket word the room in it, whatever
browser the person is in) and in the ``stay_language`` cookie, which Django's
``LocaleMiddleware`` reads for every other page, except a partner's own pages of that
session (``in_seat_language``: the room, its measure, summary and exports), which follow
the seat.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from sessions.access import find_session, role_for
from sessions.engine.vocabulary import PARTNERS
from sessions.store import seats

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


def seat_language_of(request, code: str) -> str:
    """The language of the partner seat this browser holds in session `code` ("" for none).

    "" too for the counselor, a visitor without a seat, and a seat that left the choice
    to its browser: their pages follow the cookie or Accept-Language (LocaleMiddleware).
    """
    session = find_session(code)
    role = role_for(session, request.session, request.user) if session is not None else None
    return seats.seat_language(session, role) if role in PARTNERS else ""


def in_seat_language(view):
    """Render `view` (its URL names the session by `code`) in the seat's own language.

    Whatever the browser says: two partners of one room may read it in two. The room's
    socket words its snapshots the same way (``sessions.live.language``).
    """

    @functools.wraps(view)
    def wrapped(request, *args, code: str, **kwargs):
        language = seat_language_of(request, code)
        if not language:
            return view(request, *args, code=code, **kwargs)
        with translation.override(language):
            response = view(request, *args, code=code, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapped
