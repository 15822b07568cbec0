"""What one person sees: the state shaped for a role, without anything private.

A partner's check-in answer stays hidden from the other until both have answered; the
counselor sees both. The seed and bookkeeping fields (when someone went away) never leave.
A knock on a seat is shown to the other partner and the counselor, who may answer it, and
never to the knocked seat itself, whose device is the one being asked about. ``can`` lists
what this person may send now (see ``permissions``), so the page needs no rules of its own;
the same goes for ``call``, what a pause does to the call's microphones and cameras; for
the same reason the step names its listener and says whether its deadline is a soft limit,
and a sentence the reports show too comes ready-made (a revealed answer's ``line``, the pause's
``line`` and ``break_note``, from ``wording``) so the page keeps no copy of it. The
counselor's ``message`` goes to everyone in the room alike: it is written for the couple, and
so does a workshop room's ``workshop`` block (the group's pace, a raised hand, the timer).

Everything worded comes in the reader's language: ``view_for(state, role, words)`` words
the pause, the call's line and each revealed answer through ``words`` (``language.Words``),
and takes a step's title and prompt, and the protocol's title, from the protocol's own
per-language text (``texts``) when it has some in that language (``step_text``,
``protocol_title``), else the default. Codes and data stay beside the words, the same for all.

States stored before a rule existed lack its keys; they read as the rule's starting values.
"""

from .call import call_rules
from .deadlines import SOFT_LIMIT_KINDS
from .language import ENGLISH, Words, in_language, language_of
from .permissions import allowed_actions
from .together import rule_of
from .vocabulary import PARTNERS, PAUSED, PEOPLE, other
from .wording import answer_line, break_ends_at, break_note, break_over_line, pause_line
from .workshop import view as workshop_view


def step_text(step: dict, field: str, language: str) -> str:
    """A step's ``title`` or ``prompt`` in ``language`` ("es"; "es-mx" reads "es") when the
    protocol has it there, else the protocol's default text."""
    texts = step.get("texts")
    if not texts:
        return step[field]
    found = in_language(texts, language.lower())
    text = found.get(field) if found else None
    return text if isinstance(text, str) and text else step[field]


def protocol_title(state: dict, language: str) -> str:
    """The protocol's title in ``language`` when the protocol has it there, else its default."""
    return step_text(state["protocol"], "title", language)


def _checkins(state: dict, role: str, words: Words) -> dict:
    shaped = {}
    for index, answers in state["checkins"].items():
        both = all(answers[seat] is not None for seat in PARTNERS)
        shaped[index] = {
            seat: (
                # An answer left without an intensity (the slider untouched) shows null.
                {
                    **answers[seat],
                    "intensity": answers[seat].get("intensity"),
                    "line": answer_line(answers[seat], words),
                }
                if answers[seat] is not None and (both or role in (seat, "host"))
                else None
            )
            for seat in PARTNERS
        }
    return shaped


def _step(state: dict, language: str) -> dict:
    step = state["steps"][state["index"]]
    answers = state["checkins"].get(str(state["index"])) if step["kind"] == "checkin" else None
    return {
        "index": state["index"],
        "count": len(state["steps"]),
        "kind": step["kind"],
        "title": step_text(step, "title", language),
        "prompt": step_text(step, "prompt", language),
        "floor": step["floor"],
        # Who listens while ``floor`` speaks, and whether ``deadline`` is a turn's soft
        # limit (shown as time left; nobody is cut off) rather than the end of breathing.
        "listener": other(step["floor"]) if step["floor"] is not None else None,
        "soft_limit": step["kind"] in SOFT_LIMIT_KINDS,
        "phase": state["phase"],
        "deadline": state["deadline"],
        "remaining": state["remaining"] if state["status"] == PAUSED else None,
        "over_time": state["over_time"],
        "answered": [seat for seat in PARTNERS if answers and answers[seat] is not None],
        "advance": rule_of(step),
        "moving_on": list(state.get("moving_on", ())),
    }


def _knock(state: dict, role: str) -> dict | None:
    knock = state.get("knock")
    if knock is None or role == knock["seat"]:
        return None
    return {"seat": knock["seat"], "id": knock["id"], "answer": knock["answer"]}


def _pause(state: dict, role: str, words: Words) -> dict | None:
    pause = state["pause"]
    if pause is None:
        return None
    return {
        **pause,
        "ready": list(pause["ready"]),
        "line": pause_line(state, role, words),
        "break_note": break_note(state, role, words),
        # A longer break's suggested end (server ms) and what the page says once it has
        # passed; both null for any other pause.
        "break_ends_at": break_ends_at(pause),
        "break_over_line": break_over_line(state, role, words),
    }


def view_for(state: dict, role: str, words: Words = ENGLISH) -> dict:
    """The public snapshot for ``role`` ("a", "b" or "host"), ready for JSON, worded in
    ``words``' language (English by default)."""
    if role not in PEOPLE:
        raise ValueError(f"role must be one of {PEOPLE}, got {role!r}")
    language = language_of(words)
    seats = {
        seat: {
            **{
                key: state["seats"][seat][key]
                for key in ("name", "claimed", "connected", "resting")
            },
            # Absent from states stored before take-overs were recorded.
            "rejoined_at": state["seats"][seat].get("rejoined_at"),
            "forgotten": state["seats"][seat].get("forgotten", False),
        }
        for seat in PARTNERS
    }
    return {
        "status": state["status"],
        "you": role,
        "version": state["version"],
        "protocol": {
            **{key: value for key, value in state["protocol"].items() if key != "texts"},
            "title": protocol_title(state, language),
        },
        "seats": seats,
        "host": dict(state["host"]) if state["host"] is not None else None,
        "steps": [
            {"title": step_text(step, "title", language), "kind": step["kind"]}
            for step in state["steps"]
        ],
        "step": _step(state, language),
        "pause": _pause(state, role, words),
        "breathing": (
            {**state["breathing"], "pattern": dict(state["breathing"]["pattern"])}
            if state["breathing"] is not None
            else None
        ),
        "checkins": _checkins(state, role, words),
        "knock": _knock(state, role),
        "message": dict(state["message"]) if state.get("message") else None,
        "workshop": workshop_view(state),
        "can": allowed_actions(state, role),
        "call": call_rules(state, words),
    }
