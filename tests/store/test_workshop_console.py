"""What Dana's workshop console shows of each room: who, which step, how it stands, a hand.

Status, never content: a tile is built from the state's names, status, step, pause
reason and hand alone, so what Alex checked in or what anyone wrote never reaches it.
"""

from __future__ import annotations

import json

import pytest

from sessions.store import notices, workshop_console, workshops
from tests.reports.room_play import ARRIVING
from tests.store.workshop_play import arrive, dana_workshop, run, state_of

pytestmark = pytest.mark.django_db


def _tile_of(couple: dict) -> dict:
    return workshop_console.tile(state_of(couple["code"]), room_id=notices.room_id(couple["code"]))


def test_a_tile_never_carries_a_check_in_answer_or_a_message(dana):
    workshop = dana_workshop(dana)
    alex_and_sam = arrive(workshop, "Alex", "Sam")
    code = alex_and_sam["code"]
    workshops.start_all(workshop)
    run(code, "host", "next", {"step": 0})
    run(code, "a", "checkin", {"step": ARRIVING, "state": "shutdown", "intensity": 9})
    workshops.say_all(workshop, "Breathe slowly, I'm coming round")
    state = state_of(code)
    assert state["checkins"] and state["message"]  # the room has both …
    for tile in (_tile_of(alex_and_sam), *workshop_console.console_tiles(workshop)):
        text = json.dumps(tile).lower()
        word = alex_and_sam["word"]
        for secret in ("shut", "intensity", "breathe slowly", "coming round", code.lower(), word):
            assert secret not in text  # … the console neither
    assert _tile_of(alex_and_sam)["line"] == "Alex and Sam · step 2 of 5 · under way"


def test_a_tile_says_who_is_alone_and_who_waits_to_start(dana):
    workshop = dana_workshop(dana)
    robin = arrive(workshop, "Robin")
    jo_and_kim = arrive(workshop, "Jo", "Kim")
    alone, ready = _tile_of(robin), _tile_of(jo_and_kim)
    assert (alone["status"], alone["names"]) == ("alone", "Robin")
    assert "word" not in alone and robin["word"] not in json.dumps(alone)
    assert alone["line"] == "Robin · waiting for their partner"
    assert (ready["status"], ready["line"]) == ("waiting", "Jo and Kim · waiting to start")
    assert alone["room"] == notices.room_id(robin["code"]) != robin["code"]


def test_a_paused_room_says_why_in_the_consoles_three_kinds(dana):
    workshop = dana_workshop(dana)
    couples = [arrive(workshop, *pair) for pair in (("Alex", "Sam"), ("Robin", "Riley"))]
    workshops.start_all(workshop)
    run(couples[0]["code"], "b", "pause", {"reason": "flooding"})
    run(couples[1]["code"], "a", "pause", {})
    flooded, moment = _tile_of(couples[0]), _tile_of(couples[1])
    assert (flooded["status"], flooded["pause"]) == ("paused", "flooding break")
    assert flooded["line"] == "Alex and Sam · step 1 of 5 · paused (flooding break)"
    assert moment["pause"] == "a moment"


def test_a_raised_hand_shows_on_the_tile_and_in_the_counts(dana):
    workshop = dana_workshop(dana)
    alex_and_sam = arrive(workshop, "Alex", "Sam")
    arrive(workshop, "Robin")
    workshops.start_all(workshop)
    run(alex_and_sam["code"], "a", "raise_hand")
    tiles = workshop_console.console_tiles(workshop)
    assert [tile["hand"] for tile in tiles] == [True, False]  # oldest room first
    assert tiles[0]["line"].endswith(" · hand raised")
    counts = workshop_console.counts(tiles)
    assert counts == {"couples": 2, "paused": 0, "hands": 1, "waiting": 1, "finished": 0}


def test_a_held_room_is_done_with_its_step(dana):
    workshop = dana_workshop(dana)
    alex_and_sam = arrive(workshop, "Alex", "Sam")
    workshops.start_all(workshop)
    for seat in "ab":
        run(alex_and_sam["code"], seat, "next", {"step": 0})
    tile = _tile_of(alex_and_sam)
    assert (tile["status"], tile["step"]) == ("held", 1)
    assert tile["line"] == "Alex and Sam · step 1 of 5 · done with this step"


@pytest.mark.parametrize(
    ("counts", "line"),
    [
        ({"couples": 0, "paused": 0, "hands": 0, "waiting": 0, "finished": 0}, "No couples yet"),
        ({"couples": 1, "paused": 0, "hands": 0, "waiting": 0, "finished": 0}, "1 couple"),
        (
            {"couples": 18, "paused": 2, "hands": 1, "waiting": 0, "finished": 0},
            "18 couples · 2 paused · 1 hand raised",
        ),
        (
            {"couples": 3, "paused": 1, "hands": 2, "waiting": 1, "finished": 1},
            "3 couples · 1 waiting · 1 paused · 2 hands raised · 1 finished",
        ),
    ],
)
def test_the_counts_line_reads_in_plain_words(counts, line):
    assert workshop_console.counts_line(counts) == line


def test_the_step_titles_are_the_workshops_protocols(dana):
    titles = workshop_console.step_titles(dana_workshop(dana))
    assert titles == ["Is now a good time?", "Arriving", "Breathe", "One kind word", "Closing"]


def test_under_the_names_a_tile_says_how_the_room_stands_without_them(dana):
    workshop = dana_workshop(dana)
    alex_and_sam = arrive(workshop, "Alex", "Sam")
    workshops.start_all(workshop)
    run(alex_and_sam["code"], "b", "pause", {"reason": "flooding"})
    run(alex_and_sam["code"], "a", "raise_hand")
    tile = _tile_of(alex_and_sam)
    words = workshop_console.status_words(tile)
    assert words == "step 1 of 5 · paused (flooding break)"
    assert tile["line"] == f"Alex and Sam · {words} · hand raised"
