"""The counselor's short message to the couple: one line both partners' rooms show calmly.

A counselor at a desk sometimes needs to say something without speaking over the couple
("Take your time — I'm here.", "We'll stop in five minutes."). ``say`` sets or clears it;
only the host may send it, in a room that has not finished. It belongs to the live room only:
finishing the session clears it, no event carries its words, and no summary reads it, so it
never outlives the moment it was written for.
"""

from .events import EventType


def say(state: dict, args: dict, now: int) -> list:
    """Show ``args["text"]`` (or clear the message when it is left out); the same text again,
    or clearing when nothing is shown, changes nothing."""
    text = args.get("text")
    shown = state.get("message")
    if text is None:
        if shown is None:
            return []
        state["message"] = None
        return [{"type": EventType.MESSAGE, "cleared": True}]
    if shown is not None and shown["text"] == text:
        return []
    state["message"] = {"text": text, "at": now}
    return [{"type": EventType.MESSAGE, "cleared": False}]


def clear_message(state: dict) -> None:
    """A finished session keeps no message: it was for the room, never for the record."""
    state["message"] = None
