"""A tiny protocol and rooms seated and started through the store, for tests that need one.

The store's tests (rooms, seats, leases, commands, the room guard) use them most; page and
socket tests that need a room without going through a page do too.
"""

from __future__ import annotations

from sessions.codes import new_seat_token
from sessions.protocols.loader import load_protocol_text
from sessions.store import creation, rooms, seats

# info → checkin → a 2-second breathing round → info: every store path in a few inputs.
TINY_TOML = """
slug = "tiny"
title = "Tiny test protocol"
minutes = 2
for_whom = "Tests of the store."
summary = "A very short protocol."

[[steps]]
kind = "info"
title = "Welcome"
prompt = "Take a moment to arrive."

[[steps]]
kind = "checkin"
title = "Arrive"
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
title = "Close"
prompt = "Thank you both."
"""

INFO, CHECKIN, BREATHE, CLOSE = range(4)


def tiny_protocol():
    """A saved Protocol row for TINY_TOML (validated by the same rules as the admin)."""
    from sessions.models import Protocol

    existing = Protocol.objects.filter(slug="tiny").first()
    if existing is not None:
        return existing
    protocol = Protocol(source=TINY_TOML)
    protocol.fill_from_doc(load_protocol_text(TINY_TOML, source="tiny.toml"))
    protocol.save()
    return protocol


def seated_session(counselor=None):
    """A tiny session with Alex in seat a and Sam in seat b; returns (session, tokens)."""
    protocol = tiny_protocol()
    session = creation.create_session(protocol.slug, counselor, protocol=protocol)
    tokens = {"a": new_seat_token(), "b": new_seat_token()}
    assert seats.claim_seat(session, "Alex", tokens["a"]) == "a"
    assert seats.claim_seat(session, "Sam", tokens["b"]) == "b"
    session.refresh_from_db()
    return session, tokens


def started_session():
    """Seated and started by Alex: the room is active on the welcome step."""
    session, tokens = seated_session()
    result = rooms.submit(session.code, "a", "start")
    assert result.accepted and result.changed, result
    session.refresh_from_db()
    return session, tokens
