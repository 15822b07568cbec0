"""Workshops: one facilitator, one link, a room per couple, and her commands to all of them.

The only writer of ``Workshop`` rows and the only maker of workshop rooms. A room is an
ordinary hosted session (``creation.create_session(workshop=...)``): the facilitator is its
host, so every rule of a room holds in each, and her group commands are host inputs.

A group command never holds one transaction over every room. The workshop row is changed
in its own short transaction (locked, and "Next step" names the step it moves on from,
so a double click makes one step, not two), then each room gets its own ``rooms.submit``,
which commits and tells that room's sockets on its own. A room that refuses (finished
meanwhile, a partner's pause) is skipped, not an error: the command returns how many
rooms took it.

A pairing word is what the first partner shows the second: three syllables of
``PAIRING_CONSONANTS`` × ``PAIRING_VOWELS`` (70³ = 343,000 words), drawn with ``secrets``
and unique within its workshop (the ``one_pairing_word_per_workshop`` constraint; a clash
draws again). It opens one room of one workshop, only while the workshop has not ended;
guessing is limited per address by the pages (``sessions.throttle``).
"""

from __future__ import annotations

import re
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from sessions.codes import hash_seat_token, looks_like_join_code, new_join_code
from sessions.engine.vocabulary import FINISHED, HOST, WAITING, A, B
from sessions.models import (
    MAX_WORKSHOP_COUPLES,
    WORKSHOP_ENDED,
    WORKSHOP_OPEN,
    WORKSHOP_STARTED,
    CoupleSession,
    Note,
    Seat,
    Workshop,
)
from sessions.store import broadcast, creation, notices, recent, rooms, seats
from sessions.store.workshop_console import step_titles

PAIRING_CONSONANTS = "bdfgklmnprstvz"
PAIRING_VOWELS = "aeiou"
PAIRING_SYLLABLES = 3
PAIRING_WORD_LENGTH = 2 * PAIRING_SYLLABLES
_WORD_RE = re.compile(rf"^(?:[{PAIRING_CONSONANTS}][{PAIRING_VOWELS}]){{{PAIRING_SYLLABLES}}}$")
_WORD_SEPARATORS = re.compile(r"[\s\-–—.·]+")
MAX_TITLE_LENGTH = 120
WORD_ATTEMPTS = 20


class WorkshopFull(Exception):
    """The workshop has as many couples' rooms as its facilitator allowed."""


class WorkshopClosed(Exception):
    """The workshop has ended: its link and every pairing word stopped working."""


class NoSuchWord(LookupError):
    """No room of this workshop has that pairing word."""


class RoomClosed(NoSuchWord):
    """The word's room was there when it was looked up and is gone now (the facilitator
    removed it, or its first partner gave it up to join their partner's)."""


class PartnerJoinedYours(Exception):
    """This browser's own room is no longer waiting alone: its partner joined it (or it
    is not this browser's to give up), so it keeps that room instead of switching."""


ROOM_CLOSED = gettext_lazy(
    "That couple's room was closed by your facilitator. "
    "Ask your partner to start again, or start a couple yourself."
)


class StepMoved(ValueError):
    """ "Next step" pressed for a step the group has already left (a double click)."""


def new_pairing_word() -> str:
    return "".join(
        secrets.choice(PAIRING_CONSONANTS) + secrets.choice(PAIRING_VOWELS)
        for _ in range(PAIRING_SYLLABLES)
    )


def normalize_word(text: object) -> str:
    """The word as stored: lower case, no spaces or dashes; ValueError if it cannot be one.

    Typing is forgiving ("Lo-mi-ra", " LOMIRA "), the shape is not: a word of another
    shape is refused here, before any lookup, so it costs no query and no guess.
    """
    if not isinstance(text, str):
        raise ValueError(gettext("Please type the pairing word your partner sees."))
    cleaned = _WORD_SEPARATORS.sub("", text).lower()
    if not cleaned:
        raise ValueError(gettext("Please type the pairing word your partner sees."))
    if not cleaned.isascii() or not _WORD_RE.match(cleaned):
        raise ValueError(
            gettext(
                "A pairing word has %(count)s letters, like “lomira”. "
                "Please check it on your partner's screen and type it again."
            )
            % {"count": PAIRING_WORD_LENGTH}
        )
    return cleaned


# --- the workshop row ---------------------------------------------------------------------


