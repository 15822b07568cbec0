"""A socket whose session is deleted under it (Dana deletes the couple) closes cleanly.

Dana's host view is open when she deletes Alex and Sam from another tab: her socket's
next heartbeat finds no session. It must hear "not found" (the socket closes 4404), not
fail on the lease's foreign key with a traceback in the log.
"""

from __future__ import annotations

import pytest

from sessions.store import connections, couples, rooms

# As on the server (autocommit): the lease insert meets the foreign key at once.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_heartbeat_of_a_socket_in_a_deleted_couples_room_says_not_found(dana):
    couple = couples.create_couple(dana, name_a="Alex", name_b="Sam")
    session = couples.create_hosted_session(couple, "daily-checkin")
    couples.delete_couple(couple)
    with pytest.raises(rooms.SessionNotFound):
        connections.quick_heartbeat(session.pk, "host", "dana-desk-tab", None)
