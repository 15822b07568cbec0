"""Dana's couples in the store: the standing link made, replaced, revoked; a couple deleted.

A link that stops working leaves only its hash (`GoneLink`), so it answers 410 naming
nothing; revoking or deleting tells every unfinished room of the couple to end the
partners' access (`broadcast.end_access`); deleting a couple deletes everything of it
and nothing of anyone else's.
"""

from __future__ import annotations

import pytest

from sessions.access import role_for
from sessions.codes import looks_like_join_code
from sessions.models import (
    Couple,
    CoupleSession,
    Event,
    GoneLink,
    MeasureAnswer,
    Note,
    Practice,
    Seat,
)
from sessions.store import broadcast, couples, creation
from tests.support.couple_play import (
    alex_and_sam,
    answer_csi4,
    browser_of,
    give_practice,
    play,
    reports_protocol,
    seated,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended_access(monkeypatch):
    """The rooms told to end the partners' access, in order (after commit)."""
    told: list[str] = []
    monkeypatch.setattr(broadcast, "end_access", told.append, raising=False)
    return told


def test_a_new_couple_has_a_standing_link_at_once(dana):
    couple = alex_and_sam(dana)
    assert looks_like_join_code(couple.link_code)
    assert couples.couple_for_link(couple.link_code) == couple
    assert not couples.link_is_gone(couple.link_code)


def test_two_couples_never_share_a_link(dana):
    assert alex_and_sam(dana).link_code != alex_and_sam(dana).link_code


def test_replacing_the_link_makes_the_old_one_gone_and_the_new_one_work(dana):
    couple = alex_and_sam(dana)
    old = couple.link_code
    new = couples.replace_link(couple)
    assert new != old and Couple.objects.get(pk=couple.pk).link_code == new
    assert couples.couple_for_link(old) is None
    assert couples.link_is_gone(old)
    assert couples.couple_for_link(new) == couple


def test_a_gone_link_leaves_only_a_hash_of_its_code(dana):
    couple = alex_and_sam(dana)
    old = couple.link_code
    couples.revoke_link(couple)
    marker = GoneLink.objects.get()
    assert old not in marker.code_hash and marker.code_hash == couples.gone_link_hash(old)
    assert len(marker.code_hash) == 64


def test_revoking_the_link_leaves_the_couple_without_one(dana, django_capture_on_commit_callbacks):
    couple = alex_and_sam(dana)
    old = couple.link_code
    with django_capture_on_commit_callbacks(execute=True):
        couples.revoke_link(couple)
    assert Couple.objects.get(pk=couple.pk).link_code is None
    assert couples.link_is_gone(old)
    assert couples.couple_for_link(old) is None


def test_revoking_ends_access_to_every_unfinished_room_of_the_couple(
    dana, ended_access, django_capture_on_commit_callbacks
):
    couple = alex_and_sam(dana)
    waiting = seated(couple)["code"]
    finished = play(seated(couple)).code
    elsewhere = seated(alex_and_sam(dana))["code"]
    with django_capture_on_commit_callbacks(execute=True):
        couples.revoke_link(couple)
    assert ended_access == [waiting]
    assert finished not in ended_access and elsewhere not in ended_access


def test_a_partner_of_a_revoked_couple_has_no_role_in_its_rooms(dana):
    couple = alex_and_sam(dana)
    room = seated(couple)
    session = room["session"]
    alex = browser_of(room, "a")
    assert role_for(session, alex.session, None) == "a"
    couples.revoke_link(couple)
    assert role_for(session, alex.session, None) is None
    assert role_for(session, alex.session, dana) == "host"  # Dana still hosts it


def test_replacing_keeps_the_seats_partners_already_hold(dana):
    couple = alex_and_sam(dana)
    room = seated(couple)
    sam = browser_of(room, "b")
    couples.replace_link(couple)
    assert role_for(room["session"], sam.session, None) == "b"


def test_a_revoked_couple_gets_a_new_link_by_replacing(dana):
    couple = alex_and_sam(dana)
    couples.revoke_link(couple)
    new = couples.replace_link(couple)
    assert couples.couple_for_link(new) == couple


def test_deleting_a_couple_deletes_everything_of_it(
    dana, robin, ended_access, django_capture_on_commit_callbacks
):
    couple = alex_and_sam(dana, note="met in March")
    practice = give_practice(couple)
    hosted = play(seated(couple), pause=("b", "flooding"))
    done = play(seated(couple, practice))
    running = seated(couple)["code"]
    answer_csi4(hosted, "a", [3, 3, 3, 3])
    Note.objects.create(counselor=dana, session=hosted, text="Alex spoke first")
    Note.objects.create(counselor=dana, couple=couple, text="About them both")
    link = couple.link_code
    # Someone else's couple and session stay untouched.
    other = alex_and_sam(robin)
    kept = play(seated(other))
    robin_note = Note.objects.create(counselor=robin, session=kept, text="Robin's own")

    with django_capture_on_commit_callbacks(execute=True):
        couples.delete_couple(couple)

    assert not Couple.objects.filter(pk=couple.pk).exists()
    assert not CoupleSession.objects.filter(pk__in=[hosted.pk, done.pk]).exists()
    assert not CoupleSession.objects.filter(code=running).exists()
    assert not Seat.objects.filter(session__couple_id=couple.pk).exists()
    assert not Event.objects.filter(session_id__in=[hosted.pk, done.pk]).exists()
    assert not Practice.objects.filter(pk=practice.pk).exists()
    assert not MeasureAnswer.objects.filter(couple_id=couple.pk).exists()
    assert list(Note.objects.filter(counselor=dana)) == []
    assert couples.link_is_gone(link)
    assert ended_access == [running]
    assert CoupleSession.objects.filter(pk=kept.pk).exists()
    assert Note.objects.filter(pk=robin_note.pk).exists()


def test_a_hosted_session_from_the_couple_page_belongs_to_the_couple(dana):
    couple = alex_and_sam(dana)
    session = couples.create_hosted_session(couple, "daily-checkin")
    assert session.couple == couple and session.counselor == dana and session.practice is None
    assert session.state["host"]["name"] == "dana"


def test_practice_may_run_the_counselors_own_protocol_with_nobody_hosting(dana):
    couple = alex_and_sam(dana)
    reports_protocol(owner=dana)
    practice = give_practice(couple)
    session = creation.create_session("reports-test", couple=couple, practice=practice)
    assert session.counselor is None and session.practice == practice
    assert session.state["host"] is None


def test_practice_of_another_couple_is_refused(dana):
    practice = give_practice(alex_and_sam(dana))
    with pytest.raises(ValueError):
        creation.create_session("daily-checkin", couple=alex_and_sam(dana), practice=practice)


def test_stopping_practice_keeps_its_sessions(dana):
    couple = alex_and_sam(dana)
    practice = give_practice(couple)
    done = play(seated(couple, practice))
    couples.stop_practice(practice)
    practice.refresh_from_db()
    assert practice.stopped_at is not None
    assert CoupleSession.objects.get(pk=done.pk).practice == practice
