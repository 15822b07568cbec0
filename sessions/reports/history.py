"""A couple's history for their counselor: every session, its pauses, check-ins and CSI-4.

Built on the shared summary (`summary.session_summary`: pauses with who and why, the
first and last check-ins, the duration), one session at a time, so the couple's page
says of each session exactly what its own summary says. Two things are decided here:

- A practice session (the couple's own, started from their standing link, no counselor
  in the room) shows its check-in answers only when both partners ticked "share this
  practice with our counselor" (`share_a` and `share_b`); before that the counselor
  sees what was done (date, duration, pauses, completed), never how they felt.
- The CSI-4 answers (`MeasureAnswer`) are read here and nowhere a partner looks.

Names are the couple's as the counselor wrote them, so every row reads "Alex", "Sam".

A practice session's join code never leaves this module: the counselor is not in that
room and must not hold its key, so its facts carry the session's pk only (`code` None).

The pages read everything in a fixed number of queries however long the history or the
list of couples grows: event logs are prefetched for all sessions at once, practice
counts are annotations, and the list prefetches every couple's sessions and practice.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sessions.engine.vocabulary import ACTIVE, COMPLETED, ENDED, FINISHED, HOST, PARTNERS, PAUSED
from sessions.engine.wording import answer_line
from sessions.models import Couple, CoupleSession, Event, MeasureAnswer, Note, Practice
from sessions.reports.csi4 import CUT_OFF, MAX_TOTAL, below_cut_off
from sessions.reports.practice import practice_facts, practices, with_counts
from sessions.reports.summary import pause_words, session_summary
from sessions.reports.timeline import duration_text

HOSTED, PRACTICE = "hosted", "practice"

# Translated when a session's facts are read (``outcome_words``).
OUTCOME_WORDS = {
    COMPLETED: gettext_noop("completed"),
    ENDED: gettext_noop("ended early"),
    ACTIVE: gettext_noop("in progress"),
    PAUSED: gettext_noop("paused now"),
}
NOT_STARTED = gettext_noop("not started")


def couple_names(couple: Couple) -> dict[str, str]:
    return {"a": couple.name_a, "b": couple.name_b}


def checkins_shared(session: CoupleSession) -> bool:
    """Whether the counselor may see this session's check-in answers."""
    return not session.is_practice or (session.share_a and session.share_b)


def outcome_words(status: str) -> str:
    return _(OUTCOME_WORDS.get(status, NOT_STARTED))


def _answer(answer) -> dict | None:
    if not isinstance(answer, dict) or not answer.get("state"):
        return None
    return {
        "state": answer.get("state"),
        "intensity": answer.get("intensity"),
        "word": answer.get("word") or "",
    }


def _moment(pair) -> dict:
    pair = pair or {}
    return {seat: _answer(pair.get(seat)) for seat in PARTNERS}


def measure_facts(answer: MeasureAnswer | None) -> dict | None:
    """One partner's CSI-4 as plain data; `below` marks a total under the cut-off (13.5)."""
    if answer is None:
        return None
    return {
        "items": list(answer.items or []),
        "total": answer.total,
        "skipped": answer.skipped,
        "below": below_cut_off(answer.total),
        "answered_at": answer.answered_at,
    }


def measure_words(facts: dict | None) -> str:
    """`15 of 21`, `12 of 21, below 13.5`, `skipped`, or `no answer`: never an alarm word."""
    if facts is None:
        return _("no answer")
    if facts["skipped"] or facts["total"] is None:
        return _("skipped")
    values = {"total": facts["total"], "most": MAX_TOTAL, "cut_off": f"{CUT_OFF:g}"}
    if facts["below"]:
        return _("%(total)s of %(most)s, below %(cut_off)s") % values
    return _("%(total)s of %(most)s") % values


def _measure_cells(names: dict, by_seat: dict) -> list[dict]:
    return [
        {
            "seat": seat,
            "name": names[seat],
            "words": measure_words(by_seat.get(seat)),
            "below": bool((by_seat.get(seat) or {}).get("below")),
        }
        for seat in PARTNERS
    ]


def _checkin_cells(names: dict, first: dict | None, last: dict | None) -> list[dict]:
    def words(moment, seat):
        answer = (moment or {}).get(seat)
        return answer_line(answer, words=translation) if answer else _("no answer")

    return [
        {"seat": s, "name": names[s], "first": words(first, s), "last": words(last, s)}
        for s in PARTNERS
    ]


