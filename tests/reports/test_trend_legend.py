"""Every word of the trend charts fits inside them, and no two day labels overlap.

The second partner's legend ("Sam (squares, dashed line)") once ran past the SVG's right
edge and was cut off on the couple's page; with many sessions the day labels under the
plot ran into each other. Each text's extent is estimated as the chart estimates it
(`text_width`, generous per character), then checked against the viewBox and its
neighbours.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sessions.reports.trends import (
    WIDTH,
    checkin_trend_svg,
    csi4_trend_svg,
    session_labels,
    text_width,
)

ANSWER = {"state": "safe", "intensity": 4, "word": ""}
TEXT = re.compile(
    r'<text x="([\d.]+)" y="([\d.]+)" font-size="([\d.]+)" text-anchor="(\w+)"[^>]*>([^<]*)</text>'
)
DAY = datetime(2026, 12, 7, 18, 5, tzinfo=ZoneInfo("UTC"))


def _extents(svg: str, only_days: bool = False) -> list[tuple[float, float, str]]:
    found = []
    for match in TEXT.finditer(svg):
        if only_days and 'class="day"' not in match.group(0):
            continue
        x, _, size, anchor, words = match.groups()
        width = text_width(words.replace("&amp;", "&"), float(size))
        left = {"start": 0, "middle": width / 2, "end": width}[anchor]
        found.append((float(x) - left, float(x) - left + width, words))
    return found


def _all_inside(svg: str) -> None:
    assert f'viewBox="0 0 {WIDTH} ' in svg
    for left, right, words in _extents(svg):
        assert left >= 0 and right <= WIDTH, (words, left, right)


def _days_apart(svg: str) -> list[str]:
    days = sorted(_extents(svg, only_days=True))
    for (_, right, _), (left, _, words) in zip(days, days[1:], strict=False):
        assert right < left, words
    return [words for _, _, words in days]


def _session(when) -> dict:
    pair = {"a": ANSWER, "b": ANSWER}
    return {"date": when, "checkins_shared": True, "first": pair, "last": pair}


@pytest.mark.parametrize("names", [("Alex", "Sam"), ("A" * 40, "B" * 40)])
def test_both_partners_legends_fit_inside_the_csi4_chart(names):
    rows = [{"date": None, "a": {"total": 10}, "b": {"total": 18}}]
    _all_inside(csi4_trend_svg(rows, {"a": names[0], "b": names[1]}))


@pytest.mark.parametrize("names", [("Alex", "Sam"), ("A" * 40, "B" * 40)])
def test_the_state_legend_and_both_names_fit_inside_the_checkin_chart(names):
    _all_inside(checkin_trend_svg([_session(DAY)], {"a": names[0], "b": names[1]}))


@pytest.mark.parametrize("count", [1, 2, 5, 12, 40, 120])
def test_day_labels_never_overlap_and_the_newest_is_always_labelled(count):
    # Two sessions a day, so every label carries its time: the widest labels there are.
    dates = [DAY + timedelta(hours=3 * (i % 2) + 24 * (i // 2)) for i in range(count)]
    names = {"a": "Alex", "b": "Sam"}
    for svg in (
        checkin_trend_svg([_session(d) for d in dates], names),
        csi4_trend_svg([{"date": d, "a": {"total": 12}, "b": {"total": 15}} for d in dates], names),
    ):
        _all_inside(svg)
        shown = _days_apart(svg)
        assert shown[-1] == session_labels(dates)[-1], shown
        assert len(shown) >= min(count, 4)
