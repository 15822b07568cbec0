"""What Dana's message may be made of: words the couple can read as she wrote them.

A message of nothing but invisible characters (a zero-width space, a word joiner, a byte-order
mark) would put an empty card in both rooms, so it is refused as empty; text-direction controls
could make a line read differently from what was sent, so they are refused by name. The
zero-width joiner stays allowed: emoji such as a family or a rainbow flag are built with it.
"""

import pytest

from tests.engine.helpers import apply_refused, room_in, run

ZERO_WIDTH_SPACE, WORD_JOINER, BOM, ZWJ = "\u200b", "\u2060", "\ufeff", "\u200d"


def say_refused(text: str):
    return apply_refused(room_in("active", hosted=True), "host", "say", {"text": text})


@pytest.mark.parametrize(
    "text",
    [
        ZERO_WIDTH_SPACE,
        WORD_JOINER,
        BOM,
        f" {ZERO_WIDTH_SPACE}{BOM} ",
        WORD_JOINER * 3,
        f"{WORD_JOINER}{ZWJ}",  # a joiner with nothing to join
        "\u00ad",  # a soft hyphen
        "\u3164",  # the Hangul filler, a blank that counts as a letter
        "\u2800",  # the blank braille cell
        "\u0301\u0301",  # combining accents with nothing under them
    ],
)
def test_a_message_of_only_invisible_characters_is_refused_as_empty(text):
    refused = say_refused(text)
    assert refused.code == "bad_args"
    assert "'text'" in refused.message and "Write a few words first" in refused.message


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Take your time \u202e.won ", "U+202E"),
        ("\u202aleft\u202c", "U+202A, U+202C"),
        ("\u2066isolated\u2069 words", "U+2066, U+2069"),
        ("first \u2067strong\u2069 and \u2068again\u2069", "U+2067, U+2068, U+2069"),
        ("\u202b\u202d", "U+202B, U+202D"),
    ],
)
def test_text_direction_controls_are_refused_naming_them(text, named):
    refused = say_refused(text)
    assert refused.code == "bad_args"
    assert "text-direction" in refused.message and f"({named})" in refused.message


def test_words_with_an_invisible_character_inside_still_go_through():
    text = f"Take{ZERO_WIDTH_SPACE} your time"
    state = run(room_in("active", hosted=True), "host", "say", {"text": text})
    assert state["message"]["text"] == text


def test_emoji_joined_with_a_zero_width_joiner_are_fine():
    family = f"\U0001f469{ZWJ}\U0001f469{ZWJ}\U0001f466 take your time"
    state = run(room_in("active", hosted=True), "host", "say", {"text": family})
    assert state["message"]["text"] == family


def test_an_empty_or_blank_message_still_clears_it():
    state = run(room_in("active", hosted=True), "host", "say", {"text": "Hello"})
    assert run(state, "host", "say", {"text": "   "})["message"] is None
