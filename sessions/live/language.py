"""Which language a socket speaks to its person, settled once at connect.

The pages get theirs from Django's ``LocaleMiddleware`` (the ``stay_language`` cookie,
else the browser's Accept-Language) and, for a partner's room, from the seat
(``Seat.language``, chosen on the join page). A socket has no middleware, so it reads the
same things from its scope, in the same order, and so speaks the language its page was
rendered in:

1. the seat's own language (a partner's room socket; "" when the seat left it to the
   browser),
2. the language cookie,
3. the Accept-Language header, best first,
4. ``settings.LANGUAGE_CODE``.

Every candidate is checked against ``settings.LANGUAGES`` (a regional variant such as
``es-MX`` reads as ``es``), so a socket never speaks a language Stay has no words for.
A socket then words each frame inside ``translation.override(language)``: one override
per frame sent, nothing per room.
"""

from __future__ import annotations

from django.conf import settings
from django.http.cookie import parse_cookie
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def supported(code: object) -> str | None:
    """The language of settings.LANGUAGES that `code` names (a variant: its base), or None.

    Django's own lookup, as LocaleMiddleware's (it bounds a long code itself), so a page and
    its socket never disagree; the code as settings.LANGUAGES spells it ("ES" is "es").
    """
    if not isinstance(code, str) or not code:
        return None
    try:
        return translation.get_supported_language_variant(code).lower()
    except LookupError:
        return None


def _header(scope: dict, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _from_cookie(scope: dict) -> str | None:
    cookie = _header(scope, b"cookie")
    if not cookie:
        return None
    return supported(parse_cookie(cookie).get(settings.LANGUAGE_COOKIE_NAME))


def _from_accept_language(scope: dict) -> str | None:
    # Not cut here: Django's parser bounds a long header at its last whole entry.
    for code, _quality in parse_accept_lang_header(_header(scope, b"accept-language")):
        if code == "*":
            break
        found = supported(code)
        if found is not None:
            return found
    return None


def socket_language(scope: dict, chosen: str = "") -> str:
    """The language a socket speaks: `chosen` (a seat's own), else the browser's."""
    return (
        supported(chosen)
        or _from_cookie(scope)
        or _from_accept_language(scope)
        or settings.LANGUAGE_CODE
    )
