"""Creating a session: a new room from a protocol, with the engine's settings.

Shared by the home page, the counselor's pages and `manage.py create_session`, so
every room starts the same way: its own copy of the protocol, a fresh join code
and a state the engine made. A session of a counselor's couple is created here too:
hosted from the couple's page (`couple=`, with the counselor) or practice the couple
starts from their standing link (`couple=` and `practice=`, no counselor in the room).
A workshop's room (`workshop=`) is hosted by the facilitator and runs the workshop's own
copy of the protocol, so every couple in it walks the same steps (`store.workshops`).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sessions.codes import new_join_code
from sessions.engine import DEFAULT_SETTINGS, new_state
from sessions.models import Couple, CoupleSession, Practice, Protocol, Workshop
from sessions.protocols.loader import builtin_protocols
from sessions.store import notices
from sessions.store.retention import expires_at_for
from sessions.store.seats import MAX_NAME_LENGTH


class UnknownProtocol(LookupError):
    """No protocol with this slug that this person may use."""


def engine_settings() -> dict:
    stay = settings.STAY
    return {
        "grace_ms": stay["PRESENCE_GRACE_SECONDS"] * 1000,
        "lead_in_ms": stay["BREATHING_LEAD_IN_SECONDS"] * 1000,
        "break_minutes": stay.get("BREAK_MINUTES", DEFAULT_SETTINGS["break_minutes"]),
    }


def protocol_doc_for(slug: str, counselor=None) -> dict:
    """The doc for `slug`: a built-in or admin-made one, or the counselor's own."""
    if not isinstance(slug, str) or not slug:
        raise UnknownProtocol("no protocol was chosen")
    mine = Q(owner__isnull=True)
    if counselor is not None:
        mine |= Q(owner=counselor)
    row = Protocol.objects.filter(mine, slug=slug).first()
    if row is not None and row.doc:
        return row.doc
    builtin = builtin_protocols().get(slug)
    if builtin is None:
        raise UnknownProtocol(f"there is no protocol called {slug!r}")
    return builtin


def host_display_name(counselor) -> str:
    return (counselor.get_full_name() or counselor.get_username())[:MAX_NAME_LENGTH]


def create_session(
    protocol_slug: str,
    counselor=None,
    *,
    protocol: Protocol | None = None,
    couple: Couple | None = None,
    practice: Practice | None = None,
    workshop: Workshop | None = None,
) -> CoupleSession:
    """Start a new room from a protocol; the room keeps its own copy of the protocol.

    `couple`: the session belongs to a counselor's couple (kept once started, see
    `retention.expires_at_for`). Practice (`practice=`, counselor None) may run one of
    the couple's counselor's own protocols, so the protocol is looked up as theirs.
    `workshop`: a couple's room in it, hosted by its facilitator (`counselor`), on the
    workshop's copy of the protocol, its gate already at the step the group is on (a
    late couple starts at step 0 and catches up by itself).
    """
    if practice is not None and (couple is None or practice.couple_id != couple.pk):
        raise ValueError("a practice session belongs to the couple the practice was given to")
    if workshop is not None and (counselor is None or workshop.counselor_id != counselor.pk):
        raise ValueError("a workshop's rooms are hosted by its facilitator")
    owner = counselor if counselor is not None else (couple.counselor if couple else None)
    if workshop is not None:
        doc = workshop.protocol_doc
    else:
        doc = protocol.doc if protocol is not None else protocol_doc_for(protocol_slug, owner)
    created = timezone.now()
    block = {"paced": workshop.paced, "to": workshop.step} if workshop is not None else None
    state = new_state(
        doc,
        seed=secrets.randbits(32),
        now=int(created.timestamp() * 1000),
        hosted=counselor is not None,
        host_name=host_display_name(counselor) if counselor is not None else None,
        settings=engine_settings(),
        workshop=block,
    )
    for _ in range(3):
        try:
            with transaction.atomic():
                session = CoupleSession.objects.create(
                    code=new_join_code(),
                    protocol_slug=doc["slug"],
                    protocol_title=doc["title"],
                    protocol_doc=doc,
                    counselor=counselor,
                    couple=couple,
                    practice=practice,
                    workshop=workshop,
                    state=state,
                    version=state["version"],
                    status=state["status"],
                    created_at=created,
                    expires_at=expires_at_for(
                        state["status"],
                        created_at=created,
                        finished_at=None,
                        kept=couple is not None,
                    ),
                )
                # An open dashboard (or workshop console) of the counselor's hears of it,
                # after commit.
                notices.session_created(session)
                return session
        except IntegrityError:  # a join-code collision: astronomically unlikely, try again
            continue
    raise RuntimeError("could not find a free join code")
