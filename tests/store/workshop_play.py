"""How the workshop tests play: Dana's workshop on the reports' short protocol, couples arriving.

Alex & Sam, Robin & Riley and Jo & Kim each start a couple (the first partner) and join
(the second, by the pairing word), as the door pages do through ``store.workshops``.
"""

from __future__ import annotations

from sessions.codes import new_seat_token
from sessions.models import Protocol, Workshop
from sessions.protocols.loader import load_protocol_text
from sessions.store import rooms, workshops
from tests.reports.room_play import REPORTS_TOML

COUPLES = (("Alex", "Sam"), ("Robin", "Riley"), ("Jo", "Kim"))


def reports_protocol_slug() -> str:
    if not Protocol.objects.filter(slug="reports-test").exists():
        protocol = Protocol(source=REPORTS_TOML)
        protocol.fill_from_doc(load_protocol_text(REPORTS_TOML, source="reports-test.toml"))
        protocol.save()
    return "reports-test"


def dana_workshop(dana, *, max_couples: int = 10, paced: bool = True) -> Workshop:
    return workshops.create_workshop(
        dana,
        protocol_slug=reports_protocol_slug(),
        title="Saturday couples' workshop",
        max_couples=max_couples,
        paced=paced,
    )


def arrive(workshop: Workshop, first: str, second: str | None = None, *, here=True) -> dict:
    """``first`` starts a couple; ``second`` (if any) joins by the word. Both phones connected."""
    tokens = {"a": new_seat_token(), "b": new_seat_token()}
    room = workshops.start_couple(workshop, first, tokens["a"])
    if second is not None:
        found = workshops.room_for_word(workshop, room.pairing_word)
        workshops.join_partner(workshop, found, second, tokens["b"])
    if here:
        for seat in ("a", "b") if second is not None else ("a",):
            connect(room.code, seat)
    return {"code": room.code, "word": room.pairing_word, "tokens": tokens, "room": room}


def connect(code: str, seat: str) -> None:
    run(code, "server", "presence", {"seat": seat, "connected": True})


def run(code: str, actor: str, action: str, args: dict | None = None, now: int | None = None):
    result = rooms.submit(code, actor, action, args or {}, now=now)
    assert result.accepted, (actor, action, args, result.code, result.message)
    return result.state


def state_of(code: str) -> dict:
    return rooms.load_state(code)
