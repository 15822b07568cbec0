"""A counselor's couples: creating and editing one, its standing link, practice, deleting it.

The standing link's code is a secret like a join code (`codes.new_join_code`), kept plain
on the couple so the counselor can show it again. A link that stops working (revoked,
replaced, its couple deleted) leaves only a hash of its code behind (`GoneLink`), so it
answers 410 with a page that names nothing. Revoking or deleting also ends access at
once: every unfinished session of the couple is told (`broadcast.end_access`, its partner
sockets close with 4410), revoking frees both partners' seats in those sessions, and
`sessions.access.role_for` gives a partner of a couple without a link no role in them
(finished sessions stay their partners').

Deleting a couple deletes everything of it: its sessions (seats, events, leases with
them), practice, private measures and the counselor's notes about it. Nothing else
ever deletes a couple (`retention`: its sessions are kept once started).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from sessions.codes import looks_like_join_code, new_join_code
from sessions.engine.vocabulary import FINISHED, IN_PROGRESS, PARTNERS, WAITING
from sessions.models import Couple, CoupleSession, GoneLink, Note, Practice, Protocol
from sessions.store import broadcast, creation, recent, seats


def gone_link_hash(link: str) -> str:
    """The hash a gone standing link leaves (as `deletion.deleted_marker` does for a session)."""
    return hashlib.sha256(f"gone-link:{link}".encode()).hexdigest()


def link_is_gone(link: str) -> bool:
    """Whether `link` once opened a couple's page and no longer does (answer 410)."""
    return (
        looks_like_join_code(link)
        and GoneLink.objects.filter(code_hash=gone_link_hash(link)).exists()
    )


def couple_for_link(link: str) -> Couple | None:
    """The couple whose standing link this is now; None for anything else (gone or unknown)."""
    if not looks_like_join_code(link):
        return None
    return Couple.objects.filter(link_code=link).first()


def _mark_gone(link: str | None) -> None:
    if link:
        GoneLink.objects.update_or_create(
            code_hash=gone_link_hash(link), defaults={"gone_at": timezone.now()}
        )


def _fresh_link() -> str:
    """A code no couple holds and no gone link ever had (a collision is astronomically rare)."""
    for _ in range(5):
        code = new_join_code()
        taken = Couple.objects.filter(link_code=code).exists()
        if not taken and not GoneLink.objects.filter(code_hash=gone_link_hash(code)).exists():
            return code
    raise RuntimeError("could not find a free link code")


def create_couple(
    counselor,
    *,
    name_a: str,
    name_b: str,
    note: str = "",
    measure_on: bool = False,
    next_session_at=None,
) -> Couple:
    """A new couple of `counselor`'s, with its standing link made at once."""
    for _ in range(3):
        try:
            with transaction.atomic():
                return Couple.objects.create(
                    counselor=counselor,
                    name_a=name_a,
                    name_b=name_b,
                    note=note,
                    measure_on=measure_on,
                    next_session_at=next_session_at,
                    link_code=_fresh_link(),
                )
        except IntegrityError:  # another couple took the same code meanwhile
            continue
    raise RuntimeError("could not find a free link code")


def edit_couple(
    couple: Couple,
    *,
    name_a: str,
    name_b: str,
    note: str,
    measure_on: bool,
    next_session_at=None,
) -> Couple:
    couple.name_a, couple.name_b, couple.note = name_a, name_b, note
    couple.measure_on, couple.next_session_at = measure_on, next_session_at
    couple.save(update_fields=["name_a", "name_b", "note", "measure_on", "next_session_at"])
    return couple


def _unfinished_codes(couple: Couple) -> list[str]:
    rows = CoupleSession.objects.filter(couple=couple).exclude(status__in=sorted(FINISHED))
    return list(rows.values_list("code", flat=True))


def _end_access_after_commit(codes: list[str]) -> None:
    """Close the partners' sockets of these rooms (4410) once the change is committed.

    `broadcast.end_access` waits for the commit itself; called here, inside the
    transaction, its message is queued before anything the caller tells the rooms next
    (`revoke_link`'s freed seats), so a partner's socket hears why it closes (4410)
    before it could find its seat gone (4403).
    """
    for code in codes:
        broadcast.end_access(code)


def revoke_link(couple: Couple) -> None:
    """The standing link stops working now, and the partners' access to its rooms ends.

    Both partners' seats of every unfinished session of the couple are freed, so a new
    link made later (`replace_link`) gives nothing back by itself: the partners take
    their places again through it (their browsers remember who is who, so it is one tap).
    After commit each room's partner sockets close with 4410 (`broadcast.end_access`,
    sent first, so a socket hears why before it finds its seat gone) and the room hears
    its seats are free. Finished sessions keep their seats: their summaries stay their
    partners' to read, delete or export.
    """
    with transaction.atomic():
        row = Couple.objects.select_for_update().get(pk=couple.pk)
        _mark_gone(row.link_code)
        row.link_code = None
        row.save(update_fields=["link_code"])
        codes = _unfinished_codes(row)
        _end_access_after_commit(codes)
        for session in CoupleSession.objects.filter(code__in=codes):
            _free_both_seats(session)
    couple.link_code = None


