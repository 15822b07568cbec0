"""A partner's private CSI-4 answers: whether one is due, and recording it (or a skip).

Asked once per partner per hosted session of a couple whose counselor turned it on;
the answers go to the counselor only (never into the room's state, which both
partners' sockets read). One row per (session, seat), guarded by the database's
unique constraint, so two tabs answering at once keep the first and the second is
a no-op. The items are checked by the page (`sessions.reports.csi4`); this module
only refuses what cannot be a CSI-4 at all.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from sessions.engine.vocabulary import FINISHED, PARTNERS
from sessions.models import CoupleSession, MeasureAnswer

ITEM_MAXIMA = (6, 5, 5, 5)  # the CSI-4's four items (Funk & Rogge, 2007)


def due(session: CoupleSession, seat: str) -> bool:
    """Whether `seat` is asked the CSI-4 before entering this session's room."""
    if seat not in PARTNERS or session.counselor_id is None or session.couple_id is None:
        return False
    if session.status in FINISHED or not session.couple.measure_on:
        return False
    return not MeasureAnswer.objects.filter(session=session, seat=seat).exists()


def session_label(session: CoupleSession) -> str:
    """What the answer was about, kept after the session is gone (as a Note's label)."""
    return f"{session.protocol_title} · {timezone.localtime(session.created_at):%Y-%m-%d}"


def _valid(items: list[int]) -> bool:
    return (
        isinstance(items, (list, tuple))
        and len(items) == len(ITEM_MAXIMA)
        and all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= top
            for v, top in zip(items, ITEM_MAXIMA, strict=True)
        )
    )


def _keep(session: CoupleSession, seat: str, **fields) -> MeasureAnswer:
    """Insert the row once; an answer already there (another tab, a repeat) wins."""
    if seat not in PARTNERS:
        raise ValueError(f"seat must be 'a' or 'b'; got {seat!r}")
    if session.couple_id is None:
        raise ValueError("only a couple's session has a measure")
    try:
        with transaction.atomic():
            return MeasureAnswer.objects.create(
                couple_id=session.couple_id,
                session=session,
                session_label=session_label(session),
                seat=seat,
                **fields,
            )
    except IntegrityError:
        return MeasureAnswer.objects.get(session=session, seat=seat)


def record(session: CoupleSession, seat: str, items: list[int]) -> MeasureAnswer:
    """Keep this partner's four answers and their total (0–21)."""
    if not _valid(items):
        raise ValueError("the CSI-4 takes four answers, each within its item's range")
    return _keep(session, seat, items=list(items), total=sum(items), skipped=False)


def skip(session: CoupleSession, seat: str) -> MeasureAnswer:
    """This partner chose "Skip for today": kept as a skip, so they are not asked again."""
    return _keep(session, seat, items=[], total=None, skipped=True)
