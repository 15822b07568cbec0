"""A protocol in several languages: ``languages = ["en", "es"]`` and each text as a table of
language → text. What loads (its own language where it always was, the others under
``texts``), what an author reads when a language's text is missing, empty or not offered, and
that the session's steps carry every language's words."""

import copy

import pytest

from sessions.engine import expand_steps
from sessions.engine.expand import protocol_texts
from sessions.protocols import in_language, load_protocol_text
from sessions.protocols.texts import NAMES, SUPPORTED
from tests.protocols.helpers import BLOCK_LABEL, GOOD, errors_for, to_toml

SPANISH = {
    "Evening pause": "Pausa de la tarde",
    "Alex and Sam, at the end of a long day.": "Alex y Sam, al final de un día largo.",
    "Check in, breathe, one appreciation each way.": "Conectar, respirar y un aprecio cada uno.",
    "Before you begin": "Antes de empezar",
    "Is now a good time?": "¿Es un buen momento?",
    "Arriving": "Llegar",
    "Where are you right now?": "¿Cómo estás ahora mismo?",
    "Breathe together": "Respirar juntos",
    "Slowly in, slowly out.": "Inhala despacio, exhala despacio.",
    "One appreciation each": "Un aprecio cada uno",
    "Share": "Compartir",
    "Say one thing you appreciated today.": "Di algo que hoy hayas apreciado.",
    "Mirror it back": "Reflejarlo",
    "Say back what you heard.": "Repite lo que escuchaste.",
}
TEXT_FIELDS = ("title", "for_whom", "summary", "prompt")


def bilingual(languages=("en", "es")):
    """GOOD with every text a table in each of ``languages`` (English and its Spanish)."""
    doc = copy.deepcopy(GOOD)
    doc = {"slug": doc.pop("slug"), "languages": list(languages), **doc}

    def tables(node):
        for field in TEXT_FIELDS:
            if field in node:
                node[field] = {
                    code: (node[field], SPANISH[node[field]])[code == "es"] for code in languages
                }
        for step in node.get("steps", []):
            tables(step)

    tables(doc)
    return doc


def changed(change, languages=("en", "es")):
    doc = bilingual(languages)
    change(doc)
    return to_toml(doc)


def test_a_protocol_in_two_languages_loads_in_its_own_with_the_other_under_texts():
    """Title, prompt and the rest stay plain text in the first language; Spanish sits
    beside them, on the document, each step and each block, under the same field names."""
    doc = load_protocol_text(to_toml(bilingual()), source="evening-pause.toml")
    assert doc["languages"] == ["en", "es"]
    assert (doc["title"], doc["for_whom"]) == ("Evening pause", GOOD["for_whom"])
    assert doc["texts"] == {
        "es": {
            "title": "Pausa de la tarde",
            "for_whom": "Alex y Sam, al final de un día largo.",
            "summary": "Conectar, respirar y un aprecio cada uno.",
        }
    }
    welcome, block = doc["steps"][0], doc["steps"][3]
    assert welcome == {
        "kind": "info",
        "title": "Before you begin",
        "prompt": "Is now a good time?",
        "advance": "both",
        "texts": {"es": {"title": "Antes de empezar", "prompt": "¿Es un buen momento?"}},
    }
    assert block["texts"] == {"es": {"title": "Un aprecio cada uno"}}
    assert block["steps"][1]["texts"] == {
        "es": {"title": "Reflejarlo", "prompt": "Repite lo que escuchaste."}
    }


def test_a_protocol_may_be_written_with_dotted_keys_and_in_spanish_first():
    """``prompt.es = "…"`` is the same table as an inline one; the first language is the
    document's own, so a Spanish-first protocol reads Spanish in its plain fields."""
    text = to_toml(bilingual(("es", "en")))
    text = text.replace(
        'prompt = { es = "¿Es un buen momento?", en = "Is now a good time?" }',
        'prompt.es = "¿Es un buen momento?"\nprompt.en = "Is now a good time?"',
    )
    assert 'prompt.es = "¿Es un buen momento?"' in text
    doc = load_protocol_text(text)
    assert doc["languages"] == ["es", "en"]
    assert doc["steps"][0]["prompt"] == "¿Es un buen momento?"
    assert doc["steps"][0]["texts"] == {
        "en": {"title": "Before you begin", "prompt": "Is now a good time?"}
    }


