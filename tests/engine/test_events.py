"""The event types the engine may write to the log are exactly the ones docs/engine.md lists.

The log keeps these words for good and the reports match on them, so a new event type needs
its line in the docs, and a documented one its constant, or the two drift apart unnoticed.
The engine builds every event from a constant, so no spelling slips past the list.
"""

from __future__ import annotations

import re
from pathlib import Path

from sessions.engine.events import EVENT_TYPES, EventType

REPO = Path(__file__).resolve().parents[2]
ENGINE_DOC = REPO / "docs" / "engine.md"
ENGINE_DIR = REPO / "sessions" / "engine"

# `paused {by, reason, index, seat?}` or `completed`: a lower-case name, maybe its fields.
_DOCUMENTED = re.compile(r"`([a-z_]+)(?: \{[^}`]*\})?`")


def documented_event_types() -> list[str]:
    text = ENGINE_DOC.read_text(encoding="utf-8")
    section = text.split("\n## Events\n", 1)[1].split("\n## ", 1)[0]
    listing = section.split("(never a", 1)[0]  # the list ends where its caveats begin
    return _DOCUMENTED.findall(listing)


def test_every_documented_event_type_is_a_constant_and_every_constant_is_documented():
    documented = documented_event_types()
    assert len(documented) == len(set(documented)), "an event type is listed twice"
    assert set(documented) == set(EVENT_TYPES)


def test_event_types_are_distinct_plain_strings_named_after_their_value():
    assert len(EVENT_TYPES) == len(set(EVENT_TYPES))
    for name, value in vars(EventType).items():
        if name.isupper():
            assert type(value) is str and value == name.lower()


def test_the_engine_spells_no_event_type_itself():
    spelled = [
        f"{path.relative_to(REPO)}: {line.strip()}"
        for path in sorted(ENGINE_DIR.rglob("*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"""["']type["']\s*:\s*f?["']""", line)
    ]
    assert spelled == []
