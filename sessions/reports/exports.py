"""A counselor's download of one session: CSV for spreadsheets, JSON for other tools.

Both carry the same facts as the summary page (what became of each step,
timeline, check-ins, the counselor's own notes) and nothing more: no join code,
no seat secrets. A step is "done", "skipped" or "not_reached" as the summary
derived it from the event log; a partner who removed their answers is named as
such, never by the name they had. The join code is left out on purpose: a file
that gets forwarded must not let anyone into a room that is still open.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.engine.vocabulary import HOST, PARTNERS
from sessions.reports.charts import missing_answer_words
from sessions.reports.summary import NOT_REACHED, SKIPPED

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
        "partners": {seat: context["names"].get(seat) for seat in PARTNERS},
        "removed_their_answers": [
            seat for seat in PARTNERS if (context.get("forgotten") or {}).get(seat)
        ],
        "steps_done": context.get("steps_done"),
        "steps_skipped": context.get("steps_skipped"),
        "steps_not_reached": context.get("steps_not_reached"),
        "step_count": context.get("step_count"),
    }


def outcome_words(step: Mapping) -> str:
    """A step's outcome for a file that may travel: "skipped by the counselor", not "by you".

    Words in the downloader's language; the `outcome` codes beside them stay as they are.
    """
    if step["outcome"] == SKIPPED:
        return _("skipped by the counselor") if step.get("skipped_by") == HOST else _("skipped")
    if step["outcome"] == NOT_REACHED:
        return _("not reached")
    return _("done") if step["outcome"] == "done" else str(step["outcome"])


def _steps_note(facts: Mapping) -> str:
    if facts.get("step_count") is None:
        return ""
    return ngettext(
        "%(done)s of %(count)s step done, %(skipped)s skipped, %(not_reached)s not reached",
        "%(done)s of %(count)s steps done, %(skipped)s skipped, %(not_reached)s not reached",
        facts["step_count"],
    ) % {
        "done": facts["steps_done"],
        "count": facts["step_count"],
        "skipped": facts["steps_skipped"],
        "not_reached": facts["steps_not_reached"],
    }


def _step_rows(context: Mapping) -> list[dict]:
    return [
        {
            "order": step["order"],
            "title": step["title"],
            "kind": step["kind"],
            "outcome": step["outcome"],
            "skipped_by": step["skipped_by"],
        }
        for step in context.get("step_outcomes") or []
    ]


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
        for seat in PARTNERS:
            answer = answers.get(seat) or {}
            rows.append(
                {
                    "moment": moment,
                    "seat": seat,
                    "who": context["names"].get(seat),
                    "state": answer.get("state"),
                    "intensity": answer.get("intensity"),
                    "word": answer.get("word"),
                    "missing": None if answer else missing_answer_words(answers, seat),
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
        "steps": _step_rows(context),
        "timeline": _timeline_rows(context),
        "checkins": _checkin_rows(context),
        "notes": _note_rows(notes),
    }


def summary_csv(session, context: Mapping, notes: Iterable) -> str:
    """One flat table; the `section` column tells session, step, timeline, check-in and note
    rows apart. A step row's `note` is its outcome in words ("done", "skipped by the
    counselor")."""
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
        note=_steps_note(facts),
    )
    for step in _step_rows(context):
        write(
            section="step",
            order=step["order"],
            title=step["title"],
            kind=step["kind"],
            note=outcome_words(step),
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
            note=row["missing"],
        )
    for order, row in enumerate(_note_rows(notes), start=1):
        write(section="note", order=order, started_at=row["created_at"], text=row["text"])
    return buffer.getvalue()
