"""The protocol engine: every rule of a session as pure functions of (state, input, time).

No I/O, no clock, no framework: the store feeds it inputs and persists what it returns, and
the room sockets show ``view_for`` (with what each person ``can`` do) to each person. It may
import only the standard library and itself: no Django, no Channels, nothing else from
``sessions`` (import-linter and tests/engine/test_purity.py fail otherwise). See
docs/engine.md for the rules.
"""

from .deadlines import next_deadline
from .defaults import DEFAULT_SETTINGS
from .expand import expand_steps
from .language import ENGLISH, Words, gettext_noop
from .machine import apply
from .permissions import allowed_actions
from .presence import seat_lapsed, shown_connected
from .rejections import REJECTION_CODES, rejection_message
from .results import Accepted, Rejected
from .settle import Timed, apply_at, settle
from .state import new_state
from .view import protocol_title, step_text, view_for

__all__ = [
    "DEFAULT_SETTINGS",
    "ENGLISH",
    "REJECTION_CODES",
    "Accepted",
    "Rejected",
    "Timed",
    "Words",
    "allowed_actions",
    "apply",
    "apply_at",
    "expand_steps",
    "gettext_noop",
    "new_state",
    "next_deadline",
    "protocol_title",
    "rejection_message",
    "seat_lapsed",
    "settle",
    "shown_connected",
    "step_text",
    "view_for",
]
