"""The words the engine puts in front of people: names, the ladder, check-in answers, pauses.

Each sentence that both the room and the reports show is written here once. The room page
receives it ready-made in the snapshot (``view_for``: a revealed answer's ``line``, the
pause's ``line`` and ``break_note``), so its scripts hold no copy of their own; the summaries
and the counselor's timeline build theirs from the same phrases (``answer_line``,
``who_paused``, ``pause_why``). ``LADDER_WORDS`` is the one wording of the check-in ladder,
kept beside the engine's feelings so every page, report and chart says a rung the same way.

The tone follows the domain notes: no blame ("Sam asked for a pause", never "Sam stopped
the session"), and a counselor's longer break is one she calls for the couple, not a sign
that she is the one flooded.

Every function takes ``words`` (``language.Words``; English by default) and builds each
sentence from one whole translatable template with named placeholders; the constant tables
are marked with ``gettext_noop`` and translated where they are used.
"""

from collections.abc import Mapping

from .args import INTENSITY_MAX
from .language import ENGLISH, Phrase, Words, gettext_noop
from .vocabulary import CONNECTION, FLOODING, HOST, NEED_A_MOMENT, PARTNERS, A, B

# The ladder's three rungs as a person reads them: one definition for the room, the
# summaries, the charts and the exports (the room page receives it from the server).
LADDER_WORDS = {
    "safe": {
        "label": gettext_noop("Safe and connected"),
        "hint": gettext_noop("calm, present, able to listen"),
    },
    "mobilized": {
        "label": gettext_noop("On edge"),
        "hint": gettext_noop("anxious, irritated, restless, on guard"),
    },
    "shutdown": {
        "label": gettext_noop("Shut down"),
        "hint": gettext_noop("numb, far away, heavy, wanting to disappear"),
    },
}

# How the host is named to a partner when nothing better is known (translate when used:
# ``words.gettext(COUNSELOR)``).
COUNSELOR = gettext_noop("your counselor")
FACILITATOR = gettext_noop("your facilitator")  # a workshop room's host: she leads the group

# What someone did to pause the room, said after their name, by reason: what a partner did,
# what the counselor did, and why (the summaries add it after a partner's pause; the room
# says it in the break note instead). A partner's flooding pause is still a pause they asked
# for; the counselor's is a longer break she calls for the couple.
PAUSE_WORDS = {
    NEED_A_MOMENT: {
        "partner": gettext_noop("asked for a pause"),
        "host": gettext_noop("asked for a pause"),
        "why": "",
    },
    FLOODING: {
        "partner": gettext_noop("asked for a pause"),
        "host": gettext_noop("called a longer break"),
        "why": gettext_noop("feeling flooded"),
    },
}

# The call's line on the pause screen (``call.call_rules``): the same for everyone in the room.
CALL_LINES = {
    "pause": gettext_noop("Paused — microphones are off."),
    "break": gettext_noop("Break — cameras and microphones are off until the room resumes."),
}

# What the break note adds after its first sentences, for anyone taking the break.
_SOOTHING = gettext_noop(
    "Do something soothing — a walk, some music, slow breaths — and try not to replay the "
    "conversation."
)

# Stand-in names while a partner has chosen none.
_STAND_INS = {A: gettext_noop("Partner A"), B: gettext_noop("Partner B")}

# Who paused and how, as whole sentences (the act follows ``PAUSE_WORDS``): "asked" for a
# pause, "called" a longer break (the counselor's flooding break), or simply "paused".
_YOU_PAUSED = {
    "asked": gettext_noop("You asked for a pause"),
    "called": gettext_noop("You called a longer break"),
    "paused": gettext_noop("You paused"),
}
_SOMEONE_PAUSED = {
    "asked": gettext_noop("%(name)s asked for a pause"),
    "called": gettext_noop("%(name)s called a longer break"),
    "paused": gettext_noop("%(name)s paused"),
}


def name_of(state: dict, seat: str, words: Words = ENGLISH) -> str:
    """The partner's chosen name, or a neutral stand-in ("Partner A") while they have none."""
    name = state["seats"][seat]["name"]
    return name or words.gettext(_STAND_INS[A if seat == A else B])


def name_param(state: dict, seat: str) -> str:
    """A partner's name for a refusal's placeholders: the chosen name, or the stand-in as a
    ``Phrase``, translated when the refusal is worded for its reader."""
    return state["seats"][seat]["name"] or Phrase(_STAND_INS[A if seat == A else B])


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def state_words(state: str | None, words: Words = ENGLISH) -> str:
    """The ladder state in plain words; an unknown value is shown as given, never dropped."""
    if state is None:
        return words.gettext("No answer")
    rung = LADDER_WORDS.get(state)
    return words.gettext(rung["label"]) if rung else str(state)


