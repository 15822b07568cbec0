"""A partner's private tick: "share this practice with our counselor".

Practice between sessions is the couple's own; its check-in answers reach the
counselor only when both partners ticked. Each tick is a column of the session row
(`share_a`, `share_b`), set only on a finished practice session (a couple's session
with no counselor in the room), so a tick cannot be set ahead on a room in use.
"""

from __future__ import annotations

from django.utils.translation import gettext

from sessions.engine.vocabulary import FINISHED, PARTNERS
from sessions.models import CoupleSession


class NotSharable(Exception):
    """Not a finished practice session: there is nothing to share (yet)."""


def set_share(session: CoupleSession, seat: str, share: bool) -> None:
    """Set (or take back) `seat`'s tick; NotSharable unless a finished practice session."""
    if seat not in PARTNERS:
        raise ValueError(f"seat must be 'a' or 'b'; got {seat!r}")
    changed = CoupleSession.objects.filter(
        pk=session.pk,
        couple__isnull=False,
        counselor__isnull=True,
        status__in=sorted(FINISHED),
    ).update(**{f"share_{seat}": bool(share)})
    if not changed:
        raise NotSharable(gettext("Only a finished practice session can be shared."))


def ticks(session: CoupleSession) -> dict[str, bool]:
    """Both ticks as the database has them now: {"a": bool, "b": bool}."""
    row = CoupleSession.objects.filter(pk=session.pk).values("share_a", "share_b").first() or {}
    return {seat: bool(row.get(f"share_{seat}")) for seat in PARTNERS}
