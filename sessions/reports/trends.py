"""Server-rendered SVG of a couple's trends across sessions: check-ins and the CSI-4.

Like `charts.py`: drawn on the server, so the couple's page needs no chart library, no
script and no inline style (colours are SVG presentation attributes, which the CSP
allows). Colour never carries meaning alone: each partner has a marker shape (circles,
squares) and a line style (solid, dashed) named in the legend, every point has a
`<title>` in words, the `<desc>` says it all in sentences, and the page shows the same
data as a table beside the chart.

Input is `history.session_history` (and `history.measure_rows` for the CSI-4): only
check-ins the counselor may see are in it (a practice session's only when both shared).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from django.utils import timezone

from sessions.engine.vocabulary import PARTNERS
from sessions.engine.wording import answer_line
from sessions.reports.csi4 import CUT_OFF, MAX_TOTAL, below_cut_off

INK = "#1d1d1f"
GRID = "#d5d3ce"
# Each partner: a colour, a marker and a line; the legend names all three.
STYLE = {
    "a": {"fill": "#2f6f5e", "shape": "circles", "line": "solid line", "dash": ""},
    "b": {"fill": "#4d5b7c", "shape": "squares", "line": "dashed line", "dash": "6 4"},
}
CUT_OFF_LABEL = "13.5: below this suggests notable distress (CSI-4)"

LEFT = 40
TOP = 52
PLOT_H = 168
SLOT = 76
BOTTOM = 44
MIN_WIDTH = 420
MAX_INTENSITY = 10


def _day(value) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {local:%b}"


def _width(count: int, names: Mapping[str, str]) -> int:
    """Wide enough for every session's slot and for the whole legend (never cut off)."""
    return max(MIN_WIDTH, LEFT + SLOT * count + 24, _legend_end(names) + 12)


def _y(value: float, top_value: float) -> float:
    return round(TOP + PLOT_H - (value / top_value) * PLOT_H, 1)


def _marker(seat: str, x: float, y: float, title: str, kind: str = "point") -> str:
    style = STYLE[seat]
    if seat == "a":
        shape = f'<circle cx="{x}" cy="{y}" r="5" fill="{style["fill"]}"/>'
    else:
        shape = (
            f'<rect x="{round(x - 4.5, 1)}" y="{round(y - 4.5, 1)}" width="9" height="9" '
            f'fill="{style["fill"]}"/>'
        )
    return f'<g class="{kind} {kind}-{seat}"><title>{escape(title)}</title>{shape}</g>'


def _lines(seat: str, runs: list[list[tuple[float, float]]]) -> str:
    """A partner's line through consecutive points; a missing answer leaves a gap."""
    style = STYLE[seat]
    dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
    out = []
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{x},{y}" for x, y in run)
            out.append(
                f'<polyline class="line line-{seat}" points="{points}" fill="none" '
                f'stroke="{style["fill"]}" stroke-width="2"{dash}/>'
            )
    return "".join(out)


# A generous width per character of 12 px legend text, so no label runs past the edge.
LEGEND_CHAR = 7


def _legend_labels(names: Mapping[str, str]) -> list[tuple[str, str]]:
    return [
        (seat, f"{names.get(seat) or seat.upper()} ({STYLE[seat]['shape']}, {STYLE[seat]['line']})")
        for seat in PARTNERS
    ]


def _legend_end(names: Mapping[str, str]) -> int:
    """Where the last legend label ends (its text starts 14 px after its marker)."""
    x = LEFT
    labels = _legend_labels(names)
    for _, label in labels[:-1]:
        x += 14 + LEGEND_CHAR * len(label) + 16
    return x + 14 + LEGEND_CHAR * len(labels[-1][1])


def _legend(names: Mapping[str, str]) -> str:
    parts = []
    x = LEFT
    for seat, label in _legend_labels(names):
        parts.append(_marker(seat, x + 5, 14, label, kind="legend"))
        parts.append(
            f'<text x="{x + 14}" y="18" font-size="12" fill="{INK}">{escape(label)}</text>'
        )
        x += 14 + LEGEND_CHAR * len(label) + 16
    return "".join(parts)


def _grid(width: int, ticks: Sequence[float], top_value: float, axis: str) -> str:
    out = [f'<text x="4" y="{TOP - 12}" font-size="11" fill="{INK}">{escape(axis)}</text>']
    for tick in ticks:
        y = _y(tick, top_value)
        out.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{width - 12}" y2="{y}" stroke="{GRID}" '
            f'stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4}" font-size="11" text-anchor="end" '
            f'fill="{INK}">{tick:g}</text>'
        )
    return "".join(out)


def _svg(chart_id: str, width: int, title: str, desc: str, body: str) -> str:
    height = TOP + PLOT_H + BOTTOM
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
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


