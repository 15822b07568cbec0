"""Strict checking of the ``args`` dict of every action, before any rule looks at it.

Anything that comes from outside is checked here once, with a message that says exactly which
field is wrong, so the rules can trust their input. Unknown keys are refused rather than
ignored: a misspelt ``phase`` must not quietly turn into a request without a phase.
"""

import re
import unicodedata
from collections.abc import Callable

from .actions import ALL_ACTIONS, BACK, GROUP_TIMER, LOWER_HAND, PACE, RAISE_HAND, RESUME, SAY, SKIP
from .language import gettext_noop
from .rejections import Refusal
from .vocabulary import (
    ANSWERS,
    FEELINGS,
    LET_IN_ANSWERS,
    NEED_A_MOMENT,
    PARTNERS,
    PAUSE_REASONS,
    PEOPLE,
    PHASES,
)
from .workshop import TIMER_MAX_SECONDS, TIMER_MIN_SECONDS

WORD_MAX = 40
NAME_MAX = 40
# The counselor's short message to the couple: a line or two, never a letter.
MESSAGE_MAX = 200
# How strongly a check-in's feeling is felt, from barely to very.
INTENSITY_MIN = 0
INTENSITY_MAX = 10
KNOCK_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Control characters (C0, DEL, C1) and lone surrogates: never text a person typed on purpose,
# and not storable alike on every database (PostgreSQL refuses NUL and lone surrogates).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# In the counselor's message: bidirectional embeddings, overrides and isolates can make a
# line read differently from what was sent, so they are refused by name; characters that
# show nothing cannot be a message on their own: a message needs one letter, digit,
# punctuation mark or symbol that is not a blank filler (Hangul fillers, the blank braille
# cell). Format characters such as the zero-width joiner (U+200D) stay allowed beside
# them: emoji are built with it.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_BLANK_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _shows_something(text: str) -> bool:
    return any(
        unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_FILLERS for char in text
    )


def _bad(message: str, **params: object) -> Refusal:
    """A ``bad_args`` refusal naming the field: ``message`` is a template marked with
    ``gettext_noop`` and ``params`` fill it (a value as ``repr`` shows it)."""
    return Refusal("bad_args", message, params)


