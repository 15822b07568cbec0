"""A counselor's download of one session: CSV for spreadsheets, JSON for other tools.

Both carry the same facts as the summary page (timeline, check-ins, the
counselor's own notes) and nothing more: no join code, no seat secrets. The
join code is left out on purpose: a file that gets forwarded must not let
anyone into a room that is still open.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

CSV_COLUMNS = [
    "section",
    "order",
    "title",
    "kind",
    "who",
    "started_at",
    "duration_seconds",
    "state",
    "intensity",
    "word",
    "note",
    "text",
]

# A cell starting with one of these is run as a formula by spreadsheet programs;
# partners choose their own display names, so never trust a cell to be plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _session_facts(session, context: Mapping) -> dict:
    return {
        "protocol": {"slug": session.protocol_slug, "title": session.protocol_title},
        "status": session.status,
        "created_at": _iso(session.created_at),
        "finished_at": _iso(session.finished_at),
        "partners": {seat: context["names"].get(seat) for seat in ("a", "b")},
        "steps_done": context.get("steps_done"),
        "step_count": context.get("step_count"),
    }


def _timeline_rows(context: Mapping) -> list[dict]:
    return [
        {
            "kind": item["kind"],
            "title": item["title"],
            "who": item.get("who"),
            "started_at": _iso(item.get("started_at")),
            "duration_seconds": item.get("duration_seconds"),
            "note": item.get("note") or "",
        }
        for item in context["timeline"]
    ]


def _checkin_rows(context: Mapping) -> list[dict]:
    rows = []
    for moment in ("arrival", "closing"):
        answers = context["checkins"].get(moment) or {}
        for seat in ("a", "b"):
            answer = answers.get(seat) or {}
            rows.append(
                {
                    "moment": moment,
                    "seat": seat,
                    "who": context["names"].get(seat),
                    "state": answer.get("state"),
                    "intensity": answer.get("intensity"),
                    "word": answer.get("word"),
                }
            )
    return rows


def _note_rows(notes: Iterable) -> list[dict]:
    return [{"created_at": _iso(note.created_at), "text": note.text} for note in notes]


def summary_json(session, context: Mapping, notes: Iterable) -> dict:
    """The whole summary as one JSON-serialisable dict."""
    return {
        "format": "stay-session-summary/1",
        "session": _session_facts(session, context),
        "timeline": _timeline_rows(context),
        "checkins": _checkin_rows(context),
        "notes": _note_rows(notes),
    }


def summary_csv(session, context: Mapping, notes: Iterable) -> str:
    """One flat table; the `section` column tells timeline, check-in and note rows apart."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    facts = _session_facts(session, context)

    def write(**row):
        writer.writerow({column: safe_cell(row.get(column)) for column in CSV_COLUMNS})

    write(
        section="session",
        order=0,
        title=facts["protocol"]["title"],
        kind=facts["status"],
        who=" & ".join(name for name in facts["partners"].values() if name),
        started_at=facts["created_at"],
    )
    for order, item in enumerate(_timeline_rows(context), start=1):
        write(section="timeline", order=order, **item)
    for order, row in enumerate(_checkin_rows(context), start=1):
        write(
            section="checkin",
            order=order,
            title=row["moment"],
            who=row["who"] or row["seat"],
            state=row["state"],
            intensity=row["intensity"],
            word=row["word"],
        )
    for order, row in enumerate(_note_rows(notes), start=1):
        write(section="note", order=order, started_at=row["created_at"], text=row["text"])
    return buffer.getvalue()
