"""What the bilingual-room browser test shares: its protocol, Stay's Spanish, a page's English.

``PROTOCOL_TOML`` is a short test protocol offered in English and Spanish (check-in, a
moment together, closing check-in), loaded into the live server by the test. ``spanish``
reads a sentence from the compiled catalogs in ``locale/es`` (both domains: the pages'
and the scripts'), so the test presses the buttons a Spanish reader sees and fails,
naming the sentence, where there is no Spanish yet. ``english_on`` lists the English
stop-words a page still shows, line by line, from its visible text (``innerText``), names
cut out.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from tests.i18n import english

REPO = Path(__file__).resolve().parents[2]
LOCALE = REPO / "locale"
SLUG = "browser-bilingual"
NAMES = ("Alex", "Sam", "Stay")

PROTOCOL_TOML = f'''
# Two languages, three steps: the bilingual-room browser test (tests/browser/test_bilingual_room.py).
slug = "{SLUG}"
languages = ["en", "es"]
title.en = "A short evening"
title.es = "Una tarde breve"
minutes = 3
for_whom.en = "A bilingual couple, in a browser test."
for_whom.es = "Una pareja bilingüe, en una prueba del navegador."
summary.en = "Arrive, share a quiet moment, and close."
summary.es = "Llegar, compartir un momento tranquilo y cerrar."

[[steps]]
kind = "checkin"
title.en = "Arriving"
title.es = "Llegar"
prompt.en = "Where are you right now?"
prompt.es = "¿Dónde estás ahora mismo?"

[[steps]]
kind = "info"
title.en = "A quiet moment"
title.es = "Un momento tranquilo"
prompt.en = "Look at each other for a moment, without words."
prompt.es = "Mírense un momento, sin palabras."

[[steps]]
kind = "checkin"
title.en = "Closing check-in"
title.es = "Para cerrar"
prompt.en = "Where are you now?"
prompt.es = "¿Dónde estás ahora?"
'''


@cache
def _catalog(domain: str) -> gettext.NullTranslations:
    mo = LOCALE / "es" / "LC_MESSAGES" / f"{domain}.mo"
    assert mo.exists(), f"{mo} is missing: run `make messages` (make test does)"
    return gettext.translation(domain, localedir=LOCALE, languages=["es"])


def spanish(msgid: str, domain: str = "django", **params) -> str:
    """The Spanish of a marked sentence (``params`` filled in); fails if it has none."""
    translated = _catalog(domain).gettext(msgid)
    assert translated != msgid, f"no Spanish in locale/es/{domain}.po for {msgid!r}"
    return translated % params if params else translated


def english_on(page) -> list[str]:
    """The lines ``page`` shows now that hold an English stop-word (names cut)."""
    return english.english_sentences(page.locator("body").inner_text(), NAMES)
