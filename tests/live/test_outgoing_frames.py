"""Every frame the server can send is the one docs/protocol.md describes, and back.

Section 4 of the protocol lists each outgoing frame as a fenced `json outgoing-frame`
block: field names and JSON types (section 14 lists the workshop console's the same way).
The server builds its frames only in `sessions/live/outgoing.py`. A field added, dropped or retyped on either side, a frame
type only one side knows, or a close code missing from section 8 fails here (the page's copy of the close
codes is held to the server's by tests/test_layout.py, which imports socket.js under node).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import msgspec
import pytest

from sessions.live import outgoing

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = ROOT / "docs" / "protocol.md"
LIVE = ROOT / "sessions" / "live"


def section(title_start: str) -> str:
    text = PROTOCOL.read_text(encoding="utf-8")
    start = text.index(f"\n## {title_start}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


# The sections that document frames: the room socket's (and the counselor's), and the
# workshop console's own (section 14).
FRAME_SECTIONS = ("4.", "14.")


def frame_sections() -> str:
    return "".join(section(title) for title in FRAME_SECTIONS)


def documented_frames() -> dict[str, dict[str, str]]:
    """Each documented frame type and its fields (besides `type`) with their JSON types."""
    blocks = re.findall(r"```json outgoing-frame\n(.*?)\n```", frame_sections(), re.DOTALL)
    frames: dict[str, dict[str, str]] = {}
    for block in blocks:
        fields = json.loads(block)
        kind = fields.pop("type")
        assert kind not in frames, f"frame type {kind!r} is documented twice"
        frames[kind] = fields
    return frames


def json_type(info: msgspec.inspect.Type) -> str:
    """The schema word for a field's type, as section 4 writes it."""
    if isinstance(info, msgspec.inspect.UnionType):
        members = [m for m in info.types if not isinstance(m, msgspec.inspect.NoneType)]
        nullable = len(members) < len(info.types)
        kinds = {json_type(m) for m in members}
        word = "number" if kinds == {"integer", "number"} else " | ".join(sorted(kinds))
        return f"{word} | null" if nullable else word
    words = {
        msgspec.inspect.IntType: "integer",
        msgspec.inspect.FloatType: "number",
        msgspec.inspect.StrType: "string",
        msgspec.inspect.DictType: "object",
        msgspec.inspect.BoolType: "boolean",
        msgspec.inspect.ListType: "array",
    }
    for kind, word in words.items():
        if isinstance(info, kind):
            return word
    raise AssertionError(f"no schema word for {info!r}: say in section 4 how it is sent")


def built_frames() -> dict[str, dict[str, str]]:
    """Each frame type `outgoing` builds and its fields with their JSON types."""
    frames = {}
    for frame_class in outgoing.FRAMES:
        info = msgspec.inspect.type_info(frame_class)
        assert info.tag_field == "type"
        frames[info.tag] = {field.encode_name: json_type(field.type) for field in info.fields}
    return frames


def test_every_frame_class_is_listed():
    assert set(outgoing.Frame.__subclasses__()) == set(outgoing.FRAMES)


def test_every_frame_the_server_builds_is_documented_with_the_same_fields():
    documented = documented_frames()
    for kind, fields in built_frames().items():
        assert kind in documented, f"outgoing builds {kind!r}; docs/protocol.md §4 lacks it"
        assert fields == documented[kind], (
            f"{kind!r}: code has {fields}, doc has {documented[kind]}"
        )


def test_every_documented_frame_is_built_by_the_server():
    built = built_frames()
    for kind in documented_frames():
        assert kind in built, f"docs/protocol.md §4 documents {kind!r}; outgoing never builds it"


def test_the_frame_table_names_the_same_types_as_the_schema():
    table = re.findall(r"^\| `([a-z.]+)` \|", frame_sections(), re.MULTILINE)
    assert sorted(table) == sorted(documented_frames())


EXAMPLES = [
    outgoing.State(version=9, server=1_764_170_010_021, state={"status": "active", "you": "a"}),
    outgoing.Ack(rid="5f0c", version=18),
    outgoing.Ack(rid=None, version=18),
    outgoing.Error(code="not_your_turn", message="It's not your turn just now.", rid="5f0c"),
    outgoing.Error(code="rate_limited", message="Too many frames; slow down and try again."),
    outgoing.TimePong(t0=1_764_170_012_345.8, server=1_764_170_012_391),
    outgoing.TimePong(t0=5, server=1_764_170_012_391),
    outgoing.Ok(),
    outgoing.Console(
        workshop={"status": "open", "step": 0, "paced": True, "title": "Saturday group"},
        tiles=[{"room": "3f9a0c1d2b4e5f60", "names": "Alex", "status": "alone"}],
        counts={"couples": 1, "paused": 0, "hands": 0, "waiting": 1, "finished": 0},
        line="1 couple",
    ),
    outgoing.Tile(tile={"room": "3f9a0c1d2b4e5f60"}, counts={"couples": 1}, line="1 couple"),
]

PYTHON_TYPES = {
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}


@pytest.mark.parametrize("frame", EXAMPLES, ids=lambda frame: type(frame).__name__)
def test_what_goes_on_the_wire_has_exactly_the_documented_fields_and_types(frame):
    sent = json.loads(outgoing.text(frame))
    fields = documented_frames()[sent.pop("type")]
    assert sent.keys() == fields.keys()
    for name, value in sent.items():
        allowed = [t for word in fields[name].split(" | ") for t in PYTHON_TYPES[word]]
        assert isinstance(value, tuple(allowed)) and not isinstance(value, bool), (name, value)


def test_no_socket_code_sends_a_frame_it_built_by_hand():
    """Frames leave only through `outgoing.text`: no dict literal with a "type" sent raw."""
    for path in LIVE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "send":
                for keyword in node.keywords:
                    if keyword.arg == "text_data":
                        built = ast.unparse(keyword.value)
                        assert built.startswith("outgoing.text("), f"{path.name}: {built}"
        assert "json.dumps" not in path.read_text(encoding="utf-8"), path.name


def documented_close_codes() -> set[int]:
    rows = re.findall(r"^\| ([0-9/]+) \|", section("8."), re.MULTILINE)
    return {int(code) for row in rows for code in row.split("/")}


def test_every_close_code_the_server_uses_is_documented():
    documented = documented_close_codes()
    for code in outgoing.CLOSE_CODES:
        assert code in documented, f"close code {code} is not in docs/protocol.md §8"
        assert type(code) is int  # Daphne's WebSocket library refuses an int subclass


def test_every_close_code_of_stays_own_is_defined_once_in_outgoing():
    """Codes 4000-4999 are Stay's own: each documented one is one the server sends."""
    own = {code for code in documented_close_codes() if 4000 <= code < 5000}
    assert own == {code for code in outgoing.CLOSE_CODES if 4000 <= code < 5000}
