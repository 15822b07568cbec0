"""A couple's own download of one session: CSV for spreadsheets, JSON for other tools.

Built from the partners' summary as the partner downloading it sees it
(`partner_summary`): the steps and what became of them, the pauses, and the arriving
and closing check-ins, with an answer the room never revealed left out. Deliberately
nothing else: no counselor notes, no CSI-4 answers (those are the counselor's, and the
other partner's are never shown), no join code or seat secret, no other session.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from django.utils.translation import gettext as _

from sessions.engine.vocabulary import PARTNERS
from sessions.reports.charts import missing_answer_words
from sessions.reports.exports import safe_cell
from sessions.reports.partner_summary import partner_summary

FORMAT = "stay-partner-session/1"
CSV_COLUMNS = ["section", "order", "title", "who", "state", "intensity", "word", "seconds", "note"]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _checkins(summary: Mapping) -> list[dict]:
    rows = []
    for moment in ("arrival", "closing"):
        pair = summary.get(moment)
        if not pair:
            continue
        for seat in PARTNERS:
            answer = pair.get(seat) or {}
            rows.append(
                {
                    "moment": moment,
                    "who": summary["names"].get(seat),
                    "state": answer.get("state"),
                    "intensity": answer.get("intensity"),
                    "word": answer.get("word"),
                    "missing": None if answer else missing_answer_words(pair, seat),
                }
            )
    return rows


def partner_json(session, role: str) -> dict:
    """The session as `role` sees it on the summary page, as one JSON-serialisable dict."""
    summary = partner_summary(session, role)
    return {
        "format": FORMAT,
        "session": {
            "protocol": summary["protocol"],
            "status": summary["status"],
            "created_at": _iso(session.created_at),
            "finished_at": _iso(session.finished_at),
            "duration_seconds": summary.get("duration_seconds"),
            "partners": {seat: summary["names"].get(seat) for seat in PARTNERS},
            "steps_line": summary["steps_line"],
        },
        "steps": [
            {"order": step["index"] + 1, "title": step["title"], "outcome": step["words"]}
            for step in summary["steps"]
        ],
        "pauses": [
            {"order": order, "line": line, "seconds": pause["seconds"]}
            for order, (line, pause) in enumerate(
                zip(summary["pause_lines"], summary["pauses"], strict=True), start=1
            )
        ],
        "checkins": _checkins(summary),
    }


def partner_csv(session, role: str) -> str:
    """The same facts as one flat table; `section` tells session, step, pause and check-in
    rows apart."""
    data = partner_json(session, role)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()

    def write(**row):
        writer.writerow({column: safe_cell(row.get(column)) for column in CSV_COLUMNS})

    facts = data["session"]
    write(
        section="session",
        order=0,
        title=facts["protocol"],
        who=" & ".join(name for name in facts["partners"].values() if name),
        seconds=facts["duration_seconds"],
        note=_("%(steps)s (%(status)s, started %(started)s)")
        % {"steps": facts["steps_line"], "status": facts["status"], "started": facts["created_at"]},
    )
    for step in data["steps"]:
        write(section="step", order=step["order"], title=step["title"], note=step["outcome"])
    for pause in data["pauses"]:
        write(section="pause", order=pause["order"], seconds=pause["seconds"], note=pause["line"])
    for order, row in enumerate(data["checkins"], start=1):
        write(
            section="checkin",
            order=order,
            title=row["moment"],
            who=row["who"],
            state=row["state"],
            intensity=row["intensity"],
            word=row["word"],
            note=row["missing"],
        )
    return buffer.getvalue()