def create_workshop(
    counselor, *, protocol_slug: str, title: str, max_couples: int, paced: bool
) -> Workshop:
    """A new workshop of ``counselor``'s with its own copy of the protocol and a fresh link.

    The pages validate the form; this refuses what must never be stored (ValueError, or
    ``creation.UnknownProtocol`` for a protocol she may not use).
    """
    if isinstance(max_couples, bool) or not isinstance(max_couples, int):
        raise ValueError(f"max_couples must be a whole number; got {max_couples!r}")
    if not 1 <= max_couples <= MAX_WORKSHOP_COUPLES:
        raise ValueError(f"A workshop takes 1 to {MAX_WORKSHOP_COUPLES} couples.")
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > MAX_TITLE_LENGTH:
        raise ValueError(f"A workshop needs a title of 1 to {MAX_TITLE_LENGTH} characters.")
    if not isinstance(paced, bool):
        raise ValueError(f"paced must be True or False; got {paced!r}")
    doc = creation.protocol_doc_for(protocol_slug, counselor)
    for _ in range(3):
        try:
            with transaction.atomic():
                return Workshop.objects.create(
                    counselor=counselor,
                    code=new_join_code(),
                    title=title.strip(),
                    protocol_slug=doc["slug"],
                    protocol_title=doc["title"],
                    protocol_doc=doc,
                    max_couples=max_couples,
                    paced=paced,
                )
        except IntegrityError:  # a code collision: astronomically unlikely, try again
            continue
    raise RuntimeError("could not find a free workshop code")


def workshop_for_code(code: str) -> Workshop | None:
    """The workshop whose link this is (ended ones too: their page says so); else None."""
    if not looks_like_join_code(code):
        return None
    return Workshop.objects.filter(code=code).first()


def rooms_of(workshop: Workshop) -> list[CoupleSession]:
    """The workshop's rooms, oldest first (the console's order: a tile never jumps)."""
    return list(CoupleSession.objects.live().filter(workshop=workshop).order_by("created_at", "pk"))


def _locked(workshop: Workshop) -> Workshop:
    """The workshop row, locked until the caller's transaction ends; closed ones refused."""
    row = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if row.status == WORKSHOP_ENDED:
        raise WorkshopClosed(gettext("This workshop has ended."))
    return row


def _copy_row(workshop: Workshop, row: Workshop) -> None:
    for field in ("status", "step", "started_at", "ended_at", "summary"):
        setattr(workshop, field, getattr(row, field))


# --- couples arriving ---------------------------------------------------------------------


def start_couple(
    workshop: Workshop, name: str, token: str, seat_code: str | None = None
) -> CoupleSession:
    """A new room for a couple, its pairing word, and seat a for this browser.

    The workshop row is locked while its rooms are counted and the new one made, so the
    last free place goes to one couple only. Raises WorkshopFull / WorkshopClosed, and
    ValueError for a name or token that could not be seated (before anything is made).
    """
    seats.clean_display_name(name)
    hash_seat_token(token)
    with transaction.atomic():
        row = _locked(workshop)
        if CoupleSession.objects.filter(workshop=row).count() >= row.max_couples:
            raise WorkshopFull(gettext("This workshop has as many couples as it can take."))
        room = creation.create_session(row.protocol_slug, row.counselor, workshop=row)
        room.pairing_word = _give_word(room)
        seats.claim_seat(room, name, token, seat_code=seat_code, seat="a")
    return room


def _give_word(room: CoupleSession) -> str:
    for _ in range(WORD_ATTEMPTS):
        word = new_pairing_word()
        try:
            with transaction.atomic():
                CoupleSession.objects.filter(pk=room.pk).update(pairing_word=word)
            return word
        except IntegrityError:  # another couple of this workshop has it: draw again
            continue
    raise RuntimeError("could not find a free pairing word")


def room_for_word(workshop: Workshop, word: str) -> CoupleSession:
    """The room this pairing word opens. ValueError for a word of the wrong shape."""
    if Workshop.objects.filter(pk=workshop.pk, status=WORKSHOP_ENDED).exists():
        raise WorkshopClosed(gettext("This workshop has ended."))
    word = normalize_word(word)
    room = CoupleSession.objects.live().filter(workshop=workshop, pairing_word=word).first()
    if room is None:
        raise NoSuchWord(gettext("No couple in this workshop has that word."))
    return room


def room_of_browser(workshop: Workshop, token: str | None) -> CoupleSession | None:
    """The room of this workshop where this browser holds a seat, if any (newest first).

    So a browser that started a couple and opens the link again goes back to its room
    instead of making a second one.
    """
    if not token:
        return None
    try:
        digest = hash_seat_token(token)
    except ValueError:
        return None
    return (
        CoupleSession.objects.live()
        .filter(workshop=workshop, seats__token_hash=digest)
        .order_by("-created_at", "-pk")
        .first()
    )


