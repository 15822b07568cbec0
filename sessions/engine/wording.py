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
"""

from collections.abc import Mapping

from .args import INTENSITY_MAX
from .vocabulary import CONNECTION, FLOODING, HOST, NEED_A_MOMENT, PARTNERS, A

# The ladder's three rungs as a person reads them: one definition for the room, the
# summaries, the charts and the exports (the room page receives it from the server).
LADDER_WORDS = {
    "safe": {"label": "Safe and connected", "hint": "calm, present, able to listen"},
    "mobilized": {"label": "On edge", "hint": "anxious, irritated, restless, on guard"},
    "shutdown": {"label": "Shut down", "hint": "numb, far away, heavy, wanting to disappear"},
}

# How the host is named to a partner when nothing better is known.
COUNSELOR = "your counselor"
FACILITATOR = "your facilitator"  # the host of a workshop's room: she leads the group

# What someone did to pause the room, said after their name, by reason: what a partner did,
# what the counselor did, and why (the summaries add it after a partner's pause; the room
# says it in the break note instead). A partner's flooding pause is still a pause they asked
# for; the counselor's is a longer break she calls for the couple.
PAUSE_WORDS = {
    NEED_A_MOMENT: {"partner": "asked for a pause", "host": "asked for a pause", "why": ""},
    FLOODING: {
        "partner": "asked for a pause",
        "host": "called a longer break",
        "why": "feeling flooded",
    },
}

# The call's line on the pause screen (``call.call_rules``): the same for everyone in the room.
CALL_LINES = {
    "pause": "Paused — microphones are off.",
    "break": "Break — cameras and microphones are off until the room resumes.",
}

# What the break note adds after its first sentence, for anyone taking the break.
_SOOTHING = (
    "Do something soothing — a walk, some music, slow breaths — and try not to replay the "
    "conversation."
)


def name_of(state: dict, seat: str) -> str:
    """The partner's chosen name, or a neutral stand-in while they have none."""
    name = state["seats"][seat]["name"]
    return name or ("Partner A" if seat == A else "Partner B")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def state_words(state: str | None) -> str:
    """The ladder state in plain words; an unknown value is shown as given, never dropped."""
    if state is None:
        return "No answer"
    words = LADDER_WORDS.get(state)
    return words["label"] if words else str(state)


def answer_line(answer: Mapping) -> str:
    """A check-in answer in words: `Safe and connected, 6 of 10 — “curious”`."""
    line = f"{state_words(answer.get('state'))}, {answer.get('intensity')} of {INTENSITY_MAX}"
    if answer.get("word"):
        line += f" — “{answer['word']}”"
    return line


def minutes_text(minutes: int) -> str:
    """`20 minutes`, `1 minute`: a break's length as the room was set up."""
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def pause_act(reason: str | None, by: str | None) -> str:
    """What whoever paused did: `asked for a pause`, or the counselor's `called a longer break`."""
    words = PAUSE_WORDS.get(reason)
    if words is None:
        return "paused"
    return words["host" if by == HOST else "partner"]


def pause_why(reason: str | None, by: str | None) -> str:
    """Why a partner paused, for a summary's parentheses (`feeling flooded`); else empty."""
    words = PAUSE_WORDS.get(reason)
    return words["why"] if words is not None and by != HOST else ""


def who_paused(
    pause: Mapping, reader: str, names: Mapping[str, str], counselor: str = COUNSELOR
) -> str:
    """How a pause began, from the reader's side, with no blame and no full stop.

    `You asked for a pause`, `Sam asked for a pause`, `Your counselor called a longer break`,
    `Sam's connection dropped`. ``names`` holds the partners' names; ``counselor`` is how the
    host is named to this reader (the room says "your counselor"; a summary may use her name).
    """
    reason = pause.get("reason")
    if reason == CONNECTION:
        seat = pause.get("seat")
        if seat is not None and seat == reader:
            return "Your connection dropped"
        return f"{names[seat]}'s connection dropped" if seat in names else "A connection dropped"
    by = pause.get("by")
    if by is not None and by == reader:
        who = "You"
    elif by == HOST:
        who = _capitalised(counselor)
    elif by in names:
        who = names[by]
    else:
        return "The session paused"
    return f"{who} {pause_act(reason, by)}"


def _partner_names(state: dict) -> dict:
    return {seat: name_of(state, seat) for seat in PARTNERS}


def pause_line(state: dict, role: str) -> str:
    """The pause screen's lead for ``role``: who paused, without blame, and what now."""
    pause = state["pause"]
    names = _partner_names(state)
    host = FACILITATOR if state.get("workshop") else COUNSELOR
    start = who_paused(pause, role, names, counselor=host)
    if pause["reason"] == CONNECTION:
        seat = pause.get("seat")
        if seat == role:
            return f"{start} for a moment. You're back now — carry on when you're both ready."
        if seat in names and state["seats"][seat]["connected"]:
            name = names[seat]
            if role == HOST:
                return f"{start} for a moment. {name} is back — the room carries on once both say they're ready."
            return f"{start} for a moment. {name} is back — carry on when you're both ready."
        return f"{start}. The room waits here until they're back."
    by = pause["by"]
    if by == role == HOST and pause["reason"] == FLOODING:
        return f"{start} for {names[PARTNERS[0]]} and {names[PARTNERS[1]]}."
    if by is not None and by == role:
        return f"{start}. Take the time you need."
    if by == HOST:
        return f"{start}."
    if by in names and role == HOST:
        # The counselor is not one of the two it pauses for: she reads what the room does.
        return f"{start}. The room waits until both of them say they're ready."
    if by in names:
        return f"{start}. This time is for you too."
    return "The session is paused."


def break_note(state: dict, role: str) -> str | None:
    """What the longer break is for and how long it lasts, for ``role``; None without one.

    A partner who asked for it is flooded, which is nobody's failure; a break the counselor
    called is simply time for both to settle, and on her own screen it is about the couple.
    """
    pause = state["pause"]
    minutes = pause.get("suggest_break_minutes")
    if pause["reason"] != FLOODING or not minutes:
        return None
    length = minutes_text(minutes)
    if role == HOST:
        # Whoever asked for it, the counselor reads the break about the couple: no
        # "both of you", no soothing advice meant for the partners' own bodies.
        names = _partner_names(state)
        couple = f"{names[PARTNERS[0]]} and {names[PARTNERS[1]]}"
        flooded = ""
        if pause["by"] in names:
            flooded = (
                f"{names[pause['by']]} is feeling flooded: a body's signal, nobody's failure. "
            )
        return (
            f"{flooded}A break of at least {length} gives {couple} time to settle. The room "
            f"carries on once they have both said they're ready."
        )
    if pause["by"] != HOST:
        return (
            f"Feeling flooded is a body's signal, not anyone's failure. A break of at least "
            f"{length} lets it settle, for both of you. {_SOOTHING}"
        )
    return f"A break of at least {length} gives you both time to settle. {_SOOTHING}"