def ladder_words(words: Words = ENGLISH) -> dict:
    """``LADDER_WORDS`` in the reader's language, the same shape: {state: {label, hint}}."""
    return {
        state: {key: words.gettext(text) for key, text in rung.items()}
        for state, rung in LADDER_WORDS.items()
    }


def answer_line(answer: Mapping, words: Words = ENGLISH) -> str:
    """A check-in answer in words: `Safe and connected, 6 of 10 — “curious”`.

    An answer with no intensity (the slider left untouched) says no number at all:
    `Safe and connected — “curious”`, or just the rung.
    """
    feeling = state_words(answer.get("state"), words)
    intensity = answer.get("intensity")
    word = answer.get("word")
    if intensity is None:
        if word:
            return words.gettext("%(feeling)s — “%(word)s”") % {"feeling": feeling, "word": word}
        return feeling
    values = {"feeling": feeling, "intensity": intensity, "most": INTENSITY_MAX}
    if word:
        return words.gettext("%(feeling)s, %(intensity)s of %(most)s — “%(word)s”") % {
            **values,
            "word": word,
        }
    return words.gettext("%(feeling)s, %(intensity)s of %(most)s") % values


def minutes_text(minutes: int, words: Words = ENGLISH) -> str:
    """`20 minutes`, `1 minute`: a break's length as the room was set up."""
    return words.ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


def pause_act(reason: str | None, by: str | None, words: Words = ENGLISH) -> str:
    """What whoever paused did: `asked for a pause`, or the counselor's `called a longer break`.

    A phrase for a table cell or a label; a sentence uses ``who_paused``, which words the
    person and the act together.
    """
    acts = PAUSE_WORDS.get(reason)
    if acts is None:
        return words.pgettext("what someone did", "paused")
    return words.gettext(acts["host" if by == HOST else "partner"])


def pause_why(reason: str | None, by: str | None, words: Words = ENGLISH) -> str:
    """Why a partner paused, for a summary's parentheses (`feeling flooded`); else empty."""
    acts = PAUSE_WORDS.get(reason)
    why = acts["why"] if acts is not None and by != HOST else ""
    return words.gettext(why) if why else ""


def _act(reason: str | None, by: str | None) -> str:
    """Which of the sentences ``PAUSE_WORDS`` describes: "asked", "called" or "paused"."""
    if reason not in PAUSE_WORDS:
        return "paused"
    return "called" if reason == FLOODING and by == HOST else "asked"


def who_paused(
    pause: Mapping,
    reader: str,
    names: Mapping[str, str],
    counselor: str = COUNSELOR,
    words: Words = ENGLISH,
) -> str:
    """How a pause began, from the reader's side, with no blame and no full stop.

    `You asked for a pause`, `Sam asked for a pause`, `Your counselor called a longer break`,
    `Sam's connection dropped`. ``names`` holds the partners' names; ``counselor`` is how the
    host is named to this reader (the room says "your counselor"; a summary may use her name;
    ``COUNSELOR`` and ``FACILITATOR`` themselves are translated here).
    """
    reason = pause.get("reason")
    if reason == CONNECTION:
        seat = pause.get("seat")
        if seat is not None and seat == reader:
            return words.gettext("Your connection dropped")
        if seat in names:
            return words.gettext("%(name)s's connection dropped") % {"name": names[seat]}
        return words.gettext("A connection dropped")
    by = pause.get("by")
    act = _act(reason, by)
    if by is not None and by == reader:
        return words.gettext(_YOU_PAUSED[act])
    if by == HOST:
        if counselor in (COUNSELOR, FACILITATOR):
            counselor = words.gettext(counselor)
        name = _capitalised(counselor)
    elif by in names:
        name = names[by]
    else:
        return words.gettext("The session paused")
    return words.gettext(_SOMEONE_PAUSED[act]) % {"name": name}


def _partner_names(state: dict, words: Words) -> dict:
    return {seat: name_of(state, seat, words) for seat in PARTNERS}


def _couple(names: Mapping[str, str]) -> dict:
    return {"first": names[PARTNERS[0]], "second": names[PARTNERS[1]]}