def test_a_protocol_in_one_language_keeps_its_shape_and_says_which_language():
    """Every file written before languages existed still loads as it did, offering English,
    with no ``texts``; a one-language table or a Spanish-only protocol load the same way."""
    plain = load_protocol_text(to_toml(GOOD))
    assert plain["languages"] == ["en"]
    assert "texts" not in plain and all("texts" not in step for step in plain["steps"])
    assert load_protocol_text(to_toml(bilingual(("en",)))) == plain

    spanish = bilingual(("es",))
    spanish["steps"][0]["prompt"] = "¿Es un buen momento?"  # plain text: its one language
    doc = load_protocol_text(to_toml(spanish))
    assert doc["languages"] == ["es"]
    assert (doc["title"], doc["steps"][0]["prompt"]) == (
        "Pausa de la tarde",
        "¿Es un buen momento?",
    )
    assert "texts" not in doc


def test_stays_languages_are_djangos_languages():
    """The loader cannot import Django, so it keeps its own list of codes: the same as
    settings.LANGUAGES, and each with a name for the messages."""
    from django.conf import settings

    assert tuple(code for code, _ in settings.LANGUAGES) == SUPPORTED
    assert set(NAMES) == set(SUPPORTED)


# --- what an author reads -----------------------------------------------------------------


def drop(*path):
    def change(doc):
        target = doc
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return change


def put(value, *path):
    def change(doc):
        target = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            drop("steps", 1, "prompt", "es"),
            'broken.toml: step 2 "Arriving": prompt: no Spanish text (es); '
            "this protocol offers en, es",
            id="missing language",
        ),
        pytest.param(
            drop("summary", "en"),
            "broken.toml: summary: no English text (en); this protocol offers en, es",
            id="missing own language",
        ),
        pytest.param(
            put("  ", "steps", 3, "steps", 0, "prompt", "es"),
            f'broken.toml: {BLOCK_LABEL}, step 1 "Share": prompt.es: must not be empty',
            id="empty text",
        ),
        pytest.param(
            put("Breathe together", "steps", 2, "title"),
            'broken.toml: step 3 "Breathe together": title: needs its text in each language this protocol offers '
            '(en, es): write title.en = "…" and title.es = "…"',
            id="plain text in a two-language protocol",
        ),
        pytest.param(
            put(["en", "fr"], "languages"),
            'broken.toml: languages: unknown language "fr" (Stay offers: en, es)',
            id="unknown language code",
        ),
        pytest.param(
            put(["en", "es", "en"], "languages"),
            'broken.toml: languages: names "en" twice',
            id="a language twice",
        ),
        pytest.param(
            put([], "languages"),
            "broken.toml: languages: must name at least one language",
            id="no language",
        ),
        pytest.param(
            put("en, es", "languages"),
            'broken.toml: languages: must be a list of language codes, such as ["en", "es"]',
            id="languages not a list",
        ),
        pytest.param(
            put({"en": "Arriving", "fr": "Arriver", "es": "Llegar"}, "steps", 1, "title"),
            'broken.toml: step 2 "Arriving": title: unknown language "fr" in title.fr '
            "(Stay offers: en, es)",
            id="unknown language in a text",
        ),
        pytest.param(
            put({"en": "Arriving", "es": 5}, "steps", 1, "title"),
            'broken.toml: step 2 "Arriving": title.es: must be text',
            id="a language's text not text",
        ),
    ],
)
def test_each_language_rule_names_the_step_and_the_field_and_nothing_loads(change, expected):
    """One broken rule, one line, in the loader's usual words; the document is refused."""
    assert errors_for(changed(change)) == [expected]


