"""Server-rendered SVG of a couple's arrival and closing check-ins.

Rendered on the server so the counselor's summary needs no chart library, no
script and no inline style (the Content-Security-Policy forbids both); colours
are SVG presentation attributes, which CSP allows. The chart never carries
meaning by colour alone: every bar is labelled with the name, the state in
words and the intensity, and the summary page shows the same data as a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sessions.engine.vocabulary import PARTNERS
from sessions.engine.wording import answer_line
from sessions.reports.summary import NOT_REACHED, SKIPPED

# Calm, AA-contrast fills against white; the words carry the meaning, not these.
STATE_FILLS = {"safe": "#2f6f5e", "mobilized": "#9a5b13", "shutdown": "#4d5b7c"}

# Translated where drawn (``_("Arriving")``), so a chart reads in its reader's language.
MOMENTS = (("arrival", gettext_noop("Arriving")), ("closing", gettext_noop("Closing")))

WIDTH = 340
# Drawn larger than its viewBox so the small labels stay readable; CSS shrinks it on
# narrow screens.
DISPLAY_WIDTH = 460
LABEL_X = 8
BAR_X = 8
BAR_MAX = 200
ROW_H = 44
HEADING_H = 26
MAX_INTENSITY = 10


def missing_answer_words(moment: Mapping, seat: str) -> str:
    """Why a partner has no answer for a check-in: a skipped step is not a blank answer."""
    if seat in (moment.get("removed") or ()):
        return _("answer removed")
    outcome = moment.get("outcome")
    if outcome == SKIPPED:
        return _("step skipped")
    if outcome == NOT_REACHED:
        return _("not reached")
    return _("no answer")


def moment_heading(heading: str, moment: Mapping) -> str:
    """A moment's heading, e.g. `Closing (skipped)` when its check-in step never ran."""
    outcome = moment.get("outcome")
    if outcome == SKIPPED:
        return _("%(label)s (skipped)") % {"label": heading}
    if outcome == NOT_REACHED:
        return _("%(label)s (not reached)") % {"label": heading}
    return heading


def _answer_line(name: str, answer: Mapping | None, missing: str) -> str:
    """`Alex: On edge, 7 of 10 — “tense”`: the answer as the room and the summaries say it."""
    return f"{name}: {answer_line(answer, words=translation) if answer else missing}"


def describe_checkins(checkins: Mapping, names: Mapping[str, str]) -> str:
    """One sentence per moment, used as the chart's <desc> for screen readers."""
    parts = []
    for key, heading in MOMENTS:
        moment = checkins.get(key) or {}
        heading = _(heading)
        answers = "; ".join(
            _answer_line(names.get(s) or s.upper(), moment.get(s), missing_answer_words(moment, s))
            for s in PARTNERS
        )
        parts.append(f"{moment_heading(heading, moment)}: {answers}.")
    return " ".join(parts)


def intensity_of(answer: Mapping | None) -> int | None:
    """The answer's intensity, 0–10; None when there is none (no answer, or the slider left
    untouched): then no bar is drawn and no number written, never a 0 nobody chose."""
    value = (answer or {}).get("intensity")
    if value is None or isinstance(value, bool):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        return None
    return max(0, min(MAX_INTENSITY, value))


def checkin_chart_svg(
    checkins: Mapping, names: Mapping[str, str], *, chart_id: str = "checkins"
) -> str:
    """SVG markup: for each moment, one labelled bar per partner, length = intensity 0–10.

    `checkins` is `{"arrival": {"a": answer|None, "b": answer|None}, "closing": {...}}`
    where an answer is the engine's check-in dict (`state`, `intensity`, optional `word`).
    A moment may also carry the summary's `outcome` of its step and the `removed` seats, so
    a skipped check-in reads "step skipped" and a removed answer "answer removed", never
    a bare "no answer".
    Every piece of text is escaped here, so the result is safe to mark safe in a template.
    """
    title_id = f"{chart_id}-title"
    desc_id = f"{chart_id}-desc"
    rows: list[str] = []
    y = 0
    for key, heading in MOMENTS:
        moment = checkins.get(key) or {}
        heading = _(heading)
        y += HEADING_H
        rows.append(
            f'<text x="{LABEL_X}" y="{y - 8}" font-size="15" font-weight="bold" '
            f'fill="#1d1d1f">{escape(moment_heading(heading, moment))}</text>'
        )
        for seat in PARTNERS:
            answer = moment.get(seat)
            name = names.get(seat) or seat.upper()
            label = _answer_line(name, answer, missing_answer_words(moment, seat))
            rows.append(
                f'<text x="{LABEL_X}" y="{y + 14}" font-size="13" fill="#1d1d1f">'
                f"{escape(label)}</text>"
            )
            # Track first (the full 0–10 scale), then the bar itself on top.
            rows.append(
                f'<rect x="{BAR_X}" y="{y + 20}" width="{BAR_MAX}" height="12" rx="3" '
                f'fill="#ecebe8" stroke="#8a8a8a" stroke-width="0.5"/>'
            )
            intensity = intensity_of(answer) if answer else None
            if intensity is not None:
                width = round(BAR_MAX * intensity / MAX_INTENSITY, 1)
                fill = STATE_FILLS.get(answer.get("state"), "#555555")
                rows.append(
                    f'<rect class="bar bar-{escape(seat)}" x="{BAR_X}" y="{y + 20}" '
                    f'width="{width}" height="12" rx="3" fill="{fill}" '
                    f'data-intensity="{intensity}"/>'
                )
            # No answer keeps its "–/10"; an answer without an intensity says only "—".
            number = f"{intensity}/10" if intensity is not None else ("—" if answer else "–/10")
            rows.append(
                f'<text x="{BAR_X + BAR_MAX + 8}" y="{y + 31}" font-size="12" fill="#1d1d1f">'
                f"{number}</text>"
            )
            y += ROW_H
    height = y + 8
    title = _("Arriving and closing check-ins")
    desc = describe_checkins(checkins, names)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="checkin-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{DISPLAY_WIDTH}" '
        f'height="{round(height * DISPLAY_WIDTH / WIDTH)}" '
        f'aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(desc)}</desc>' + "".join(rows) + "</svg>"
    )
