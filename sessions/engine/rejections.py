"""Every way the engine can say no, each with a stable code and a warm default sentence.

Clients branch on the code; people read the message. A handler may replace the message with
one that names the partner ("Sam is still speaking…"), never the code.
"""

from types import MappingProxyType

REJECTION_CODES = MappingProxyType(
    {
        "unknown_action": "That isn't something you can do in a session.",
        "bad_args": "Something in that request wasn't quite right.",
        "not_started": "The session hasn't started yet.",
        "paused": "The session is paused. Nothing moves on until you're both ready.",
        "not_paused": "The session isn't paused, so there's nothing to be ready for.",
        "already_paused": "The session is already paused. Take the time you need.",
        "finished": "This session has finished.",
        "not_your_turn": "It's not your turn just now.",
        "not_now": "That doesn't fit this moment of the session.",
        "already_answered": "You've already checked in on this step.",
        "stale": "The session has moved on. Here's where you both are now.",
        "host_only": "Only the counselor can do that.",
        "partners_only": "Only the two partners can do that.",
        "seats_not_taken": "Both seats need to be taken before the session can start.",
        "no_host": "This session has no counselor.",
    }
)


class Refusal(Exception):
    """Raised inside the engine to stop an input; ``apply`` turns it into a ``Rejected``."""

    def __init__(self, code: str, message: str | None = None):
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        self.code = code
        self.message = message or REJECTION_CODES[code]
        super().__init__(f"{code}: {self.message}")
