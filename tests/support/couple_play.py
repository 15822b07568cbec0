"""Dana's couple, Alex and Sam, and the sessions of their history, played input by input.

The couple tests (pages, store, reports) need sessions with a story in them: both
check-ins, a pause and its reason, a practice the couple did alone, shared or not.
A session is the report tests' protocol (two check-ins, a breathing round, two info
steps), seated by the store as the standing link would seat it; rows are written by
the store or, to set a scene, directly by these helpers.
"""

from __future__ import annotations

from django.test import Client

from sessions.access import SEATS_KEY
from sessions.codes import new_seat_token
from sessions.models import Couple, CoupleSession, MeasureAnswer, Practice, Protocol
from sessions.protocols.loader import load_protocol_text
from sessions.store import couples, creation, rooms, seats
from tests.reports.room_play import REPORTS_TOML

WELCOME, ARRIVING, BREATHE, KIND_WORD, CLOSING = range(5)


def alex_and_sam(counselor, *, measure_on: bool = False, note: str = "") -> Couple:
    return couples.create_couple(
        counselor, name_a="Alex", name_b="Sam", note=note, measure_on=measure_on
    )


def reports_protocol(owner=None) -> Protocol:
    found = Protocol.objects.filter(slug="reports-test").first()
    if found is not None:
        return found
    protocol = Protocol(source=REPORTS_TOML, owner=owner)
    protocol.fill_from_doc(load_protocol_text(REPORTS_TOML, source="reports-test.toml"))
    protocol.save()
    return protocol


def give_practice(couple: Couple, times: int = 3) -> Practice:
    return couples.assign_practice(
        couple,
        protocol_slug="reports-test",
        protocol_title="Reports test protocol",
        times_per_week=times,
    )


def seated(couple: Couple, practice: Practice | None = None) -> dict:
    """A session of the couple (hosted by Dana, or their practice) with Alex and Sam seated."""
    protocol = reports_protocol()
    if practice is None:
        session = creation.create_session(
            protocol.slug, couple.counselor, protocol=protocol, couple=couple
        )
    else:
        session = creation.create_session(
            protocol.slug, protocol=protocol, couple=couple, practice=practice
        )
    tokens = {"a": new_seat_token(), "b": new_seat_token()}
    assert seats.claim_seat(session, couple.name_a, tokens["a"]) == "a"
    assert seats.claim_seat(session, couple.name_b, tokens["b"]) == "b"
    return {"session": session, "code": session.code, "tokens": tokens}


def browser_of(room: dict, seat: str) -> Client:
    client = Client()
    django_session = client.session
    django_session[SEATS_KEY] = {room["code"]: room["tokens"][seat]}
    django_session.save()
    return client


def run(code: str, actor: str, action: str, args: dict | None = None, now: int | None = None):
    result = rooms.submit(code, actor, action, args or {}, now=now)
    assert result.accepted, (actor, action, args, result.code, result.message)
    return result.state


def _advance(code: str, hosted: bool, step: int) -> None:
    if hosted:
        run(code, "host", "next", {"step": step})
        return
    for seat in ("a", "b"):
        if rooms.load_state(code)["index"] == step:
            rooms.submit(code, seat, "next", {"step": step})


def play(
    room: dict,
    *,
    alex=("safe", 3),
    sam=("mobilized", 6),
    closing=(("safe", 2), ("safe", 4)),
    pause: tuple[str, str] | None = None,
    end_early: bool = False,
) -> CoupleSession:
    """Start, check in, maybe pause (`(seat, reason)`), breathe, close; or end after arriving."""
    code = room["code"]
    hosted = room["session"].counselor_id is not None
    for seat in ("a", "b"):
        run(code, "server", "presence", {"seat": seat, "connected": True})
    run(code, "host" if hosted else "a", "start")
    _advance(code, hosted, WELCOME)
    for seat, (feeling, intensity) in (("a", alex), ("b", sam)):
        run(code, seat, "checkin", {"step": ARRIVING, "state": feeling, "intensity": intensity})
    _advance(code, hosted, ARRIVING)
    if pause is not None:
        who, reason = pause
        run(code, who, "pause", {"reason": reason})
        run(code, "a", "ready")
        run(code, "b", "ready")
    if end_early:
        run(code, "host" if hosted else "a", "end")
    else:
        run(code, "server", "tick", {}, now=rooms.now_ms() + 60_000)
        _advance(code, hosted, KIND_WORD)
        for seat, (feeling, intensity) in zip(("a", "b"), closing, strict=True):
            run(code, seat, "checkin", {"step": CLOSING, "state": feeling, "intensity": intensity})
        _advance(code, hosted, CLOSING)
    session = CoupleSession.objects.get(pk=room["session"].pk)
    assert session.status in ("completed", "ended"), session.status
    return session


def answer_csi4(session: CoupleSession, seat: str, items: list[int] | None) -> MeasureAnswer:
    """A partner's private CSI-4 as the measure page keeps it (None: skipped)."""
    return MeasureAnswer.objects.create(
        couple_id=session.couple_id,
        session=session,
        session_label=f"{session.protocol_title} · {session.created_at:%Y-%m-%d}",
        seat=seat,
        items=items or [],
        total=sum(items) if items else None,
        skipped=items is None,
    )
