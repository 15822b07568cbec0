"""Dana reads each partner's ladder state in the check-in trend, not only its intensity.

A newcomer found "On edge, 5" then "Safe and connected, 5" drawn as a flat line with the
state lost, Alex's circles hidden behind Sam's squares, and two sessions on one day both
labelled "7 Dec". The chart now gives each partner a panel of their own, draws each point
in its state's shape (named in the legend in words), and labels a day that holds two
sessions with their times.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from sessions.reports.trends import checkin_trend_svg, csi4_trend_svg, session_labels

NAMES = {"a": "Alex", "b": "Sam"}
UTC = ZoneInfo("UTC")
EVENING = datetime(2026, 12, 7, 18, 5, tzinfo=UTC)
LATER = datetime(2026, 12, 7, 20, 30, tzinfo=UTC)
NEXT_WEEK = datetime(2026, 12, 14, 18, 0, tzinfo=UTC)
POINT = re.compile(
    r'<g class="point point-(\w)" data-state="(\w+)"><title>([^<]*)</title>'
    r'<(circle|polygon) (?:cx="([\d.]+)" cy="([\d.]+)"|points="([\d.]+),([\d.]+))'
)


def _answer(state: str, intensity: int) -> dict:
    return {"state": state, "intensity": intensity, "word": ""}


def _session(when, first: dict, last: dict) -> dict:
    return {"date": when, "checkins_shared": True, "first": first, "last": last}


def _points(svg: str) -> list[dict]:
    """Each point's partner, state, title, shape and place (a triangle's by its tip)."""
    return [
        {"seat": seat, "state": state, "title": title, "shape": shape}
        | {"x": float(cx or px), "y": float(cy or py)}
        for seat, state, title, shape, cx, cy, px, py in POINT.findall(svg)
    ]


def test_on_edge_then_safe_at_the_same_intensity_keeps_both_states():
    same = _answer("mobilized", 5), _answer("safe", 5)
    svg = checkin_trend_svg([_session(EVENING, {"a": same[0]}, {"a": same[1]})], NAMES)
    first, last = _points(svg)
    assert (first["state"], first["shape"]) == ("mobilized", "polygon")
    assert (last["state"], last["shape"]) == ("safe", "circle")
    assert "On edge, 5 of 10" in first["title"] and "Safe and connected, 5 of 10" in last["title"]
    assert "On edge (triangle up)" in svg and "Safe and connected (circle)" in svg


def test_a_shut_down_check_in_points_down_and_is_named_in_the_legend():
    svg = checkin_trend_svg(
        [_session(EVENING, {"a": _answer("shutdown", 7)}, {"a": _answer("safe", 3)})], NAMES
    )
    assert [p["state"] for p in _points(svg)] == ["shutdown", "safe"]
    assert "Shut down (triangle down)" in svg


def test_alex_and_sam_answering_alike_never_hide_each_other():
    pair = {"a": _answer("safe", 4), "b": _answer("safe", 4)}
    svg = checkin_trend_svg([_session(EVENING, pair, pair)], NAMES)
    points = _points(svg)
    alex = {(p["x"], p["y"]) for p in points if p["seat"] == "a"}
    sam = {(p["x"], p["y"]) for p in points if p["seat"] == "b"}
    assert len(alex) == 2 and len(sam) == 2 and not alex & sam
    # Each partner's panel is named: Alex above, Sam below.
    names = re.findall(r'class="panel-name">(\w+)</text>', svg)
    assert names == ["Alex", "Sam"]


def test_each_intensity_is_written_beside_its_point():
    svg = checkin_trend_svg(
        [_session(EVENING, {"a": _answer("mobilized", 6)}, {"a": _answer("safe", 7)})], NAMES
    )
    assert re.findall(r'class="value">(\d+)</text>', svg) == ["6", "7"]


def test_two_sessions_on_one_day_are_told_apart_by_their_time():
    labels = session_labels([EVENING, LATER, NEXT_WEEK])
    evening, later = (timezone.localtime(d) for d in (EVENING, LATER))
    if evening.date() == later.date():
        assert labels[0] == f"{evening.day} {evening:%b} {evening:%H:%M}"
        assert labels[1].endswith(f"{later:%H:%M}") and labels[0] != labels[1]
    assert ":" not in labels[2]  # alone on its day: the day is enough
    pair = {"a": _answer("safe", 4), "b": _answer("safe", 4)}
    svg = checkin_trend_svg([_session(d, pair, pair) for d in (EVENING, LATER, NEXT_WEEK)], NAMES)
    days = re.findall(r'class="day">([^<]*)</text>', svg)
    assert days == labels and len(set(days)) == 3
    rows = [{"date": d, "a": {"total": 12}, "b": {"total": 16}} for d in (EVENING, LATER)]
    assert re.findall(r'class="day">([^<]*)</text>', csi4_trend_svg(rows, NAMES)) == labels[:2]
