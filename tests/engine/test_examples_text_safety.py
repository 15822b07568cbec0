"""Text from outside is plain text: a check-in word or a name with a NUL, another control
character or a lone surrogate is refused as bad_args naming the field, before it could reach
any database (PostgreSQL refuses both; SQLite would store them)."""

import pytest

from tests.engine.helpers import apply_refused, feeling, here, room_in, run, seated_room

UNSAFE = ["a\u0000b", "\udfff", "tired\ud800", "line\nbreak", "tab\there", "\u007f", "\u0085x"]


@pytest.mark.parametrize("word", UNSAFE)
def test_a_check_in_word_that_is_not_plain_text_is_bad_args_naming_word(word):
    state = room_in("active", index=1)
    refused = apply_refused(state, "a", "checkin", here(state, **feeling(word=word)))
    assert refused.code == "bad_args"
    assert "'word'" in refused.message


@pytest.mark.parametrize("name", UNSAFE)
def test_a_seat_name_that_is_not_plain_text_is_bad_args_naming_name(name):
    refused = apply_refused(
        seated_room(), "server", "seat", {"seat": "a", "name": name, "claimed": True}
    )
    assert refused.code == "bad_args"
    assert "'name'" in refused.message


def test_words_in_any_language_and_emoji_are_still_welcome():
    state = room_in("active", index=1)
    for word in ("müde", "疲れた", "🌧️ heavy", "  calm  "):
        after = run(state, "a", "checkin", here(state, **feeling(word=word)))
        assert after["checkins"]["1"]["a"]["word"] == word.strip()