def _free_both_seats(session: CoupleSession) -> None:
    """Free Alex's and Sam's seats through the engine's `seat` input, then tell the room."""
    for seat in PARTNERS:
        try:
            seats.release_seat(session, seat)
        except seats.SeatRefused:
            continue  # finished meanwhile: its seats stay as they are
    broadcast.tell_room(session.code, revoked=PARTNERS)


def replace_link(couple: Couple) -> str:
    """A new standing link; the old one answers 410 from now on. Seats already held stay.

    After a revoke there are none to keep in unfinished sessions (`revoke_link` freed
    them): the partners take their places again through the new link.
    """
    for _ in range(3):
        try:
            with transaction.atomic():
                row = Couple.objects.select_for_update().get(pk=couple.pk)
                _mark_gone(row.link_code)
                row.link_code = _fresh_link()
                row.save(update_fields=["link_code"])
            couple.link_code = row.link_code
            return row.link_code
        except IntegrityError:
            continue
    raise RuntimeError("could not find a free link code")


def delete_couple(couple: Couple) -> None:
    """Delete the couple and everything of it; its link answers 410, its rooms close."""
    with transaction.atomic():
        row = Couple.objects.select_for_update().get(pk=couple.pk)
        _mark_gone(row.link_code)
        codes = list(CoupleSession.objects.filter(couple=row).values_list("code", flat=True))
        _end_access_after_commit(_unfinished_codes(row))
        for code in codes:  # then every socket, the host's too, closes (4404)
            broadcast.room_deleted(code)
        # A note written in a couple's room names only its session; it goes with the couple.
        Note.objects.filter(session__couple=row).delete()
        row.delete()  # sessions, practice, measures and the couple's notes cascade
    for code in codes:
        recent.forget(code)


# A second "Start a session" within this many seconds (a double click, a resent form)
# opens the session the first one made instead of making another.
REPEAT_START_SECONDS = 30


def _recent_waiting_session(couple: Couple, slug: str) -> CoupleSession | None:
    since = timezone.now() - timedelta(seconds=REPEAT_START_SECONDS)
    return (
        CoupleSession.objects.live()
        .filter(
            couple=couple,
            counselor_id=couple.counselor_id,
            practice__isnull=True,
            protocol_slug=slug,
            status=WAITING,
            created_at__gte=since,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def create_hosted_session(
    couple: Couple, protocol_slug: str, *, protocol: Protocol | None = None
) -> CoupleSession:
    """A session the couple's counselor hosts, in the couple's history.

    A double submit must not leave two rooms with one couple split between them: when
    this couple's hosted session of the same protocol was made under
    `REPEAT_START_SECONDS` ago and nobody has started it yet, that one is returned. The
    couple's row is locked meanwhile, so two requests at once make one room.
    """
    slug = protocol.slug if protocol is not None else protocol_slug
    with transaction.atomic():
        Couple.objects.select_for_update().filter(pk=couple.pk).first()
        existing = _recent_waiting_session(couple, slug)
        if existing is not None:
            return existing
        return creation.create_session(
            protocol_slug, couple.counselor, protocol=protocol, couple=couple
        )


def assign_practice(
    couple: Couple, *, protocol_slug: str, protocol_title: str, times_per_week: int, note: str = ""
) -> Practice:
    """Practice between sessions, offered on the couple's standing link until stopped."""
    return Practice.objects.create(
        couple=couple,
        protocol_slug=protocol_slug,
        protocol_title=protocol_title,
        times_per_week=times_per_week,
        note=note,
    )


def stop_practice(practice: Practice) -> None:
    """No longer offered; the sessions already done stay in the history."""
    if practice.stopped_at is None:
        practice.stopped_at = timezone.now()
        practice.save(update_fields=["stopped_at"])


PRACTICE_OPEN = (WAITING, *sorted(IN_PROGRESS))


def practice_room(couple: Couple, practice: Practice) -> CoupleSession | None:
    """The couple's room for this practice: the one waiting or under way, else a new one.

    Two partners pressing Start at once (or one partner's second device) meet in one
    room: the practice row is locked while the room is looked for and made (on
    PostgreSQL; SQLite serializes its writes). None when the practice was stopped
    meanwhile, or is not this couple's.
    """
    with transaction.atomic():
        locked = (
            Practice.objects.select_for_update()
            .filter(pk=practice.pk, couple=couple, stopped_at__isnull=True)
            .first()
        )
        if locked is None:
            return None
        running = (
            CoupleSession.objects.live()
            .filter(
                couple=couple,
                practice=locked,
                counselor__isnull=True,
                status__in=PRACTICE_OPEN,
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if running is not None:
            return running
        return creation.create_session(locked.protocol_slug, couple=couple, practice=locked)
