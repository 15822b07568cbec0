"""What a counselor's dashboard hears: which rooms are hers to watch, and one line on each.

The counselor's socket (``sessions.live.counselor_socket``) and her dashboard page
(``sessions.web.counselor``) must say a room's news in the same words, and neither
may import the other, so the line is written here, from the room's state alone
(``status_line``): who, what, and how it stands ("Alex and Sam · Daily check-in:
paused — Sam asked for a pause"). It never says anything of check-in answers, so
a practice session's line tells the counselor no more than she may know of it.

A room is named to the counselor's page by ``room_id``, never by its join code: a
practice session's code is the couple's own, and a code on a page or in a frame is a
code that can be copied.

``session_created`` is how a new session reaches an open dashboard: called after a
session is created (hosted, or practice the couple started), it tells the
counselor's group after commit (``broadcast.tell_counselor``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Q
from django.utils import translation
from django.utils.translation import get_language, gettext

from sessions.engine import protocol_title
from sessions.engine.vocabulary import (
    ACTIVE,
    COMPLETED,
    CONNECTION,
    ENDED,
    HOST,
    PARTNERS,
    PAUSED,
    WAITING,
)
from sessions.engine.wording import pause_why, who_paused
from sessions.models import CoupleSession
from sessions.store import broadcast

OPEN = (WAITING, ACTIVE, PAUSED)


def room_id(code: str) -> str:
    """An opaque name for room ``code`` on the counselor's socket (16 hex digits).

    Stable for a room, so a page can tell its rooms apart, and of no use for joining one.
    """
    return hashlib.sha256(f"room:{code}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Watched:
    """One open room of a counselor's, as her socket needs it to word its news."""

    code: str
    names: tuple[str, str] | None  # the couple's names, for seats nobody has claimed yet
    practice: bool
    state: dict


def _counselors_rooms(user_id: int):
    """Her hosted sessions and her couples' practice sessions (no counselor in the room).

    Not her workshops' rooms: sixty of them would bury her couples' sessions, and a
    workshop's console (``workshop_console``) watches them in its own words.
    """
    return (
        CoupleSession.objects.live()
        .filter(Q(counselor_id=user_id) | Q(couple__counselor_id=user_id, counselor__isnull=True))
        .filter(workshop__isnull=True)
        .select_related("couple")
    )


def _watched(session: CoupleSession) -> Watched:
    couple = session.couple
    return Watched(
        code=session.code,
        names=(couple.name_a, couple.name_b) if couple is not None else None,
        practice=session.counselor_id is None,
        state=session.state,
    )


def watched_rooms(user_id: int) -> list[Watched]:
    """The counselor's rooms still open (waiting, active or paused), newest first."""
    rooms = _counselors_rooms(user_id).filter(status__in=OPEN).order_by("-created_at")
    return [_watched(session) for session in rooms]


def watched_room(user_id: int, code: str) -> Watched | None:
    """Room ``code`` if it is one of the counselor's (open or not); else None."""
    session = _counselors_rooms(user_id).filter(code=code).first()
    return _watched(session) if session is not None else None


def session_created(session: CoupleSession) -> None:
    """Tell the counselor's open dashboards, after commit, that this session is theirs to watch.

    For a hosted session its counselor; for practice a couple started, their counselor.
    A session of nobody's (a couple on their own) tells nobody. A workshop's room tells
    the workshop's consoles instead (``broadcast.tell_workshop``), not her dashboard.
    """
    if session.workshop_id is not None:
        broadcast.tell_workshop(session.workshop_id, session.code)
        return
    counselor_id = session.counselor_id
    if counselor_id is None and session.couple_id is not None:
        counselor_id = session.couple.counselor_id
    if counselor_id is not None:
        broadcast.tell_counselor(counselor_id, session.code)


# --- the line --------------------------------------------------------------------------


def _names(state: dict, couple_names: tuple[str, str] | None) -> dict[str, str | None]:
    """Each seat's name: the one chosen in the room, else the couple's, else None."""
    names = {}
    for index, seat in enumerate(PARTNERS):
        chosen = state["seats"][seat].get("name")
        names[seat] = chosen or (couple_names[index] if couple_names else None)
    return names


