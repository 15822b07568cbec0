"""The axes and words the couple's trend charts share (`trends.py`): one drawing width,
session labels that tell a day's sessions apart, day labels thinned so none overlaps.

Text widths are estimated, generously, from the number of characters: the server draws
the chart without a font, and an estimate on the large side only ever leaves more room.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from django.utils import dateformat, timezone

INK = "#1d1d1f"
MUTED = "#4a5558"
GRID = "#d5d3ce"
WIDTH = 900
LEFT = 44
RIGHT = 16
PLOT_W = WIDTH - LEFT - RIGHT
FONT = 13
# A generous width per point of font size, so no estimate runs short of the real text.
CHAR = 0.62
GAP = 12


def text_width(words: str, size: float = FONT) -> float:
    return len(words) * size * CHAR


def session_labels(dates: Sequence) -> list[str]:
    """`7 Dec` per session, or `7 Dec 18:05` when another session shares that day (and the
    seconds too in the rare case two began in the same minute); the month in the reader's
    language (`7 dic`)."""
    local = [timezone.localtime(d) if d is not None else None for d in dates]
    days = [d.date() if d else None for d in local]
    minutes = [d.replace(second=0, microsecond=0) if d else None for d in local]
    labels = []
    for d, day, minute in zip(local, days, minutes, strict=True):
        if d is None:
            labels.append("")
        elif minutes.count(minute) > 1:
            labels.append(dateformat.format(d, "j M H:i:s"))
        elif days.count(day) > 1:
            labels.append(dateformat.format(d, "j M H:i"))
        else:
            labels.append(dateformat.format(d, "j M"))
    return labels


def slots(count: int) -> tuple[float, list[float]]:
    slot = PLOT_W / max(count, 1)
    return slot, [round(LEFT + slot * i + slot / 2, 1) for i in range(count)]


# A white outline behind a number written beside a point, so a line under it never cuts it.
HALO = ' stroke="#ffffff" stroke-width="4" paint-order="stroke"'


def text(x, y, words, size=FONT, anchor="start", extra="", fill=INK) -> str:
    return (
        f'<text x="{round(x, 1)}" y="{round(y, 1)}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="{fill}"{extra}>{escape(words)}</text>'
    )


def axis_labels(
    centres: Sequence[float], labels: Sequence[str], y: float, below: Sequence[str] = ()
) -> str:
    """Session labels under the plot (and a second line `below` each, e.g. `practice`),
    newest always shown; thinned so none overlaps.

    Every `step`-th label from the newest back, moved inside the chart at its edges, and
    any that would still touch its neighbour is left out (the table has every date).
    """
    if not centres:
        return ""
    below = list(below) or [""] * len(labels)
    widths = [max(text_width(a), text_width(b, 12)) for a, b in zip(labels, below, strict=True)]
    slot = centres[1] - centres[0] if len(centres) > 1 else PLOT_W
    step = max(1, math.ceil((max(widths) + GAP) / slot))
    out, left_of_last = [], WIDTH + GAP
    for i in range(len(centres) - 1, -1, -step):
        width = widths[i]
        x = min(max(centres[i], 4 + width / 2), WIDTH - 4 - width / 2)
        if x + width / 2 + GAP > left_of_last:
            continue
        left_of_last = x - width / 2
        out.append(text(x, y, labels[i], anchor="middle", extra=' class="day"'))
        if below[i]:
            out.append(text(x, y + 16, below[i], 12, "middle", ' class="kind"', MUTED))
    return "".join(reversed(out))


def grid(top: float, height: float, ticks: Sequence[float], top_value: float) -> str:
    out = []
    for tick in ticks:
        y = round(top + height - tick / top_value * height, 1)
        out.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="{GRID}" '
            f'stroke-width="1"/>' + text(LEFT - 8, y + 4, f"{tick:g}", 12, "end")
        )
    return "".join(out)
