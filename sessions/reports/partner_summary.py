"""The partners' summary in words, from the side of the partner reading it.

`sessions.reports.summary` says what happened (steps, pauses, check-ins) as plain data; this
module says it to Alex or Sam: "You did all 4 steps", "Sam asked for a pause (feeling
flooded) during “Speak”: about 3 minutes", an answer they never saw in the room left out.
The page view only calls `partner_summary`. A sentence the room shows too (a check-in
answer, who paused) comes from `sessions.engine.wording`, so both say it the same way.
"""

from __future__ import annotations

from sessions.engine.vocabulary import COMPLETED, ENDED, HOST, PARTNERS, A, B, other
from sessions.engine.wording import COUNSELOR, answer_line
from sessions.models import CoupleSession
from sessions.reports.summary import (
    NOT_REACHED,
    SKIPPED,
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
    """A check-in answer as the room showed it, or that there is none."""
    return answer_line(answer) if answer else "No answer"


def describe_length(seconds: int) -> str:
    """Seconds while they matter; past a minute, the nearest minute reads calmer than a clock."""
    if seconds < FEW_SECONDS:
        return "a few seconds"
    if seconds < 60:
        return f"{seconds} seconds"
    minutes, rest = divmod(seconds, 60)
    if rest == 0:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    minutes = round(seconds / 60)
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"


def describe_pause(pause: dict, summary: dict, role: str) -> str:
    """One pause: who (the counselor by her name), why, during which step, how long."""
    who = pause_words(pause, role, summary["names"], summary.get("host_name") or COUNSELOR)
    where = f" during “{pause['step_title']}”" if pause["step_title"] else ""
    tail = ", then the session ended" if pause["ended_session"] else ""
    overrode = overrode_words(pause, summary["names"], role)
    if overrode:
        resumer = "you" if role == HOST else summary.get("host_name") or COUNSELOR
        tail += f"; {resumer} resumed it before {overrode} said ready"
    return f"{who}{where}: {describe_length(pause['seconds'])}{tail}"


def overrode_words(pause: dict, names: dict, role: str) -> str:
    """Whom the counselor resumed for before they said ready: "you", "Sam", "Alex and Sam"."""
    who = ["you" if seat == role else names.get(seat, seat) for seat in pause.get("overrode") or ()]
    return " and ".join(who)


def describe_steps(summary: dict, role: str) -> dict:
    """One sentence for the count, and each step's outcome in words.

    "You did all 4 steps", "You did 8 of 10 steps, 2 skipped by your counselor",
    "You did 3 of 10 steps before ending, 1 skipped by your counselor".
    """
    done, count = summary["steps_done"], summary["step_count"]
    if role == HOST:
        line = host_steps_line(summary)
    elif summary["status"] == COMPLETED and done == count:
        line = f"You did all {count} steps"
    else:
        ending = " before ending" if summary["status"] == ENDED else ""
        line = f"You did {done} of {count} steps{ending}{skipped_phrase(summary, role)}"
    steps = [
        {**step, "words": step_words(step, role, summary["names"])} for step in summary["steps"]
    ]
    return {"steps_line": line, "steps": steps}


def host_steps_line(summary: dict) -> str:
    """The count as the counselor's finished room reads it, about the couple:
    "Alex and Sam did all 9 steps", "Alex and Sam did 4 of 9 steps; you skipped 5"."""
    done, count, names = summary["steps_done"], summary["step_count"], summary["names"]
    couple = f"{names[A]} and {names[B]}"
    if summary["status"] == COMPLETED and done == count:
        return f"{couple} did all {count} steps"
    ending = " before ending" if summary["status"] == ENDED else ""
    line = f"{couple} did {done} of {count} steps{ending}"
    skipped = [s for s in summary["steps"] if s["outcome"] == SKIPPED]
    if skipped:
        mine = all(s.get("skipped_by") == HOST for s in skipped)
        line += f"; you skipped {len(skipped)}" if mine else f"; {len(skipped)} skipped"
    return line


def checkin_heading(label: str, pair: dict, role: str, names: dict) -> str:
    """A check-in's row label, e.g. `Closing (skipped by your counselor)` if it never ran."""
    outcome = pair.get("outcome")
    if outcome == SKIPPED:
        who = skipped_by_words(pair.get("skipped_by"), role, names)
        return f"{label} (skipped by {who})" if who else f"{label} (skipped)"
    if outcome == NOT_REACHED:
        # Same words as the step list: a check-in the room was on is "not finished".
        return f"{label} ({'not finished' if pair.get('started') else 'not reached'})"
    return label


def present_summary(summary: dict, role: str) -> dict:
    """Sentences and rows for the template, worded for the person reading."""
    names = dict(summary["names"])
    labels = {seat: ("You" if seat == role else names[seat]) for seat in PARTNERS}
    order = [role, other(role)] if role in PARTNERS else [A, B]
    checkins = []
    for key, label in (("arrival", "Arriving"), ("closing", "Closing")):
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
