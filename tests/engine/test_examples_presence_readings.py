"""What the server reads from the room: who it shows as connected, and whose seat has lapsed.

The server holds the live truth (leases); the room holds the rules. These readings are how
the take-over page and the presence reconciler ask the engine instead of deciding themselves.
"""

import pytest

from sessions.engine import apply, seat_lapsed, shown_connected
from tests.engine.helpers import INFO, T0, new_room, room_in, run, seated_room

GRACE = 15_000
LONG_AGO = T0 - 3_600_000


def gone(state, seat="a", now=T0):
    return run(state, "server", "presence", {"seat": seat, "connected": False}, now)


def lapsed(state, seat="a", now=T0, *, connected=False, claimed_at=LONG_AGO):
    return seat_lapsed(state, seat, now, connected=connected, claimed_at=claimed_at)


# --- shown_connected ---------------------------------------------------------------------


def test_alex_is_shown_connected_until_his_connection_drops():
    state = seated_room()
    assert shown_connected(state, "a") is True
    assert shown_connected(gone(state), "a") is False
    assert shown_connected(gone(state), "b") is True


def test_a_free_seat_has_no_connection_to_show():
    state = run(new_room(), "server", "seat", {"seat": "a", "name": "Alex", "claimed": True})
    assert shown_connected(state, "a") is False
    assert shown_connected(state, "b") is None


def test_the_counselor_is_shown_only_in_a_session_that_has_one():
    assert shown_connected(seated_room(), "host") is None
    hosted = seated_room(hosted=True)
    assert shown_connected(hosted, "host") is True
    away = run(hosted, "server", "presence", {"seat": "host", "connected": False})
    assert shown_connected(away, "host") is False


def test_asking_about_someone_who_cannot_be_in_a_room_is_a_programming_error():
    with pytest.raises(ValueError, match="role must be one of"):
        shown_connected(seated_room(), "server")


# --- seat_lapsed -------------------------------------------------------------------------


def test_alexs_phone_locking_briefly_does_not_free_his_seat():
    state = gone(seated_room())
    assert not lapsed(state, now=T0 + 5_000)
    assert not lapsed(state, now=T0 + GRACE - 1)


def test_alexs_seat_lapses_the_moment_the_room_would_pause_for_him():
    state = gone(room_in("active", index=INFO))
    assert not lapsed(state, now=T0 + GRACE - 1)
    assert apply(state, "server", "tick", {}, T0 + GRACE - 1).state["status"] == "active"
    assert lapsed(state, now=T0 + GRACE)
    assert apply(state, "server", "tick", {}, T0 + GRACE).state["status"] == "paused"


def test_the_grace_is_the_rooms_own():
    state = gone(seated_room(settings={"grace_ms": 60_000}))
    assert not lapsed(state, now=T0 + 30_000)
    assert lapsed(state, now=T0 + 60_000)


def test_a_seat_whose_device_is_live_again_never_lapses_even_if_the_room_has_not_heard_yet():
    state = gone(seated_room())
    assert not lapsed(state, now=T0 + 10 * GRACE, connected=True)


def test_a_seat_never_connected_counts_from_when_it_was_claimed():
    state = run(new_room(), "server", "seat", {"seat": "b", "name": "Sam", "claimed": True})
    claimed = T0 + 1_000
    assert not lapsed(state, "b", now=claimed + GRACE - 1, claimed_at=claimed)
    assert lapsed(state, "b", now=claimed + GRACE, claimed_at=claimed)


def test_a_free_seat_is_nothing_to_take_over():
    state = run(seated_room(), "server", "seat", {"seat": "b", "claimed": False})
    assert not lapsed(state, "b", now=T0 + 10 * GRACE)


def test_only_a_partners_seat_with_int_times_can_lapse():
    state = gone(seated_room())
    with pytest.raises(ValueError, match="seat must be one of"):
        lapsed(state, "host")
    with pytest.raises(ValueError, match="now must be epoch milliseconds"):
        lapsed(state, now=1.5e12)
    with pytest.raises(ValueError, match="claimed_at must be epoch milliseconds"):
        lapsed(state, claimed_at=None)
