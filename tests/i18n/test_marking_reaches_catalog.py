"""A sentence marked inside an f-string's braces is invisible to makemessages (xgettext
does not read f-string expressions), so it would stay English for ever while looking
translated in the code. None may be written that way."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# f"...{_('Nothing was changed.')}" — a literal handed to a gettext function in braces.
HIDDEN = re.compile(r"""\bf(["']).*\{\s*(?:_|gettext|ngettext|pgettext|gettext_lazy)\(\s*["']""")


def test_no_marked_sentence_hides_inside_an_f_string():
    """Every literal given to gettext sits where makemessages can find it."""
    hidden = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sorted((REPO / "sessions").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if HIDDEN.search(line)
    ]
    assert not hidden, "marked inside an f-string (makemessages cannot see it):\n" + "\n".join(
        hidden
    )
