"""After a workshop: what the facilitator may know of it, in counts, and its CSV and JSON.

Counted from the rooms' event logs (how far each couple got, their pauses by kind, the
hands raised), never from what anyone typed: no name, no check-in answer, no message,
no pairing word. A room is numbered by the order couples arrived in, not named, so a
forwarded file says nothing about who was there.

Computed the same way while the rooms exist and once, at the end, to be kept on the
workshop (``Workshop.summary``): the rooms are purged with time, the counts stay.
"""

from __future__ import annotations

import csv
import io
import json

from django.db.models import Prefetch
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from sessions.engine import expand_steps, step_text
from sessions.engine.events import EventType
from sessions.engine.vocabulary import COMPLETED, CONNECTION, FLOODING, NEED_A_MOMENT
from sessions.models import CoupleSession, Event, Workshop
from sessions.reports.exports import safe_cell

# The console's words for a pause (store.workshop_console.PAUSE_KINDS), which reports may not
# import: the summary and the console name a pause alike. Kept in English as the summary's
# keys (data, stored with the workshop and exported); ``pause_rows`` words them for a page.
PAUSE_REASONS = {
    NEED_A_MOMENT: gettext_noop("a moment"),
    FLOODING: gettext_noop("flooding break"),
    CONNECTION: gettext_noop("connection"),
}
CSV_COLUMNS = ["section", "order", "title", "value"]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _room_counts(room: CoupleSession, number: int) -> dict:
    """How far one room got, its pauses by kind and its hands, from its event log."""
    started, reached, hands = False, 0, 0
    pauses = dict.fromkeys(PAUSE_REASONS.values(), 0)
    for row in room.ordered_events:
        for event in row.events or []:
            kind = event.get("type")
            if kind == EventType.STARTED:
                started = True
            elif kind == EventType.STEP_STARTED:
                reached = max(reached, int(event.get("index", 0)) + 1)
            elif kind == EventType.PAUSED:
                reason = PAUSE_REASONS.get(event.get("reason"), "a moment")
                pauses[reason] += 1
            elif kind == EventType.HAND_RAISED:
                hands += 1
    return {
        "room": number,
        "started": started,
        "reached": reached,
        "finished": room.status == COMPLETED,
        "pauses": sum(pauses.values()),
        "pauses_by_reason": pauses,
        "hands": hands,
    }


def _rooms(workshop: Workshop) -> list[CoupleSession]:
    events = Prefetch(
        "events", queryset=Event.objects.order_by("version"), to_attr="ordered_events"
    )
    return list(
        CoupleSession.objects.filter(workshop=workshop)
        .order_by("created_at", "pk")
        .only("pk", "status", "created_at", "workshop_id")
        .prefetch_related(events)
    )


def workshop_summary(workshop: Workshop) -> dict:
    """The facilitator's counts: the kept ones once ended, else computed from the rooms now."""
    if workshop.summary:
        return workshop.summary
    counted = [_room_counts(room, n) for n, room in enumerate(_rooms(workshop), start=1)]
    titles = [step.get("title", "") for step in expand_steps(workshop.protocol_doc, 0)]
    by_reason = dict.fromkeys(PAUSE_REASONS.values(), 0)
    for room in counted:
        for reason, n in room.pop("pauses_by_reason").items():
            by_reason[reason] += n
    return {
        "title": workshop.title,
        "protocol": workshop.protocol_title,
        "started_at": _iso(workshop.started_at),
        "ended_at": _iso(workshop.ended_at),
        "couples_started": sum(room["started"] for room in counted),
        "couples_finished": sum(room["finished"] for room in counted),
        "steps_reached": [
            {
                "step": index + 1,
                "title": title,
                "couples": sum(room["reached"] > index for room in counted),
            }
            for index, title in enumerate(titles)
        ],
        "pauses_by_reason": by_reason,
        "hands_raised": sum(room["hands"] for room in counted),
        "rooms": [
            {key: room[key] for key in ("room", "reached", "finished", "pauses", "hands")}
            for room in counted
        ],
    }


def in_reader_language(summary: dict, workshop: Workshop) -> dict:
    """The summary as a page shows it: the protocol's and each step's title in the reader's
    language where the workshop's copy of the protocol offers it (the summary kept on the
    workshop, and its exports, stay as written)."""
    language = get_language() or "en"
    titles = [
        step_text(step, "title", language) if step.get("title") else ""
        for step in expand_steps(workshop.protocol_doc, 0)
    ]
    steps = [
        {**row, "title": titles[row["step"] - 1] or row["title"]}
        if 0 < row["step"] <= len(titles)
        else row
        for row in summary.get("steps_reached", [])
    ]
    return {**summary, "protocol": workshop.protocol_title_in(language), "steps_reached": steps}


def pause_rows(summary: dict) -> list[dict]:
    """The pauses by kind as the summary page lists them, in the reader's language:
    `[{"reason": "pausa larga", "count": 2}, …]` (the stored keys stay English)."""
    return [
        {"reason": _(reason), "count": n}
        for reason, n in summary.get("pauses_by_reason", {}).items()
    ]


def export_json(summary: dict) -> str:
    return json.dumps(summary, indent=2, ensure_ascii=False)


def _csv_rows(summary: dict):
    for key in ("title", "protocol", "started_at", "ended_at"):
        yield ("workshop", "", key, summary.get(key) or "")
    for key in ("couples_started", "couples_finished", "hands_raised"):
        yield ("workshop", "", key, summary[key])
    for reason, n in summary["pauses_by_reason"].items():
        yield ("pauses", "", reason, n)
    for step in summary["steps_reached"]:
        yield ("step", step["step"], step["title"], step["couples"])
    for room in summary["rooms"]:
        for key in ("reached", "finished", "pauses", "hands"):
            value = room[key]
            yield (
                "room",
                room["room"],
                key,
                str(value).lower() if isinstance(value, bool) else value,
            )


def export_csv(summary: dict) -> str:
    """One fact a row: section, order (step or room number), what, how many."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in _csv_rows(summary):
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
