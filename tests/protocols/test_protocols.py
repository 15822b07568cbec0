"""Protocols as data: the built-in protocols, the rules every protocol file obeys,
and the messages an author sees when a file breaks one."""

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sessions.protocols import (
    ProtocolError,
    builtin_protocols,
    load_protocol_data,
    load_protocol_file,
    load_protocol_text,
    step_count,
)
from sessions.protocols.timing import clocked_seconds, estimated_seconds

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL_DIR = ROOT / "sessions" / "protocols"
BUILTIN_SLUGS = {"daily-checkin", "intentional-dialogue", "calm-down-together", "breathe-together"}


# --- a small valid protocol, and a TOML writer to break it in one place ---------------------

GOOD = {
    "slug": "evening-pause",
    "title": "Evening pause",
    "minutes": 8,
    "for_whom": "Alex and Sam, at the end of a long day.",
    "summary": "Check in, breathe, one appreciation each way.",
    "steps": [
        {"kind": "info", "title": "Before you begin", "prompt": "Is now a good time?"},
        {"kind": "checkin", "title": "Arriving", "prompt": "Where are you right now?"},
        {
            "kind": "breathe",
            "title": "Breathe together",
            "prompt": "Slowly in, slowly out.",
            "inhale": 5.5,
            "exhale": 5.5,
            "cycles": 6,
        },
        {
            "kind": "each_partner",
            "title": "One appreciation each",
            "first": "random",
            "steps": [
                {
                    "kind": "speak",
                    "title": "Share",
                    "prompt": "Say one thing.",
                    "limit_seconds": 90,
                },
                {
                    "kind": "reflect",
                    "title": "Mirror it back",
                    "prompt": "Say back what you heard.",
                },
            ],
        },
    ],
}


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return repr(value)


def to_toml(doc, prefix=""):
    """Enough TOML for these tests: scalars, then each list of tables as [[...]]."""
    lines = []
    tables = {}
    for key, value in doc.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables[key] = value
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, items in tables.items():
        name = f"{prefix}{key}"
        for item in items:
            lines.append(f"\n[[{name}]]")
            lines.append(to_toml(item, prefix=f"{name}."))
    return "\n".join(lines)


def broken(change):
    """GOOD with one change applied, as TOML text."""
    doc = copy.deepcopy(GOOD)
    change(doc)
    return to_toml(doc)


def errors_for(text, source="broken.toml"):
    with pytest.raises(ProtocolError) as caught:
        load_protocol_text(text, source=source)
    return caught.value.errors


def set_in(path, value):
    """A change that sets doc[path...] = value; path items are keys or list indexes."""

    def change(doc):
        target = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def delete(path):
    def change(doc):
        target = doc
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return change


BREATHE = ("steps", 2)
SPEAK = ("steps", 3, "steps", 0)
REFLECT = ("steps", 3, "steps", 1)
BLOCK_LABEL = 'step 4 "One appreciation each"'


# --- built-in protocols ---------------------------------------------------------------------


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
        "broken.toml: colour: unknown field (expected one of: slug, title, minutes,",
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


def test_every_problem_in_a_file_is_reported_not_only_the_first():
    def three_mistakes(doc):
        doc["minutes"] = 0
        doc["steps"][2]["inhale"] = 0
        doc["steps"][3]["steps"][0]["prompt"] = ""

    errors = errors_for(broken(three_mistakes))
    assert errors == [
        "broken.toml: minutes: must be at least 1",
        'broken.toml: step 3 "Breathe together": inhale: must be greater than 0',
        f'broken.toml: {BLOCK_LABEL}, step 1 "Share": prompt: must not be empty',
    ]


def test_a_reflect_out_of_order_is_reported_alongside_other_mistakes_in_its_block():
    def two_mistakes(doc):
        block = doc["steps"][3]
        block["steps"].reverse()
        block["steps"][1]["limit_seconds"] = 0

    errors = errors_for(broken(two_mistakes))
    assert sorted(errors) == [
        f'broken.toml: {BLOCK_LABEL}, step 1 "Mirror it back": kind: '
        "a reflect step must come after a speak step in its block",
        f'broken.toml: {BLOCK_LABEL}, step 2 "Share": limit_seconds: must be greater than 0',
    ]


