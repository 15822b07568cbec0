"""Deleting a finished session by agreement, and the marker it leaves behind.

Both partners must say yes (one who removed themselves, or never took a seat,
counts as a yes); either can say "keep it". What is left afterwards is only the
join code's hash, so a browser still holding a seat hears the session was deleted
by agreement; the markers go after the finished-session retention.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from sessions.engine.vocabulary import FINISHED, SERVER
from sessions.models import CoupleSession, DeletedSession, Event, Note
from sessions.store.retention import drop_old_deletion_markers
from sessions.store.seats import SeatRefused, held_by_approval, other_seat

NO_DELETE_BY_APPROVAL = gettext_lazy(
    "This device was let in rather than opened with your seat code, so it can't say yes "
    "to deleting the whole session. You can still remove yourself."
)


def partner_has_left(session: CoupleSession, seat: str) -> bool:
    """Whether the other partner removed themselves (or never took a seat): it counts as a yes.

    A seat that is free now but was taken once (released by its partner or freed by the
    counselor) is not a yes: that partner's answers are still in the session, so
    deleting it still needs them. The event log says whether the seat was ever taken.
    """
    letter = other_seat(seat)
    other = (session.state.get("seats") or {}).get(letter) or {}
    if other.get("forgotten"):
        # Removed by a device that was only let in: that is not the partner's yes.
        return not held_by_approval(session, letter)
    if other.get("claimed"):
        return False
    return not _ever_claimed(session, letter)


def _ever_claimed(session: CoupleSession, seat: str) -> bool:
    claims = Event.objects.filter(session=session, actor=SERVER, action="seat").values_list(
        "args", flat=True
    )
    return any(
        isinstance(args, dict) and args.get("seat") == seat and args.get("claimed") is True
        for args in claims
    )


def ask_to_delete(session: CoupleSession, seat: str) -> bool:
    """`seat` says yes to deleting the finished session; True when it is now deleted.

    Deleted at once when the other partner already asked, removed themselves, or never
    took a seat; otherwise the request is kept for the other partner to answer.
    Raises SeatRefused while the room is still open, and for a seat held by approval:
    a device that was only let in gives no yes (first or second), or the partner who
    let it in could delete the session alone.
    """
    other = other_seat(seat)
    if held_by_approval(session, seat):
        raise SeatRefused("held_by_approval", NO_DELETE_BY_APPROVAL)
    with transaction.atomic():
        row = CoupleSession.objects.select_for_update().get(pk=session.pk)
        if row.status not in FINISHED:
            raise SeatRefused("not_now", gettext("The session is still open; end it first."))
        if row.delete_requested_by == other or partner_has_left(row, seat):
            delete_session(row)
            return True
        if row.delete_requested_by != seat:
            row.delete_requested_by = seat
            row.delete_requested_at = timezone.now()
            row.delete_kept_by = ""
            row.save(update_fields=["delete_requested_by", "delete_requested_at", "delete_kept_by"])
    return False


def keep_session(session: CoupleSession, seat: str) -> None:
    """`seat` says "keep it": withdraws their own request, or answers the other's with a no."""
    other = other_seat(seat)
    with transaction.atomic():
        row = CoupleSession.objects.select_for_update().get(pk=session.pk)
        if row.delete_requested_by == seat:
            row.delete_kept_by = ""
        elif row.delete_requested_by == other:
            row.delete_kept_by = seat
        else:
            return
        row.delete_requested_by = ""
        row.delete_requested_at = None
        row.save(update_fields=["delete_requested_by", "delete_requested_at", "delete_kept_by"])


def deleted_marker(code: str) -> str:
    return hashlib.sha256(f"deleted:{code}".encode()).hexdigest()


def delete_session(session: CoupleSession) -> None:
    """Delete everything about the session; a counselor's notes stay theirs, detached.

    Leaves a marker of only the join code's hash, so a browser still holding a seat in it
    hears that it was deleted by agreement; markers older than the retention go.
    """
    label = f"{session.protocol_title} · {timezone.localtime(session.created_at):%Y-%m-%d}"
    now = timezone.now()
    with transaction.atomic():
        Note.objects.filter(session=session, session_label="").update(session_label=label)
        session.delete()
        DeletedSession.objects.update_or_create(
            code_hash=deleted_marker(session.code), defaults={"deleted_at": now}
        )
        drop_old_deletion_markers(now)


def deleted_by_agreement(code: str) -> bool:
    return DeletedSession.objects.filter(code_hash=deleted_marker(code)).exists()
