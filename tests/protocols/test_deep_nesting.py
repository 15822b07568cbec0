"""A protocol file nested thousands deep (a hostile upload on the counselor's form) is
refused with a sentence, like any broken file, never a crash of the page or the command."""

import pytest

from sessions.protocols.loader import ProtocolError, load_protocol_text

DEEP = {
    "arrays": 'slug = "deep"\nprompt = ' + "[" * 5000 + "]" * 5000,
    "tables": 'slug = "deep"\nprompt = ' + "{ a = " * 3000 + "1" + " }" * 3000,
}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_a_file_nested_thousands_deep_is_refused_with_a_sentence(shape):
    """The author reads what is wrong, under the file's name; nothing loads."""
    with pytest.raises(ProtocolError) as refused:
        load_protocol_text(DEEP[shape], source="deep.toml")
    assert str(refused.value) == "deep.toml: nested too deeply to read"
