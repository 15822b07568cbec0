"""The room every report test starts from; rate limits never carry over from one test to the next."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.reports.room_play import seated_room


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def room(dana) -> dict:
    """Alex and Sam seated in a session Dana hosts, both phones connected, started by Dana."""
    return seated_room(dana)
