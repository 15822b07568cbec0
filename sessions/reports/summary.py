"""What a couple (or their counselor) sees once a session is over.

Built from the stored snapshot and the event log only, so it needs nothing the
room did not already keep: what became of each step, each pause with who asked,
why and for how long, and the first and last check-ins side by side. The
partners' page (`partner_summary`) and the counselor's (`timeline`) both start
from `session_summary`; `for_viewer` then hides a partner's check-in answer the
other partner never saw in the room.

Each step gets one outcome, read from the event log (not from how far the room
got, which would count a skipped step as done):

- ``done``: the room once moved past it by finishing it (a tap, a turn, the
  clock running out). A step done once stays done, even if the host later went
  back to it and skipped ahead again.
- ``skipped``: the room only ever left it by a ``skip`` (the host's); the
  actor is kept in ``skipped_by``.
- ``not_reached``: neither. ``started`` says whether the room was ever on it
  (the step the session ended on, or one the host went ``back`` from).

Going ``back`` leaves no mark on the step left; the step gone back to keeps
what it had, and a fresh pass through it can still make it done.

A partner who removed themselves (the engine's ``forget``: the seat is
``forgotten``, its name None, its answers gone) is named in words that say so.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext

from sessions.engine import step_text
from sessions.engine.actions import BACK, SKIP
from sessions.engine.events import EventType
from sessions.engine.vocabulary import COMPLETED, HOST, PARTNERS, WAITING, other
from sessions.engine.wording import COUNSELOR, pause_why, who_paused
from sessions.models import CoupleSession

DONE, SKIPPED, NOT_REACHED = "done", "skipped", "not_reached"

# Worded in the reader's language when a summary is built (``_names``).
FORGOTTEN_NAME = gettext_noop("A partner (removed their answers)")


def _outcomes_from_log(events, count: int) -> list[dict] | None:
    """Each step's outcome from the log; None when the log never entered a step."""
    outcomes = [
        {"outcome": NOT_REACHED, "skipped_by": None, "started": False} for _ in range(count)
    ]
    current: int | None = None
    entered_any = False
    for row in events:
        for event in row.events or []:
            kind = event.get("type")
            if kind not in (EventType.STEP_STARTED, EventType.COMPLETED):
                continue
            if current is not None and 0 <= current < count:
                # How the room left the step it was on. A tick (the settling before an
                # input included) is its own log row, so a skip's row holds only the skip.
                left = outcomes[current]
                if row.action == SKIP:
                    if left["outcome"] != DONE:
                        left.update(outcome=SKIPPED, skipped_by=row.actor)
                elif row.action != BACK:
                    left.update(outcome=DONE, skipped_by=None)
            current = None
            if kind == EventType.STEP_STARTED:
                entered_any = True
                current = event.get("index")
                if isinstance(current, int) and 0 <= current < count:
                    outcomes[current]["started"] = True
    return outcomes if entered_any else None


def _outcomes_from_state(state: dict, count: int) -> list[dict]:
    """Only for a log that never entered a step: how far the room got is all there is."""
    status = state.get("status")
    index = state.get("index", 0)
    begun = status not in (None, WAITING)
    return [
        {
            "outcome": DONE if status == COMPLETED or (begun and i < index) else NOT_REACHED,
            "skipped_by": None,
            "started": begun and i <= index,
        }
        for i in range(count)
    ]


def in_reader_language(item: dict | None, field: str = "title") -> str:
    """A step's or the protocol's text in the active language where the protocol has it
    (its ``texts``), else as written; "" when it has none."""
    item = item or {}
    if not item.get(field):
        return ""
    return step_text(item, field, translation.get_language() or "en")


def _steps(state: dict, events) -> list[dict]:
    protocol_steps = state.get("steps", [])
    count = len(protocol_steps)
    outcomes = _outcomes_from_log(events, count) or _outcomes_from_state(state, count)
    steps = []
    for i, (step, outcome) in enumerate(zip(protocol_steps, outcomes, strict=True)):
        steps.append(
            {
                "index": i,
                "title": in_reader_language(step) or _("Step %(number)s") % {"number": i + 1},
                "kind": step.get("kind", ""),
                **outcome,
                "done": outcome["outcome"] == DONE,
            }
        )
    return steps


