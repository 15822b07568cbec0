"""A counselor's download of a couple's whole history: CSV for spreadsheets, JSON for tools.

The same facts as the couple's page (`history.history`): every session with its pauses
and reasons, the check-ins the counselor may see (hosted sessions, and practice only
when both partners shared it), each partner's CSI-4 items, total or skip, the practice
assigned and the counselor's notes. No join code and no standing link: a file that gets
forwarded must not open a room or the couple's page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.engine.vocabulary import PARTNERS
from sessions.models import Couple
from sessions.reports.csi4 import CUT_OFF, SHORT_CITATION
from sessions.reports.exports import safe_cell

FORMAT = "stay-couple-history/1"

CSV_COLUMNS = [
    "section",
    "order",
    "date",
    "title",
    "kind",
    "who",
    "outcome",
    "duration_seconds",
    "state",
    "intensity",
    "word",
    "items",
    "total",
    "note",
    "text",
]


def pause_count_words(count: int) -> str:
    """`no pauses`, `1 pause`, `2 pauses`: a count as a person would write it."""
    if not count:
        return _("no pauses")
    return ngettext("%(count)s pause", "%(count)s pauses", count) % {"count": count}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _measure(facts: Mapping | None) -> dict | None:
    if facts is None:
        return None
    return {
        "items": facts["items"],
        "total": facts["total"],
        "skipped": facts["skipped"],
        "below_cut_off": facts["below"],
        "answered_at": _iso(facts["answered_at"]),
    }


def _session(facts: Mapping) -> dict:
    checkins = None
    if facts["checkins_shared"]:
        checkins = {moment: facts[moment] for moment in ("first", "last")}
    return {
        "date": _iso(facts["date"]),
        "finished_at": _iso(facts["finished_at"]),
        "protocol": {"slug": facts["protocol_slug"], "title": facts["protocol"]},
        "kind": facts["kind"],
        "status": facts["status"],
        "outcome": facts["outcome"],
        "duration_seconds": facts["duration_seconds"],
        "paused_seconds": facts["paused_seconds"],
        "pauses": [
            {
                "by": pause["by"],
                "reason": pause["reason"],
                "words": pause["words"],
                "during": pause["step_title"],
                "seconds": pause["seconds"],
                "ended_session": pause["ended_session"],
            }
            for pause in facts["pauses"]
        ],
        "checkins_shared": facts["checkins_shared"],
        "checkins": checkins,
        "csi4": {seat: _measure(facts["csi4"][seat]) for seat in PARTNERS},
    }


def _practice(facts: Mapping) -> dict:
    return {
        "protocol": {"slug": facts["protocol_slug"], "title": facts["protocol"]},
        "times_per_week": facts["times_per_week"],
        "note": facts["note"],
        "assigned_at": _iso(facts["created_at"]),
        "stopped_at": _iso(facts["stopped_at"]),
        "completed": facts["done_total"],
    }


def history_json(couple: Couple, data: Mapping, notes: Iterable) -> dict:
    """The whole history as one JSON-serialisable dict."""
    return {
        "format": FORMAT,
        "couple": {
            "name_a": couple.name_a,
            "name_b": couple.name_b,
            "note": couple.note,
            "created_at": _iso(couple.created_at),
            "measure_on": couple.measure_on,
        },
        "measure": {"name": "CSI-4", "source": SHORT_CITATION, "cut_off": CUT_OFF},
        "sessions": [_session(facts) for facts in data["sessions"]],
        "csi4": [
            {"session": row["label"], "date": _iso(row["date"])}
            | {seat: _measure(row[seat]) for seat in PARTNERS}
            for row in data["measures"]
        ],
        "practice": [_practice(facts) for facts in data["practices"]],
        "notes": [
            {"created_at": _iso(n.created_at), "session": n.session_label, "text": n.text}
            for n in notes
        ],
    }


def history_csv(couple: Couple, data: Mapping, notes: Iterable) -> str:
    """One flat table; `section` tells couple, session, pause, checkin, csi4, practice and
    note rows apart, and `order` ties a pause or check-in row to its session's row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    names = data["names"]

    def write(**row):
        writer.writerow({column: safe_cell(row.get(column)) for column in CSV_COLUMNS})

    write(
        section="couple",
        order=0,
        date=_iso(couple.created_at),
        who=f"{couple.name_a} & {couple.name_b}",
        text=couple.note,
        note=_("CSI-4 cut-off %(cut_off)s (%(source)s)")
        % {"cut_off": CUT_OFF, "source": SHORT_CITATION},
    )
    for order, facts in enumerate(data["sessions"], start=1):
        write(
            section="session",
            order=order,
            date=_iso(facts["date"]),
            title=facts["protocol"],
            kind=facts["kind"],
            outcome=facts["outcome"],
            duration_seconds=facts["duration_seconds"],
            note=pause_count_words(facts["pause_count"])
            + ("" if facts["checkins_shared"] else _("; check-ins not shared")),
        )
        for pause in facts["pauses"]:
            write(
                section="pause",
                order=order,
                title=pause["words"],
                kind=pause["reason"],
                duration_seconds=pause["seconds"],
                note=_("during %(step)s") % {"step": pause["step_title"]}
                if pause["step_title"]
                else "",
            )
        if facts["checkins_shared"]:
            for moment in ("first", "last"):
                for seat in PARTNERS:
                    answer = (facts[moment] or {}).get(seat) or {}
                    write(
                        section="checkin",
                        order=order,
                        title=moment,
                        who=names[seat],
                        state=answer.get("state"),
                        intensity=answer.get("intensity"),
                        word=answer.get("word"),
                        note="" if answer else _("no answer"),
                    )
    for order, row in enumerate(data["measures"], start=1):
        for seat in PARTNERS:
            facts = row[seat]
            if facts is None:
                continue
            write(
                section="csi4",
                order=order,
                date=_iso(facts["answered_at"]),
                title=row["label"],
                who=names[seat],
                items=" ".join(str(v) for v in facts["items"]),
                total=facts["total"],
                note=_("skipped")
                if facts["skipped"]
                else (_("below 13.5") if facts["below"] else ""),
            )
    for order, facts in enumerate(data["practices"], start=1):
        write(
            section="practice",
            order=order,
            date=_iso(facts["created_at"]),
            title=facts["protocol"],
            kind=ngettext("%(times)s a week", "%(times)s a week", facts["times_per_week"])
            % {"times": facts["times_per_week"]},
            outcome=_("stopped") if facts["stopped_at"] else _("current"),
            note=ngettext("%(count)s completed", "%(count)s completed", facts["done_total"])
            % {"count": facts["done_total"]},
            text=facts["note"],
        )
    for order, note in enumerate(notes, start=1):
        write(
            section="note",
            order=order,
            date=_iso(note.created_at),
            title=note.session_label,
            text=note.text,
        )
    return buffer.getvalue()
