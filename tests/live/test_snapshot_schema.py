"""The snapshot inside every `state` frame is the one docs/protocol.md describes, and back.

Section 5's field table names every key of the snapshot: top-level rows (`status`, `pause`,
…), the current step's rows (`step.kind`, …), and for an object the keys it holds, written
as a shape in the row (`{by, reason, seat?, …}`; `?` marks a key only some of them carry).
The socket sends `engine.view_for` as it is, so the snapshots of representative rooms
(waiting, each step kind, paused for each reason, knocked on, with the counselor's message,
a workshop room with a hand up and the group's timer, held at the group's step, finished;
hosted or not; seen by each role) are held to that table here. A key `view_for` sends that the table lacks fails,
and so does a documented key that no room ever shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from sessions.engine import view_for
from sessions.engine.vocabulary import PARTNERS, PEOPLE
from tests.engine.helpers import (
    BREATHE,
    CHECKIN,
    INFO,
    REFLECT_A,
    SPEAK_A,
    feeling,
    here,
    room_and_time,
    room_in,
    run,
)

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def snapshot_rows() -> dict[str, str]:
    """Each field named in section 5's table (a row may name several) -> that row's meaning."""
    text = PROTOCOL.read_text(encoding="utf-8")
    start = text.index("\n## 5.")
    section = text[start : text.index("\n## ", start + 1)]
    rows = {}
    for first, meaning in re.findall(r"^\| (`[^|]*`) \| (.*) \|$", section, re.MULTILINE):
        for name in re.findall(r"`([^`]+)`", first):
            assert name not in rows, f"section 5 documents {name!r} twice"
            rows[name] = meaning
    return rows


def shapes(meaning: str) -> list[tuple[set[str], set[str]]]:
    """The object shapes a row's meaning writes, as (required keys, optional keys).

    A map written by example (`{"<step index>": …}`) is not a shape: its keys vary.
    """
    found = []
    for shape in re.findall(r"`\[?\{([^`]*)\}\]?`", meaning):
        if '"' in shape or "{" in shape:
            continue
        names = [part.strip() for part in shape.split(",")]
        assert all(re.fullmatch(r"[a-z_]+\??", name) for name in names), shape
        found.append(
            (
                {name for name in names if not name.endswith("?")},
                {name[:-1] for name in names if name.endswith("?")},
            )
        )
    return found


def documented_top_level(rows: dict[str, str]) -> set[str]:
    return {name.split(".")[0] for name in rows}


def documented_step(rows: dict[str, str]) -> set[str]:
    return {name.split(".", 1)[1] for name in rows if name.startswith("step.")}


def _one(value) -> list[dict]:
    return [] if value is None else [value]


# (row, which of its shapes) -> the objects of that shape in one snapshot.
OBJECTS: dict[tuple[str, int], Callable[[dict], Iterable[dict]]] = {
    ("protocol", 0): lambda snap: [snap["protocol"]],
    ("seats.<a/b>", 0): lambda snap: snap["seats"].values(),
    ("host", 0): lambda snap: _one(snap["host"]),
    ("steps", 0): lambda snap: snap["steps"],
    ("pause", 0): lambda snap: _one(snap["pause"]),
    ("breathing", 0): lambda snap: _one(snap["breathing"]),
    ("breathing", 1): lambda snap: [snap["breathing"]["pattern"]] if snap["breathing"] else [],
    ("knock", 0): lambda snap: _one(snap["knock"]),
    ("checkins", 0): lambda snap: [
        answer for answers in snap["checkins"].values() for answer in answers.values() if answer
    ],
    ("call", 0): lambda snap: [snap["call"]],
    ("message", 0): lambda snap: _one(snap["message"]),
    ("workshop", 0): lambda snap: _one(snap["workshop"]),
    ("workshop.hand", 0): lambda snap: _one((snap["workshop"] or {}).get("hand")),
    ("workshop.timer", 0): lambda snap: _one((snap["workshop"] or {}).get("timer")),
}


def _rooms() -> dict[str, dict]:
    """Rooms in every state the page draws, by a name that says which."""
    found = {}
    for hosted in (False, True):
        mark = "hosted" if hosted else "unhosted"
        found[f"waiting, {mark}"] = room_in("waiting", hosted=hosted)
        for name, index in (
            ("info", INFO),
            ("checkin", CHECKIN),
            ("breathe", BREATHE),
            ("speak", SPEAK_A),
            ("reflect", REFLECT_A),
        ):
            found[f"{name}, {mark}"] = room_in("active", hosted=hosted, index=index)
        found[f"paused, {mark}"] = room_in("paused", hosted=hosted, index=SPEAK_A)
        found[f"completed, {mark}"] = room_in("completed", hosted=hosted)
        found[f"ended, {mark}"] = room_in("ended", hosted=hosted, index=CHECKIN)

    checkin = found["checkin, unhosted"]
    one = run(checkin, "a", "checkin", here(checkin, **feeling("safe", 3, "tired")))
    found["checkin, one answer"] = one
    found["checkin, both answers"] = run(one, "b", "checkin", here(one, **feeling("shutdown", 6)))
    found["flooding break"] = run(
        room_in("active", index=SPEAK_A), "a", "pause", {"reason": "flooding"}
    )
    found["reflect, check"] = run(
        found["reflect, unhosted"], "b", "done", here(found["reflect, unhosted"])
    )
    found["knocked on"] = run(
        room_in("active", index=INFO), "server", "knock", {"seat": "b", "id": "riley-phone"}
    )

    found["counselor's message"] = run(
        room_in("active", hosted=True, index=INFO), "host", "say", {"text": "Take your time."}
    )

    paced = {"paced": True, "to": INFO}
    workshop = room_in("active", hosted=True, index=INFO, workshop=paced)
    workshop = run(workshop, "a", "raise_hand", {})
    found["workshop, hand and timer"] = run(workshop, "host", "group_timer", {"seconds": 300})
    found["workshop, held"] = run(
        run(workshop, "a", "next", here(workshop)), "b", "next", here(workshop)
    )
    assert found["workshop, held"]["workshop"]["held"]

    dropped, now = room_and_time("active", index=SPEAK_A)
    dropped = run(dropped, "server", "presence", {"seat": "b", "connected": False}, now)
    found["connection pause"] = run(
        dropped, "server", "tick", {}, now + dropped["settings"]["grace_ms"]
    )
    assert found["connection pause"]["pause"]["reason"] == "connection"
    return found


ROOMS = _rooms()
SNAPSHOTS = [
    (f"{name}, seen by {role}", view_for(state, role))
    for name, state in ROOMS.items()
    for role in PEOPLE
    if role != "host" or state["host"] is not None
]


def test_the_table_writes_shapes_only_for_the_objects_this_test_reads():
    """A new object row with a shape needs an entry in OBJECTS; an entry needs its row."""
    written = {
        (name, index)
        for name, meaning in snapshot_rows().items()
        for index, _ in enumerate(shapes(meaning))
    }
    assert written == set(OBJECTS)


@pytest.mark.parametrize(("name", "snap"), SNAPSHOTS, ids=[name for name, _ in SNAPSHOTS])
def test_every_snapshot_has_exactly_the_documented_keys(name, snap):
    rows = snapshot_rows()
    assert set(snap) == documented_top_level(rows), "top-level keys differ from section 5"
    assert set(snap["step"]) == documented_step(rows), "step keys differ from section 5"
    assert set(snap["seats"]) == set(PARTNERS)
    for (row, index), objects in OBJECTS.items():
        required, optional = shapes(rows[row])[index]
        for found in objects(snap):
            keys = set(found)
            assert required <= keys, f"{row}: documented {sorted(required - keys)} missing"
            assert keys <= required | optional, (
                f"{row}: {sorted(keys - required - optional)} undocumented"
            )


def test_every_documented_key_is_shown_by_some_room():
    """A key the table promises but no snapshot carries is a stale row, not a feature."""
    rows = snapshot_rows()
    for (row, index), objects in OBJECTS.items():
        required, optional = shapes(rows[row])[index]
        seen = set().union(*(set(found) for _, snap in SNAPSHOTS for found in objects(snap)))
        assert seen == required | optional, (
            f"{row}: documented but never shown {sorted((required | optional) - seen)}"
        )