def join_partner(
    workshop: Workshop, room: CoupleSession, name: str, token: str, seat_code: str | None = None
) -> CoupleSession:
    """Seat b of ``room`` for this browser; a room joining a started workshop starts at once.

    A third person gets ``seats.SessionFull``, as on any room; ``RoomClosed`` when the
    room was removed since its word was looked up. In a paced workshop the late room
    starts at step 0 and the engine moves it on to the group's step by itself.

    The seat is claimed (and committed) *before* the workshop's status is read: "Start
    all" commits the status first and lists the rooms with both seats after, so whichever
    of the two commits second sees the other, and no room is left waiting with both
    partners in it. (Both may try to start it; the second ``start`` is refused: fine.)
    """
    if room.workshop_id != workshop.pk:
        raise NoSuchWord(gettext("That room is not one of this workshop's."))
    seats.clean_display_name(name)
    hash_seat_token(token)
    with transaction.atomic():
        _open(workshop)
        target = _lock_rooms(workshop, [room.pk])[room.pk]
        _claim_b(target, name, token, seat_code)
    _start_if_started(workshop, target)
    return target


def switch_to_partner(
    workshop: Workshop,
    own_room: CoupleSession,
    room: CoupleSession,
    name: str,
    token: str,
    seat_code: str | None = None,
    *,
    own_token: str | None,
) -> CoupleSession:
    """Seat b of the partner's ``room`` and, in the same transaction, give up ``own_room``.

    Both partners pressed "Start as a couple", then each typed the other's word at the
    same moment: done as two steps (give mine up, then take theirs), each would delete
    its own room and find the other's gone, and the couple would have no room at all.
    Here both rooms are locked in one order (by pk, so two such switches queue instead
    of deadlocking; on SQLite the transaction's ``IMMEDIATE`` write lock queues them),
    then checked again: the first switch takes seat b and deletes its own room; the
    second finds its own room joined meanwhile (``PartnerJoinedYours``: go there) or the
    other room gone or full, and then gives up nothing. ``own_token``: the seat a secret
    this browser holds in ``own_room``; the room is given up only while it waits with
    seat a held by it and seat b free. ``RoomClosed`` when the partner's room is gone
    (removed by the facilitator) while this browser's room still waits alone;
    ``seats.SessionFull`` / ``SeatRefused`` when it is taken or finished.
    """
    if room.workshop_id != workshop.pk:
        raise NoSuchWord(gettext("That room is not one of this workshop's."))
    if own_room.pk == room.pk:
        raise PartnerJoinedYours(gettext("That is this browser's own room."))
    seats.clean_display_name(name)
    hash_seat_token(token)
    holder = _token_hash(own_token)
    with transaction.atomic():
        _open(workshop)
        locked = _lock_rooms(workshop, [own_room.pk, room.pk])
        mine, target = locked[own_room.pk], locked[room.pk]
        if mine is not None and (holder is None or not _waits_alone(mine, holder)):
            raise PartnerJoinedYours(gettext("Your partner just joined your room instead."))
        _claim_b(target, name, token, seat_code)
        if mine is not None:  # gone already (the facilitator removed it): nothing to give up
            _delete_locked(workshop, mine)
    if mine is not None:
        recent.forget(mine.code)
    _start_if_started(workshop, target)
    return target


def _open(workshop: Workshop) -> None:
    if _status(workshop) == WORKSHOP_ENDED:
        raise WorkshopClosed(gettext("This workshop has ended."))


def _lock_rooms(workshop: Workshop, pks: list[int]) -> dict[int, CoupleSession | None]:
    """Each room of ``workshop`` locked ``FOR UPDATE`` one by one, lowest pk first (every
    caller the same order, so none waits on another in a circle); None for one gone."""
    return {
        pk: CoupleSession.objects.select_for_update().filter(pk=pk, workshop=workshop).first()
        for pk in sorted(set(pks))
    }


def _claim_b(target: CoupleSession | None, name: str, token: str, seat_code: str | None) -> None:
    if target is None:
        raise RoomClosed(ROOM_CLOSED)
    seats.claim_seat(target, name, token, seat_code=seat_code, seat="b")


def _start_if_started(workshop: Workshop, room: CoupleSession) -> None:
    if _status(workshop) == WORKSHOP_STARTED:
        rooms.submit(room.code, HOST, "start", {})  # refused if started already: fine


def _token_hash(token: str | None) -> str | None:
    if not token:
        return None
    try:
        return hash_seat_token(token)
    except ValueError:
        return None


