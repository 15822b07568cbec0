"""English left on a page meant to be Spanish: the stop-words, and what a person reads.

A page's readable words are its text (a ``<template>`` and ``<noscript>`` too: the scripts
show the first, a browser without them the second) outside ``<script>``, ``<style>``,
``<code>`` and ``<textarea>`` (code, and what someone typed, are not Stay's sentences), the
attributes a person hears or sees (``aria-label``, ``title``, ``placeholder``,
``alt``, a button's ``value``, ``aria-valuetext``) and the sentences inside a page's JSON
data (``json_script``: the page's scripts show them). An element marked as another language
(``lang="en"``: a cited paper's title, "English" in the language picker) is meant to be in
it, as screen readers are told, and is left out. What the test itself put in (names,
codes, a title) is cut out first, then every English stop-word left is reported with the
words around it.

The stop-words are common English words that are not also Spanish words ("a", "no", "me",
"he", "has", "son", "once" and "red" are left out for that reason), plus Stay's own
vocabulary (partner, session, pause, ready…), which any untranslated sentence carries.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

STOP_WORDS = frozenset(
    """
    the you your yours you're you'll and with when what this that these those will would
    not isn't don't can't won't there here is are was were have been being of to for from
    it its be can each other back start started end ended step steps turn share minute
    minutes break room sign out yes or if we our they their them who which how why about
    into after before only just now again still more less next done all any both nothing
    something someone anyone everyone at by on in she her his him shows show open close
    ask asked wait waiting connected left take taken leave stop continue listen speak
    answer answers name names page copy delete forget later until while together time
    partner partners session sessions pause paused ready please join joined counselor
    couple couples workshop workshops link code protocol protocols summary safe edge help
    feeling feel calm speaker listener check-in choose chosen language theme light
    dark device phone new keep kept bad request forbidden server error found
    """.split()  # noqa: SIM905 (a paragraph of words reads and edits better than a list)
)

READABLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-valuetext")
# Not Stay's sentences: code, and what a person typed (a protocol's TOML in its field).
SKIPPED = ("script", "style", "textarea", "code")
BUTTON_TYPES = ("submit", "button", "reset")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
# A word of letters in any script ("allí" is one Spanish word, not "all" and "í"), with
# inner apostrophes and hyphens ("don't", "check-in").
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-])*[^\W\d_]|[^\W\d_]")


class _Readable(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.data: list[str] = []
        self._skipping: list[str] = []
        self._json = False
        self._foreign: list[list] = []  # [tag, depth] of an element in another language

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._foreign and tag == self._foreign[-1][0]:
            self._foreign[-1][1] += 1
        lang = (attributes.get("lang") or "es").lower()
        if tag != "html" and tag not in VOID and not lang.startswith("es"):
            self._foreign.append([tag, 1])
        if tag in SKIPPED:
            self._skipping.append(tag)
            self._json = tag == "script" and attributes.get("type") == "application/json"
        if self._foreign:
            return
        for name in READABLE_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        # An input button shows its value; a <button>'s value is only sent, never shown.
        if tag == "input" and attributes.get("type") in BUTTON_TYPES and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
            self._json = False
        if self._foreign and tag == self._foreign[-1][0]:
            self._foreign[-1][1] -= 1
            if not self._foreign[-1][1]:
                self._foreign.pop()

    def handle_data(self, data):
        if self._foreign:
            return
        if not self._skipping:
            self.parts.append(data)
        elif self._json:
            self.data.append(data)


def _sentences(value) -> list[str]:
    """The strings with a space in a JSON value (sentences, not codes)."""
    if isinstance(value, str):
        return [value] if " " in value.strip() else []
    if isinstance(value, dict):
        return [s for item in value.values() for s in _sentences(item)]
    if isinstance(value, list):
        return [s for item in value for s in _sentences(item)]
    return []


def readable_text(html: str) -> str:
    """What a person reads (or hears) on a page, one block per line."""
    parser = _Readable()
    parser.feed(html)
    parser.close()
    parts = [" ".join(part.split()) for part in parser.parts]
    for blob in parser.data:
        try:
            parts += _sentences(json.loads(blob))
        except ValueError:
            continue
    return "\n".join(part for part in parts if part)


def without(text: str, ours: tuple[str, ...] | list[str] | set[str]) -> str:
    """``text`` with every string the test put in (names, codes, titles) cut out."""
    for value in sorted({v for v in ours if v}, key=len, reverse=True):
        # Whole words only: cutting "Jo" must leave "Journal" whole.
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    return text


def english_left(text: str, ours=()) -> list[str]:
    """Each English stop-word in ``text`` (after cutting ``ours``), with its context."""
    text = without(text, ours)
    found = []
    for line in text.splitlines():
        for match in WORD.finditer(line):
            word = match.group(0).lower().replace("’", "'")
            if word in STOP_WORDS or word.split("'")[0] in STOP_WORDS - {"s"}:
                start, end = max(0, match.start() - 40), match.end() + 40
                found.append(f"{match.group(0)!r} in “…{line[start:end].strip()}…”")
    return found


def english_sentences(text: str, ours=()) -> list[str]:
    """The lines of ``text`` holding English, each once (a page's report, shorter than
    one line per word)."""
    text = without(text, ours)
    lines = []
    for line in text.splitlines():
        if english_left(line) and line.strip() not in lines:
            lines.append(line.strip())
    return lines
