"""A room socket speaks the language its page was rendered in, whatever the browser sends.

The page's language is Django's `LocaleMiddleware` (`get_language_from_request`); the
socket's is `sessions.live.language.socket_language`, which reads the same cookie and
Accept-Language header from its scope. The two must agree on every value a browser (or
someone tampering with one) can send: otherwise Sam reads his room page in Spanish and
its live words (the pause line, a refusal) in English.

Found by attacking issue 18 (Reach): a long Accept-Language header cut mid-value, and a
long but well-formed language tag, gave the page Spanish and the socket English.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils.translation import get_language_from_request

from sessions.live.language import socket_language

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}

# Spanish first, then enough low-preference languages to pass Django's 500-character cap;
# the 500th character falls inside a q-value (";q="), which a blind cut makes unreadable.
LONG_HEADER = "es;q=0.9,dddde-DE;q=0.1," + "de-DE;q=0.1," * 41
# Well formed (RFC 5646: subtags of up to 8 characters), longer than 32 characters.
LONG_TAG = "es-abcdefgh-abcdefgh-abcdefgh-abcd"


def page_language(*, accept: str | None = None, cookie: str | None = None) -> str:
    """The language LocaleMiddleware gives a page for these request headers."""
    extra = {"HTTP_ACCEPT_LANGUAGE": accept} if accept is not None else {}
    request = RequestFactory().get("/", **extra)
    if cookie is not None:
        request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
    return get_language_from_request(request)


def scope_for(*, accept: str | None = None, cookie: str | None = None) -> dict:
    headers = []
    if accept is not None:
        headers.append((b"accept-language", accept.encode("latin-1")))
    if cookie is not None:
        headers.append((b"cookie", f"{settings.LANGUAGE_COOKIE_NAME}={cookie}".encode("latin-1")))
    return {"type": "websocket", "headers": headers}


def test_a_long_accept_language_header_gives_the_socket_the_pages_language():
    """Past 500 characters Django reads the header up to its last whole entry; the socket
    must not cut it elsewhere first and lose every entry."""
    assert len(LONG_HEADER) > 500
    assert page_language(accept=LONG_HEADER) == "es"
    assert socket_language(scope_for(accept=LONG_HEADER)) == "es"


def test_a_long_well_formed_language_tag_reads_as_its_base_language_like_the_page():
    assert page_language(accept=LONG_TAG) == "es"
    assert socket_language(scope_for(accept=LONG_TAG)) == "es"
    assert page_language(cookie=LONG_TAG) == "es"
    assert socket_language(scope_for(cookie=LONG_TAG)) == "es"


def test_the_socket_speaks_a_code_of_settings_languages_never_another_spelling():
    """A cookie typed "ES" or "Es-mx" is Spanish, named "es" as in settings.LANGUAGES."""
    for cookie in ("ES", "Es-mx", "es-MX"):
        assert socket_language(scope_for(cookie=cookie)) == "es", cookie
    assert socket_language(scope_for(accept="EN-gb")) == "en"
    assert socket_language({"type": "websocket"}, "ES") == "es"


HOSTILE = [
    ("../../etc/passwd", None),
    ('es"><script>alert(1)</script>', None),
    ("e" * 6000, None),
    ("es-" + "a" * 600, None),
    ("zh-hant", None),
    ("es\u00e9", None),
    (None, ",".join(f"x{i};q=0.{i % 9 + 1}" for i in range(300)) + ",es"),
    (None, "es;q=abc, en;q=1e99"),
    (None, "es;q=2, en;q=-1"),
    (None, "ñ-ES, es"),
    (None, "*, es"),
    (None, "en;q=0, es;q=0.1"),
    (None, "es-419"),
    (None, "es-" + "abcdefgh-" * 70 + "a"),
    ("xx", "de, es;q=0.2"),
    ("es", "en"),
]


@pytest.mark.parametrize(("cookie", "accept"), HOSTILE)
def test_page_and_socket_agree_on_hostile_cookies_and_headers(cookie, accept):
    """Whatever the value, both read the same language of settings.LANGUAGES, and neither
    raises."""
    page = page_language(accept=accept, cookie=cookie)
    socket = socket_language(scope_for(accept=accept, cookie=cookie))
    assert socket in LANGUAGE_CODES
    assert socket == page
