"""How long a protocol takes, so the minutes a couple is promised are honest.

Breathing and speaking turns have fixed lengths; reading, checking in and
reflecting without a limit depend on the people, so they get typical values.
"""

from __future__ import annotations

from collections.abc import Mapping

# Typical seconds for steps that have no clock of their own.
READ_SECONDS = 20.0
CHECKIN_SECONDS = 45.0
REFLECT_SECONDS = 120.0
# The engine shows a short lead-in before breathing starts.
BREATH_LEAD_IN_SECONDS = 3.0


def breathe_seconds(step: Mapping) -> float:
    cycle = step["inhale"] + step["hold_in"] + step["exhale"] + step["hold_out"]
    return BREATH_LEAD_IN_SECONDS + cycle * step["cycles"]


def step_seconds(step: Mapping) -> float:
    kind = step["kind"]
    if kind == "breathe":
        return breathe_seconds(step)
    if kind == "speak":
        return float(step["limit_seconds"])
    if kind == "reflect":
        limit = step.get("limit_seconds")
        return float(limit) if limit is not None else REFLECT_SECONDS
    if kind == "checkin":
        return CHECKIN_SECONDS
    if kind == "each_partner":
        return 2 * sum(step_seconds(inner) for inner in step["steps"])
    return READ_SECONDS


def estimated_seconds(doc: Mapping) -> float:
    """The whole protocol, each partner's turn counted once per partner."""
    return sum(step_seconds(step) for step in doc["steps"])


def clocked_seconds(doc: Mapping) -> float:
    """Only the parts with a fixed length (breathing and speaking turns): a floor."""

    def clocked(step: Mapping) -> float:
        if step["kind"] == "each_partner":
            return 2 * sum(clocked(inner) for inner in step["steps"])
        if step["kind"] in ("breathe", "speak"):
            return step_seconds(step)
        return 0.0

    return sum(clocked(step) for step in doc["steps"])
