"""The built-in protocols: each is there, honest about its length, safe to start with
(it asks whether now is a good time), plays in the engine with both partners taking turns, and
says all of it in English and in Spanish."""

import re

import pytest

from sessions.protocols import builtin_protocols, load_protocol_file, step_count
from sessions.protocols.timing import clocked_seconds, estimated_seconds
from tests.protocols.helpers import BUILTIN_SLUGS, PROTOCOL_DIR


def test_the_four_builtin_protocols_are_there_each_in_a_file_named_for_its_slug():
    protocols = builtin_protocols()
    assert set(protocols) == BUILTIN_SLUGS
    assert {path.stem for path in PROTOCOL_DIR.glob("*.toml")} == BUILTIN_SLUGS


def test_builtin_protocols_are_fresh_copies_so_one_caller_cannot_change_anothers():
    first = builtin_protocols()
    first["daily-checkin"]["steps"].clear()
    assert builtin_protocols()["daily-checkin"]["steps"]


@pytest.mark.parametrize("slug", sorted(BUILTIN_SLUGS))
def test_each_builtin_says_who_it_is_for_and_how_long_it_takes(slug):
    doc = builtin_protocols()[slug]
    assert doc["slug"] == slug
    assert doc["title"].strip() and doc["for_whom"].strip() and doc["summary"].strip()
    assert doc["minutes"] >= 1


@pytest.mark.parametrize("slug", sorted(BUILTIN_SLUGS))
def test_each_builtin_runs_in_the_engine_with_every_turn_taken_by_both(slug):
    from sessions.engine import expand_steps

    doc = builtin_protocols()[slug]
    for seed in (1, 2, 3):
        steps = expand_steps(doc, seed)
        assert len(steps) == step_count(doc)
        floors = [step["floor"] for step in steps if step["kind"] in ("speak", "reflect")]
        assert floors.count("a") == floors.count("b")


@pytest.mark.parametrize("slug", sorted(BUILTIN_SLUGS))
def test_declared_minutes_are_honest(slug):
    doc = builtin_protocols()[slug]
    # Never promise less than the breathing and speaking turns alone take...
    assert doc["minutes"] * 60 >= clocked_seconds(doc)
    # ...and stay within a couple of minutes of the whole estimate, reading included.
    assert abs(doc["minutes"] - estimated_seconds(doc) / 60) <= 2


@pytest.mark.parametrize("slug", sorted(BUILTIN_SLUGS))
def test_each_builtin_opens_by_asking_if_now_is_a_good_time_and_that_either_can_pause(slug):
    first = builtin_protocols()[slug]["steps"][0]
    assert first["kind"] == "info"
    assert "good time" in first["prompt"]
    assert "either of you can" in first["prompt"].lower()
    assert "pause" in first["prompt"]


@pytest.mark.parametrize("slug", sorted(BUILTIN_SLUGS))
def test_breathing_in_builtins_never_holds_and_always_offers_to_sit_out(slug):
    breaths = [s for s in builtin_protocols()[slug]["steps"] if s["kind"] == "breathe"]
    assert breaths
    for step in breaths:
        assert step["hold_in"] == 0 and step["hold_out"] == 0
        assert re.search(r"\bsit\w* (\w+ ){0,2}out\b", step["prompt"].lower()), step["prompt"]


def test_breathe_together_is_breathing_only_at_five_and_a_half_seconds_each_way():
    doc = builtin_protocols()["breathe-together"]
    assert {s["kind"] for s in doc["steps"]} == {"info", "breathe"}
    (breath,) = [s for s in doc["steps"] if s["kind"] == "breathe"]
    assert (breath["inhale"], breath["exhale"]) == (5.5, 5.5)


def test_daily_checkin_arrives_breathes_appreciates_both_ways_and_closes_with_a_checkin():
    kinds = [s["kind"] for s in builtin_protocols()["daily-checkin"]["steps"]]
    assert kinds == ["info", "checkin", "breathe", "each_partner", "checkin"]
    block = builtin_protocols()["daily-checkin"]["steps"][3]
    assert block["first"] == "random"
    assert [s["kind"] for s in block["steps"]] == ["speak", "reflect"]


def test_calm_down_breathes_longer_than_the_daily_checkin_and_ends_with_a_checkin():
    def breathing(slug):
        steps = builtin_protocols()[slug]["steps"]
        return sum(estimated_seconds({"steps": [s]}) for s in steps if s["kind"] == "breathe")

    assert breathing("calm-down-together") > 2 * breathing("daily-checkin")
    assert builtin_protocols()["calm-down-together"]["steps"][-1]["kind"] == "checkin"


@pytest.mark.parametrize("slug", sorted(BUILTIN_SLUGS))
def test_no_builtin_lets_one_partner_move_both_on(slug):
    # Each tap-to-move step of a built-in asks both (is now a good time, read this, see each
    # other's answers): moving on together is the point, so none says advance = "either".
    steps = builtin_protocols()[slug]["steps"]
    inner = [sub for step in steps if step["kind"] == "each_partner" for sub in step["steps"]]
    taps = [step for step in [*steps, *inner] if step["kind"] in ("info", "checkin")]
    assert taps
    assert {step["advance"] for step in taps} == {"both"}


def test_intentional_dialogue_breathes_before_and_after_the_turns():
    kinds = [s["kind"] for s in builtin_protocols()["intentional-dialogue"]["steps"]]
    block = kinds.index("each_partner")
    assert "breathe" in kinds[:block] and "breathe" in kinds[block + 1 :]


@pytest.mark.parametrize("path", sorted(PROTOCOL_DIR.glob("*.toml")), ids=lambda p: p.name)
def test_builtin_files_load_from_disk_exactly_as_builtin_protocols_returns_them(path):
    assert load_protocol_file(path) == builtin_protocols()[path.stem]


def _texts_everywhere(doc):
    """(where, texts) for the document, each step and each block's steps."""
    yield doc["slug"], doc
    for number, step in enumerate(doc["steps"], start=1):
        yield f"step {number}", step
        for inner in step.get("steps", []):
            yield f"step {number} / {inner['title']}", inner


@pytest.mark.parametrize("slug", sorted(BUILTIN_SLUGS))
def test_each_builtin_offers_english_and_spanish_with_every_text_in_both(slug):
    """Every title, prompt, summary and for_whom has its Spanish, and none is the English
    left untranslated."""
    doc = builtin_protocols()[slug]
    assert doc["languages"] == ["en", "es"]
    for where, item in _texts_everywhere(doc):
        fields = [f for f in ("title", "for_whom", "summary", "prompt") if f in item]
        spanish = item["texts"]["es"]
        assert set(spanish) == set(fields), where
        for field in fields:
            assert spanish[field].strip() and spanish[field] != item[field], (where, field)


@pytest.mark.parametrize("slug", sorted(BUILTIN_SLUGS))
def test_in_spanish_too_each_builtin_asks_if_now_is_a_good_time_and_breathing_is_optional(slug):
    """The Spanish keeps the safety the English has: a good time, a pause for either, and
    every breathing round one may sit out (quedarse al margen)."""
    doc = builtin_protocols()[slug]
    opening = doc["steps"][0]["texts"]["es"]["prompt"]
    assert "buen momento" in opening and "pausa" in opening and "tu pareja también" in opening
    for step in doc["steps"]:
        if step["kind"] == "breathe":
            assert "al margen" in step["texts"]["es"]["prompt"], step["title"]
