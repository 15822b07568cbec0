"""The loader's sentences are written once in English and worded again for each reader.

``ProtocolError.errors`` stays the English an author has always read (the command line, the
admin and every other test read it); ``problems`` keeps each line's parts so a page words it
in its reader's language through a ``words`` object (``gettext`` and ``pgettext``, as
Django's translation module has), with no Django in this package. Field names, step kinds,
codes and the author's own titles stay as written; only Stay's sentences change.
"""

import copy

import pytest

from sessions.protocols import ProtocolError, load_protocol_data, load_protocol_text
from sessions.protocols.sentences import Problem, Said, Together, gettext_noop
from tests.protocols.helpers import GOOD, broken, set_in

# A few sentences in a "language" of our own, enough to see each part worded: anything not
# here comes back marked, so a sentence that was not worded shows up as plain English.
TABLE = {
    "is required": "es obligatorio",
    "must be text": "tiene que ser texto",
    "must be greater than %(bound)s": "tiene que ser mayor que %(bound)s",
    'step %(number)s "%(title)s"': "paso %(number)s «%(title)s»",
    "step %(number)s": "paso %(number)s",
    "must be one of %(choices)s": "tiene que ser uno de estos: %(choices)s",
    "%(some)s or %(last)s": "%(some)s o %(last)s",
    "%(some)s and %(last)s": "%(some)s y %(last)s",
    "TOML syntax error: %(reason)s": "error de sintaxis TOML: %(reason)s",
    "line %(line)s, column %(column)s": "línea %(line)s, columna %(column)s",
}
CONTEXT_TABLE = {("language name", "Spanish"): "español", ("language name", "English"): "inglés"}


class Words:
    """A reader's words: translates from the tables, marks anything else with ⟨…⟩."""

    def __init__(self):
        self.asked = []

    def gettext(self, message):
        self.asked.append(message)
        return TABLE.get(message, f"⟨{message}⟩")

    def pgettext(self, context, message):
        self.asked.append((context, message))
        return CONTEXT_TABLE.get((context, message), f"⟨{message}⟩")


def problems_for(doc, source="stored"):
    with pytest.raises(ProtocolError) as caught:
        load_protocol_data(doc, source=source)
    return caught.value


def without(*fields):
    doc = copy.deepcopy(GOOD)
    for field in fields:
        del doc[field]
    return doc


def test_missing_fields_are_worded_for_the_reader_and_stay_english_in_errors():
    """The same four problems: English in ``errors``, the reader's words from ``worded``."""
    error = problems_for(without("minutes", "for_whom", "summary", "steps"))
    assert error.errors == [
        "stored: minutes: is required",
        "stored: for_whom: is required",
        "stored: summary: is required",
        "stored: steps: is required",
    ]
    assert error.worded(Words()) == [
        "stored: minutes: es obligatorio",
        "stored: for_whom: es obligatorio",
        "stored: summary: es obligatorio",
        "stored: steps: es obligatorio",
    ]


def test_without_words_each_problem_reads_as_its_english_line():
    """``worded()`` with no reader is the English, line for line, and ``str`` of a problem too."""
    text = broken(set_in(("steps", 2, "inhale"), 0))
    with pytest.raises(ProtocolError) as caught:
        load_protocol_text(text, source="broken.toml")
    error = caught.value
    assert error.worded() == error.errors == [str(p) for p in error.problems]
    assert str(error).splitlines() == error.errors


def test_a_step_is_named_in_the_readers_words_with_the_authors_title_as_written():
    """ "step 3" is Stay's words; "Breathe together" is the author's and is never translated."""
    error = problems_for(copy.deepcopy(GOOD) | {"steps": _with_inhale(0)})
    (line,) = error.worded(Words())
    assert line == "stored: paso 3 «Breathe together»: inhale: tiene que ser mayor que 0"
    (english,) = error.errors
    assert english == 'stored: step 3 "Breathe together": inhale: must be greater than 0'


def _with_inhale(value):
    steps = copy.deepcopy(GOOD["steps"])
    steps[2]["inhale"] = value
    return steps


def test_the_source_can_be_left_out_of_a_worded_line():
    """A page that shows the text itself need not repeat the name it gave it."""
    error = problems_for(without("minutes"), source="protocol")
    assert error.worded(Words(), with_source=False) == ["minutes: es obligatorio"]
    assert error.problems[0].pieces(Words(), with_source=False) == [
        ("field", "minutes"),
        ("message", "es obligatorio"),
    ]


