"""Each person reads the engine's words in their own language, from one and the same room.

`view_for(state, role, words)` words the pause, the call's line and the revealed answers
through `words` (an object with `gettext`, `ngettext`, `pgettext`, `get_language`: here a
small dict-backed catalog standing in for Django's translation module), and takes a step's
title and prompt, and the protocol's title, from the protocol's own text in that language
when it has some, else its default text. A refusal is worded again for whoever reads it.
"""

from sessions.engine import (
    ENGLISH,
    apply,
    protocol_title,
    rejection_message,
    step_text,
    view_for,
)
from tests.engine.helpers import (
    CHECKIN,
    INFO,
    SPEAK_A,
    T0,
    apply_refused,
    feeling,
    here,
    room_in,
    run,
    started_room,
    walk_to,
)

SPANISH = {
    "Safe and connected": "A salvo y en conexión",
    "On edge": "En alerta",
    "%(feeling)s, %(intensity)s of %(most)s — “%(word)s”": (
        "%(feeling)s, %(intensity)s de %(most)s — «%(word)s»"
    ),
    "%(feeling)s, %(intensity)s of %(most)s": "%(feeling)s, %(intensity)s de %(most)s",
    ("%(count)s minute", "%(count)s minutes"): ("%(count)s minuto", "%(count)s minutos"),
    "You asked for a pause": "Pediste una pausa",
    "%(name)s asked for a pause": "%(name)s pidió una pausa",
    "%(start)s. Take the time you need.": "%(start)s. Tómate el tiempo que necesites.",
    "%(start)s. This time is for you too.": "%(start)s. Este tiempo también es para ti.",
    "Feeling flooded is a body's signal, not anyone's failure. A break of at least "
    "%(length)s lets it settle, for both of you.": (
        "Sentir un desborde emocional es una señal del cuerpo, no un fallo de nadie. Una "
        "pausa de al menos %(length)s ayuda a que se calme, para ustedes dos."
    ),
    "Break — cameras and microphones are off until the room resumes.": (
        "Descanso — las cámaras y los micrófonos están apagados hasta que la sesión continúe."
    ),
    "Your break's time is up. There's no rush — carry on when you both feel ready.": (
        "Ya pasó el tiempo de la pausa. No hay prisa: continúen cuando ustedes dos quieran."
    ),
    "Partner A": "Persona A",
    "%(name)s has the floor. You'll have yours next.": (
        "%(name)s tiene la palabra. Tu turno llega después."
    ),
    "The session is paused. Nothing moves on until you're both ready.": (
        "La sesión está en pausa. Nada avanza hasta que ustedes dos quieran seguir."
    ),
}


class Catalog:
    """A dict-backed ``words``: what Django's translation module does, without Django."""

    def __init__(self, language: str, messages: dict):
        self.language, self.messages = language, messages

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        forms = self.messages.get((singular, plural), (singular, plural))
        return forms[0 if number == 1 else 1]

    def pgettext(self, context: str, message: str) -> str:
        return self.messages.get((context, message), message)

    def get_language(self) -> str:
        return self.language


class Marked(Catalog):
    """Every sentence in brackets, so one that never went through ``words`` shows."""

    def __init__(self):
        super().__init__("xx", {})

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        return f"⟦{singular if number == 1 else plural}⟧"

    def pgettext(self, context: str, message: str) -> str:
        return f"⟦{message}⟧"


SPANISH_WORDS = Catalog("es", SPANISH)


def paused(by: str, reason: str = "flooding", *, hosted: bool = False) -> dict:
    state = started_room(hosted=hosted)
    state, now = walk_to(state, SPEAK_A)
    return run(state, by, "pause", {"reason": reason}, now)


def test_alex_reads_sams_break_in_english_while_sam_reads_it_in_spanish():
    state = paused("b")
    alex, sam = view_for(state, "a"), view_for(state, "b", SPANISH_WORDS)
    assert alex["pause"]["line"] == "Sam asked for a pause. This time is for you too."
    assert sam["pause"]["line"] == "Pediste una pausa. Tómate el tiempo que necesites."
    assert sam["pause"]["break_note"].startswith(
        "Sentir un desborde emocional es una señal del cuerpo, no un fallo de nadie. Una "
        "pausa de al menos 20 minutos ayuda"
    )
    assert sam["pause"]["break_over_line"].startswith("Ya pasó el tiempo de la pausa.")
    assert sam["call"]["line"].startswith("Descanso — las cámaras")
    assert alex["call"]["line"].startswith("Break — cameras")
    # The same room read by Alex in Spanish: his partner's pause, his own language.
    assert view_for(state, "a", SPANISH_WORDS)["pause"]["line"] == (
        "Sam pidió una pausa. Este tiempo también es para ti."
    )
    # Codes and data are the same for everyone.
    for key in ("by", "reason", "since", "ready", "suggest_break_minutes", "break_ends_at"):
        assert alex["pause"][key] == sam["pause"][key]


def test_english_is_the_default_words():
    state = paused("a")
    for role in ("a", "b"):
        assert view_for(state, role) == view_for(state, role, ENGLISH)


