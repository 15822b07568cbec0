"""The room every report test starts from."""

from __future__ import annotations

import pytest

from tests.reports.room_play import seated_room


@pytest.fixture
def room(dana) -> dict:
    """Alex and Sam seated in a session Dana hosts, both phones connected, started by Dana."""
    return seated_room(dana)
