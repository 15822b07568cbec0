"""The partners' summary in words, from the side of the partner reading it.

`sessions.reports.summary` says what happened (steps, pauses, check-ins) as plain data; this
module says it to Alex or Sam: "You did all 4 steps", "Sam asked for a pause (feeling
flooded) during “Speak”: about 3 minutes", an answer they never saw in the room left out.
The page view only calls `partner_summary`. A sentence the room shows too (a check-in
answer, who paused) comes from `sessions.engine.wording`, so both say it the same way.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.engine.vocabulary import COMPLETED, ENDED, HOST, PARTNERS, A, B, other
from sessions.engine.wording import COUNSELOR, answer_line
from sessions.models import CoupleSession
from sessions.reports.summary import (
    NOT_REACHED,
    SKIPPED,
    and_list,
    for_viewer,
    pause_words,
    session_summary,
    skipped_by_words,
    skipped_phrase,
    step_words,
)

# Under this many seconds a clock reads falsely exact ("0 seconds" for a pause that
# happened): "a few seconds" is the honest length.
FEW_SECONDS = 5


def describe_answer(answer: dict | None) -> str:
    """A check-in answer as the room showed it (in the reader's language), or that there is none."""
    return answer_line(answer, words=translation) if answer else _("No answer")


def describe_length(seconds: int) -> str:
    """Seconds while they matter; past a minute, the nearest minute reads calmer than a clock."""
    if seconds < FEW_SECONDS:
        return _("a few seconds")
    if seconds < 60:
        return ngettext("%(count)s second", "%(count)s seconds", seconds) % {"count": seconds}
    minutes, rest = divmod(seconds, 60)
    if rest == 0:
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    minutes = round(seconds / 60)
    return ngettext("about %(count)s minute", "about %(count)s minutes", minutes) % {
        "count": minutes
    }


def describe_pause(pause: dict, summary: dict, role: str) -> str:
    """One pause: who (the counselor by her name), why, during which step, how long."""
    host_name = summary.get("host_name")
    who = pause_words(pause, role, summary["names"], host_name or COUNSELOR)
    values = {"who": who, "length": describe_length(pause["seconds"])}
    if pause["step_title"]:
        line = _("%(who)s during “%(step)s”: %(length)s") % {**values, "step": pause["step_title"]}
    else:
        line = _("%(who)s: %(length)s") % values
    if pause["ended_session"]:
        line += _(", then the session ended")
    overrode = _overrode_tail(pause, summary, role)
    return line + overrode


def _overrode_tail(pause: dict, summary: dict, role: str) -> str:
    """`; Dana resumed it before you said ready`: whom the counselor resumed for before they
    said ready, from the reader's side, as one whole sentence for each case (a language
    words "you said" and "Sam said" differently)."""
    seats = list(pause.get("overrode") or ())
    if not seats:
        return ""
    names = summary["names"]
    others = and_list([names.get(seat, seat) for seat in seats if seat != role])
    if role == HOST:
        return ngettext(
            "; you resumed it before %(whom)s said ready",
            "; you resumed it before %(whom)s said ready",
            len(seats),
        ) % {"whom": others}
    values = {"resumer": summary.get("host_name") or _(COUNSELOR), "whom": others}
    if role not in seats:
        return (
            ngettext(
                "; %(resumer)s resumed it before %(whom)s said ready",
                "; %(resumer)s resumed it before %(whom)s said ready",
                len(seats),
            )
            % values
        )
    if others:
        return _("; %(resumer)s resumed it before you and %(whom)s said ready") % values
    return _("; %(resumer)s resumed it before you said ready") % values


def describe_steps(summary: dict, role: str) -> dict:
    """One sentence for the count, and each step's outcome in words.

    "You did all 4 steps", "You did 8 of 10 steps, 2 skipped by your counselor",
    "You did 3 of 10 steps before ending, 1 skipped by your counselor".
    """
    done, count = summary["steps_done"], summary["step_count"]
    values = {"done": done, "count": count}
    if role == HOST:
        line = host_steps_line(summary)
    elif summary["status"] == COMPLETED and done == count:
        line = ngettext("You did the %(count)s step", "You did all %(count)s steps", count) % values
    elif summary["status"] == ENDED:
        line = ngettext(
            "You did %(done)s of %(count)s step before ending",
            "You did %(done)s of %(count)s steps before ending",
            count,
        ) % values + skipped_phrase(summary, role)
    else:
        line = ngettext(
            "You did %(done)s of %(count)s step", "You did %(done)s of %(count)s steps", count
        ) % values + skipped_phrase(summary, role)
    steps = [
        {**step, "words": step_words(step, role, summary["names"])} for step in summary["steps"]
    ]
    return {"steps_line": line, "steps": steps}


def host_steps_line(summary: dict) -> str:
    """The count as the counselor's finished room reads it, about the couple:
    "Alex and Sam did all 9 steps", "Alex and Sam did 4 of 9 steps; you skipped 5"."""
    done, count, names = summary["steps_done"], summary["step_count"], summary["names"]
    values = {"a": names[A], "b": names[B], "done": done, "count": count}
    if summary["status"] == COMPLETED and done == count:
        return (
            ngettext(
                "%(a)s and %(b)s did the %(count)s step",
                "%(a)s and %(b)s did all %(count)s steps",
                count,
            )
            % values
        )
    if summary["status"] == ENDED:
        line = (
            ngettext(
                "%(a)s and %(b)s did %(done)s of %(count)s step before ending",
                "%(a)s and %(b)s did %(done)s of %(count)s steps before ending",
                count,
            )
            % values
        )
    else:
        line = (
            ngettext(
                "%(a)s and %(b)s did %(done)s of %(count)s step",
                "%(a)s and %(b)s did %(done)s of %(count)s steps",
                count,
            )
            % values
        )
    skipped = [s for s in summary["steps"] if s["outcome"] == SKIPPED]
    if skipped:
        mine = all(s.get("skipped_by") == HOST for s in skipped)
        skips = {"count": len(skipped)}
        line += _("; you skipped %(count)s") % skips if mine else _("; %(count)s skipped") % skips
    return line


def checkin_heading(label: str, pair: dict, role: str, names: dict) -> str:
    """A check-in's row label, e.g. `Closing (skipped by your counselor)` if it never ran."""
    outcome = pair.get("outcome")
    if outcome == SKIPPED:
        who = skipped_by_words(pair.get("skipped_by"), role, names)
        if who:
            return _("%(label)s (skipped by %(who)s)") % {"label": label, "who": who}
        return _("%(label)s (skipped)") % {"label": label}
    if outcome == NOT_REACHED:
        # Same words as the step list: a check-in the room was on is "not finished".
        if pair.get("started"):
            return _("%(label)s (not finished)") % {"label": label}
        return _("%(label)s (not reached)") % {"label": label}
    return label


def present_summary(summary: dict, role: str) -> dict:
    """Sentences and rows for the template, worded for the person reading."""
    names = dict(summary["names"])
    labels = {seat: (_("You") if seat == role else names[seat]) for seat in PARTNERS}
    order = [role, other(role)] if role in PARTNERS else [A, B]
    checkins = []
    for key, label in (("arrival", _("Arriving")), ("closing", _("Closing"))):
        pair = summary.get(key)
        if pair:
            checkins.append(
                {
                    "label": checkin_heading(label, pair, role, names),
                    "answers": [describe_answer(pair[seat]) for seat in order],
                }
            )
    duration = summary.get("duration_seconds")
    return {
        **summary,
        "columns": [labels[seat] for seat in order],
        "checkin_rows": checkins,
        "pause_lines": [describe_pause(pause, summary, role) for pause in summary["pauses"]],
        "duration_text": describe_length(duration) if duration is not None else None,
        **describe_steps(summary, role),
    }


def partner_summary(session: CoupleSession, role: str) -> dict:
    """Everything the partners' summary page shows to ``role``, and nothing the room hid."""
    return present_summary(for_viewer(session_summary(session), role), role)
