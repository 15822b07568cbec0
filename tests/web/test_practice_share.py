"""Sharing a finished practice with Dana: each partner's tick is private until both agree.

Alex and Sam did their daily check-in alone. On its summary each may tick "Share this
practice with our counselor"; each sees only their own tick ("It's shared only if Sam
chooses to as well.") until both have ticked ("Shared with your counselor."). Only the
partners of that practice may tick, only once it has finished, and only through the store.
"""

from __future__ import annotations

import pytest
from django.test import Client

from sessions.models import CoupleSession
from tests.web.standing_support import (
    check_in_and_end,
    hosted,
    make_couple,
    practice,
    standing_url,
    through_link,
)

pytestmark = pytest.mark.django_db

MINE = "You've chosen to share."
SHARED = "Shared with your counselor."


@pytest.fixture
def done(dana):
    couple = make_couple(dana)
    daily = practice(couple)
    alex, sam = Client(), Client()
    for browser, seat in ((alex, "a"), (sam, "b")):
        browser.post(f"{standing_url(couple)}practice/", {"practice": daily.pk, "seat": seat})
    session = CoupleSession.objects.get(couple=couple)
    check_in_and_end(session)
    return session, alex, sam


def tick(browser, session, answer="yes"):
    return browser.post(f"/s/{session.code}/share/", {"share": answer})


def summary(browser, session) -> str:
    return browser.get(f"/s/{session.code}/summary/").content.decode()


def test_the_finished_practice_offers_the_tick_to_each_partner(done):
    session, alex, _ = done
    text = summary(alex, session)
    assert "Share this practice with our counselor" in text
    assert 'name="share" value="yes"' in text


def test_alexs_tick_is_his_own_until_sam_ticks_too(done):
    session, alex, sam = done
    assert tick(alex, session)["Location"] == f"/s/{session.code}/summary/"
    alex_text = summary(alex, session)
    assert MINE in alex_text and "only if Sam chooses to as well" in alex_text
    sam_text = summary(sam, session)
    assert MINE not in sam_text and SHARED not in sam_text  # Sam is not told Alex ticked
    session.refresh_from_db()
    assert session.share_a and not session.share_b
    tick(sam, session)
    assert SHARED in summary(alex, session) and SHARED in summary(sam, session)


def test_a_tick_can_be_taken_back_before_both_agreed(done):
    session, alex, _ = done
    tick(alex, session)
    tick(alex, session, "no")
    session.refresh_from_db()
    assert not session.share_a
    assert MINE not in summary(alex, session)


def test_the_tick_takes_yes_or_no_and_nothing_else(done):
    session, alex, _ = done
    assert tick(alex, session, "maybe").status_code == 400
    extra = alex.post(f"/s/{session.code}/share/", {"share": "yes", "seat": "b"})
    assert extra.status_code == 400 and "'seat'" in extra.content.decode()
    session.refresh_from_db()
    assert not session.share_a and not session.share_b


def test_a_practice_still_running_cannot_be_ticked(dana):
    couple = make_couple(dana)
    daily = practice(couple)
    alex = Client()
    alex.post(f"{standing_url(couple)}practice/", {"practice": daily.pk, "seat": "a"})
    session = CoupleSession.objects.get(couple=couple)
    assert tick(alex, session).status_code == 409
    session.refresh_from_db()
    assert not session.share_a


def test_a_hosted_session_has_no_tick(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    alex = through_link(couple, "a")
    through_link(couple, "b")
    check_in_and_end(session)
    assert "Share this practice" not in summary(alex, session)
    assert tick(alex, session).status_code == 404


def test_nobody_else_can_tick(done, dana, riley, robin_client, dana_client):
    session, _, _ = done
    other = make_couple(dana, names=("Jo", "Kim"))
    jo = Client()
    jo.post(f"{standing_url(other)}practice/", {"practice": practice(other).pk, "seat": "a"})
    for browser in (riley, jo, robin_client, dana_client):
        assert tick(browser, session).status_code == 404
    session.refresh_from_db()
    assert not session.share_a and not session.share_b


def test_ticking_needs_the_csrf_token(done):
    session, alex, _ = done
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = alex.cookies
    assert tick(strict, session).status_code == 403


def test_the_summary_says_dana_keeps_the_practice_and_gives_no_deletion_date(done):
    session, alex, _ = done
    page = summary(alex, session)
    assert "stays in the history your counselor keeps" in page
    assert "your check-in answers only if you both chose to share them" in page
    assert "deleted by itself on" not in page


def test_a_hosted_couple_session_says_the_same_without_the_practice_words(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    alex = through_link(couple, "a")
    through_link(couple, "b")
    check_in_and_end(session)
    page = alex.get(f"/s/{session.code}/summary/").content.decode()
    assert "stays in the history your counselor keeps" in page
    assert "only if you both chose to share" not in page
    assert "deleted by itself on" not in page
