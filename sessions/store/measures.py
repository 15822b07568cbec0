"""A partner's private CSI-4 answers: whether one is due, and recording it (or a skip).

(Stub: being written for issue 16.)
"""

from __future__ import annotations

from sessions.models import CoupleSession


def due(session: CoupleSession, seat: str) -> bool:
    """Whether `seat` is asked the CSI-4 before entering this session's room."""
    return False