def test_the_error_message_is_one_line_per_problem():
    def two_mistakes(doc):
        doc["minutes"] = 0
        doc["slug"] = "X"

    with pytest.raises(ProtocolError) as caught:
        load_protocol_text(broken(two_mistakes), source="broken.toml")
    assert str(caught.value).splitlines() == caught.value.errors


def test_a_toml_syntax_error_reports_the_line():
    text = 'slug = "evening-pause"\ntitle = "Evening pause"\n\nminutes = = 8\n'
    (error,) = errors_for(text)
    assert error.startswith("broken.toml: line 4, column ")
    assert "TOML syntax error" in error


def test_an_unterminated_string_is_reported_as_a_syntax_error():
    (error,) = errors_for('slug = "evening-pause\n')
    assert error.startswith("broken.toml: line 1")
    assert "TOML syntax error" in error


def test_a_step_that_is_not_a_table_is_named():
    doc = copy.deepcopy(GOOD)
    doc["steps"][1] = "checkin"
    with pytest.raises(ProtocolError) as caught:
        load_protocol_data(doc, source="stored")
    assert caught.value.errors == ["stored: step 2: must be a table of fields"]


def test_a_document_that_is_not_a_table_is_refused():
    with pytest.raises(ProtocolError, match=r"^stored: expected a table of fields, got list$"):
        load_protocol_data([GOOD], source="stored")


def test_absurdly_large_numbers_are_refused_rather_than_run():
    errors = errors_for(broken(set_in((*BREATHE, "cycles"), 10_000)))
    assert errors == ['broken.toml: step 3 "Breathe together": cycles: must be at most 200']


# --- files ------------------------------------------------------------------------------


def test_loading_a_file_names_it_in_every_error(tmp_path):
    path = tmp_path / "sunday-talk.toml"
    path.write_text(broken(set_in(("minutes",), 0)), encoding="utf-8")
    with pytest.raises(ProtocolError, match=r"^sunday-talk\.toml: minutes: must be at least 1$"):
        load_protocol_file(path)


def test_a_missing_file_is_a_protocol_error(tmp_path):
    with pytest.raises(ProtocolError, match=r"^gone\.toml: cannot read file"):
        load_protocol_file(tmp_path / "gone.toml")


def test_a_file_that_is_not_utf8_is_a_protocol_error(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes('title = "Caf\xe9"'.encode("latin-1"))
    with pytest.raises(ProtocolError, match=r"^latin\.toml: not UTF-8 text$"):
        load_protocol_file(path)


# --- manage.py validate_protocol --------------------------------------------------------


def run_validate(*files):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", "validate_protocol", *map(str, files)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_validate_protocol_says_ok_with_steps_and_minutes_for_good_files():
    result = run_validate(
        PROTOCOL_DIR / "daily-checkin.toml", PROTOCOL_DIR / "breathe-together.toml"
    )
    assert result.returncode == 0, result.stderr
    daily = builtin_protocols()["daily-checkin"]
    assert result.stdout.splitlines() == [
        f"ok: daily-checkin ({step_count(daily)} steps, ~{daily['minutes']} min)",
        "ok: breathe-together (3 steps, ~6 min)",
    ]


def test_validate_protocol_prints_every_error_and_exits_1(tmp_path):
    def two_mistakes(doc):
        doc["minutes"] = 0
        doc["steps"][2]["inhale"] = 0

    bad = tmp_path / "broken.toml"
    bad.write_text(broken(two_mistakes), encoding="utf-8")
    result = run_validate(PROTOCOL_DIR / "daily-checkin.toml", bad)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["ok: daily-checkin (8 steps, ~10 min)"]
    assert "broken.toml: minutes: must be at least 1" in result.stderr.splitlines()
    assert (
        'broken.toml: step 3 "Breathe together": inhale: must be greater than 0'
        in result.stderr.splitlines()
    )
