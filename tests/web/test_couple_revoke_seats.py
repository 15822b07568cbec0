"""Dana stops Alex and Sam's link, later makes a new one: nothing comes back by itself.

Stopping the link frees both partners' seats in every unfinished session of the couple,
so "Make a new link" gives no old seat back; Alex and Sam take their places again
through the new link, one tap each (their browsers remember who is who). Their finished
sessions stay theirs: the summary opens, downloads, and can still be deleted.
"""

from __future__ import annotations

import pytest

from sessions.store import couples
from tests.support.couple_play import alex_and_sam, browser_of, play, seated
from tests.web.standing_support import hosted, make_couple, seat_of, standing_url, through_link

pytestmark = pytest.mark.django_db


def test_a_new_link_after_a_stop_gives_alex_no_seat_back_by_itself(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    alex = through_link(couple, "a")
    couples.revoke_link(couple)
    couples.replace_link(couple)
    assert seat_of(alex, session) is None
    room = alex.get(f"/s/{session.code}/")
    assert room.status_code == 302 and room["Location"] == f"/j/{session.code}/"
    assert not session.seats.exists()


def test_after_a_new_link_alex_and_sam_take_their_places_again_with_one_tap(dana):
    couple = make_couple(dana)
    session = hosted(couple)
    alex = through_link(couple, "a")
    sam = through_link(couple, "b")
    couples.revoke_link(couple)
    couples.replace_link(couple)
    for browser, seat in ((alex, "a"), (sam, "b")):
        # No seat posted: the browser remembers which of them it is.
        back = browser.post(f"{standing_url(couple)}join/")
        assert back.status_code == 302 and back["Location"] == f"/s/{session.code}/"
        assert seat_of(browser, session) == seat
    assert alex.get(f"/s/{session.code}/").status_code == 200


def test_riley_holding_the_old_join_code_gets_nothing_after_the_new_link(dana, riley):
    couple = make_couple(dana)
    session = hosted(couple)
    through_link(couple, "a")
    couples.revoke_link(couple)
    couples.replace_link(couple)
    refused = riley.post(f"/j/{session.code}/", {"display_name": "Riley"})
    assert refused.status_code == 403
    assert not session.seats.exists()


# --- finished sessions stay the partners' ---------------------------------------------


@pytest.fixture
def finished(dana):
    """A finished session of Alex and Sam's, and their browsers; then Dana stops the link."""
    couple = alex_and_sam(dana)
    room = seated(couple)
    session = play(room)
    alex, sam = browser_of(room, "a"), browser_of(room, "b")
    couples.revoke_link(couple)
    return session, alex, sam


def test_after_a_stop_alex_still_opens_a_finished_sessions_summary(finished):
    session, alex, _ = finished
    page = alex.get(f"/s/{session.code}/summary/")
    assert page.status_code == 200
    assert alex.get(f"/s/{session.code}/").status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_after_a_stop_sam_still_downloads_a_finished_sessions_summary(finished, fmt):
    session, _, sam = finished
    assert sam.get(f"/s/{session.code}/summary.{fmt}").status_code == 200


def test_after_a_stop_alex_and_sam_can_still_delete_a_finished_sessions_content(finished):
    session, alex, sam = finished
    for browser in (alex, sam):
        answer = browser.post(f"/s/{session.code}/delete/", {"confirm": "yes"})
        assert answer.status_code in (200, 302)
    gone = alex.get(f"/s/{session.code}/summary/")
    assert gone.status_code == 410


def test_after_a_stop_alex_can_still_remove_himself_from_a_finished_session(finished):
    session, alex, _ = finished
    answer = alex.post(f"/s/{session.code}/forget/", {"confirm": "yes"})
    assert answer.status_code in (200, 302)
    assert seat_of(alex, session) is None