def pause_line(state: dict, role: str, words: Words = ENGLISH) -> str:
    """The pause screen's lead for ``role``: who paused, without blame, and what now."""
    pause = state["pause"]
    names = _partner_names(state, words)
    host = FACILITATOR if state.get("workshop") else COUNSELOR
    start = {"start": who_paused(pause, role, names, counselor=host, words=words)}
    if pause["reason"] == CONNECTION:
        seat = pause.get("seat")
        if seat == role:
            return words.gettext(
                "Your connection dropped for a moment. You're back now — carry on when you're "
                "both ready."
            )
        if seat in names and state["seats"][seat]["connected"]:
            name = {"name": names[seat]}
            if role == HOST:
                return (
                    words.gettext(
                        "%(name)s's connection dropped for a moment. %(name)s is back — the room "
                        "carries on once both say they're ready."
                    )
                    % name
                )
            return (
                words.gettext(
                    "%(name)s's connection dropped for a moment. %(name)s is back — carry on when "
                    "you're both ready."
                )
                % name
            )
        # Translators: %(start)s is a sentence without its full stop, such as "Sam's
        # connection dropped".
        return words.gettext("%(start)s. The room waits here until they're back.") % start
    by = pause["by"]
    if by == role == HOST and pause["reason"] == FLOODING:
        return words.gettext("You called a longer break for %(first)s and %(second)s.") % (
            _couple(names)
        )
    if by is not None and by == role:
        # Translators: %(start)s is a sentence without its full stop: "You asked for a pause".
        return words.gettext("%(start)s. Take the time you need.") % start
    if by == HOST:
        # Translators: %(start)s is a whole sentence such as "Your counselor called a longer
        # break"; this only ends it.
        return words.gettext("%(start)s.") % start
    if by in names and role == HOST:
        # The counselor is not one of the two it pauses for: she reads what the room does.
        # Translators: %(start)s is a sentence without its full stop: "Sam asked for a pause".
        return words.gettext("%(start)s. The room waits until both of them say they're ready.") % (
            start
        )
    if by in names:
        # Translators: %(start)s is a sentence without its full stop: "Sam asked for a pause".
        return words.gettext("%(start)s. This time is for you too.") % start
    return words.gettext("The session is paused.")


def _break_minutes(pause: Mapping) -> int | None:
    """The longer break's length in minutes, or None when this pause is not one."""
    minutes = pause.get("suggest_break_minutes")
    return minutes if pause.get("reason") == FLOODING and minutes else None


def break_ends_at(pause: Mapping) -> int | None:
    """When a flooding break's suggested time is up (server ms), or None for other pauses."""
    minutes = _break_minutes(pause)
    return pause["since"] + minutes * 60_000 if minutes else None


def break_note(state: dict, role: str, words: Words = ENGLISH) -> str | None:
    """What the longer break is for and how long it lasts, for ``role``; None without one.

    A partner who asked for it is flooded, which is nobody's failure; a break the counselor
    called is simply time for both to settle, and on her own screen it is about the couple.
    """
    pause = state["pause"]
    minutes = _break_minutes(pause)
    if not minutes:
        return None
    length = minutes_text(minutes, words)
    if role == HOST:
        # Whoever asked for it, the counselor reads the break about the couple: no
        # "both of you", no soothing advice meant for the partners' own bodies.
        names = _partner_names(state, words)
        note = words.gettext(
            "A break of at least %(length)s gives %(first)s and %(second)s time to settle. The "
            "room carries on once they have both said they're ready."
        ) % {"length": length, **_couple(names)}
        if pause["by"] in names:
            flooded = words.gettext(
                "%(name)s is feeling flooded: a body's signal, nobody's failure."
            ) % {"name": names[pause["by"]]}
            return f"{flooded} {note}"
        return note
    if pause["by"] != HOST:
        first = words.gettext(
            "Feeling flooded is a body's signal, not anyone's failure. A break of at least "
            "%(length)s lets it settle, for both of you."
        ) % {"length": length}
    else:
        first = words.gettext("A break of at least %(length)s gives you both time to settle.") % {
            "length": length
        }
    return f"{first} {words.gettext(_SOOTHING)}"


def break_over_line(state: dict, role: str, words: Words = ENGLISH) -> str | None:
    """What the pause screen says once a longer break's time is up (``break_ends_at``):
    gently, with no blame and no hurry; None for a pause that is not a longer break."""
    if not _break_minutes(state["pause"]):
        return None
    if role == HOST:
        return words.gettext(
            "The break's time is up. There's no rush — the room carries on when %(first)s and "
            "%(second)s both feel ready."
        ) % _couple(_partner_names(state, words))
    return words.gettext(
        "Your break's time is up. There's no rush — carry on when you both feel ready."
    )