def _who(names: dict[str, str | None]) -> str:
    known = [name for name in names.values() if name]
    if len(known) == 2:
        return gettext("%(first)s and %(second)s") % {"first": known[0], "second": known[1]}
    return ", ".join(known)


def _waiting(state: dict, names: dict[str, str | None]) -> str:
    here = [seat for seat in PARTNERS if state["seats"][seat].get("connected")]
    if len(here) == 2:
        return gettext("both are here, ready to start")
    if len(here) == 1:
        seat = here[0]
        other = names[PARTNERS[1 - PARTNERS.index(seat)]]
        if names[seat] and other:
            return gettext("%(name)s is waiting for %(other)s") % {
                "name": names[seat],
                "other": other,
            }
        if names[seat]:
            return gettext("%(name)s is waiting for their partner") % {"name": names[seat]}
        if other:
            return gettext("one partner is waiting for %(other)s") % {"other": other}
        return gettext("one partner is waiting for their partner")
    return gettext("waiting for the couple to join")


def _paused(state: dict, names: dict[str, str | None]) -> str:
    """`paused — Sam asked for a pause (feeling flooded)`, in the active language (the
    engine's sentences are worded with ``words=translation``)."""
    pause = state.get("pause") or {}
    spoken = {seat: name for seat, name in names.items() if name}
    start = who_paused(pause, HOST, spoken, counselor="you", words=translation)
    if pause.get("by") == HOST and pause.get("reason") != CONNECTION:
        # Her own pause ("You asked for a pause") reads on after the dash: "you asked…".
        start = start[:1].lower() + start[1:]
    why = pause_why(pause.get("reason"), pause.get("by"), words=translation)
    if why:
        return gettext("paused — %(start)s (%(why)s)") % {"start": start, "why": why}
    return gettext("paused — %(start)s") % {"start": start}


def _under_way(state: dict) -> str:
    index, steps = state.get("index", 0), len(state.get("steps") or ())
    if not index:
        return gettext("started")
    if steps:
        return gettext("under way, step %(step)s of %(count)s") % {
            "step": index + 1,
            "count": steps,
        }
    return gettext("under way")


def now_words(state: dict, *, names: tuple[str, str] | None = None) -> str:
    """How the room stands, in the counselor's words: "paused — Sam asked for a pause"."""
    seat_names = _names(state, names)
    status = state.get("status")
    if status == WAITING:
        return _waiting(state, seat_names)
    if status == PAUSED:
        return _paused(state, seat_names)
    if status == ACTIVE:
        return _under_way(state)
    if status == COMPLETED:
        return gettext("finished")
    if status == ENDED:
        return gettext("ended early")
    return str(status)


def status_line(state: dict, *, names: tuple[str, str] | None = None, practice=False) -> str:
    """One line on how a room stands, for its counselor: no check-in answer ever in it.

    "Alex and Sam · Daily check-in: paused — Sam asked for a pause (feeling flooded)";
    "Alex and Sam · Daily check-in (practice): Alex is waiting for Sam".
    """
    return f"{_head(state, names, practice)}: {now_words(state, names=names)}"


def _head(state: dict, names: tuple[str, str] | None, practice: bool) -> str:
    """Who and what: "Alex and Sam · Daily check-in", "(practice)" after a practice's title."""
    protocol = state.get("protocol") or {}
    title = (
        protocol_title(state, get_language() or "en")
        if protocol.get("title")
        else gettext("A session")
    )
    who = _who(_names(state, names))
    head = f"{who} · {title}" if who else title
    return gettext("%(head)s (practice)") % {"head": head} if practice else head


def deleted_line(watched: Watched) -> str:
    """The last line on a room deleted with its couple: "… · Daily check-in: deleted with the couple"."""
    return gettext("%(head)s: deleted with the couple") % {
        "head": _head(watched.state, watched.names, watched.practice)
    }


def line_for(watched: Watched, state: dict | None = None) -> str:
    """``status_line`` of a watched room, at ``state`` (newer than the one it was read at)."""
    return status_line(
        state if state is not None else watched.state,
        names=watched.names,
        practice=watched.practice,
    )
