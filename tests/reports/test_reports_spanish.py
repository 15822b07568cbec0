"""A summary read with Spanish active is worded in Spanish, and in English as before.

Alex reads his summary in Spanish while Sam reads hers in English: the same session,
each in their own language, because the reports word every sentence (and the engine's
check-in and pause sentences) when they are read. Dana's timeline, chart and couple's
trends follow whichever language her page asks for. These need the Spanish catalog
(``make messages`` compiles ``locale/es``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import translation

from sessions.models import CoupleSession
from sessions.reports.charts import checkin_chart_svg
from sessions.reports.partner_summary import partner_summary
from sessions.reports.timeline import counselor_summary
from sessions.reports.trends import checkin_trend_svg
from sessions.store import workshop_console
from tests.reports.room_play import run, skip_breathing_and_finish

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = {"a": "Alex", "b": "Sam"}


def _finished_with_a_pause(room) -> CoupleSession:
    """Every step but the breathing (Dana skips it), and Sam's flooding pause at the start."""
    code = room["code"]
    run(code, "b", "pause", {"reason": "flooding"})
    run(code, "a", "ready")
    run(code, "b", "ready")
    skip_breathing_and_finish(code)
    return CoupleSession.objects.get(pk=room["pk"])


def test_alex_reads_his_summary_in_spanish(room):
    """Counts, check-in rows, answers and Sam's pause, all in Spanish."""
    session = _finished_with_a_pause(room)
    with translation.override("es"):
        summary = partner_summary(session, "a")
    assert summary["steps_line"] == "Hiciste 4 de 5 pasos, 1 omitido por tu terapeuta"
    assert [row["label"] for row in summary["checkin_rows"]] == ["Al llegar", "Al cerrar"]
    assert summary["columns"][0] == "Tú"
    assert "A salvo y en conexión, 3 de 10" in summary["checkin_rows"][0]["answers"]
    [pause] = summary["pause_lines"]
    assert pause.startswith("Sam pidió una pausa (desborde emocional)")
    assert "omitido" in " ".join(step["words"] for step in summary["steps"])


def test_sam_reads_the_same_session_in_english_at_the_same_time(room):
    """One partner's Spanish changes nothing of the other's English."""
    session = _finished_with_a_pause(room)
    with translation.override("es"):
        partner_summary(session, "a")
    with translation.override("en"):
        summary = partner_summary(session, "b")
    assert summary["steps_line"] == "You did 4 of 5 steps, 1 skipped by your counselor"
    assert [row["label"] for row in summary["checkin_rows"]] == ["Arriving", "Closing"]
    assert summary["pause_lines"][0].startswith("You asked for a pause (feeling flooded)")


def test_dana_s_timeline_and_chart_follow_her_language(room):
    """The counselor's count, table and chart's words in Spanish; the codes stay codes."""
    session = _finished_with_a_pause(room)
    with translation.override("es"):
        context = counselor_summary(session)
        chart = checkin_chart_svg(context["checkins"], context["names"])
    assert context["steps_line"].startswith("4 de 5 pasos hechos")
    assert context["checkin_rows"][0]["moment"] == "Al llegar"
    assert context["step_outcomes"][0]["outcome"] == "done"  # data, not words
    assert context["step_outcomes"][0]["words"] == "hecho"
    assert "Cómo estaba cada quien al llegar y al cerrar" in chart
    assert "A salvo y en conexión" in chart and "Arriving" not in chart


def test_the_couple_s_trend_names_months_and_shapes_in_spanish():
    """The legend's shapes, the key and a December day read in Spanish."""
    session = {
        "date": datetime(2026, 12, 7, 18, 0, tzinfo=UTC),
        "checkins_shared": True,
        "first": {"a": {"state": "safe", "intensity": 3}},
        "last": {"a": {"state": "mobilized", "intensity": 5}},
    }
    with translation.override("es"):
        svg = checkin_trend_svg([session], NAMES)
    assert "A salvo y en conexión (círculo)" in svg
    assert "En alerta (triángulo hacia arriba)" in svg
    assert "7 Dic" in svg or "7 dic" in svg
    assert "Check-ins across sessions" not in svg


def test_the_workshop_console_counts_in_spanish():
    """The facilitator's counts line and a paused tile, worded for her language."""
    counts = {"couples": 3, "paused": 1, "hands": 2, "waiting": 0, "finished": 1}
    found = {"status": "paused", "step": 2, "steps": 5, "pause": "pausa por desborde"}
    with translation.override("es"):
        line = workshop_console.counts_line(counts)
        words = workshop_console.status_words(found)
    assert line == "3 parejas · 1 en pausa · 2 manos levantadas · 1 terminada"
    assert words == "paso 2 de 5 · en pausa (pausa por desborde)"