def _waits_alone(row: CoupleSession, holder: str | None) -> bool:
    """Whether locked ``row`` waits with seat b free and (given ``holder``) seat a held by it."""
    if row.status != WAITING:
        return False
    taken = dict(Seat.objects.filter(session=row).values_list("seat", "token_hash"))
    return B not in taken and (holder is None or taken.get(A) == holder)


# --- rooms nobody joined ------------------------------------------------------------------


def give_up_room(workshop: Workshop, room: CoupleSession, token: str | None) -> bool:
    """Delete this browser's own room, still waiting for a partner: it is leaving.

    When both partners pressed "Start as a couple", one joins the other's room, and the
    room they leave would hold a place against ``max_couples`` and a word nobody will
    use, and sit on the console as a couple that never comes (``switch_to_partner`` gives
    it up in the same transaction as the join). Only a room of ``workshop`` still
    waiting, with seat a held by ``token`` and seat b free; anything else changes nothing
    (False), so a room someone joined meanwhile is never taken from under them.
    """
    digest = _token_hash(token)
    if digest is None:
        return False
    return _delete_waiting(workshop, room.code, holder=digest)


def remove_waiting_room(workshop: Workshop, room_id: str) -> bool:
    """The facilitator deletes a room of hers (``notices.room_id``) nobody joined as seat b.

    Someone waiting alone (their partner started a room of their own, or went home) or
    nobody at all: the room frees its place and its word. False, changing nothing, for
    a name that is not one of this workshop's rooms, or a room that is not waiting with
    seat b free.
    """
    if not isinstance(room_id, str):
        return False
    for room in CoupleSession.objects.live().filter(workshop=workshop).only("code"):
        if notices.room_id(room.code) == room_id:
            return _delete_waiting(workshop, room.code, holder=None)
    return False


def _delete_waiting(workshop: Workshop, code: str, *, holder: str | None) -> bool:
    """Delete room ``code`` of ``workshop`` if it is waiting with seat b free (and, given
    ``holder``, seat a held by that token hash); whether it was deleted.

    The room's row is locked (``FOR UPDATE``) while its seats are read and it is deleted,
    as ``join_partner`` locks it before taking seat b: either their seat commits first
    and is seen here (nothing is deleted), or the join waits and then finds no room
    (``RoomClosed`` for them).
    """
    with transaction.atomic():
        row = CoupleSession.objects.select_for_update().filter(code=code, workshop=workshop).first()
        if row is None or not _waits_alone(row, holder):
            return False
        _delete_locked(workshop, row)
    recent.forget(code)
    return True


def _delete_locked(workshop: Workshop, row: CoupleSession) -> None:
    """Delete locked ``row``; the caller's transaction has checked it waits alone.

    Its seats, events and leases go with it (cascade); a note the facilitator wrote in
    it stays hers, labelled, as ``deletion.delete_session`` keeps one. No "deleted by
    agreement" marker: nobody agreed to anything, the room simply was never used.
    """
    label = f"{row.protocol_title} · {timezone.localtime(row.created_at):%Y-%m-%d}"
    Note.objects.filter(session=row, session_label="").update(session_label=label)
    code = row.code
    row.delete()
    broadcast.room_deleted(code)  # its sockets close 4404; consoles drop its tile
    broadcast.workshop_changed(workshop.pk)  # and count the place it frees


def _status(workshop: Workshop) -> str | None:
    return Workshop.objects.filter(pk=workshop.pk).values_list("status", flat=True).first()


# --- the facilitator's commands -----------------------------------------------------------


def _tell(result, code: str) -> bool:
    """Tell the room's sockets of a change; whether the room took the command."""
    if result.changed:
        broadcast.tell_room(code)
    if result.code == "bad_args":  # the same in every room: say so once, nothing changed
        raise ValueError(result.message)
    return result.accepted


def _unfinished(workshop: Workshop) -> list[str]:
    rows = (
        CoupleSession.objects.live()
        .filter(workshop=workshop)
        .exclude(status__in=sorted(FINISHED))
        .order_by("created_at", "pk")
    )
    return list(rows.values_list("code", flat=True))


def _fan_out(workshop: Workshop, action: str, args: dict) -> int:
    """``action`` as host in every unfinished room, one transaction each; rooms that took it."""
    taken = 0
    for code in _unfinished(workshop):
        try:
            result = rooms.submit(code, HOST, action, args)
        except rooms.SessionNotFound:  # expired meanwhile
            continue
        taken += _tell(result, code)
    return taken


