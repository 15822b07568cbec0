"""What the protocol tests share: where the built-ins live, the short protocol as an author
writes it, and a small TOML writer so a test can break that file in exactly one place."""

import copy
import json
from pathlib import Path

import pytest

from sessions.protocols import ProtocolError, load_protocol_text
from tests.support.protocols import short_protocol

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL_DIR = ROOT / "sessions" / "protocols"
BUILTIN_SLUGS = {"daily-checkin", "intentional-dialogue", "calm-down-together", "breathe-together"}


# --- a small valid protocol, and a TOML writer to break it in one place ---------------------


def authored_protocol() -> dict:
    """The short protocol as an author writes it: the first speaker left to chance, clocks of
    real length, and nothing written that has a default (no holds in the breath, no limit on
    mirroring back), so loading it shows the defaults being filled in."""
    doc = short_protocol("random", breath=(5.5, 0.0, 5.5, 0.0), cycles=6, speak_seconds=90)
    breathe, (_, mirror) = doc["steps"][2], doc["steps"][3]["steps"]
    del breathe["hold_in"], breathe["hold_out"], mirror["limit_seconds"]
    return doc


GOOD = authored_protocol()


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):  # a text in several languages, as an inline table
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return repr(value)


def to_toml(doc, prefix=""):
    """Enough TOML for these tests: scalars, then each list of tables as [[...]]."""
    lines = []
    tables = {}
    for key, value in doc.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables[key] = value
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, items in tables.items():
        name = f"{prefix}{key}"
        for item in items:
            lines.append(f"\n[[{name}]]")
            lines.append(to_toml(item, prefix=f"{name}."))
    return "\n".join(lines)


def broken(change):
    """GOOD with one change applied, as TOML text."""
    doc = copy.deepcopy(GOOD)
    change(doc)
    return to_toml(doc)


def errors_for(text, source="broken.toml"):
    with pytest.raises(ProtocolError) as caught:
        load_protocol_text(text, source=source)
    return caught.value.errors


def set_in(path, value):
    """A change that sets doc[path...] = value; path items are keys or list indexes."""

    def change(doc):
        target = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def delete(path):
    def change(doc):
        target = doc
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return change


BREATHE = ("steps", 2)
SPEAK = ("steps", 3, "steps", 0)
REFLECT = ("steps", 3, "steps", 1)
BLOCK_LABEL = 'step 4 "One appreciation each"'
