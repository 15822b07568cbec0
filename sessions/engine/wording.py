"""How the engine names people in the sentences it returns: by the name they chose."""

from .roles import A


def name_of(state: dict, seat: str) -> str:
    """The partner's chosen name, or a neutral stand-in while they have none."""
    name = state["seats"][seat]["name"]
    return name or ("Partner A" if seat == A else "Partner B")
