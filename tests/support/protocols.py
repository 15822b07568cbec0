"""The one small protocol the tests play: every kind of step, each only seconds long.

Engine, socket, page and protocol-file tests all need a protocol they can walk through
quickly and read at a glance. They share this document so a step kind, a field or a word
changes in one place; a test that needs other clocks or another shape says so by parameter,
where the test is, instead of keeping its own copy.

Plain, it is: a welcome (info), a check-in, a breathing step (2 cycles of 1 s in, 1 s out),
then a turn each: speak (5 s) and mirror it back (10 s), ``first`` holding the floor first.
"""

from __future__ import annotations

Breath = tuple[float, float, float, float]
"""Seconds of (inhale, hold_in, exhale, hold_out)."""

CLOSINGS = {
    "checkin": {"kind": "checkin", "title": "Leaving", "prompt": "Where are you now?"},
    "info": {"kind": "info", "title": "Goodbye", "prompt": "Thank you both."},
}


def short_protocol(
    first: str = "a",
    *,
    advance: str | None = None,
    breath: Breath = (1.0, 0.0, 1.0, 0.0),
    cycles: int = 2,
    speak_seconds: float = 5,
    reflect_seconds: float | None = 10,
    reflect: bool = True,
    closing: str | None = None,
) -> dict:
    """A fresh copy of the short protocol, each call its own (tests may change it freely).

    ``advance`` is set on the opening info step when given; ``reflect=False`` leaves the
    mirroring out of the turns; ``closing`` ("checkin" or "info") adds a last step after them.
    """
    inhale, hold_in, exhale, hold_out = breath
    welcome = {"kind": "info", "title": "Before you begin", "prompt": "Is now a good time?"}
    if advance is not None:
        welcome["advance"] = advance
    turn = [
        {
            "kind": "speak",
            "title": "Share",
            "prompt": "Say one thing you appreciated today.",
            "limit_seconds": speak_seconds,
        }
    ]
    if reflect:
        turn.append(
            {
                "kind": "reflect",
                "title": "Mirror it back",
                "prompt": "Say back what you heard.",
                "limit_seconds": reflect_seconds,
            }
        )
    steps = [
        welcome,
        {"kind": "checkin", "title": "Arriving", "prompt": "Where are you right now?"},
        {
            "kind": "breathe",
            "title": "Breathe together",
            "prompt": "Slowly in, slowly out.",
            "inhale": inhale,
            "hold_in": hold_in,
            "exhale": exhale,
            "hold_out": hold_out,
            "cycles": cycles,
        },
        {"kind": "each_partner", "title": "One appreciation each", "first": first, "steps": turn},
    ]
    if closing is not None:
        steps.append(dict(CLOSINGS[closing]))
    return {
        "slug": "evening-pause",
        "title": "Evening pause",
        "minutes": 5,
        "for_whom": "Alex and Sam, at the end of a long day.",
        "summary": "Check in, breathe, one appreciation each way.",
        "steps": steps,
    }