def session_facts(session: CoupleSession, names: dict, measures: dict | None = None) -> dict:
    """What the couple's page and the exports say about one session."""
    summary = session_summary(session, getattr(session, "ordered_events", None))
    shared = checkins_shared(session)
    practice = session.is_practice
    pauses = [
        {
            "words": pause_words(pause, HOST, names),
            "by": pause.get("by"),
            "reason": pause.get("reason"),
            "step_title": pause.get("step_title", ""),
            "seconds": pause.get("seconds", 0),
            "ended_session": pause.get("ended_session", False),
        }
        for pause in summary["pauses"]
    ]
    measures = measures or {}
    first = _moment(summary.get("arrival")) if shared else None
    last = _moment(summary.get("closing")) if shared else None
    csi4 = {seat: measure_facts(measures.get(seat)) for seat in PARTNERS}
    return {
        "pk": session.pk,
        # Hosted: the counselor's own room (host view, share page). Practice: never.
        "code": None if practice else session.code,
        "date": session.created_at,
        "finished_at": session.finished_at,
        "protocol_slug": session.protocol_slug,
        "protocol": summary["protocol"],  # in the reader's language where the protocol has it
        "kind": PRACTICE if practice else HOSTED,
        "status": session.status,
        "outcome": outcome_words(session.status),
        "finished": session.status in FINISHED,
        "duration_seconds": summary["duration_seconds"],
        "duration_text": (
            duration_text(summary["duration_seconds"])
            if summary["duration_seconds"] is not None
            else "–"
        ),
        "pauses": pauses,
        "pause_count": len(pauses),
        "paused_seconds": summary["paused_seconds"],
        "checkins_shared": shared,
        "first": first,
        "last": last,
        "checkin_cells": _checkin_cells(names, first, last) if shared else [],
        "csi4": csi4,
        "csi4_cells": _measure_cells(names, csi4),
        "measured": any(csi4.values()),
    }


def _measures_by_session(couple: Couple) -> dict[int, dict[str, MeasureAnswer]]:
    found: dict[int, dict[str, MeasureAnswer]] = {}
    for answer in MeasureAnswer.objects.filter(couple=couple, session__isnull=False):
        found.setdefault(answer.session_id, {})[answer.seat] = answer
    return found


def couple_sessions(couple: Couple):
    """Every session of the couple, oldest first; none of them expires once started."""
    return (
        CoupleSession.objects.live()
        .filter(couple=couple, workshop__isnull=True)
        .order_by("created_at", "pk")
    )


def session_history(couple: Couple) -> list[dict]:
    """Facts per session, oldest first (the trends read left to right in time).

    Every session's event log comes in one query (`ordered_events`), not one per session.
    """
    names = couple_names(couple)
    measures = _measures_by_session(couple)
    rows = couple_sessions(couple).prefetch_related(
        Prefetch("events", queryset=Event.objects.order_by("version"), to_attr="ordered_events")
    )
    return [session_facts(session, names, measures.get(session.pk)) for session in rows]


def measure_rows(couple: Couple) -> list[dict]:
    """The CSI-4 per session, oldest first, both partners side by side.

    An answer stays when the partners deleted its session: the row then keeps the
    session's label and day only.
    """
    rows: dict[object, dict] = {}
    for answer in MeasureAnswer.objects.filter(couple=couple).order_by("answered_at", "pk"):
        key = answer.session_id or f"label:{answer.session_label}"
        row = rows.setdefault(
            key,
            {
                "label": answer.session_label,
                "date": answer.answered_at,
                "a": None,
                "b": None,
            },
        )
        row[answer.seat] = measure_facts(answer)
    names = couple_names(couple)
    for row in rows.values():
        row["cells"] = _measure_cells(names, row)
    return list(rows.values())


def couple_notes(couple: Couple):
    """The counselor's notes about the couple and about any session of theirs, oldest first."""
    return Note.objects.filter(
        Q(couple=couple) | Q(session__couple=couple), counselor_id=couple.counselor_id
    ).order_by("created_at", "pk")


def _hosted_sessions():
    return (
        CoupleSession.objects.live()
        .filter(practice__isnull=True, counselor__isnull=False, workshop__isnull=True)
        .order_by("created_at", "pk")
    )


def overview(couple: Couple, now: datetime | None = None) -> dict:
    """What the list of couples shows in one row: last session, the current one, practice.

    Reads what `overviews` prefetched when it is there (`hosted`, `active_practices`).
    """
    sessions = getattr(couple, "hosted", None)
    if sessions is None:
        sessions = list(_hosted_sessions().filter(couple=couple))
    active = getattr(couple, "active_practices", None)
    if active is None:
        active = with_counts(
            couple.practices.filter(stopped_at__isnull=True).order_by("-created_at", "-pk"), now
        )
    finished = [s for s in sessions if s.status in FINISHED]
    current = [s for s in sessions if s.status not in FINISHED]
    return {
        "last": finished[-1] if finished else None,
        "current": current[-1] if current else None,
        "practice": [practice_facts(p, now) for p in active],
    }


def overviews(couples, now: datetime | None = None) -> list[dict]:
    """One row per couple of `couples` (a queryset), in three queries however many there are."""
    rows = couples.prefetch_related(
        Prefetch("sessions", queryset=_hosted_sessions(), to_attr="hosted"),
        Prefetch(
            "practices",
            queryset=with_counts(
                Practice.objects.filter(stopped_at__isnull=True).order_by("-created_at", "-pk"),
                now,
            ),
            to_attr="active_practices",
        ),
    )
    return [{"couple": couple, **overview(couple, now)} for couple in rows]


def history(couple: Couple, now: datetime | None = None) -> dict:
    """Everything the couple's page and the exports show, as plain data."""
    return {
        "names": couple_names(couple),
        "sessions": session_history(couple),
        "measures": measure_rows(couple),
        "practices": practices(couple, now),
        "cut_off": CUT_OFF,
    }