def test_every_sentence_of_a_snapshot_goes_through_words():
    marked = Marked()
    rooms = [paused(by, reason, hosted=True) for by in ("a", "host") for reason in ("flooding",)]
    rooms.append(paused("b", "need_a_moment", hosted=True))
    dropped = room_in("active", index=CHECKIN, hosted=True)
    dropped = run(dropped, "a", "checkin", here(dropped, **feeling("safe", 3, "tired")))
    dropped = run(dropped, "b", "checkin", here(dropped, **feeling("mobilized", None)))
    dropped = run(dropped, "server", "presence", {"seat": "b", "connected": False})
    rooms.append(run(dropped, "server", "tick", {}, T0 + dropped["settings"]["grace_ms"]))
    for state in rooms:
        for role in ("a", "b", "host"):
            snap = view_for(state, role, marked)
            pause = snap["pause"]
            worded = [pause["line"], snap["call"]["line"]]
            worded += [pause[key] for key in ("break_note", "break_over_line") if pause[key]]
            worded += [
                answer["line"]
                for answers in snap["checkins"].values()
                for answer in answers.values()
                if answer
            ]
            for line in worded:
                assert line.startswith("⟦"), f"{role} reads {line!r} without words"


def test_a_revealed_answer_reads_in_the_readers_language():
    state = room_in("active", index=CHECKIN)
    state = run(state, "a", "checkin", here(state, **feeling("safe", 3, "cansado")))
    state = run(state, "b", "checkin", here(state, **feeling("mobilized", 6)))
    shown = view_for(state, "b", SPANISH_WORDS)["checkins"][str(CHECKIN)]
    assert shown["a"]["line"] == "A salvo y en conexión, 3 de 10 — «cansado»"
    assert shown["b"]["line"] == "En alerta, 6 de 10"
    assert view_for(state, "a")["checkins"][str(CHECKIN)]["b"]["line"] == "On edge, 6 of 10"


def with_spanish_texts(state: dict) -> dict:
    """The room as helper-expanded protocols carry it: per-language texts beside defaults."""
    state["protocol"]["texts"] = {"es": {"title": "Protocolo breve"}}
    for index, step in enumerate(state["steps"]):
        step["texts"] = {"es": {"title": f"Paso {index}", "prompt": f"Indicación {index}"}}
    return state


def test_a_step_and_the_protocol_read_in_the_language_the_protocol_offers():
    state = with_spanish_texts(room_in("active", index=INFO))
    default_title = state["steps"][INFO]["title"]
    spanish = view_for(state, "a", SPANISH_WORDS)
    assert (spanish["step"]["title"], spanish["step"]["prompt"]) == ("Paso 0", "Indicación 0")
    assert [step["title"] for step in spanish["steps"]][:2] == ["Paso 0", "Paso 1"]
    assert spanish["protocol"] == {"slug": state["protocol"]["slug"], "title": "Protocolo breve"}
    english = view_for(state, "b")
    assert english["step"]["title"] == default_title
    assert "texts" not in english["protocol"] and "texts" not in english["step"]
    # A regional variant reads its language's text; a language the protocol lacks, the default.
    assert view_for(state, "a", Catalog("es-MX", {}))["step"]["title"] == "Paso 0"
    assert view_for(state, "a", Catalog("fr", {}))["step"]["title"] == default_title
    assert step_text(state["steps"][INFO], "prompt", "es") == "Indicación 0"
    assert protocol_title(state, "en") == state["protocol"]["title"]


def test_a_room_stored_without_texts_shows_its_default_text_in_any_language():
    state = room_in("active", index=INFO)
    spanish, english = view_for(state, "a", SPANISH_WORDS), view_for(state, "a")
    for key in ("title", "prompt"):
        assert spanish["step"][key] == english["step"][key] == state["steps"][INFO][key]
    assert spanish["protocol"] == english["protocol"] == state["protocol"]


def test_a_refusal_is_worded_again_for_its_reader_with_the_same_names():
    state = room_in("active", index=SPEAK_A)
    refused = apply_refused(state, "b", "done", here(state))
    assert refused.message == "Alex has the floor. You'll have yours next."
    assert refused.worded() == refused.message
    assert refused.worded(SPANISH_WORDS) == "Alex tiene la palabra. Tu turno llega después."
    # A partner with no name yet is a stand-in, translated too.
    state["seats"]["a"]["name"] = None
    nameless = apply(state, "b", "done", here(state), T0)
    assert nameless.message == "Partner A has the floor. You'll have yours next."
    assert nameless.worded(SPANISH_WORDS) == "Persona A tiene la palabra. Tu turno llega después."


def test_a_code_has_its_own_sentence_in_each_language():
    assert rejection_message("paused") == (
        "The session is paused. Nothing moves on until you're both ready."
    )
    assert rejection_message("paused", SPANISH_WORDS).startswith("La sesión está en pausa.")
    assert rejection_message("busy", template="Try again.") == "Try again."
    try:
        rejection_message("busy")
    except ValueError:
        pass
    else:
        raise AssertionError("an unknown code without a sentence must not pass")
