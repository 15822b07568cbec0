"""The words the engine puts in front of people: names and the ladder.

People are named by the name they chose (``name_of``). ``LADDER_WORDS`` is the one wording of
the check-in ladder, kept beside the engine's feelings so every page, report and chart that
shows a rung says it the same way.
"""

from .vocabulary import A

# The ladder's three rungs as a person reads them: one definition for the room, the
# summaries, the charts and the exports (the room page receives it from the server).
LADDER_WORDS = {
    "safe": {"label": "Safe and connected", "hint": "calm, present, able to listen"},
    "mobilized": {"label": "On edge", "hint": "anxious, irritated, restless, on guard"},
    "shutdown": {"label": "Shut down", "hint": "numb, far away, heavy, wanting to disappear"},
}


def name_of(state: dict, seat: str) -> str:
    """The partner's chosen name, or a neutral stand-in while they have none."""
    name = state["seats"][seat]["name"]
    return name or ("Partner A" if seat == A else "Partner B")
