"""The trend charts' legend names both partners in full: the chart is widened to hold it.

At the chart's smallest width the second partner's legend ("Sam (squares, dashed
line)") used to run past the SVG's right edge and was cut off on the couple's page.
"""

from __future__ import annotations

import re

import pytest

from sessions.reports.trends import LEGEND_CHAR, checkin_trend_svg, csi4_trend_svg

ANSWER = {"state": "safe", "intensity": 4, "word": ""}


def _legend_fits(svg: str) -> None:
    width = float(re.search(r'<svg[^>]* width="(\d+)"', svg).group(1))
    labels = re.findall(r'<text x="([\d.]+)" y="18" font-size="12"[^>]*>([^<]*)</text>', svg)
    assert len(labels) == 2, labels
    for x, label in labels:
        assert float(x) + LEGEND_CHAR * len(label) <= width, (label, width)


@pytest.mark.parametrize("names", [("Alex", "Sam"), ("A" * 40, "B" * 40)])
def test_both_partners_legends_fit_inside_the_csi4_chart(names):
    rows = [{"date": None, "a": {"total": 10}, "b": {"total": 18}}]
    _legend_fits(csi4_trend_svg(rows, {"a": names[0], "b": names[1]}))


@pytest.mark.parametrize("names", [("Alex", "Sam"), ("A" * 40, "B" * 40)])
def test_both_partners_legends_fit_inside_the_checkin_chart(names):
    session = {
        "date": None,
        "checkins_shared": True,
        "first": {"a": ANSWER, "b": ANSWER},
        "last": {"a": ANSWER, "b": ANSWER},
    }
    _legend_fits(checkin_trend_svg([session], {"a": names[0], "b": names[1]}))