def _int(key: str, value: object, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(
            gettext_noop("'%(key)s' must be a whole number, got %(value)s."),
            key=key,
            value=repr(value),
        )
    if high is not None and not low <= value <= high:
        raise _bad(
            gettext_noop("'%(key)s' must be from %(low)s to %(high)s, got %(value)s."),
            key=key,
            low=low,
            high=high,
            value=value,
        )
    if value < low:
        raise _bad(
            gettext_noop("'%(key)s' must be %(low)s or more, got %(value)s."),
            key=key,
            low=low,
            value=value,
        )
    return value


def _optional_int(key: str, value: object, low: int, high: int) -> int | None:
    """A whole number in range, or None (left out) for null."""
    return None if value is None else _int(key, value, low, high)


def _choice(key: str, value: object, choices: tuple) -> str:
    if not isinstance(value, str) or value not in choices:
        raise _bad(
            gettext_noop("'%(key)s' must be one of %(choices)s; got %(value)s."),
            key=key,
            choices=", ".join(choices),
            value=repr(value),
        )
    return value


def _bool(key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _bad(
            gettext_noop("'%(key)s' must be true or false, got %(value)s."),
            key=key,
            value=repr(value),
        )
    return value


def _short_text(key: str, value: object, limit: int) -> str | None:
    """Trimmed text, or None when empty: an empty word is the same as no word."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(
            gettext_noop("'%(key)s' must be text, got %(value)s."), key=key, value=repr(value)
        )
    _check_characters(key, value)
    value = value.strip()
    if len(value) > limit:
        raise _bad(
            gettext_noop("'%(key)s' can be at most %(limit)s characters."), key=key, limit=limit
        )
    return value or None


def _check_characters(key: str, value: str) -> None:
    """Refuse what is not plain text, wherever it sits (even where ``strip`` would drop it)."""
    if _CONTROL.search(value):
        raise _bad(
            gettext_noop("'%(key)s' can't contain control characters such as a line break or NUL."),
            key=key,
        )
    if _SURROGATE.search(value):
        raise _bad(gettext_noop("'%(key)s' contains a character that isn't valid text."), key=key)


def _knock_id(key: str, value: object) -> str:
    if not isinstance(value, str) or not KNOCK_ID.fullmatch(value):
        raise _bad(
            gettext_noop("'%(key)s' must be 1 to 64 letters, digits, '_' or '-', got %(value)s."),
            key=key,
            value=repr(str(value)[:80]),
        )
    return value


def _message(key: str, value: object) -> str | None:
    """The counselor's message, trimmed; None (left out) when empty, which clears it."""
    if not isinstance(value, str):
        raise _bad(
            gettext_noop("'%(key)s' must be text (empty to clear the message), got %(value)s."),
            key=key,
            value=repr(value),
        )
    found = sorted({f"U+{ord(char):04X}" for char in _BIDI.findall(value)})
    if found:
        raise _bad(
            gettext_noop(
                "'%(key)s' can't contain text-direction control characters (%(found)s): they can "
                "make the message read differently from what you wrote."
            ),
            key=key,
            found=", ".join(found),
        )
    if value.strip() and not _shows_something(value):
        raise _bad(
            gettext_noop("'%(key)s' has only invisible characters. Write a few words first."),
            key=key,
        )
    return _short_text(key, value, MESSAGE_MAX)


def _seats(key: str, value: object) -> list[str]:
    """Partner seats, each once, in seat order: whom a counselor's resume overrides."""
    if not isinstance(value, list):
        raise _bad(
            gettext_noop("'%(key)s' must be a list of seats (a, b), got %(value)s."),
            key=key,
            value=repr(value),
        )
    for seat in value:
        _choice(key, seat, PARTNERS)
    if len(set(value)) != len(value):
        raise _bad(gettext_noop("'%(key)s' names a seat twice."), key=key)
    return sorted(value)


# key -> (required, checker). Checkers return the cleaned value; None means "leave it out".
Checker = Callable[[str, object], object]
_STEP = {
    "step": (True, lambda k, v: _int(k, v, 0)),
    "phase": (False, lambda k, v: _choice(k, v, PHASES)),
}
SPECS: dict[str, dict[str, tuple[bool, Checker]]] = {
    "start": {},
    "ready": {},
    "end": {},
    "tick": {},
    "pause": {"reason": (False, lambda k, v: _choice(k, v, PAUSE_REASONS))},
    "checkin": {
        **_STEP,
        "state": (True, lambda k, v: _choice(k, v, FEELINGS)),
        # Left out or null: the slider was never touched, so no intensity is stored.
        "intensity": (False, lambda k, v: _optional_int(k, v, INTENSITY_MIN, INTENSITY_MAX)),
        "word": (False, lambda k, v: _short_text(k, v, WORD_MAX)),
    },
    "answer": {**_STEP, "value": (True, lambda k, v: _choice(k, v, ANSWERS))},
    **{action: dict(_STEP) for action in ("done", "next", "not_yet", "sit_out", SKIP, BACK)},
    "let_in": {
        "id": (True, _knock_id),
        "answer": (True, lambda k, v: _choice(k, v, LET_IN_ANSWERS)),
    },
    "presence": {
        "seat": (True, lambda k, v: _choice(k, v, PEOPLE)),
        "connected": (True, _bool),
    },
    "seat": {
        "seat": (True, lambda k, v: _choice(k, v, PARTNERS)),
        "name": (False, lambda k, v: _short_text(k, v, NAME_MAX)),
        "claimed": (True, _bool),
    },
    "knock": {
        "seat": (True, lambda k, v: _choice(k, v, PARTNERS)),
        "id": (True, _knock_id),
    },
    "forget": {"seat": (True, lambda k, v: _choice(k, v, PARTNERS))},
    SAY: {"text": (True, _message)},
    RESUME: {"override": (True, _seats)},
    RAISE_HAND: {},
    LOWER_HAND: {},
    # Below the number of steps too: ``machine`` checks that against the room.
    PACE: {"step": (True, lambda k, v: _int(k, v, 0))},
    # Left out: clear the timer.
    GROUP_TIMER: {
        "seconds": (False, lambda k, v: _int(k, v, TIMER_MIN_SECONDS, TIMER_MAX_SECONDS))
    },
}
assert set(SPECS) == set(ALL_ACTIONS)


def clean_args(action: str, args: object) -> dict:
    """The checked, normalised args of ``action``; raises ``Refusal("bad_args")``."""
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise _bad(
            gettext_noop("The details of '%(action)s' must be an object, got %(kind)s."),
            action=action,
            kind=type(args).__name__,
        )
    spec = SPECS[action]
    unknown = sorted(str(key) for key in args if key not in spec)
    if unknown:
        if not spec:
            raise _bad(
                gettext_noop("'%(action)s' does not take %(unknown)s (it takes nothing)."),
                action=action,
                unknown=", ".join(unknown),
            )
        raise _bad(
            gettext_noop("'%(action)s' does not take %(unknown)s (it takes %(allowed)s)."),
            action=action,
            unknown=", ".join(unknown),
            allowed=", ".join(spec),
        )
    cleaned = {}
    for key, (required, check) in spec.items():
        if key not in args:
            if required:
                raise _bad(gettext_noop("'%(action)s' needs '%(key)s'."), action=action, key=key)
            continue
        value = check(key, args[key])
        if value is not None:
            cleaned[key] = value
    if action == "pause":
        cleaned.setdefault("reason", NEED_A_MOMENT)
    return cleaned
