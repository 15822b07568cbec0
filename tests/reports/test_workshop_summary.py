"""Dana's summary of a workshop: couples started and finished, steps reached, pauses, hands.

Counts from the rooms' event logs, never a name, an answer, a message or a pairing
word, in the page's dict and in both exports; once the workshop ends the counts are
kept on it, so they outlive the rooms.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from sessions.models import Workshop
from sessions.reports.workshop import PAUSE_REASONS, export_csv, export_json, workshop_summary
from sessions.store import workshop_console, workshops
from tests.reports.room_play import ARRIVING, CLOSING, KIND_WORD, WELCOME, both_check_in
from tests.store.workshop_play import arrive, dana_workshop, run

pytestmark = pytest.mark.django_db

NAMES = ("Alex", "Sam", "Robin", "Riley", "Jo", "Kim")


@pytest.fixture
def played(dana) -> Workshop:
    """Alex & Sam finish (one flooding break, a hand); Robin & Riley stop at step 2 (a moment
    and a dropped connection); Jo waits alone for Kim, who never comes."""
    workshop = dana_workshop(dana, paced=False)
    alex_and_sam, robin_and_riley = (
        arrive(workshop, "Alex", "Sam"),
        arrive(workshop, "Robin", "Riley"),
    )
    arrive(workshop, "Jo")
    workshops.start_all(workshop)
    done = alex_and_sam["code"]
    run(done, "a", "raise_hand")
    run(done, "b", "pause", {"reason": "flooding"})
    for seat in "ab":
        run(done, seat, "ready")
    run(done, "host", "next", {"step": WELCOME})
    both_check_in(done, ARRIVING, alex=("shutdown", 8))
    run(done, "host", "next", {"step": ARRIVING})
    run(done, "host", "skip", {"step": ARRIVING + 1})
    run(done, "host", "next", {"step": KIND_WORD})
    both_check_in(done, CLOSING)
    run(done, "host", "next", {"step": CLOSING})
    workshops.say_all(workshop, "Thank you all, well done")
    stopped = robin_and_riley["code"]
    run(stopped, "host", "next", {"step": WELCOME})
    run(stopped, "a", "pause", {})
    for seat in "ab":
        run(stopped, seat, "ready")
    run(stopped, "server", "presence", {"seat": "b", "connected": False})
    run(stopped, "server", "tick", {}, now=10**13)
    return workshop


def test_the_summary_counts_what_happened_in_the_rooms(played):
    summary = workshop_summary(played)
    assert (summary["couples_started"], summary["couples_finished"]) == (2, 1)
    # In the console's words for a pause ("paused (flooding break)").
    assert summary["pauses_by_reason"] == {"a moment": 1, "flooding break": 1, "connection": 1}
    assert summary["hands_raised"] == 1
    assert [step["couples"] for step in summary["steps_reached"]] == [2, 2, 1, 1, 1]
    assert summary["steps_reached"][1] == {"step": 2, "title": "Arriving", "couples": 2}
    assert summary["rooms"] == [
        {"room": 1, "reached": 5, "finished": True, "pauses": 1, "hands": 1},
        {"room": 2, "reached": 2, "finished": False, "pauses": 2, "hands": 0},
        {"room": 3, "reached": 0, "finished": False, "pauses": 0, "hands": 0},
    ]


def test_no_name_answer_message_or_word_reaches_the_summary_or_its_exports(played):
    summary = workshop_summary(played)
    words = [room.pairing_word for room in played.rooms.all()]
    for text in (json.dumps(summary), export_json(summary), export_csv(summary)):
        for secret in (*NAMES, *words, "shutdown", "Thank you all"):
            assert secret not in text


def test_the_exports_carry_the_same_counts(played):
    summary = workshop_summary(played)
    assert json.loads(export_json(summary)) == summary
    rows = list(csv.DictReader(io.StringIO(export_csv(summary))))
    facts = {(row["section"], row["order"], row["title"]): row["value"] for row in rows}
    assert facts["workshop", "", "couples_finished"] == "1"
    assert facts["pauses", "", "flooding break"] == "1"
    assert facts["step", "2", "Arriving"] == "2"
    assert facts["room", "1", "finished"] == "true"


def test_a_title_cannot_run_as_a_spreadsheet_formula(played):
    summary = {**workshop_summary(played), "title": "=HYPERLINK(1)"}
    assert "'=HYPERLINK(1)" in export_csv(summary)


def test_the_ended_workshop_keeps_its_counts_when_the_rooms_are_gone(played):
    workshops.end_workshop(played, summary=workshop_summary)
    kept = Workshop.objects.get(pk=played.pk)
    assert kept.summary["couples_finished"] == 1 and kept.summary["ended_at"]
    kept.rooms.all().delete()
    assert workshop_summary(kept)["rooms"][0]["reached"] == 5


def test_the_summary_names_each_kind_of_pause_as_dana_saw_it_on_the_console():
    assert set(PAUSE_REASONS.values()) == set(workshop_console.PAUSE_KINDS.values())