def test_a_text_in_a_language_the_protocol_does_not_offer_is_refused():
    """Spanish in an English-only protocol (it says so) is a mistake, not a silent extra."""
    doc = bilingual(("en",))
    doc["steps"][0]["prompt"] = {"en": "Is now a good time?", "es": "¿Es un buen momento?"}
    assert errors_for(to_toml(doc)) == [
        'broken.toml: step 1 "Before you begin": prompt: has Spanish (es) text, but this '
        'protocol offers en: add "es" to languages, or remove prompt.es'
    ]


def test_texts_in_two_languages_without_a_languages_line_ask_for_one_line():
    """One sentence for the whole file (not one per text) tells the author what to add."""
    doc = bilingual()
    del doc["languages"]
    assert errors_for(to_toml(doc)) == [
        "broken.toml: languages: the texts are in en, es, but the protocol does not say which "
        'languages it offers: add languages = ["en", "es"] (its own language first)'
    ]


def test_language_problems_are_reported_with_the_files_other_problems():
    """An author sees every problem in one pass, languages included."""

    def three_mistakes(doc):
        doc["minutes"] = 0
        del doc["steps"][0]["title"]["es"]
        doc["steps"][2]["prompt"]["en"] = ""

    assert errors_for(changed(three_mistakes)) == [
        "broken.toml: minutes: must be at least 1",
        'broken.toml: step 1 "Before you begin": title: no Spanish text (es); '
        "this protocol offers en, es",
        'broken.toml: step 3 "Breathe together": prompt.en: must not be empty',
    ]


def test_a_plain_text_too_long_is_named_as_written():
    """In a one-language protocol the field is named as the author wrote it (no ``.en``)."""
    doc = copy.deepcopy(GOOD)
    doc["steps"][0]["prompt"] = "x" * 1001
    assert errors_for(to_toml(doc)) == [
        'broken.toml: step 1 "Before you begin": prompt: is too long (at most 1000 characters)'
    ]


# --- the session's steps --------------------------------------------------------------------


def test_expanded_steps_carry_their_words_in_each_language_both_turns_alike():
    """Each step of a session has its Spanish title and prompt beside the English, the
    block's steps once per partner; a one-language protocol's steps have no ``texts``."""
    doc = load_protocol_text(to_toml(bilingual()))
    steps = expand_steps(doc, seed=1)
    assert [step["texts"]["es"]["title"] for step in steps] == [
        "Antes de empezar",
        "Llegar",
        "Respirar juntos",
        "Compartir",
        "Reflejarlo",
        "Compartir",
        "Reflejarlo",
    ]
    assert steps[2]["texts"] == {
        "es": {"title": "Respirar juntos", "prompt": "Inhala despacio, exhala despacio."}
    }
    steps[3]["texts"]["es"]["title"] = "changed"
    assert steps[5]["texts"]["es"]["title"] == "Compartir"  # each turn its own copy
    assert protocol_texts(doc) == {"es": {"title": "Pausa de la tarde"}}

    plain = load_protocol_text(to_toml(GOOD))
    assert all("texts" not in step for step in expand_steps(plain, seed=1))
    assert protocol_texts(plain) == {}


def test_a_page_lists_a_protocol_in_a_persons_language_or_in_its_own():
    """``in_language`` gives the words in the language asked for (a regional code reads as
    its language) and the document's own where there are none."""
    doc = load_protocol_text(to_toml(bilingual()))
    spanish = in_language(doc, "es-MX")
    assert (spanish["title"], spanish["summary"]) == (
        "Pausa de la tarde",
        "Conectar, respirar y un aprecio cada uno.",
    )
    assert "texts" not in spanish and spanish["minutes"] == doc["minutes"]
    assert in_language(doc["steps"][0], "es")["prompt"] == "¿Es un buen momento?"
    assert in_language(doc, "fr")["title"] == in_language(doc, None)["title"] == "Evening pause"
    assert "texts" in doc  # the document itself is left as it was
