"""Server-rendered SVG of a couple's trends across sessions: check-ins and the CSI-4.

Like `charts.py`: drawn on the server, so the couple's page needs no chart library, no
script and no inline style (colours are SVG presentation attributes, which the CSP
allows). Every chart has one fixed viewBox width (`WIDTH`) and the page's CSS scales it
to its column, so text keeps one size however many sessions there are; the sessions
share the width between them, and their day labels are thinned so none overlaps.

Colour never carries meaning alone:
- Check-ins are drawn in one small panel per partner (so neither partner's points hide
  the other's); each point's shape and fill say its ladder state (a circle for "Safe and
  connected", a triangle up for "On edge", a triangle down for "Shut down", named in the
  legend), its height the intensity, and a small number says the intensity exactly.
- CSI-4 totals: each partner has a marker shape and a line style named in the legend,
  the two sit slightly apart at each session, and each total is written beside its point.
Every point has a `<title>` in words, the `<desc>` says it all in sentences, and the
page shows the same data as a table under the chart.

Input is `history.session_history` (and `history.measure_rows` for the CSI-4): only
check-ins the counselor may see are in it (a practice session's only when both shared).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

from sessions.engine.vocabulary import FEELINGS, PARTNERS
from sessions.engine.wording import LADDER_WORDS, answer_line
from sessions.reports.charts import STATE_FILLS, intensity_of
from sessions.reports.csi4 import CUT_OFF, MAX_TOTAL, below_cut_off
from sessions.reports.trend_axes import (
    HALO,
    INK,
    LEFT,
    RIGHT,
    WIDTH,
    axis_labels,
    grid,
    session_labels,
    slots,
    text,
    text_width,
)

MAX_INTENSITY = 10

BAND = "#f1f0ec"
WITHIN = "#5f6b6d"  # a session's first to last check-in
BETWEEN = "#a3aaa7"  # one session's last check-in to the next one's first
# Each partner on the CSI-4 chart: a colour, a marker and a line; the legend names all three.
# Their words are translated where the legend is drawn.
STYLE = {
    "a": {
        "fill": "#2f6f5e",
        "shape": gettext_noop("circles"),
        "line": gettext_noop("solid line"),
        "dash": "",
    },
    "b": {
        "fill": "#4d5b7c",
        "shape": gettext_noop("squares"),
        "line": gettext_noop("dashed line"),
        "dash": "6 4",
    },
}
# Each ladder state on the check-in chart: a shape as well as a fill.
STATE_SHAPES = {
    "safe": gettext_noop("circle"),
    "mobilized": gettext_noop("triangle up"),
    "shutdown": gettext_noop("triangle down"),
}
CUT_OFF_LABEL = gettext_noop("13.5: below this suggests notable distress (CSI-4)")
CHECKIN_KEY = gettext_noop(
    "Height: intensity, 0 to 10. In each session: first check-in, then last."
)
# A session's first and last check-in, as a sentence of the chart names them.
MOMENT_WORDS = {
    "first": pgettext_lazy("check-in", "first"),
    "last": pgettext_lazy("check-in", "last"),
}


def _partner_marker(seat: str, x: float, y: float, title: str, kind: str = "point") -> str:
    fill = STYLE[seat]["fill"]
    if seat == "a":
        shape = f'<circle cx="{x}" cy="{y}" r="5.5" fill="{fill}"/>'
    else:
        shape = f'<rect x="{round(x - 5, 1)}" y="{round(y - 5, 1)}" width="10" height="10" fill="{fill}"/>'
    return f'<g class="{kind} {kind}-{seat}"><title>{escape(title)}</title>{shape}</g>'


def _state_shape(state: str, x: float, y: float) -> str:
    fill = STATE_FILLS.get(state, "#555555")
    edge = f'fill="{fill}" stroke="#ffffff" stroke-width="1.5"'
    if state == "mobilized":
        return f'<polygon points="{x},{y - 8} {x + 7.5},{y + 5} {x - 7.5},{y + 5}" {edge}/>'
    if state == "shutdown":
        return f'<polygon points="{x},{y + 8} {x + 7.5},{y - 5} {x - 7.5},{y - 5}" {edge}/>'
    return f'<circle cx="{x}" cy="{y}" r="6.5" {edge}/>'


def _svg(chart_id: str, height: float, title: str, desc: str, body: str) -> str:
    height = round(height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{body}</svg>'
    )


def checkin_points(sessions: Sequence[Mapping]) -> list[Mapping]:
    """Sessions whose check-ins the counselor may see and that hold at least one answer."""
    return [
        s
        for s in sessions
        if s.get("checkins_shared")
        and any(
            (s.get(moment) or {}).get(seat) for moment in ("first", "last") for seat in PARTNERS
        )
    ]


def _state_legend() -> str:
    parts, x = [], LEFT
    for state in FEELINGS:
        label = f"{_(LADDER_WORDS[state]['label'])} ({_(STATE_SHAPES[state])})"
        parts.append(
            f'<g class="legend legend-{state}">{_state_shape(state, x + 7, 14)}'
            + text(x + 20, 19, label)
            + "</g>"
        )
        x += 20 + text_width(label) + 24
    return "".join(parts) + text(LEFT, 42, _(CHECKIN_KEY), 12)


# The check-in chart, top to bottom: legend, then per partner a name and a plot.
PANEL_TOP, PANEL_TITLE, PANEL_PLOT, PANEL_GAP = 58, 36, 96, 20


def checkin_trend_svg(
    sessions: Sequence[Mapping], names: Mapping[str, str], *, chart_id: str = "checkin-trend"
) -> str:
    """Each partner's first and last check-in per session, oldest first, one panel each.

    Empty when there is nothing to draw (the page then says so in words).
    """
    shown = checkin_points(sessions)
    if not shown:
        return ""
    slot, centres = slots(len(shown))
    labels = session_labels([s.get("date") for s in shown])
    offset = round(min(slot * 0.22, 40), 1)
    numbered = offset * 2 >= 24  # room for the intensity beside each point
    panels = [
        (seat, PANEL_TOP + i * (PANEL_TITLE + PANEL_PLOT + PANEL_GAP))
        for i, seat in enumerate(PARTNERS)
    ]
    bottom = panels[-1][1] + PANEL_TITLE + PANEL_PLOT
    body = [_state_legend()]
    for i, centre in enumerate(centres):
        if i % 2:
            body.append(
                f'<rect class="band" x="{round(centre - slot / 2, 1)}" y="{PANEL_TOP}" '
                f'width="{round(slot, 1)}" height="{bottom + 6 - PANEL_TOP}" fill="{BAND}"/>'
            )
    sentences: dict[str, list[str]] = {seat: [] for seat in PARTNERS}
    for seat, top in panels:
        name = names.get(seat) or seat.upper()
        plot_top = top + PANEL_TITLE
        body.append(text(LEFT, top + 16, name, 14, extra=' font-weight="bold" class="panel-name"'))
        body.append(grid(plot_top, PANEL_PLOT, (0, 5, 10), MAX_INTENSITY))
        lines, marks, previous = [], [], None
        for i, session in enumerate(shown):
            for moment, shift in (("first", -offset), ("last", offset)):
                answer = (session.get(moment) or {}).get(seat)
                said = {"moment": MOMENT_WORDS[moment], "day": labels[i]}
                if not answer:
                    previous = None
                    sentences[seat].append(_("%(moment)s on %(day)s: no answer") % said)
                    continue
                line = answer_line(answer, words=translation)
                said["answer"] = line
                value = intensity_of(answer)
                if value is None:
                    # No intensity (the slider left untouched): said in words, not drawn at
                    # a height nobody chose; the line breaks here as for no answer.
                    previous = None
                    sentences[seat].append(_("%(moment)s on %(day)s: %(answer)s") % said)
                    continue
                x = round(centres[i] + shift, 1)
                y = round(plot_top + PANEL_PLOT - value / MAX_INTENSITY * PANEL_PLOT, 1)
                if previous is not None:
                    same = previous[0] == i
                    stroke = (
                        f'stroke="{WITHIN}" stroke-width="2"'
                        if same
                        else (f'stroke="{BETWEEN}" stroke-width="1.5" stroke-dasharray="3 4"')
                    )
                    lines.append(
                        f'<line class="{"within" if same else "between"}" x1="{previous[1]}" '
                        f'y1="{previous[2]}" x2="{x}" y2="{y}" {stroke}/>'
                    )
                previous = (i, x, y)
                state = answer.get("state")
                title = _("%(name)s, %(moment)s check-in, %(day)s: %(answer)s") % {
                    **said,
                    "name": name,
                }
                marks.append(
                    f'<g class="point point-{seat}" data-state="{escape(str(state))}">'
                    f"<title>{escape(title)}</title>"
                    f"{_state_shape(state, x, y)}</g>"
                )
                if numbered:
                    marks.append(text(x, y - 12, str(value), 12, "middle", HALO + ' class="value"'))
                sentences[seat].append(_("%(moment)s on %(day)s: %(answer)s") % said)
        body.extend(lines + marks)
    kinds = [s.get("kind") or "" for s in shown]
    body.append(axis_labels(centres, labels, bottom + 24, kinds))
    desc = " ".join(
        f"{names.get(seat) or seat.upper()}: " + "; ".join(sentences[seat]) + "."
        for seat in PARTNERS
    )
    return _svg(chart_id, bottom + 50, _("Check-ins across sessions"), desc, "".join(body))


def _partner_legend(names: Mapping[str, str]) -> tuple[str, float]:
    """Both partners' marker, line and name; the second goes under the first when long
    names leave no room beside it. Returns the legend and how far it reaches down."""
    parts, x, y = [], LEFT, 0
    for seat in PARTNERS:
        label = f"{names.get(seat) or seat.upper()} ({_(STYLE[seat]['shape'])}, {_(STYLE[seat]['line'])})"
        if x > LEFT and x + 18 + text_width(label) > WIDTH - RIGHT:
            x, y = LEFT, y + 24
        parts.append(_partner_marker(seat, x + 6, y + 14, label, kind="legend"))
        parts.append(text(x + 18, y + 19, label))
        x += 18 + text_width(label) + 24
    return "".join(parts), y


def _partner_lines(seat: str, runs: list[list[tuple[float, float]]]) -> str:
    """A partner's line through consecutive totals; a missing answer leaves a gap."""
    style = STYLE[seat]
    dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
    return "".join(
        f'<polyline class="line line-{seat}" points="{" ".join(f"{x},{y}" for x, y in run)}" '
        f'fill="none" stroke="{style["fill"]}" stroke-width="2"{dash}/>'
        for run in runs
        if len(run) > 1
    )


