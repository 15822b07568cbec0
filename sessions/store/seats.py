"""Who sits in which seat: claiming, releasing, taking over, taking back, seat codes, who is gone.

One function per thing a person does, shared by the join pages, the room page and
the management commands, so every way in follows the same rules. Seat changes go
through `rooms.submit` as server inputs, so the room's state and the seat rows
never disagree about who is sitting where for longer than one call. Creating a
session is `creation`'s; deleting one by agreement is `deletion`'s.
"""

from __future__ import annotations

import functools
import unicodedata

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from sessions.codes import hash_seat_code, hash_seat_token, same_digest
from sessions.engine import seat_lapsed
from sessions.engine.vocabulary import FINISHED, PARTNERS, SERVER, other
from sessions.models import CoupleSession, Seat
from sessions.store import leases, rooms

MAX_NAME_LENGTH = 40


class SessionFull(Exception):
    """Both seats are taken by other browsers."""


class SeatRefused(Exception):
    """The room would not take the seat change (e.g. it has finished); `code` says why."""

    def __init__(self, code: str | None, message: str | None):
        self.code = code
        super().__init__(message or gettext("This seat cannot be changed right now."))


class SeatInUse(Exception):
    """The seat's current device is still connected, so it cannot be taken over."""


def clean_display_name(name: object) -> str:
    """A name shown to the partner: trimmed, printable, 1 to 40 characters."""
    if not isinstance(name, str):
        raise ValueError(gettext("Please enter a name."))
    name = " ".join(name.split())
    if not name:
        raise ValueError(gettext("Please enter a name, even just a first name or a nickname."))
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(
            gettext("Please keep the name to %(most)s characters or fewer.")
            % {"most": MAX_NAME_LENGTH}
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ValueError(gettext("The name has characters that cannot be shown; please retype it."))
    return name


def seat_for_token(session: CoupleSession | int, token: str | None) -> str | None:
    """Which seat this browser holds in the session (a row or its id), if any."""
    if not token:
        return None
    try:
        digest = hash_seat_token(token)
    except ValueError:
        return None
    return (
        Seat.objects.filter(session=session, token_hash=digest)
        .values_list("seat", flat=True)
        .first()
    )


def claim_seat(
    session: CoupleSession,
    display_name: str,
    token: str,
    *,
    seat_code: str | None = None,
    seat: str | None = None,
    language: str = "",
) -> str:
    """Give this browser the first free seat (a, then b); the same browser keeps its seat.

    `seat_code` (normalized, see `codes.normalize_seat_code`) is the code this person can
    later continue on a new device with; only its keyed hash is kept. A finished session
    takes nobody new: a free seat there belongs to nobody any more.

    `seat` asks for that seat only (a couple's standing link knows who is who): when
    another browser holds it, SessionFull, and the person goes the new-device way.

    `language` is the one this person reads the room in (a code of settings.LANGUAGES,
    chosen on the join page); "" leaves it to their browser.
    """
    if seat is not None:
        _check_seat(seat)
    _check_language(language)
    name = clean_display_name(display_name)
    digest = hash_seat_token(token)
    held = seat_for_token(session, token)
    if held is not None:
        return held
    if _finished(session):
        raise SeatRefused("finished", gettext("This session has finished; nobody new can join it."))
    for letter in PARTNERS if seat is None else (seat,):
        code_hash = _code_hash(session, letter, seat_code)
        try:
            with transaction.atomic():
                Seat.objects.create(
                    session=session,
                    seat=letter,
                    name=name,
                    token_hash=digest,
                    code_hash=code_hash,
                    language=language,
                )
        except IntegrityError:
            continue
        _submit_seat_change(
            session, letter, name, claimed=True, undo=functools.partial(_drop, session, letter)
        )
        return letter
    if seat is not None:
        raise SessionFull(gettext("That seat in this session is taken on another device."))
    raise SessionFull(gettext("Both seats in this session are taken."))


def seats_taken(session: CoupleSession) -> int:
    """How many of the session's seats someone holds (0, 1 or 2): what the join page offers."""
    return Seat.objects.filter(session=session).count()


def has_seat_code(session: CoupleSession, seat: str) -> bool:
    """Whether `seat` has a code a new device could continue with."""
    return Seat.objects.filter(session=session, seat=seat).exclude(code_hash="").exists()


def lapsed_seats(session: CoupleSession) -> list[str]:
    """Claimed seats whose device has been gone longer than the presence grace period.

    The engine decides (`seat_lapsed`, by the room's own grace), so the new-device pages
    and the room's auto-pause never disagree about who is gone; this only gathers the
    facts it needs: the live leases and when each seat was claimed. Only a lapsed seat
    can move to a new device, whatever the proof.
    """
    now = rooms.now_ms()
    live = leases.read_leases(session.pk, now).live
    return [
        seat.seat
        for seat in Seat.objects.filter(session=session).order_by("seat")
        if seat_lapsed(
            session.state,
            seat.seat,
            now,
            connected=seat.seat in live,
            claimed_at=int(seat.claimed_at.timestamp() * 1000),
        )
    ]


def release_seat(session: CoupleSession, seat: str) -> None:
    """Free a seat (the person leaves this device); an active room pauses until it is retaken.

    Not in a finished session: nobody can take a seat there again, so freeing one would
    only shut its partner out of their own summary (leaving it is "Remove me").
    """
    _check_seat(seat)
    if _finished(session):
        raise SeatRefused(
            "finished", gettext("This session has finished; its places stay as they are.")
        )
    deleted, _ = Seat.objects.filter(session=session, seat=seat).delete()
    if deleted:
        _submit_seat_change(session, seat, None, claimed=False)


def take_over_seat(
    session: CoupleSession,
    seat: str,
    display_name: str | None,
    token: str,
    *,
    seat_code: str | None = None,
    by_approval: bool = False,
    language: str | None = None,
) -> str:
    """Move a seat to a new device once the old one has gone quiet (phone died, new laptop).

    Only after the person proved the seat is theirs (the views check the seat code, or
    the other partner or the host let them in). `display_name` None keeps the seat's
    current name. `seat_code` replaces the seat's code (the old one stops working). The
    new device never inherits the previous person's check-in answers: the engine clears
    them on a take-over.

    `by_approval` (a `let_in` yes, not a seat code): the seat keeps the code hash it had
    as `prior_code_hash`, so whoever held it can take it back (`reclaim_seat`); a seat
    already held by approval keeps the first holder's, so a second approval launders
    nothing. A take-over with the seat's current code carries the mark along unchanged.

    `language` None keeps the seat's language (the person reads on as before); a code
    (or "" for the browser's choice) replaces it.
    """
    _check_seat(seat)
    if language is not None:
        _check_language(language)
    digest = hash_seat_token(token)
    code_hash = _code_hash(session, seat, seat_code)
    if seat in leases.read_leases(session.pk, rooms.now_ms()).live:
        raise SeatInUse(gettext("That seat is still connected on another device."))
    current = Seat.objects.filter(session=session, seat=seat).first()
    if display_name is None and current is not None:
        display_name = current.name
    name = clean_display_name(display_name)
    if current is None:
        try:
            with transaction.atomic():
                Seat.objects.create(
                    session=session,
                    seat=seat,
                    name=name,
                    token_hash=digest,
                    code_hash=code_hash,
                    language=language or "",
                )
        except IntegrityError:
            raise SeatInUse(gettext("Someone else took that seat a moment ago.")) from None
        _submit_seat_change(
            session, seat, name, claimed=True, undo=functools.partial(_drop, session, seat)
        )
        return seat
    prior = current.prior_code_hash
    if by_approval and prior is None:
        prior = current.code_hash
    undo = _move_seat(
        current,
        name=name,
        token_hash=digest,
        claimed_at=timezone.now(),
        code_hash=code_hash,
        prior_code_hash=prior,
        language=current.language if language is None else language,
    )
    _submit_seat_change(session, seat, name, claimed=True, undo=undo)
    return seat


def _move_seat(current: Seat, **fields):
    """Update the seat row to its new device; returns the undo for a room that refuses.

    Guarded by the old secret: of two devices taking over at once, only one gets the seat.
    """
    before = {name: getattr(current, name) for name in fields}
    moved = Seat.objects.filter(pk=current.pk, token_hash=current.token_hash).update(**fields)
    if not moved:
        raise SeatInUse(gettext("Someone else took that seat a moment ago."))

    def undo() -> None:
        Seat.objects.filter(pk=current.pk, token_hash=fields["token_hash"]).update(**before)

    return undo


# --- Seat codes ----------------------------------------------------------------------------


def _code_hash(session: CoupleSession, seat: str, seat_code: str | None) -> str:
    return "" if seat_code is None else hash_seat_code(seat_code, join_code=session.code, seat=seat)


def seat_for_code(session: CoupleSession, seat_code: str) -> str | None:
    """The seat this (normalized) code opens, if any.

    The same work whatever the answer: both seats' digests are computed and compared in
    constant time, a seat nobody holds (or with no code) against a digest that never
    matches, so neither the answer nor its timing says which seats exist.
    """
    return _seat_matching(session, seat_code, "code_hash")


def _seat_matching(session: CoupleSession, seat_code: str, column: str) -> str | None:
    """The seat whose `column` holds this code's digest: both seats checked, in constant time."""
    stored = dict(Seat.objects.filter(session=session).values_list("seat", column))
    found = None
    for letter in PARTNERS:
        digest = hash_seat_code(seat_code, join_code=session.code, seat=letter)
        if same_digest(digest, stored.get(letter) or "") and found is None:
            found = letter
    return found


def seat_for_prior_code(session: CoupleSession, seat_code: str) -> str | None:
    """The seat held by approval that this (normalized) code held before, if any.

    The same constant work as `seat_for_code`, against `prior_code_hash`.
    """
    return _seat_matching(session, seat_code, "prior_code_hash")


def held_by_approval(session: CoupleSession, seat: str) -> bool:
    """Whether `seat` came to its device by a `let_in` yes, not by its own seat code."""
    return Seat.objects.filter(session=session, seat=seat, prior_code_hash__isnull=False).exists()


def reclaim_seat(
    session: CoupleSession, seat: str, prior_code: str, token: str, *, seat_code: str
) -> str:
    """The person who held a seat before it was let in elsewhere takes it back, at once.

    A seat code beats an approval: no wait for the approved device to go quiet. Guarded
    by the prior code's hash, so it happens once; the seat gets `seat_code` (fresh) and
    is no longer held by approval. The caller revokes the approved device's sockets.
    Raises SeatInUse when the prior code no longer matches (taken back a moment ago).
    """
    _check_seat(seat)
    prior = _code_hash(session, seat, prior_code)
    current = Seat.objects.filter(session=session, seat=seat, prior_code_hash=prior).first()
    if current is None:
        raise SeatInUse(gettext("That place is no longer held by approval."))
    undo = _move_seat(
        current,
        token_hash=hash_seat_token(token),
        claimed_at=timezone.now(),
        code_hash=_code_hash(session, seat, seat_code),
        prior_code_hash=None,
    )
    _submit_seat_change(session, seat, current.name, claimed=True, undo=undo)
    return seat


def set_seat_code(session: CoupleSession, seat: str, token: str, seat_code: str) -> bool:
    """Give the seat this browser holds (by `token`) a new code; False if it does not hold it."""
    _check_seat(seat)
    return bool(
        Seat.objects.filter(session=session, seat=seat, token_hash=hash_seat_token(token)).update(
            code_hash=_code_hash(session, seat, seat_code)
        )
    )


# --- The language a seat reads the room in ---------------------------------------------------


def seat_language(session: CoupleSession | int, seat: str) -> str:
    """The language `seat` chose to read the room in; "" for its browser's own choice.

    A code no longer among settings.LANGUAGES (a language taken out since) is "" too.
    """
    language = (
        Seat.objects.filter(session=session, seat=seat).values_list("language", flat=True).first()
    )
    return language if language in _language_codes() else ""


def set_language(session: CoupleSession, seat: str, token: str, language: str) -> bool:
    """The seat this browser holds (by `token`) reads the room in `language` from now on.

    False when this browser does not hold `seat`. Not a room input: the room's state is
    the same in every language; its sockets word it for the language at their next connect.
    """
    _check_seat(seat)
    _check_language(language)
    try:
        digest = hash_seat_token(token)
    except ValueError:
        return False
    return bool(
        Seat.objects.filter(session=session, seat=seat, token_hash=digest).update(language=language)
    )


def _language_codes() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


def _check_language(language: object) -> None:
    if language != "" and language not in _language_codes():
        raise ValueError(f"language must be one of settings.LANGUAGES or ''; got {language!r}")


# --- Leaving a finished session: remove me ----------------------------------------------


def _finished(session: CoupleSession) -> bool:
    status = CoupleSession.objects.filter(pk=session.pk).values_list("status", flat=True).first()
    return status in FINISHED


def other_seat(seat: str) -> str:
    _check_seat(seat)
    return other(seat)


def forget_seat(session: CoupleSession, seat: str) -> None:
    """One partner removes themselves from a finished session: their name and answers.

    The engine clears them from the room's state (`forget`), the store scrubs them from
    the event log, and the seat row keeps no name and no secret, so no browser holds the
    seat any more and no seat code opens it. Raises SeatRefused while the room is open.
    """
    _check_seat(seat)
    result = rooms.submit(session.code, SERVER, "forget", {"seat": seat})
    if not result.accepted:
        raise SeatRefused(result.code, result.message)
    rooms.scrub_seat(session.code, seat)
    Seat.objects.filter(session=session, seat=seat).update(name="", token_hash="", code_hash="")
    # A seat held by approval stays marked (with no code left to match): its "Remove me"
    # then does not count as its partner's yes to deleting (`partner_has_left`).
    Seat.objects.filter(session=session, seat=seat, prior_code_hash__isnull=False).update(
        prior_code_hash=""
    )


def _submit_seat_change(session, seat, name, *, claimed, undo=None) -> None:
    """Tell the engine the seat row changed (the `seat` input); undo the row if it refuses.

    Only the state changes here; the callers' views tell the room's sockets after commit.
    """
    result = rooms.submit(
        session.code, SERVER, "seat", {"seat": seat, "name": name, "claimed": claimed}
    )
    if not result.accepted:
        if undo is not None:
            undo()
        raise SeatRefused(result.code, result.message)


def _drop(session: CoupleSession, seat: str) -> None:
    Seat.objects.filter(session=session, seat=seat).delete()


def _check_seat(seat: object) -> None:
    if seat not in PARTNERS:
        raise ValueError(f"seat must be 'a' or 'b'; got {seat!r}")