def _forgotten(state: dict) -> dict:
    seats = state.get("seats") or {}
    return {seat: bool((seats.get(seat) or {}).get("forgotten")) for seat in PARTNERS}


def _names(state: dict) -> dict:
    seats = state.get("seats") or {}
    forgotten = _forgotten(state)
    names = {}
    for seat in PARTNERS:
        if forgotten[seat]:
            # Two removed partners still need telling apart; one is simply "a partner".
            both = all(forgotten.values())
            names[seat] = (
                _("Partner %(letter)s (removed their answers)") % {"letter": seat.upper()}
                if both
                else _(FORGOTTEN_NAME)
            )
        else:
            names[seat] = (seats.get(seat) or {}).get("name") or _("Partner %(letter)s") % {
                "letter": seat.upper()
            }
    return names


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
            if kind == EventType.PAUSED:
                index = event.get("index", 0)
                open_pause = {
                    "by": event.get("by"),
                    "reason": event.get("reason"),
                    "seat": event.get("seat"),
                    "step_title": in_reader_language(steps[index])
                    if 0 <= index < len(steps)
                    else "",
                    "seconds": 0,
                    "ended_session": False,
                    # Partners the counselor resumed for before they said ready (her
                    # "Resume for both"): both summaries say so, nobody is carried on unseen.
                    "overrode": [],
                }
                open_at_ms = at_ms
                pauses.append(open_pause)
            elif kind == EventType.RESUMED and open_pause is not None:
                open_pause["seconds"] = round(event.get("paused_ms", at_ms - open_at_ms) / 1000)
                open_pause["overrode"] = list(event.get("overrode") or [])
                open_pause = None
            elif kind == EventType.ENDED and open_pause is not None:
                open_pause["seconds"] = round((at_ms - open_at_ms) / 1000)
                open_pause["ended_session"] = True
                open_pause = None
    if open_pause is not None and last_ms is not None:
        open_pause["seconds"] = round((last_ms - open_at_ms) / 1000)
    return pauses


def _checkin_pair(state: dict, steps: list[dict], index: int | None) -> dict | None:
    """The answers of one check-in step, with what became of the step (a skipped one has none)."""
    if index is None:
        return None
    answers = (state.get("checkins") or {}).get(str(index)) or {}
    forgotten = _forgotten(state)
    return {
        "index": index,
        "title": steps[index]["title"],
        "outcome": steps[index]["outcome"],
        "skipped_by": steps[index]["skipped_by"],
        "started": steps[index]["started"],
        "removed": [seat for seat in PARTNERS if forgotten[seat]],
        **{seat: None if forgotten[seat] else answers.get(seat) for seat in PARTNERS},
    }


def _duration_seconds(events) -> int | None:
    started = finished = None
    for row in events:
        for event in row.events or []:
            if event.get("type") == EventType.STARTED and started is None:
                started = row.created_at
            if event.get("type") in (EventType.COMPLETED, EventType.ENDED):
                finished = row.created_at
    if started is None or finished is None:
        return None
    return max(0, round((finished - started).total_seconds()))