def test_a_choice_s_or_is_worded_too_while_the_choices_stay_as_written():
    """pydantic's "'both' or 'either'" reads '"both" or "either"', its "or" in the reader's words."""
    doc = copy.deepcopy(GOOD)
    doc["steps"][0]["advance"] = "sometimes"
    error = problems_for(doc)
    assert error.errors[0].endswith('advance: must be one of "both" or "either"')
    assert error.worded(Words())[0].endswith(
        'advance: tiene que ser uno de estos: "both" o "either"'
    )


def test_a_language_s_name_is_worded_with_its_context():
    """ "no Spanish text (es)": the name is asked for as a language name, so it can read "español"."""
    doc = copy.deepcopy(GOOD)
    doc["languages"] = ["en", "es"]
    doc["title"] = {"en": "Evening"}
    words = Words()
    error = problems_for(doc)
    line = next(line for line in error.worded(words) if ": title:" in line)
    assert "español" in line
    assert ("language name", "Spanish") in words.asked
    assert any("no Spanish text (es); this protocol offers en, es" in e for e in error.errors)


def test_a_syntax_error_words_its_place_but_keeps_toml_s_own_reason():
    """ "line 4, column 11" is Stay's; the reason comes from Python's TOML reader, in English."""
    with pytest.raises(ProtocolError) as caught:
        load_protocol_text('slug = "a"\ntitle = "b"\n\nminutes = = 8\n', source="x.toml")
    (english,) = caught.value.errors
    (worded,) = caught.value.worded(Words())
    assert english.startswith("x.toml: line 4, column ")
    assert worded.startswith("x.toml: línea 4, columna ")
    assert "error de sintaxis TOML: " in worded
    assert worded.split("error de sintaxis TOML: ")[1] == english.split("TOML syntax error: ")[1]


@pytest.mark.parametrize(
    "change",
    [
        lambda doc: doc.update(minutes=0),
        lambda doc: doc.update(slug="Not A Slug"),
        lambda doc: doc.update(title=""),
        lambda doc: doc.update(bogus=1),
        lambda doc: doc.update(languages=["en", "en"]),
        lambda doc: doc.update(languages=["fr"]),
        lambda doc: doc.update(languages=[]),
        lambda doc: doc.update(title={"en": "a", "es": "b"}),
        lambda doc: doc["steps"][2].update(advance="both"),
        lambda doc: doc["steps"][3].update(advance="both"),
        lambda doc: doc["steps"][0].update(kind="speak"),
        lambda doc: doc["steps"][0].update(kind="dance"),
        lambda doc: doc["steps"][3]["steps"].reverse(),
        lambda doc: doc["steps"][3]["steps"][0].update(kind="breathe"),
        lambda doc: doc["steps"][3]["steps"][0].update(kind="each_partner"),
        lambda doc: doc["steps"][2].update(cycles=1.5),
        lambda doc: doc["steps"][2].update(inhale="5"),
        lambda doc: doc.update(steps=[]),
        lambda doc: doc.update(steps="all of them"),
        lambda doc: doc["steps"].__setitem__(1, "checkin"),
        lambda doc: doc["steps"][1].pop("kind"),
        lambda doc: doc["steps"][1].update(prompt="x" * 5000),
    ],
)
def test_every_sentence_the_loader_says_goes_through_the_readers_words(change):
    """Whatever is wrong, each sentence is worded (no ⟨unworded⟩ English reaches a reader as
    plain text), and the English ``errors`` are exactly the lines worded with no reader."""
    doc = copy.deepcopy(GOOD)
    change(doc)
    error = problems_for(doc)
    assert error.worded() == error.errors
    for problem in error.problems:
        assert isinstance(problem.message, Said | Together)
        assert problem.pieces(Words())[-1] != problem.pieces()[-1]


def test_a_problem_built_by_hand_words_its_parts_in_order():
    """Source, then where, then the field, then the sentence — each worded, joined by ": "."""
    problem = Problem(
        "p.toml",
        Said(gettext_noop("must be greater than %(bound)s"), bound=0),
        where=[Said(gettext_noop("step %(number)s"), number=2)],
        field="cycles",
    )
    assert str(problem) == "p.toml: step 2: cycles: must be greater than 0"
    assert problem.worded(Words()) == "p.toml: paso 2: cycles: tiene que ser mayor que 0"
