"""Every way the engine can say no, each with a stable code and a warm default sentence.

Clients branch on the code; people read the message. A handler may replace the message with
one that names the partner ("Sam is still speaking…"), never the code.
"""

from collections.abc import Mapping
from types import MappingProxyType

from .language import ENGLISH, Phrase, Words, gettext_noop

REJECTION_CODES = MappingProxyType(
    {
        "unknown_action": gettext_noop("That isn't something you can do in a session."),
        "bad_args": gettext_noop("Something in that request wasn't quite right."),
        "not_started": gettext_noop("The session hasn't started yet."),
        "paused": gettext_noop("The session is paused. Nothing moves on until you're both ready."),
        "not_paused": gettext_noop("The session isn't paused, so there's nothing to be ready for."),
        "already_paused": gettext_noop("The session is already paused. Take the time you need."),
        "finished": gettext_noop("This session has finished."),
        "not_your_turn": gettext_noop("It's not your turn just now."),
        "not_now": gettext_noop("That doesn't fit this moment of the session."),
        "already_answered": gettext_noop("You've already checked in on this step."),
        "stale": gettext_noop("The session has moved on. Here's where you both are now."),
        "host_only": gettext_noop("Only the counselor can do that."),
        "partners_only": gettext_noop("Only the two partners can do that."),
        "seats_not_taken": gettext_noop(
            "Both seats need to be taken before the session can start."
        ),
        "no_host": gettext_noop("This session has no counselor."),
    }
)


class Refusal(Exception):
    """Raised inside the engine to stop an input; ``apply`` turns it into a ``Rejected``.

    ``message`` is an English template marked with ``gettext_noop`` (the code's default when
    left out) and ``params`` fills its named placeholders, so the refusal can be worded
    again in its reader's language (``rejection_message``); ``.message`` is the English.
    """

    def __init__(self, code: str, message: str | None = None, params: Mapping | None = None):
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        self.code = code
        self.template = message or REJECTION_CODES[code]
        self.params = dict(params) if params else {}
        self.message = self.template % self.params if self.params else self.template
        super().__init__(f"{code}: {self.message}")


def rejection_message(
    code: str,
    words: Words = ENGLISH,
    template: str | None = None,
    params: Mapping | None = None,
) -> str:
    """A refusal worded for its reader: ``template`` (a ``Rejected``'s, else the code's
    default sentence) in ``words``' language, its placeholders filled from ``params``
    (a stand-in name such as "Partner A", a ``Phrase``, is translated too)."""
    if template is None:
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        template = REJECTION_CODES[code]
    text = words.gettext(template)
    if not params:
        return text
    return text % {
        key: words.gettext(value) if isinstance(value, Phrase) else value
        for key, value in params.items()
    }
