"""The rules every protocol file obeys, and what loading fills in when a file leaves
something out: each rule broken on its own, with the one error an author then reads."""

import copy
import json

import pytest

from sessions.protocols import load_protocol_data, load_protocol_text
from tests.protocols.helpers import (
    BLOCK_LABEL,
    BREATHE,
    GOOD,
    REFLECT,
    SPEAK,
    broken,
    delete,
    errors_for,
    set_in,
    to_toml,
)

# --- the normalised document --------------------------------------------------------------


def test_a_loaded_protocol_has_every_default_filled_in():
    doc = load_protocol_text(to_toml(GOOD), source="evening-pause.toml")
    breathe = doc["steps"][2]
    assert breathe == {
        "kind": "breathe",
        "title": "Breathe together",
        "prompt": "Slowly in, slowly out.",
        "inhale": 5.5,
        "hold_in": 0.0,
        "exhale": 5.5,
        "hold_out": 0.0,
        "cycles": 6,
    }
    assert doc["steps"][0]["advance"] == "both"
    assert doc["steps"][1]["advance"] == "both"
    block = doc["steps"][3]
    assert block["first"] == "random"
    assert block["steps"][0]["limit_seconds"] == 90.0
    assert block["steps"][1]["limit_seconds"] is None
    assert json.loads(json.dumps(doc)) == doc


def test_defaults_for_first_speaker_and_speak_limit_when_left_out():
    doc = copy.deepcopy(GOOD)
    del doc["steps"][3]["first"]
    del doc["steps"][3]["steps"][0]["limit_seconds"]
    loaded = load_protocol_data(doc)
    assert loaded["steps"][3]["first"] == "random"
    assert loaded["steps"][3]["steps"][0]["limit_seconds"] == 120.0


def test_an_info_or_checkin_step_may_let_one_tap_move_the_room_on():
    doc = copy.deepcopy(GOOD)
    doc["steps"][0]["advance"] = "either"
    doc["steps"][3]["steps"].insert(
        0,
        {"kind": "info", "title": "Read aloud", "prompt": "One of you reads.", "advance": "either"},
    )
    loaded = load_protocol_text(to_toml(doc))
    assert loaded["steps"][0]["advance"] == "either"
    assert loaded["steps"][1]["advance"] == "both"
    assert loaded["steps"][3]["steps"][0]["advance"] == "either"

    from sessions.engine import expand_steps

    steps = expand_steps(loaded, seed=1)
    assert [step["advance"] for step in steps] == [
        "either", "both", None, "either", None, None, "either", None, None
    ]  # fmt: skip


def test_text_is_trimmed_of_surrounding_whitespace():
    doc = load_protocol_text(broken(set_in(("title",), "  Evening pause \n")))
    assert doc["title"] == "Evening pause"


# --- each rule, with the error an author sees ---------------------------------------------