def start_all(workshop: Workshop) -> int:
    """The workshop is under way; every room with both partners starts. Rooms started.

    A room whose partner has not come yet starts when they join (``join_partner``).
    """
    with transaction.atomic():
        row = _locked(workshop)
        if row.status == WORKSHOP_OPEN:
            row.status, row.started_at = WORKSHOP_STARTED, timezone.now()
            row.save(update_fields=["status", "started_at"])
            broadcast.workshop_changed(row.pk)
    _copy_row(workshop, row)
    # Listed only now, after the status committed (see ``join_partner``).
    ready = (
        CoupleSession.objects.live()
        .filter(workshop=row, status=WAITING)
        .annotate(taken=Count("seats"))
        .filter(taken=2)
        .order_by("created_at", "pk")
        .values_list("code", flat=True)
    )
    started = 0
    for code in list(ready):
        try:
            result = rooms.submit(code, HOST, "start", {})
        except rooms.SessionNotFound:
            continue
        started += _tell(result, code) and result.changed
    return started


def next_step(workshop: Workshop, *, from_step: int) -> int:
    """Everyone to the next step (host-paced only); returns the group's new step.

    ``from_step`` is the group's step the facilitator saw when she pressed the button:
    if the group is no longer there (a double click, a second tab), nothing moves and
    ``StepMoved`` (a ValueError) says where everyone is, so one press is one step. It is
    compared under the row's lock. Paused rooms stay paused and join that step when they
    resume (the engine's rule). Refused (ValueError) before "Start all": the group has no
    step to move on from yet.
    """
    with transaction.atomic():
        row = _locked(workshop)
        if not row.paced:
            raise ValueError(gettext("In this workshop each couple moves at its own pace."))
        if row.status == WORKSHOP_OPEN:  # rooms not started yet would all jump ahead at start
            raise ValueError(gettext("Start the workshop first; then you can move everyone on."))
        if row.step != from_step:
            _copy_row(workshop, row)
            if row.step > from_step:
                raise StepMoved(
                    gettext("Everyone has already been moved on to step %(step)s.")
                    % {"step": row.step + 1}
                )
            raise StepMoved(
                gettext("Everyone is on step %(step)s; nothing was changed.")
                % {"step": row.step + 1}
            )
        if row.step + 1 >= len(step_titles(row)):
            raise ValueError(gettext("Everyone is on the last step already."))
        row.step += 1
        row.save(update_fields=["step"])
        broadcast.workshop_changed(row.pk)
    _copy_row(workshop, row)
    _fan_out(row, "pace", {"step": row.step})
    return row.step


def say_all(workshop: Workshop, text: str | None) -> int:
    """The facilitator's short message in every unfinished room (empty or None clears it)."""
    return _fan_out(workshop, "say", {"text": text or ""})


def timer_all(workshop: Workshop, seconds: int | None) -> int:
    """The group timer in every unfinished room (None clears it); rooms that took it."""
    return _fan_out(workshop, "group_timer", {} if seconds is None else {"seconds": seconds})


def lower_hand(workshop: Workshop, room_id: str) -> bool:
    """Lower the raised hand of the room named ``room_id`` (``notices.room_id``).

    False when no room of this workshop has that name, so a name from elsewhere does nothing.
    """
    if not isinstance(room_id, str):
        return False
    for room in CoupleSession.objects.live().filter(workshop=workshop).only("code"):
        if notices.room_id(room.code) == room_id:
            return _tell(rooms.submit(room.code, HOST, "lower_hand", {}), room.code)
    return False


def end_workshop(workshop: Workshop, summary=None) -> None:
    """End every unfinished room and the workshop: its link and words stop working.

    The workshop is closed first, so no couple starts while the rooms are ended one by
    one. Ending again once the summary is kept changes nothing; before that (an end that
    failed partway) it ends the rooms left and keeps the summary. ``summary``: the counts to keep once the rooms are purged; a dict, or a function
    of the ended workshop computing them (``reports.workshop.workshop_summary``) after
    every room has ended. The store never computes it (it may not import reports).
    """
    with transaction.atomic():
        row = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if row.status == WORKSHOP_ENDED and row.summary is not None:
            _copy_row(workshop, row)
            return
        # Not ended yet; or ended by an earlier try that stopped partway (a room's submit
        # failed): then this one ends the rooms still running and keeps the summary.
        if row.status != WORKSHOP_ENDED:
            row.status, row.ended_at = WORKSHOP_ENDED, timezone.now()
            row.save(update_fields=["status", "ended_at"])
            broadcast.workshop_changed(row.pk)
    _copy_row(workshop, row)
    _fan_out(row, "end", {})
    if summary is None:
        return
    counts = summary(workshop) if callable(summary) else summary
    Workshop.objects.filter(pk=row.pk).update(summary=counts)
    workshop.summary = counts
