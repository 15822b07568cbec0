"""What a workshop's console shows of each room: status, never content.

Read by the console page (``sessions.web.workshops``) and its socket
(``sessions.live.workshop_socket``), which may not import each other, so a room's tile
and the counts at the top are worded here once, from the room's state alone.

A tile is built from a few named fields of the state (the seats' names, status, step,
the pause's reason, the raised hand) and nothing else: a check-in answer, the
facilitator's message or anything else a couple typed never reaches it, so nothing one
couple writes can reach a screen another couple might see. Nor does the room's pairing
word: the console never shows it, and a word in every frame is a word to copy.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from sessions.engine import expand_steps, step_text
from sessions.engine.vocabulary import (
    ACTIVE,
    COMPLETED,
    CONNECTION,
    ENDED,
    FLOODING,
    NEED_A_MOMENT,
    PARTNERS,
    PAUSED,
    WAITING,
)
from sessions.models import CoupleSession, Workshop
from sessions.store import notices

ALONE = "alone"  # one partner here, the other not (yet)
HELD = "held"  # done with the step, waiting for the facilitator's "Next step"

# A tile's ``pause`` and status words, translated when a tile is worded (in the language of
# the page or socket asking: the console's reader).
PAUSE_KINDS = {
    NEED_A_MOMENT: gettext_noop("a moment"),
    FLOODING: gettext_noop("flooding break"),
    CONNECTION: gettext_noop("connection"),
}

_STATUS_WORDS = {
    WAITING: gettext_noop("waiting to start"),
    ALONE: gettext_noop("waiting for their partner"),
    ACTIVE: gettext_noop("under way"),
    HELD: gettext_noop("done with this step"),
    COMPLETED: gettext_noop("finished"),
    ENDED: gettext_noop("ended"),
}


def step_titles(workshop: Workshop) -> list[str]:
    """The titles of the workshop's steps, in order (the same in every room), in the reader's
    language where the protocol has it."""
    return [_title(step) for step in expand_steps(workshop.protocol_doc, 0)]


def _title(step: dict) -> str:
    if not step.get("title"):
        return ""
    return step_text(step, "title", get_language() or "en")


def _names(state: dict) -> list[str]:
    return [
        state["seats"][seat]["name"]
        for seat in PARTNERS
        if state["seats"][seat].get("claimed") and state["seats"][seat].get("name")
    ]


def _status(state: dict, block: dict) -> str:
    status = state.get("status")
    if status == WAITING:
        claimed = [seat for seat in PARTNERS if state["seats"][seat].get("claimed")]
        here = [seat for seat in claimed if state["seats"][seat].get("connected")]
        return ALONE if len(claimed) == 1 or len(here) == 1 else WAITING
    if status == ACTIVE and block.get("held"):
        return HELD
    return status if status in (ACTIVE, PAUSED, COMPLETED, ENDED) else WAITING


def tile(state: dict, *, room_id: str) -> dict:
    """One room on the console: who, which step, how it stands, whether a hand is up."""
    block = state.get("workshop") or {}
    steps = state.get("steps") or []
    index = state.get("index", 0)
    status = _status(state, block)
    pause = None
    if status == PAUSED:
        kind = PAUSE_KINDS.get((state.get("pause") or {}).get("reason"), PAUSE_KINDS[NEED_A_MOMENT])
        pause = gettext(kind)
    named = _names(state)
    found = {
        "room": room_id,
        "names": _and(named),
        # How many names ``names`` holds: a page's rule for a room nobody joined reads this,
        # not the words joining them (which are the reader's language's).
        "named": len(named),
        "status": status,
        "step": index + 1,
        "steps": len(steps),
        "step_title": _title(steps[index]) if 0 <= index < len(steps) else "",
        "pause": pause,
        "hand": bool(block.get("hand")),
    }
    # The status words alone (no names, no hand), for a page to show under the names.
    found["words"] = status_words(found)
    found["line"] = _line(found)
    return found


def _and(names: list[str]) -> str:
    """`Alex`, `Alex and Sam`, in the reader's language."""
    if len(names) == 2:
        return gettext("%(first)s and %(second)s") % {"first": names[0], "second": names[1]}
    return ", ".join(names)


def status_words(found: dict) -> str:
    """ "step 3 of 7 · paused (flooding break)": how a room stands, without its names or hand.

    What the console shows under the names it gives the tile as its heading; the
    tile's ``line`` says the same after the names, for a screen reader and the socket.
    """
    parts = []
    if found["status"] not in (WAITING, ALONE) and found["steps"]:
        parts.append(
            gettext("step %(step)s of %(count)s") % {"step": found["step"], "count": found["steps"]}
        )
    if found["status"] == PAUSED:
        parts.append(gettext("paused (%(kind)s)") % {"kind": found["pause"]})
    else:
        parts.append(gettext(_STATUS_WORDS[found["status"]]))
    return " · ".join(parts)


def _line(found: dict) -> str:
    """ "Alex and Sam · step 3 of 7 · paused (flooding break) · hand raised"."""
    parts = [found["names"] or gettext("Nobody yet"), status_words(found)]
    if found["hand"]:
        parts.append(gettext("hand raised"))
    return " · ".join(parts)


def counts(tiles: list[dict]) -> dict:
    """The numbers at the top of the console."""
    return {
        "couples": len(tiles),
        "paused": sum(t["status"] == PAUSED for t in tiles),
        "hands": sum(bool(t["hand"]) for t in tiles),
        "waiting": sum(t["status"] in (WAITING, ALONE) for t in tiles),
        "finished": sum(t["status"] in (COMPLETED, ENDED) for t in tiles),
    }


def counts_line(c: dict) -> str:
    """ "18 couples · 2 paused · 1 hand raised": what is zero is left out, but the couples."""
    if not c["couples"]:
        return gettext("No couples yet")
    parts = [
        ngettext("%(count)s couple", "%(count)s couples", c["couples"]) % {"count": c["couples"]}
    ]
    if c["waiting"]:
        parts.append(
            ngettext("%(count)s waiting", "%(count)s waiting", c["waiting"])
            % {"count": c["waiting"]}
        )
    if c["paused"]:
        parts.append(
            ngettext("%(count)s paused", "%(count)s paused", c["paused"]) % {"count": c["paused"]}
        )
    if c["hands"]:
        parts.append(
            ngettext("%(count)s hand raised", "%(count)s hands raised", c["hands"])
            % {"count": c["hands"]}
        )
    if c["finished"]:
        parts.append(
            ngettext("%(count)s finished", "%(count)s finished", c["finished"])
            % {"count": c["finished"]}
        )
    return " · ".join(parts)


def console_tiles(workshop: Workshop) -> list[dict]:
    """Every room's tile, oldest room first."""
    rows = (
        CoupleSession.objects.live()
        .filter(workshop=workshop)
        .order_by("created_at", "pk")
        .only("code", "state")
    )
    return [tile(row.state, room_id=notices.room_id(row.code)) for row in rows]