RULES = [
    pytest.param(
        set_in(("colour",), "blue"),
        "broken.toml: colour: unknown field (expected one of: slug, languages, title, minutes,",
        id="unknown top-level key",
    ),
    pytest.param(
        set_in((*BREATHE, "inhael"), 4),
        'broken.toml: step 3 "Breathe together": inhael: unknown field',
        id="unknown step key",
    ),
    pytest.param(
        set_in((*SPEAK, "limit"), 60),
        f'broken.toml: {BLOCK_LABEL}, step 1 "Share": limit: unknown field',
        id="unknown key in a nested step",
    ),
    pytest.param(
        set_in(("steps", 1, "kind"), "dance"),
        'broken.toml: step 2 "Arriving": kind: unknown kind "dance" (expected one of: info,',
        id="unknown kind",
    ),
    pytest.param(
        delete(("steps", 1, "kind")),
        'broken.toml: step 2 "Arriving": kind: is required',
        id="missing kind",
    ),
    pytest.param(
        set_in((*BREATHE, "inhale"), 0),
        'broken.toml: step 3 "Breathe together": inhale: must be greater than 0',
        id="inhale zero",
    ),
    pytest.param(
        set_in((*BREATHE, "exhale"), -4),
        'broken.toml: step 3 "Breathe together": exhale: must be greater than 0',
        id="exhale negative",
    ),
    pytest.param(
        set_in((*BREATHE, "hold_in"), -1),
        'broken.toml: step 3 "Breathe together": hold_in: must be at least 0',
        id="negative hold",
    ),
    pytest.param(
        set_in((*BREATHE, "cycles"), 0),
        'broken.toml: step 3 "Breathe together": cycles: must be at least 1',
        id="zero cycles",
    ),
    pytest.param(
        set_in((*BREATHE, "cycles"), 2.5),
        'broken.toml: step 3 "Breathe together": cycles: must be a whole number',
        id="fractional cycles",
    ),
    pytest.param(
        set_in((*BREATHE, "inhale"), "5"),
        'broken.toml: step 3 "Breathe together": inhale: must be a number (seconds)',
        id="duration written as text",
    ),
    pytest.param(
        delete((*BREATHE, "exhale")),
        'broken.toml: step 3 "Breathe together": exhale: is required',
        id="missing exhale",
    ),
    pytest.param(
        set_in((*SPEAK, "limit_seconds"), 0),
        f'broken.toml: {BLOCK_LABEL}, step 1 "Share": limit_seconds: must be greater than 0',
        id="speak limit zero",
    ),
    pytest.param(
        set_in((*REFLECT, "limit_seconds"), -30),
        f'broken.toml: {BLOCK_LABEL}, step 2 "Mirror it back": limit_seconds: '
        "must be greater than 0",
        id="reflect limit negative",
    ),
    pytest.param(
        set_in(("steps", 0, "prompt"), ""),
        'broken.toml: step 1 "Before you begin": prompt: must not be empty',
        id="empty prompt",
    ),
    pytest.param(
        set_in((*REFLECT, "prompt"), "   \n "),
        f'broken.toml: {BLOCK_LABEL}, step 2 "Mirror it back": prompt: must not be empty',
        id="blank nested prompt",
    ),
    pytest.param(
        set_in(("steps", 1, "title"), " "),
        "broken.toml: step 2: title: must not be empty",
        id="blank step title",
    ),
    pytest.param(
        set_in(("title",), ""),
        "broken.toml: title: must not be empty",
        id="empty protocol title",
    ),
    pytest.param(
        set_in(("summary",), "  "),
        "broken.toml: summary: must not be empty",
        id="blank summary",
    ),
    pytest.param(
        set_in(("slug",), "Evening Pause"),
        "broken.toml: slug: must use only lowercase letters, digits and single hyphens",
        id="slug with capitals and space",
    ),
    pytest.param(
        set_in(("slug",), "evening_pause"),
        "broken.toml: slug: must use only lowercase letters, digits and single hyphens",
        id="slug with underscore",
    ),
    pytest.param(
        set_in(("minutes",), 0),
        "broken.toml: minutes: must be at least 1",
        id="zero minutes",
    ),
    pytest.param(
        delete(("minutes",)),
        "broken.toml: minutes: is required",
        id="missing minutes",
    ),
    pytest.param(
        set_in(("steps", 3, "first"), "alex"),
        f'broken.toml: {BLOCK_LABEL}: first: must be one of "a", "b" or "random"',
        id="first not a, b or random",
    ),
    pytest.param(
        set_in(("steps", 3, "steps"), []),
        f"broken.toml: {BLOCK_LABEL}: steps: must have at least one step",
        id="empty block",
    ),
    pytest.param(
        set_in(("steps", 3, "steps", 1), copy.deepcopy(GOOD["steps"][3])),
        f'broken.toml: {BLOCK_LABEL}, step 2 "One appreciation each": kind: '
        "an each_partner block cannot contain another each_partner block",
        id="nested block",
    ),
    pytest.param(
        set_in(("steps", 3, "steps", 1), copy.deepcopy(GOOD["steps"][2])),
        f'broken.toml: {BLOCK_LABEL}, step 2 "Breathe together": kind: '
        '"breathe" steps go outside each_partner blocks',
        id="breathe inside a block",
    ),
    pytest.param(
        set_in(("steps", 1), copy.deepcopy(GOOD["steps"][3]["steps"][0])),
        'broken.toml: step 2 "Share": kind: "speak" steps belong inside an each_partner block',
        id="speak outside a block",
    ),
    pytest.param(
        set_in(("steps", 1), copy.deepcopy(GOOD["steps"][3]["steps"][1])),
        'broken.toml: step 2 "Mirror it back": kind: '
        '"reflect" steps belong inside an each_partner block',
        id="reflect outside a block",
    ),
    pytest.param(
        set_in(("steps", 3, "steps"), list(reversed(copy.deepcopy(GOOD["steps"][3]["steps"])))),
        f'broken.toml: {BLOCK_LABEL}, step 1 "Mirror it back": kind: '
        "a reflect step must come after a speak step in its block",
        id="reflect before speak",
    ),
    pytest.param(
        set_in(("steps",), []),
        "broken.toml: steps: must have at least one step",
        id="no steps",
    ),
    pytest.param(
        set_in(("steps", 0, "advance"), "one"),
        'broken.toml: step 1 "Before you begin": advance: must be one of "both" or "either"',
        id="advance neither both nor either",
    ),
    pytest.param(
        set_in((*BREATHE, "advance"), "either"),
        'broken.toml: step 3 "Breathe together": advance: only info and checkin steps can say '
        "how they move on, since they end by a tap; a breathe step ends by itself",
        id="advance on a breathe step",
    ),
    pytest.param(
        set_in((*SPEAK, "advance"), "both"),
        f'broken.toml: {BLOCK_LABEL}, step 1 "Share": advance: only info and checkin steps '
        "can say how they move on, since they end by a tap; a speak step ends when the speaker",
        id="advance on a speak step",
    ),
    pytest.param(
        set_in((*REFLECT, "advance"), "either"),
        f'broken.toml: {BLOCK_LABEL}, step 2 "Mirror it back": advance: only info and checkin '
        "steps can say how they move on, since they end by a tap; a reflect step ends when",
        id="advance on a reflect step",
    ),
    pytest.param(
        set_in(("steps", 3, "advance"), "either"),
        f"broken.toml: {BLOCK_LABEL}: advance: only info and checkin steps can say how they "
        "move on, since they end by a tap; set it on the info or checkin steps inside the block",
        id="advance on a block",
    ),
]


@pytest.mark.parametrize(("change", "expected"), RULES)
def test_each_rule_names_the_file_the_step_and_the_field(change, expected):
    errors = errors_for(broken(change))
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected), errors[0]


def test_absurdly_large_numbers_are_refused_rather_than_run():
    errors = errors_for(broken(set_in((*BREATHE, "cycles"), 10_000)))
    assert errors == ['broken.toml: step 3 "Breathe together": cycles: must be at most 200']
