"""What an author reads when a protocol file is wrong: every problem at once, one line
each, naming the file, the step and the field, or the line of a TOML syntax error."""

import copy

import pytest

from sessions.protocols import (
    ProtocolError,
    load_protocol_data,
    load_protocol_file,
    load_protocol_text,
)
from tests.protocols.helpers import BLOCK_LABEL, GOOD, broken, errors_for, set_in


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
