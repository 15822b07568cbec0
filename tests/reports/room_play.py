"""How the report tests play a room: Dana's short protocol and the inputs that move it.

Every way out of a step (done, skipped by Dana, gone back to, not reached after an early
end, a partner who removed their answers) is a few inputs here, so each test reads as the
story it checks. Alex (seat a) and Sam (seat b) sit in a session Dana hosts.
"""

from __future__ import annotations

from django.test import Client

from sessions.access import SEATS_KEY
from sessions.codes import new_seat_token
from sessions.models import CoupleSession, Protocol
from sessions.protocols.loader import load_protocol_text
from sessions.reports.summary import session_summary
from sessions.store import creation, rooms, seats

# Two check-ins, a breathing round and two info steps: every way out of a step in a few inputs.
REPORTS_TOML = """
slug = "reports-test"
title = "Reports test protocol"
minutes = 3
for_whom = "Tests of the summaries."
summary = "Arrive, breathe, a kind word, close."

[[steps]]
kind = "info"
title = "Is now a good time?"
prompt = "Check with each other that now is a good time."

[[steps]]
kind = "checkin"
title = "Arriving"
prompt = "Where are you right now?"

[[steps]]
kind = "breathe"
title = "Breathe"
prompt = "Breathe together, if you like."
inhale = 1.0
exhale = 1.0
cycles = 1

[[steps]]
kind = "info"
title = "One kind word"
prompt = "Say one kind thing to each other."

[[steps]]
kind = "checkin"
title = "Closing"
prompt = "Where are you now?"
"""

WELCOME, ARRIVING, BREATHE, KIND_WORD, CLOSING = range(5)


def seated_room(dana) -> dict:
    """Alex and Sam seated in a session Dana hosts, both phones connected, started by Dana."""
    protocol = Protocol(source=REPORTS_TOML)
    protocol.fill_from_doc(load_protocol_text(REPORTS_TOML, source="reports-test.toml"))
    protocol.save()
    session = creation.create_session(protocol.slug, dana, protocol=protocol)
    tokens = {"a": new_seat_token(), "b": new_seat_token()}
    assert seats.claim_seat(session, "Alex", tokens["a"]) == "a"
    assert seats.claim_seat(session, "Sam", tokens["b"]) == "b"
    for seat in ("a", "b"):
        run(session.code, "server", "presence", {"seat": seat, "connected": True})
    run(session.code, "host", "start")
    return {"code": session.code, "tokens": tokens, "pk": session.pk}


def run(code: str, actor: str, action: str, args: dict | None = None, now: int | None = None):
    result = rooms.submit(code, actor, action, args or {}, now=now)
    assert result.accepted, (actor, action, args, result.code, result.message)
    return result.state


def index_of(code: str) -> int:
    return rooms.load_state(code)["index"]


def host_next(code: str, step: int) -> None:
    """Dana moves the room on from a step that ends by a tap (the host may, at once)."""
    assert index_of(code) == step
    run(code, "host", "next", {"step": step})


def skip(code: str, step: int) -> None:
    assert index_of(code) == step
    run(code, "host", "skip", {"step": step})


def back(code: str, step: int) -> None:
    assert index_of(code) == step
    run(code, "host", "back", {"step": step})


def both_check_in(code: str, step: int, alex=("safe", 3), sam=("mobilized", 6)) -> None:
    for seat, (feeling, intensity) in (("a", alex), ("b", sam)):
        run(code, seat, "checkin", {"step": step, "state": feeling, "intensity": intensity})


def breathe_to_the_end(code: str) -> None:
    """The breathing round runs out on its own clock."""
    assert index_of(code) == BREATHE
    run(code, "server", "tick", {}, now=rooms.now_ms() + 60_000)
    assert index_of(code) == KIND_WORD


def summary_of(room: dict) -> dict:
    return session_summary(CoupleSession.objects.get(pk=room["pk"]))


def outcomes(summary: dict) -> list[str]:
    return [step["outcome"] for step in summary["steps"]]


def partner_browser(room: dict, seat: str) -> Client:
    """A partner's browser holding their seat, as after claiming it through the link."""
    client = Client()
    django_session = client.session
    django_session[SEATS_KEY] = {room["code"]: room["tokens"][seat]}
    django_session.save()
    return client


def skip_breathing_and_finish(code: str) -> None:
    """Everything done except the breathing round, which Dana skips."""
    host_next(code, WELCOME)
    both_check_in(code, ARRIVING)
    host_next(code, ARRIVING)
    skip(code, BREATHE)
    host_next(code, KIND_WORD)
    both_check_in(code, CLOSING, alex=("safe", 2), sam=("safe", 4))
    host_next(code, CLOSING)
    assert rooms.load_state(code)["status"] == "completed"


def forget(code: str, seat: str) -> None:
    """What the engine's `forget` leaves in the state: no name, `forgotten`, no answers."""
    session = CoupleSession.objects.get(code=code)
    state = session.state
    state["seats"][seat].update(name=None, forgotten=True)
    for answers in state["checkins"].values():
        if seat in answers:
            answers[seat] = None
    session.state = state
    session.save(update_fields=["state"])