def checkin_trend_svg(
    sessions: Sequence[Mapping], names: Mapping[str, str], *, chart_id: str = "checkin-trend"
) -> str:
    """Each partner's first and last check-in intensity (0–10) per session, oldest first.

    Empty when there is nothing to draw (the page then says so in words).
    """
    shown = checkin_points(sessions)
    if not shown:
        return ""
    width = _width(len(shown), names)
    body = [_legend(names), _grid(width, (0, 5, 10), MAX_INTENSITY, "Intensity (0 to 10)")]
    runs: dict[str, list[list[tuple[float, float]]]] = {seat: [[]] for seat in PARTNERS}
    markers: list[str] = []
    sentences: dict[str, list[str]] = {seat: [] for seat in PARTNERS}
    for i, session in enumerate(shown):
        centre = LEFT + SLOT * i + SLOT / 2
        day = _day(session.get("date"))
        base = TOP + PLOT_H
        body.append(
            f'<text x="{centre}" y="{base + 16}" font-size="10" text-anchor="middle" '
            f'fill="{INK}">first · last</text>'
            f'<text x="{centre}" y="{base + 32}" font-size="11" text-anchor="middle" '
            f'fill="{INK}">{escape(day)}</text>'
        )
        for moment, offset, word in (("first", -14, "first"), ("last", 14, "last")):
            for seat in PARTNERS:
                name = names.get(seat) or seat.upper()
                answer = (session.get(moment) or {}).get(seat)
                if not answer:
                    if runs[seat][-1]:
                        runs[seat].append([])
                    sentences[seat].append(f"{word} on {day}: no answer")
                    continue
                value = max(0, min(MAX_INTENSITY, int(answer.get("intensity") or 0)))
                x, y = round(centre + offset, 1), _y(value, MAX_INTENSITY)
                runs[seat][-1].append((x, y))
                line = answer_line(answer)
                markers.append(_marker(seat, x, y, f"{name}, {word} check-in, {day}: {line}"))
                sentences[seat].append(f"{word} on {day}: {line}")
    for seat in PARTNERS:
        body.append(_lines(seat, runs[seat]))
    body.extend(markers)
    desc = " ".join(
        f"{names.get(seat) or seat.upper()}: " + "; ".join(sentences[seat]) + "."
        for seat in PARTNERS
    )
    return _svg(chart_id, width, "Check-ins across sessions", desc, "".join(body))


def csi4_trend_svg(
    rows: Sequence[Mapping], names: Mapping[str, str], *, chart_id: str = "csi4-trend"
) -> str:
    """Each partner's CSI-4 total (0–21) per session, with the 13.5 cut-off as a dashed line.

    `rows` are `history.measure_rows`; a skipped answer leaves a gap. Empty when no
    partner has answered yet.
    """
    if not any((row.get(seat) or {}).get("total") is not None for row in rows for seat in PARTNERS):
        return ""
    width = _width(len(rows), names)
    body = [_legend(names), _grid(width, (0, 7, 14, 21), MAX_TOTAL, "CSI-4 total (0 to 21)")]
    cut_y = _y(CUT_OFF, MAX_TOTAL)
    # The line's words sit under the days, beside a sample of the dashes: on the line itself
    # they ran into the totals written next to points near 13.5.
    key_y = TOP + PLOT_H + 34
    body.append(
        f'<line class="cut-off" x1="{LEFT}" y1="{cut_y}" x2="{width - 12}" y2="{cut_y}" '
        f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="8 5"/>'
        f'<line class="cut-off-key" x1="{LEFT}" y1="{key_y}" x2="{LEFT + 26}" y2="{key_y}" '
        f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="8 5"/>'
        f'<text class="cut-off-label" x="{LEFT + 32}" y="{key_y + 4}" font-size="11" '
        f'fill="{INK}">{escape(CUT_OFF_LABEL)}</text>'
    )
    runs: dict[str, list[list[tuple[float, float]]]] = {seat: [[]] for seat in PARTNERS}
    markers: list[str] = []
    sentences: dict[str, list[str]] = {seat: [] for seat in PARTNERS}
    for i, row in enumerate(rows):
        centre = LEFT + SLOT * i + SLOT / 2
        day = _day(row.get("date"))
        body.append(
            f'<text x="{centre}" y="{TOP + PLOT_H + 18}" font-size="11" text-anchor="middle" '
            f'fill="{INK}">{escape(day)}</text>'
        )
        for seat, offset, anchor in (("a", -10, "end"), ("b", 10, "start")):
            name = names.get(seat) or seat.upper()
            answer = row.get(seat) or {}
            total = answer.get("total")
            if total is None:
                if runs[seat][-1]:
                    runs[seat].append([])
                missing = "skipped" if answer.get("skipped") else "no answer"
                sentences[seat].append(f"{day}: {missing}")
                continue
            words = f"{total}" + (" (below 13.5)" if below_cut_off(total) else "")
            x, y = round(centre + offset, 1), _y(total, MAX_TOTAL)
            runs[seat][-1].append((x, y))
            markers.append(_marker(seat, x, y, f"{name}, CSI-4 on {day}: {words}"))
            label_x = x - 8 if anchor == "end" else x + 8
            markers.append(
                f'<text x="{label_x}" y="{y + 4}" font-size="11" text-anchor="{anchor}" '
                f'fill="{INK}">{total}</text>'
            )
            sentences[seat].append(f"{day}: {words}")
    for seat in PARTNERS:
        body.append(_lines(seat, runs[seat]))
    body.extend(markers)
    desc = (
        " ".join(
            f"{names.get(seat) or seat.upper()}: " + "; ".join(sentences[seat]) + "."
            for seat in PARTNERS
        )
        + f" Dashed line at {CUT_OFF_LABEL}."
    )
    return _svg(chart_id, width, "CSI-4 totals across sessions", desc, "".join(body))
