"""What a couple (or their counselor) sees once a session is over.

Built from the stored snapshot and the event log only, so it needs nothing the
room did not already keep: which steps were done, each pause with who asked, why
and for how long, and the first and last check-ins side by side. The partners'
page and the counselor's summary both call `session_summary`; `for_viewer` then
hides a partner's check-in answer the other partner never saw in the room.
"""

from __future__ import annotations

from sessions.models import CoupleSession

PARTNERS = ("a", "b")


def _steps(state: dict) -> list[dict]:
    status = state.get("status")
    index = state.get("index", 0)
    steps = []
    for i, step in enumerate(state.get("steps", [])):
        done = status == "completed" or i < index
        steps.append({"index": i, "title": step["title"], "kind": step["kind"], "done": done})
    return steps


def _names(state: dict) -> dict:
    seats = state.get("seats", {})
    return {
        seat: (seats.get(seat) or {}).get("name") or f"Partner {seat.upper()}" for seat in PARTNERS
    }


def _pauses(events, state: dict) -> list[dict]:
    """Every pause with its length; one still open at the end runs to the session's end."""
    steps = state.get("steps", [])
    pauses: list[dict] = []
    open_pause: dict | None = None
    open_at_ms = 0
    last_ms = None
    for row in events:
        at_ms = int(row.created_at.timestamp() * 1000)
        last_ms = at_ms
        for event in row.events or []:
            kind = event.get("type")
            if kind == "paused":
                index = event.get("index", 0)
                open_pause = {
                    "by": event.get("by"),
                    "reason": event.get("reason"),
                    "seat": event.get("seat"),
                    "step_title": steps[index]["title"] if 0 <= index < len(steps) else "",
                    "seconds": 0,
                    "ended_session": False,
                }
                open_at_ms = at_ms
                pauses.append(open_pause)
            elif kind == "resumed" and open_pause is not None:
                open_pause["seconds"] = round(event.get("paused_ms", at_ms - open_at_ms) / 1000)
                open_pause = None
            elif kind == "ended" and open_pause is not None:
                open_pause["seconds"] = round((at_ms - open_at_ms) / 1000)
                open_pause["ended_session"] = True
                open_pause = None
    if open_pause is not None and last_ms is not None:
        open_pause["seconds"] = round((last_ms - open_at_ms) / 1000)
    return pauses


def _checkin_pair(state: dict, index: int | None) -> dict | None:
    if index is None:
        return None
    answers = state.get("checkins", {}).get(str(index)) or {}
    return {
        "index": index,
        "title": state["steps"][index]["title"],
        "a": answers.get("a"),
        "b": answers.get("b"),
    }


def _duration_seconds(events) -> int | None:
    started = finished = None
    for row in events:
        for event in row.events or []:
            if event.get("type") == "started" and started is None:
                started = row.created_at
            if event.get("type") in ("completed", "ended"):
                finished = row.created_at
    if started is None or finished is None:
        return None
    return max(0, round((finished - started).total_seconds()))


def session_summary(session: CoupleSession) -> dict:
    """Everything a summary shows, as plain data (JSON-serialisable)."""
    state = session.state or {}
    events = list(session.events.order_by("version"))
    steps = _steps(state)
    checkin_steps = [s["index"] for s in steps if s["kind"] == "checkin"]
    arrival = checkin_steps[0] if checkin_steps else None
    closing = checkin_steps[-1] if len(checkin_steps) > 1 else None
    pauses = _pauses(events, state)
    return {
        "protocol": state.get("protocol", {}).get("title", session.protocol_title),
        "status": state.get("status", session.status),
        "names": _names(state),
        "steps": steps,
        "steps_done": sum(1 for s in steps if s["done"]),
        "step_count": len(steps),
        "pauses": pauses,
        "paused_seconds": sum(p["seconds"] for p in pauses),
        "arrival": _checkin_pair(state, arrival),
        "closing": _checkin_pair(state, closing),
        "duration_seconds": _duration_seconds(events),
    }


def for_viewer(summary: dict, role: str) -> dict:
    """Hide a partner's check-in answer that the other partner never saw revealed."""
    if role not in PARTNERS:
        return summary
    shaped = dict(summary)
    for key in ("arrival", "closing"):
        pair = summary.get(key)
        if pair and (pair["a"] is None or pair["b"] is None):
            other = "b" if role == "a" else "a"
            shaped[key] = {**pair, other: None}
    return shaped
