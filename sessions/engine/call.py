"""What a pause does to the call in the room: the rule the browsers apply, never decide.

A pause that stops the screens but not the voices is only a label, so while the room is
paused every microphone in the call is turned off; a person may still turn their own back
on, deliberately, because a paused room is a moment to breathe, not a gag. A flooding
break asks for real distance (domain notes: Gottman's twenty minutes apart), so cameras go
off too and nobody turns anything back on until the room resumes. ``since`` names the pause:
a new pause turns the microphones off again, even for someone who unmuted in the last one.
"""

from .language import ENGLISH, Words
from .vocabulary import FLOODING, PAUSED
from .wording import CALL_LINES


def call_rules(state: dict, words: Words = ENGLISH) -> dict:
    """The snapshot's ``call`` key: which devices the app holds off now, and the line to show
    (in ``words``' language)."""
    pause = state["pause"]
    if state["status"] != PAUSED or pause is None:
        return {
            "microphones_off": False,
            "cameras_off": False,
            "own_unmute": False,
            "since": None,
            "line": None,
        }
    flooding = pause["reason"] == FLOODING
    return {
        "microphones_off": True,
        "cameras_off": flooding,
        "own_unmute": not flooding,
        "since": pause["since"],
        "line": words.gettext(CALL_LINES["break" if flooding else "pause"]),
    }