def session_summary(session: CoupleSession, events: list | None = None) -> dict:
    """Everything a summary shows, as plain data (JSON-serialisable).

    `events`: the session's event rows in version order, when the caller fetched them
    for many sessions at once (a couple's history); otherwise they are read here.
    """
    state = session.state or {}
    if events is None:
        events = list(session.events.order_by("version"))
    steps = _steps(state, events)
    checkin_steps = [s["index"] for s in steps if s["kind"] == "checkin"]
    arrival = checkin_steps[0] if checkin_steps else None
    closing = checkin_steps[-1] if len(checkin_steps) > 1 else None
    pauses = _pauses(events, state)
    skipped = [s for s in steps if s["outcome"] == SKIPPED]
    return {
        "protocol": in_reader_language(state.get("protocol")) or session.protocol_title,
        "status": state.get("status", session.status),
        "names": _names(state),
        # The counselor's name as the room showed it, so a summary can say "Dana called…".
        "host_name": (state.get("host") or {}).get("name"),
        "forgotten": _forgotten(state),
        "steps": steps,
        "steps_done": sum(1 for s in steps if s["outcome"] == DONE),
        "steps_skipped": len(skipped),
        "steps_skipped_by_host": sum(1 for s in skipped if s["skipped_by"] == HOST),
        "steps_not_reached": sum(1 for s in steps if s["outcome"] == NOT_REACHED),
        "step_count": len(steps),
        "pauses": pauses,
        "paused_seconds": sum(p["seconds"] for p in pauses),
        "arrival": _checkin_pair(state, steps, arrival),
        "closing": _checkin_pair(state, steps, closing),
        "duration_seconds": _duration_seconds(events),
    }


def for_viewer(summary: dict, role: str) -> dict:
    """Hide a partner's check-in answer that the other partner never saw revealed."""
    if role not in PARTNERS:
        return summary
    shaped = dict(summary)
    for key in ("arrival", "closing"):
        pair = summary.get(key)
        if pair and any(pair[seat] is None for seat in PARTNERS):
            shaped[key] = {**pair, other(role): None}
    return shaped


def and_list(items: list[str]) -> str:
    """`Alex`, `Alex and Sam`: two at most in a room, joined as the reader's language does."""
    if len(items) == 2:
        return _("%(first)s and %(second)s") % {"first": items[0], "second": items[1]}
    return ", ".join(items)


def skipped_by_words(actor: str | None, role: str, names: dict) -> str:
    """Who skipped a step, from the reader's side: "you", "your counselor", a partner's name.

    Said after "skipped by" (``step_words``), in the reader's language.
    """
    if actor is not None and actor == role:
        return pgettext("skipped by …", "you")
    if actor == HOST:
        return _(COUNSELOR)
    if actor in names:
        return names[actor]
    return ""


def step_words(step: dict, role: str, names: dict) -> str:
    """One step's outcome in plain words ("done", "skipped by your counselor", "not reached")."""
    if step["outcome"] == DONE:
        return _("done")
    if step["outcome"] == SKIPPED:
        who = skipped_by_words(step.get("skipped_by"), role, names)
        return _("skipped by %(who)s") % {"who": who} if who else _("skipped")
    return _("not finished") if step.get("started") else _("not reached")


def skipped_phrase(summary: dict, role: str) -> str:
    """The tail of a count, e.g. `, 2 skipped by your counselor`; empty when none was skipped."""
    skipped = [s for s in summary["steps"] if s["outcome"] == SKIPPED]
    if not skipped:
        return ""
    who = {skipped_by_words(s.get("skipped_by"), role, summary["names"]) for s in skipped}
    values = {"count": len(skipped)}
    if len(who) == 1 and "" not in who:
        values["who"] = who.pop()
        return (
            ngettext(
                ", %(count)s skipped by %(who)s", ", %(count)s skipped by %(who)s", len(skipped)
            )
            % values
        )
    return ngettext(", %(count)s skipped", ", %(count)s skipped", len(skipped)) % values


def pause_words(pause: dict, reader: str, names: dict, counselor: str = COUNSELOR) -> str:
    """Who paused and why, for a summary or the timeline: `Sam asked for a pause (feeling
    flooded)`, `Dana called a longer break`, `You asked for a pause`. The room says the same
    person and act (`who_paused`); only a summary adds why, the room's break note says it.
    Worded in the active language (``translation`` is the engine's ``words``)."""
    why = pause_why(pause.get("reason"), pause.get("by"), words=translation)
    said = who_paused(pause, reader, names, counselor, words=translation)
    return f"{said} ({why})" if why else said
