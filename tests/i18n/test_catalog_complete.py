"""The committed Spanish catalog translates every string the code marks, and compiles.

Django's ``makemessages`` extracts the marked strings of both domains (``django``: Python
and templates; ``djangojs``: the scripts) from a temporary copy of the source, ignoring
what the Makefile's ``MAKEMESSAGES_IGNORE`` ignores, so the working tree's catalogs are
never touched. Against that extraction, ``locale/es`` must hold every msgid with a
non-empty, non-fuzzy msgstr carrying the same ``%(name)s`` placeholders, and pass
``msgfmt --check``. A string marked without its Spanish, or a translation left fuzzy by a
changed source, fails here, listed with the file that marks it.

Needs GNU gettext (xgettext, msgfmt); CI installs it (``.ci/run``), elsewhere the tests
skip and say so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.i18n import po

REPO = Path(__file__).resolve().parents[2]
LANGUAGE = "es"
CATALOGS = REPO / "locale" / LANGUAGE / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
# What makemessages reads: the app, its pages and scripts, its settings (and the catalogs
# it merges into). Nothing else of the tree is copied.
SOURCE = ("sessions", "templates", "static", "facilitator", "manage.py", "locale")
COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")

pytestmark = pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgfmt")),
    reason="GNU gettext (xgettext, msgfmt) is not installed: apt-get install gettext",
)


def makefile_ignores() -> list[str]:
    """The ``--ignore`` options ``make catalogs`` gives makemessages (the Makefile's own)."""
    text = (REPO / "Makefile").read_text()
    found = re.search(r"^MAKEMESSAGES_IGNORE\s*:?=\s*(.+)$", text, re.MULTILINE)
    assert found, "the Makefile no longer defines MAKEMESSAGES_IGNORE"
    return found.group(1).split()


def source_copy(into: Path) -> Path:
    for name in SOURCE:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, into / name, ignore=COPY_IGNORE)
        else:
            shutil.copy2(path, into / name)
    return into


def extract(tree: Path, domain: str) -> dict[tuple, po.Entry]:
    """Every string the code in ``tree`` marks for ``domain``, as makemessages finds it."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DEBUG"] = "1"
    command = [sys.executable, "manage.py", "makemessages", "-l", LANGUAGE, "-d", domain]
    command += ["--keep-pot", "--no-obsolete", "--no-wrap", *makefile_ignores()]
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, f"makemessages -d {domain} failed:\n{done.stdout}{done.stderr}"
    pots = list(tree.rglob(f"{domain}.pot"))
    assert len(pots) == 1, f"expected one {domain}.pot from makemessages, found {pots}"
    return po.read(pots[0])


@pytest.fixture(scope="module")
def marked(tmp_path_factory) -> dict[str, dict[tuple, po.Entry]]:
    """Each domain's marked strings, extracted from one copy of the source tree."""
    tree = source_copy(tmp_path_factory.mktemp("source"))
    return {domain: extract(tree, domain) for domain in DOMAINS}


def committed(domain: str) -> dict[tuple, po.Entry]:
    return po.read(CATALOGS / f"{domain}.po")


def listing(entries, why=lambda entry: "") -> str:
    lines = [f"  {entry.where()}: {entry.label()}{why(entry)}" for entry in entries]
    return "\n".join(sorted(lines))


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_marked_string_has_its_spanish_in_the_committed_catalog(marked, domain):
    """A string the code marks, missing from locale/es or translated empty or fuzzy, fails."""
    catalog = committed(domain)
    missing = [entry for key, entry in marked[domain].items() if key not in catalog]
    untranslated = [
        marked[domain][key]
        for key, entry in catalog.items()
        if key in marked[domain] and (entry.fuzzy or not entry.translated)
    ]
    assert marked[domain], f"makemessages found no marked string for {domain}"
    message = []
    if missing:
        message.append(
            f"{len(missing)} string(s) marked in the code are not in "
            f"locale/{LANGUAGE}/LC_MESSAGES/{domain}.po (run `make catalogs`, then translate):\n"
            + listing(missing)
        )
    if untranslated:
        message.append(
            f"{len(untranslated)} string(s) have no Spanish yet (empty or fuzzy msgstr):\n"
            + listing(untranslated)
        )
    assert not message, "\n".join(message)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalog_keeps_no_entry_without_its_translation(domain):
    """Every entry of the committed catalog, used or not, has a non-fuzzy translation:
    a complete second language, not a half-filled file."""
    gaps = [e for e in committed(domain).values() if e.fuzzy or not e.translated]
    assert not gaps, (
        f"locale/{LANGUAGE}/LC_MESSAGES/{domain}.po has {len(gaps)} entr(ies) untranslated "
        "or fuzzy:\n" + listing(gaps, lambda e: " (fuzzy)" if e.fuzzy else " (empty)")
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_translation_carries_the_same_placeholders_as_its_source(domain):
    """ "%(name)s asked for a pause" → "%(name)s pidió una pausa": a name lost or misspelt in
    the Spanish would show a blank or a raw placeholder to the person reading it."""
    wrong = {
        entry.key: (entry, problems)
        for entry in committed(domain).values()
        if entry.translated and (problems := po.placeholder_mismatches(entry))
    }
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(
        f"  {entry.where()}: {entry.label()}: {'; '.join(problems)}"
        for entry, problems in wrong.values()
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_catalog_compiles_with_msgfmts_checks(domain, tmp_path):
    """``msgfmt --check`` (what ``make messages`` runs) accepts the catalog: header, format
    strings and plural forms are sound."""
    done = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / f"{domain}.mo"), str(CATALOGS / f"{domain}.po")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_the_po_reader_reads_what_msgfmt_reads():
    """The reader these tests use keeps contexts, plurals, flags and continued lines apart."""
    text = (
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "%(name)s asked"\nmsgstr "%(name)s pidió"\n\n'
        '#: b.js:2\nmsgctxt "in the call"\nmsgid "muted"\nmsgstr ""\n"silenciado"\n\n'
        'msgid "%(count)s minute"\nmsgid_plural "%(count)s minutes"\n'
        'msgstr[0] "un minuto"\nmsgstr[1] "%(count)s minutos"\n\n'
        '#~ msgid "old"\n#~ msgstr "viejo"\n'
    )
    first, second, third = po.parse(text)
    assert (first.msgid, first.fuzzy, first.where()) == ("%(name)s asked", True, "a.py:1")
    assert (second.key, second.msgstr) == (("in the call", "muted", None), {0: "silenciado"})
    assert third.msgstr == {0: "un minuto", 1: "%(count)s minutos"}
    assert po.placeholder_mismatches(third) == []
    third.msgstr[1] = "%(cuenta)s minutos"
    assert po.placeholder_mismatches(third)
