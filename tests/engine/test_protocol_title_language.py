"""A new room keeps its protocol's title in every language the protocol offers, so each
partner's screen names the practice in their own language (and a one-language protocol's
room is as before)."""

from sessions.engine import new_state
from sessions.engine.view import protocol_title
from sessions.protocols.loader import builtin_protocols, load_protocol_text

NOW = 1_700_000_000_000

ONE_LANGUAGE = """
slug = "plain"
title = "Plain"
minutes = 1
for_whom = "Anyone"
summary = "A single step."
[[steps]]
kind = "info"
title = "Hello"
prompt = "Welcome."
"""


def test_a_bilingual_protocols_room_names_it_in_each_language():
    """The daily check-in room reads its Spanish title for a Spanish reader, English otherwise."""
    doc = builtin_protocols()["daily-checkin"]
    state = new_state(doc, seed=1, now=NOW)
    assert protocol_title(state, "en") == doc["title"]
    spanish = protocol_title(state, "es")
    assert spanish == doc["texts"]["es"]["title"]
    assert spanish != doc["title"]


def test_a_one_language_protocols_room_has_no_other_titles():
    """A protocol written in English only keeps its title for every reader, with no texts."""
    state = new_state(load_protocol_text(ONE_LANGUAGE, source="plain.toml"), seed=1, now=NOW)
    assert "texts" not in state["protocol"]
    assert protocol_title(state, "es") == "Plain"
