"""Dana clicks "Start a session with Alex and Sam" twice: one room, not two.

A double submit (a double click, a form resent on a slow connection) must not split
Alex and Sam between two waiting rooms. A session of the same protocol Dana made for
this couple within `REPEAT_START_SECONDS`, nobody in it started yet, is reused; any
other case (another protocol, an older one, one already started, another couple's)
makes a new room.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from sessions.models import CoupleSession
from sessions.store import couples
from tests.support.couple_play import alex_and_sam, give_practice, reports_protocol, seated

pytestmark = pytest.mark.django_db


def test_a_second_start_within_seconds_opens_the_same_room(dana):
    couple = alex_and_sam(dana)
    first = couples.create_hosted_session(couple, "daily-checkin")
    second = couples.create_hosted_session(couple, "daily-checkin")
    assert second.pk == first.pk
    assert CoupleSession.objects.filter(couple=couple).count() == 1


def test_another_protocol_is_a_new_room(dana):
    couple = alex_and_sam(dana)
    protocol = reports_protocol()
    first = couples.create_hosted_session(couple, "daily-checkin")
    second = couples.create_hosted_session(couple, protocol.slug, protocol=protocol)
    assert second.pk != first.pk


def test_the_counselors_own_protocol_twice_is_one_room(dana):
    couple = alex_and_sam(dana)
    protocol = reports_protocol(owner=dana)
    first = couples.create_hosted_session(couple, protocol.slug, protocol=protocol)
    second = couples.create_hosted_session(couple, protocol.slug, protocol=protocol)
    assert second.pk == first.pk


def test_a_start_after_half_a_minute_is_a_new_room(dana):
    couple = alex_and_sam(dana)
    first = couples.create_hosted_session(couple, "daily-checkin")
    CoupleSession.objects.filter(pk=first.pk).update(
        created_at=first.created_at - timedelta(seconds=couples.REPEAT_START_SECONDS + 1)
    )
    assert couples.create_hosted_session(couple, "daily-checkin").pk != first.pk


def test_a_room_already_under_way_is_never_reused(dana):
    couple = alex_and_sam(dana)
    protocol = reports_protocol()
    room = seated(couple)  # hosted by Dana, both seated
    CoupleSession.objects.filter(pk=room["session"].pk).update(status="active")
    again = couples.create_hosted_session(couple, protocol.slug, protocol=protocol)
    assert again.pk != room["session"].pk


def test_their_practice_or_another_couples_room_is_never_reused(dana):
    couple, other = alex_and_sam(dana), alex_and_sam(dana)
    practice = seated(couple, give_practice(couple))["session"]
    theirs = couples.create_hosted_session(other, "reports-test")
    mine = couples.create_hosted_session(couple, "reports-test")
    assert mine.pk not in (practice.pk, theirs.pk)
    assert mine.practice is None and mine.counselor == dana