CSI4_PLOT = 150


def csi4_trend_svg(
    rows: Sequence[Mapping], names: Mapping[str, str], *, chart_id: str = "csi4-trend"
) -> str:
    """Each partner's CSI-4 total (0–21) per session, with the 13.5 cut-off as a dashed line.

    `rows` are `history.measure_rows`; a skipped answer leaves a gap. Empty when no
    partner has answered yet.
    """
    if not any((row.get(seat) or {}).get("total") is not None for row in rows for seat in PARTNERS):
        return ""
    slot, centres = slots(len(rows))
    labels = session_labels([row.get("date") for row in rows])
    legend, legend_below = _partner_legend(names)
    top = 62 + legend_below
    bottom = top + CSI4_PLOT
    numbered = slot >= 64
    offset = round(min(slot * 0.15, 14), 1)
    cut_y = round(bottom - CUT_OFF / MAX_TOTAL * CSI4_PLOT, 1)
    # The line's words sit under the days, beside a sample of the dashes: on the line itself
    # they ran into the totals written next to points near 13.5.
    key_y = bottom + 48
    body = [
        legend,
        text(LEFT - 36, top - 14, _("CSI-4 total (0 to 21)"), 12),
        grid(top, CSI4_PLOT, (0, 7, 14, 21), MAX_TOTAL),
        f'<line class="cut-off" x1="{LEFT}" y1="{cut_y}" x2="{WIDTH - RIGHT}" y2="{cut_y}" '
        f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="8 5"/>'
        f'<line class="cut-off-key" x1="{LEFT}" y1="{key_y}" x2="{LEFT + 26}" y2="{key_y}" '
        f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="8 5"/>'
        + text(LEFT + 34, key_y + 4, _(CUT_OFF_LABEL), 12, extra=' class="cut-off-label"'),
        axis_labels(centres, labels, bottom + 22),
    ]
    runs: dict[str, list[list[tuple[float, float]]]] = {seat: [[]] for seat in PARTNERS}
    markers: list[str] = []
    sentences: dict[str, list[str]] = {seat: [] for seat in PARTNERS}
    for i, row in enumerate(rows):
        for seat, shift, anchor in (("a", -offset, "end"), ("b", offset, "start")):
            name = names.get(seat) or seat.upper()
            answer = row.get(seat) or {}
            total = answer.get("total")
            if total is None:
                if runs[seat][-1]:
                    runs[seat].append([])
                missing = _("skipped") if answer.get("skipped") else _("no answer")
                sentences[seat].append(f"{labels[i]}: {missing}")
                continue
            words = (
                _("%(total)s (below 13.5)") % {"total": total}
                if below_cut_off(total)
                else f"{total}"
            )
            x = round(centres[i] + shift, 1)
            y = round(bottom - total / MAX_TOTAL * CSI4_PLOT, 1)
            runs[seat][-1].append((x, y))
            title = _("%(name)s, CSI-4 on %(day)s: %(total)s") % {
                "name": name,
                "day": labels[i],
                "total": words,
            }
            markers.append(_partner_marker(seat, x, y, title))
            if numbered:
                label_x = x - 9 if anchor == "end" else x + 9
                markers.append(
                    text(label_x, y + 4, str(total), 12, anchor, HALO + ' class="value"')
                )
            sentences[seat].append(f"{labels[i]}: {words}")
    body.extend(_partner_lines(seat, runs[seat]) for seat in PARTNERS)
    body.extend(markers)
    desc = (
        " ".join(
            f"{names.get(seat) or seat.upper()}: " + "; ".join(sentences[seat]) + "."
            for seat in PARTNERS
        )
        + " "
        + _("Dashed line at %(cut_off)s.") % {"cut_off": _(CUT_OFF_LABEL)}
    )
    return _svg(chart_id, key_y + 14, _("CSI-4 totals across sessions"), desc, "".join(body))
