"""The counselor's view of a finished (or running) session, built on the shared summary.

`sessions.reports.summary.session_summary` already knows what became of each step
(done, skipped, not reached, from the event log), the pauses with their lengths
and the arriving/closing check-ins; the counselor also wants them in time order
with how long each step took and which ones were skipped. Only that part is
derived here, from the same event log; everything else is taken from the shared
summary as it is, worded for the counselor ("skipped by you").
"""

from __future__ import annotations

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.engine.actions import BACK, SKIP
from sessions.engine.events import EventType
from sessions.engine.vocabulary import FINISHED, HOST, PARTNERS
from sessions.engine.wording import state_words
from sessions.models import CoupleSession
from sessions.reports.charts import missing_answer_words
from sessions.reports.summary import (
    NOT_REACHED,
    and_list,
    pause_words,
    session_summary,
    skipped_phrase,
    step_words,
)


def duration_text(seconds: int | float | None) -> str:
    if seconds is None:
        return _("still going")
    seconds = max(0, round(seconds))
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return _("%(seconds)s s") % {"seconds": rest}
    return _("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": f"{rest:02d}"}


def pause_title(pause: dict, names: dict) -> str:
    """Who paused and why, read by the counselor (the room's host), in the words the partners'
    summary uses: "Sam asked for a pause (feeling flooded)", "You called a longer break"."""
    return pause_words(pause, HOST, names)


def _step_rows(events, steps: list[dict], names: dict, session_end: datetime | None) -> list[dict]:
    """One row per time a step was entered, lasting until the next step, the end, or now."""
    rows: list[dict] = []
    current: dict | None = None
    for event_row in events:
        for event in event_row.events or []:
            kind = event.get("type")
            if (
                kind in (EventType.STEP_STARTED, EventType.COMPLETED, EventType.ENDED)
                and current is not None
            ):
                current["duration_seconds"] = round(
                    (event_row.created_at - current["started_at"]).total_seconds()
                )
                if event_row.action in (SKIP, BACK):
                    current["note"] = _("skipped") if event_row.action == SKIP else _("went back")
                current = None
            if kind == EventType.STEP_STARTED:
                index = event.get("index", 0)
                title = (
                    steps[index]["title"]
                    if 0 <= index < len(steps)
                    else _("Step %(number)s") % {"number": index + 1}
                )
                floor = steps[index].get("floor") if 0 <= index < len(steps) else None
                current = {
                    "kind": "step",
                    "index": index,
                    "title": title,
                    "who": names.get(floor) if floor else None,
                    "step_kind": steps[index]["kind"] if 0 <= index < len(steps) else "",
                    "started_at": event_row.created_at,
                    "duration_seconds": None,
                    "note": "",
                }
                rows.append(current)
    if current is not None and session_end is not None:
        current["duration_seconds"] = round((session_end - current["started_at"]).total_seconds())
    return rows


def _pause_rows(events, pauses: list[dict], names: dict) -> list[dict]:
    """The shared summary's pauses, placed in time by the log rows that started them."""
    started = [
        row.created_at
        for row in events
        for event in row.events or []
        if event.get("type") == EventType.PAUSED
    ]
    return [
        {
            "kind": "pause",
            "title": pause_title(pause, names),
            "who": None,
            "during": pause.get("step_title", ""),
            "started_at": at,
            "duration_seconds": pause.get("seconds"),
            "note": _pause_note(pause, names),
        }
        for pause, at in zip(pauses, started, strict=False)
    ]


def _pause_note(pause: dict, names: dict) -> str:
    if pause.get("ended_session"):
        return _("the session ended during this pause")
    overrode = [names.get(seat, seat) for seat in pause.get("overrode") or ()]
    if overrode:
        return ngettext(
            "you resumed it before %(whom)s said ready",
            "you resumed it before %(whom)s said ready",
            len(overrode),
        ) % {"whom": and_list(overrode)}
    return ""


def _checkin_rows(checkins: dict, names: dict) -> list[dict]:
    rows = []
    for moment, label in (("arrival", _("Arriving")), ("closing", _("Closing"))):
        pair = checkins.get(moment) or {}
        for seat in PARTNERS:
            answer = pair.get(seat) or {}
            missing = missing_answer_words(pair, seat)
            # An answer with no intensity (the slider left untouched) shows a dash, as no
            # answer does: never a number nobody chose.
            intensity = answer.get("intensity") if answer else None
            rows.append(
                {
                    "moment": label,
                    "who": names.get(seat, seat),
                    "state": (
                        state_words(answer.get("state"), words=translation)
                        if answer
                        else missing.capitalize()
                    ),
                    "intensity": "–" if intensity is None else intensity,
                    "word": answer.get("word") or "",
                }
            )
    return rows


def steps_line(summary: dict) -> str:
    """The counselor's count, e.g. `8 of 10 steps done, 2 skipped by you.`, plus the not reached."""
    count = summary["step_count"]
    line = ngettext(
        "%(done)s of %(count)s step done", "%(done)s of %(count)s steps done", count
    ) % {"done": summary["steps_done"], "count": count}
    line += skipped_phrase(summary, HOST)
    not_reached = sum(1 for s in summary["steps"] if s["outcome"] == NOT_REACHED)
    if not_reached and summary["status"] in FINISHED:
        line += ngettext(", %(count)s not reached", ", %(count)s not reached", not_reached) % {
            "count": not_reached
        }
    return line + "."


def counselor_summary(session: CoupleSession) -> dict:
    """The shared summary plus the time-ordered timeline and table rows the counselor pages show."""
    summary = session_summary(session)
    names = summary["names"]
    events = list(session.events.order_by("version"))
    ended = session.finished_at if session.status in FINISHED else None
    # The frozen protocol copy in the state knows who held the floor in each turn.
    floors = [step.get("floor") for step in (session.state or {}).get("steps", [])]
    steps = [
        {"title": s["title"], "kind": s["kind"], "floor": floors[i] if i < len(floors) else None}
        for i, s in enumerate(summary["steps"])
    ]
    timeline = _step_rows(events, steps, names, ended) + _pause_rows(
        events, summary["pauses"], names
    )
    timeline.sort(key=lambda row: (row["started_at"], row["kind"] == "pause"))
    for row in timeline:
        row["duration_text"] = duration_text(row["duration_seconds"])
    state_seats = (session.state or {}).get("seats") or {}
    joined = set(session.seats.values_list("seat", flat=True))
    checkins = {"arrival": summary.get("arrival"), "closing": summary.get("closing")}
    return {
        "summary": summary,
        "names": names,
        "forgotten": summary["forgotten"],
        "partner_names": and_list(
            [
                names[seat]  # the name, or words for a partner who removed their answers
                for seat in PARTNERS
                if (state_seats.get(seat) or {}).get("claimed") or seat in joined
            ]
        ),
        "status_words": dict(CoupleSession._meta.get_field("status").choices).get(
            session.status, session.status
        ),
        "steps_done": summary["steps_done"],
        "steps_skipped": summary["steps_skipped"],
        "steps_not_reached": summary["steps_not_reached"],
        "step_count": summary["step_count"],
        "steps_line": steps_line(summary),
        "step_outcomes": [
            {
                "order": step["index"] + 1,
                "title": step["title"],
                "kind": step["kind"],
                "outcome": step["outcome"],
                "skipped_by": step["skipped_by"],
                "words": step_words(step, HOST, names),
            }
            for step in summary["steps"]
        ],
        "timeline": timeline,
        "checkins": checkins,
        "checkin_rows": _checkin_rows(checkins, names),
    }
