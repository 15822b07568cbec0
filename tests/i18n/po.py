"""A small reader of gettext PO files, enough for the catalog tests (no polib needed).

An entry is keyed by ``(msgctxt, msgid, msgid_plural)``; obsolete entries (``#~``) and the
header (the empty msgid) are left out. Escapes are the C ones msgfmt knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(text for text in self.msgstr.values())

    def where(self) -> str:
        """Where the code marks it (the first reference), for a failure message."""
        return self.references[0] if self.references else "?"

    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"{context}{self.msgid!r}"


def parse(text: str) -> list[Entry]:
    """The entries of a PO file's text, header and obsolete entries left out."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal current, started
        if started and current.msgid != "":
            entries.append(current)
        current, started = Entry(), False

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if started:
                finish()
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#:"):
            if started:
                finish()
            current.references += line[2:].split()
            continue
        if line.startswith("#"):
            continue
        keyword = _KEYWORD.match(line)
        if keyword:
            name, value = keyword.group(1), _unescape(keyword.group(2))
            if name in ("msgctxt", "msgid") and started and target and target[0] == "msgstr":
                finish()
            started = True
            if name == "msgctxt":
                current.msgctxt, target = value, ("msgctxt", 0)
            elif name == "msgid":
                current.msgid, target = value, ("msgid", 0)
            elif name == "msgid_plural":
                current.msgid_plural, target = value, ("msgid_plural", 0)
            else:
                index = int(name[7:-1]) if "[" in name else 0
                current.msgstr[index] = value
                target = ("msgstr", index)
            continue
        more = _CONTINUATION.match(line)
        if more and target:
            value = _unescape(more.group(1))
            kind, index = target
            if kind == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, kind, (getattr(current, kind) or "") + value)
    finish()
    return entries


def read(path: Path) -> dict[tuple, Entry]:
    """A PO file's entries by key."""
    return {entry.key: entry for entry in parse(path.read_text(encoding="utf-8"))}


def placeholders(text: str | None) -> set[str]:
    """The named placeholders of a string: {"name"} for "%(name)s asked for a pause"."""
    return set(PLACEHOLDER.findall(text or ""))


def placeholder_mismatches(entry: Entry) -> list[str]:
    """How a translation's placeholders differ from its source's (none: an empty list).

    A plural's form may leave one name out (the count: "un minuto"), but none may bring a
    name the source lacks, and together they use every name the source uses.
    """
    source = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
    problems = []
    if entry.msgid_plural is None:
        got = placeholders(entry.msgstr.get(0))
        if got != source:
            problems.append(f"msgstr has {sorted(got)}, msgid has {sorted(source)}")
        return problems
    used: set[str] = set()
    for index, text in sorted(entry.msgstr.items()):
        got = placeholders(text)
        used |= got
        if got - source:
            problems.append(f"msgstr[{index}] brings {sorted(got - source)}")
        if len(source - got) > 1:  # only the count may be left to the words
            problems.append(f"msgstr[{index}] drops {sorted(source - got)}")
    if used != source:
        problems.append(f"the forms use {sorted(used)}, the source {sorted(source)}")
    return problems
