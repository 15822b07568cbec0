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
from .machine import apply
from .permissions import allowed_actions
from .presence import seat_lapsed, shown_connected
from .rejections import REJECTION_CODES
from .results import Accepted, Rejected
from .settle import Timed, apply_at, settle
from .state import new_state
from .view import view_for

__all__ = [
    "DEFAULT_SETTINGS",
    "REJECTION_CODES",
    "Accepted",
    "Rejected",
    "Timed",
    "allowed_actions",
    "apply",
    "apply_at",
    "expand_steps",
    "new_state",
    "next_deadline",
    "seat_lapsed",
    "settle",
    "shown_connected",
    "view_for",
]
