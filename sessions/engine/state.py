"""A new session's state: everything the rules need, as one JSON-serialisable dict.

States are stored, so a room created before a rule existed comes back without that rule's
keys; ``upgraded`` fills them in with what they would have been, so such rooms keep working.
"""

import pickle

from .defaults import merge_settings
from .expand import expand_steps, protocol_texts
from .vocabulary import PARTNERS, WAITING
from .workshop import new_block


def _protocol(protocol_doc: dict) -> dict:
    """The protocol's name, with its title in each other language it offers (``texts``)."""
    protocol = {"slug": protocol_doc.get("slug", ""), "title": protocol_doc.get("title", "")}
    texts = protocol_texts(protocol_doc)
    if texts:
        protocol["texts"] = texts
    return protocol


def _seat() -> dict:
    return {
        "name": None,
        "claimed": False,
        "connected": False,
        "gone_since": None,
        "resting": False,
        "rejoined_at": None,
        "rejoins": 0,
        # Removed at their own request from a finished session: name and answers are gone.
        "forgotten": False,
    }


def new_state(
    protocol_doc: dict,
    seed: int,
    now: int,
    hosted: bool = False,
    host_name: str | None = None,
    settings: dict | None = None,
    workshop: dict | None = None,
) -> dict:
    """A waiting session for ``protocol_doc`` (a loaded protocol document).

    ``seed`` decides everything left to chance (who speaks first) so the same inputs always
    give the same session. ``workshop`` (``{"paced": bool, "to"?: step}``) makes it one
    couple's room in a workshop. Raises ValueError for a document or argument the rules cannot run.
    """
    if not isinstance(protocol_doc, dict):
        raise ValueError(f"protocol_doc must be a protocol document (dict), got {protocol_doc!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an int, got {seed!r}")
    if isinstance(now, bool) or not isinstance(now, int):
        raise ValueError(f"now must be epoch milliseconds as an int, got {now!r}")
    if host_name is not None and not isinstance(host_name, str):
        raise ValueError(f"host_name must be text or None, got {host_name!r}")
    steps = expand_steps(protocol_doc, seed)
    return {
        "version": 0,
        "status": WAITING,
        "seed": seed,
        "protocol": _protocol(protocol_doc),
        "settings": merge_settings(settings),
        "steps": steps,
        "index": 0,
        "phase": None,
        "deadline": None,
        "remaining": None,
        "over_time": False,
        "breathing": None,
        "seats": {seat: _seat() for seat in PARTNERS},
        "host": {"name": host_name, "connected": False} if hosted else None,
        "pause": None,
        "checkins": {},
        # Partners who tapped ``next`` on the current step (it moves on when both have).
        "moving_on": [],
        # Someone on a new device asking to continue in a seat: {seat, id, at, answer}.
        "knock": None,
        # The counselor's short message to the couple ({text, at}), shown while the room runs.
        "message": None,
        # A workshop room's pace, raised hand and group timer (see ``workshop``), else None.
        "workshop": new_block(workshop, len(steps)),
    }


# Keys added after rooms were first stored, with the value an older room had in effect.
_ROOM_DEFAULTS = {
    "moving_on": list,
    "knock": lambda: None,
    "message": lambda: None,
    "workshop": lambda: None,
}
_SEAT_DEFAULTS = {"forgotten": False}


def upgraded(state: dict) -> dict:
    """``state`` itself when it has every key the rules read, else a copy with the missing
    ones filled in (an older stored room). Never modifies ``state``."""
    seats = state["seats"].values()
    if all(key in state for key in _ROOM_DEFAULTS) and all(
        key in seat for seat in seats for key in _SEAT_DEFAULTS
    ):
        return state
    state = pickle.loads(pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
    for key, make in _ROOM_DEFAULTS.items():
        state.setdefault(key, make())
    for seat in state["seats"].values():
        for key, value in _SEAT_DEFAULTS.items():
            seat.setdefault(key, value)
    return state
