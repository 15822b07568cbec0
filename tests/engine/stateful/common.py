"""What the random sessions share: their words for seats, actions and statuses (written out
here, not imported from the engine, so the checks do not take the engine's word for them), the
protocol they play, and the tally of what the runs reached."""

from __future__ import annotations

import json
from collections import Counter

from sessions.engine.wording import answer_line
from tests.support.protocols import short_protocol

START = 1_767_000_000_000  # server epoch ms; any fixed moment will do
SETTINGS = {"grace_ms": 2_000, "lead_in_ms": 500, "break_minutes": 20}
OTHER = {"a": "b", "b": "a"}
PARTNERS = ("a", "b")
PEOPLE = ("a", "b", "host")
ACTORS = ("a", "b", "host", "server")
PHASES = ("mirror", "check", "validate", "empathize")
STEP_ACTIONS = ("checkin", "done", "answer", "next", "not_yet", "sit_out", "skip", "back")
SESSION_ACTIONS = ("start", "pause", "ready", "end", "let_in", "say", "resume")
WORKSHOP_ACTIONS = ("raise_hand", "lower_hand", "pace", "group_timer")
SERVER_ACTIONS = ("tick", "presence", "seat", "knock", "forget")
TAP_KINDS = ("info", "checkin")
KNOCK_IDS = ("riley-1", "riley-2", "sam-new-phone")
KNOWN_ACTIONS = STEP_ACTIONS + SESSION_ACTIONS + WORKSHOP_ACTIONS + SERVER_ACTIONS
TERMINAL = ("completed", "ended")
LADDER = ("safe", "mobilized", "shutdown")


# What the random runs must have reached, summed over all examples (see the last test).
REACHED: Counter[str] = Counter()
MUST_REACH = (
    "step:info",
    "step:checkin",
    "step:breathe",
    "step:speak",
    "step:reflect",
    "phase:mirror",
    "phase:check",
    "phase:validate",
    "phase:empathize",
    "checkin revealed",
    "reflect back to mirror",
    "speak floor:a",
    "speak floor:b",
    "speak over time",
    "breathing ended on schedule",
    "sat out breathing",
    "paused:need_a_moment",
    "paused:flooding",
    "paused:connection",
    "resumed",
    "completed:hosted",
    "completed:unhosted",
    "ended",
    "host skipped",
    "host went back",
    "seat taken over",
    "rejected:stale",
    "waiting for the other to move on",
    "moved on together",
    "counselor moved the room on",
    "either step moved at one tap",
    "took a tap back",
    "knocked",
    "let in",
    "kept out",
    "knock cleared by a seat input",
    "rejected:not_your_turn for the knocked seat",
    "forgot",
    "counselor wrote to the couple",
    "counselor resumed for both",
    "held at the group's step",
    "paced a room on",
    "paced a paused room",
    "paced a waiting room",
    "joined the group's step on resume",
    "hand raised",
    "hand lowered",
    "group timer set",
    "group timer cleared",
)


def property_protocol(
    first: str, reflect_limit: float | None, cycles: int, info_advance: str = "both"
) -> dict:
    """The short protocol with a hold in its breath, a closing check-in and only seconds of
    speaking, so random runs reach every step kind and come out the other end."""
    return short_protocol(
        first,
        advance=info_advance,
        breath=(1.0, 0.0, 1.5, 0.5),
        cycles=cycles,
        speak_seconds=3,
        reflect_seconds=reflect_limit,
        closing="checkin",
    )


def plain(text: str) -> bool:
    """No control character and no lone surrogate."""
    return not any(
        ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF for c in text
    )


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def current_step(state: dict) -> dict | None:
    steps = state["steps"]
    return steps[state["index"]] if 0 <= state["index"] < len(steps) else None


def held(state: dict) -> bool:
    """A workshop room that finished its step and waits at the group's gate."""
    return bool((state.get("workshop") or {}).get("held"))


def answers_at(state: dict, index: int) -> dict:
    return state["checkins"].get(str(index)) or {"a": None, "b": None}


def intensity_kept(args: dict, stored: dict) -> bool:
    """A check-in's intensity is a whole number 0-10 stored as sent; left out or null (an
    untouched slider) it is stored as no intensity at all, never a middle value."""
    intensity = args.get("intensity")
    if intensity is None:
        return "intensity" not in stored
    return type(intensity) is int and 0 <= intensity <= 10 and stored["intensity"] == intensity


def shown_answer(answer: dict) -> dict:
    """A stored check-in answer as a snapshot shows it: intensity null when left out, and the
    answer's line in words."""
    return {**answer, "intensity": answer.get("intensity"), "line": answer_line(answer)}
