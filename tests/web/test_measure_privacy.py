"""Alex's CSI-4 answers reach Dana only: never Sam, never the room, the summary or a file.

Alex answers the four questions with choices whose words appear nowhere else ("Fairly
unhappy", "Almost completely true"); Sam answers nothing. Then every page and download
Sam can open, and the room's own state, are read for any trace of Alex's answers.
"""

from __future__ import annotations

import json

import pytest

from sessions.models import MeasureAnswer
from sessions.store import rooms
from tests.web.standing_support import (
    ALEX_ANSWER_WORDS,
    ALEX_ITEMS,
    check_in_and_end,
    hosted,
    make_couple,
    standing_url,
    through_link,
)

pytestmark = pytest.mark.django_db

TRACES = (*ALEX_ANSWER_WORDS, "CSI", "item1", "satisf", "Funk")


def traces_in(text: str) -> list[str]:
    return [word for word in TRACES if word.lower() in text.lower()]


@pytest.fixture
def answered(dana):
    couple = make_couple(dana, measure_on=True)
    session = hosted(couple)
    alex, sam = through_link(couple, "a"), through_link(couple, "b")
    assert alex.post(f"/s/{session.code}/measure/", ALEX_ITEMS).status_code == 302
    assert sam.post(f"/s/{session.code}/measure/", {"skip": "yes"}).status_code == 302
    assert MeasureAnswer.objects.get(seat="a").total == 10
    return couple, session, alex, sam


def test_the_rooms_state_never_holds_an_answer(answered):
    _, session, _, _ = answered
    state = json.dumps(rooms.load_state(session.code))
    assert not traces_in(state)
    assert "[1, 4, 2, 3]" not in state and '"total"' not in state


def test_sams_room_and_standing_link_never_show_alexs_answers(answered):
    couple, session, _, sam = answered
    room = sam.get(f"/s/{session.code}/")
    assert room.status_code == 200 and not traces_in(room.content.decode())
    link = sam.get(standing_url(couple))
    assert link.status_code == 200 and not traces_in(link.content.decode())


def test_sams_summary_and_downloads_never_show_alexs_answers(answered):
    couple, session, _, sam = answered
    check_in_and_end(session)
    for path in ("summary/", "summary.csv", "summary.json"):
        response = sam.get(f"/s/{session.code}/{path}")
        assert response.status_code == 200, path
        assert not traces_in(response.content.decode()), path
    assert not traces_in(sam.get(standing_url(couple)).content.decode())


def test_alexs_own_summary_and_downloads_do_not_carry_the_measure_either(answered):
    _, session, alex, _ = answered
    check_in_and_end(session)
    for path in ("summary/", "summary.csv", "summary.json"):
        assert not traces_in(alex.get(f"/s/{session.code}/{path}").content.decode()), path


def test_sams_measure_page_after_skipping_sends_him_to_the_room_with_nothing_of_alexs(answered):
    _, session, _, sam = answered
    response = sam.get(f"/s/{session.code}/measure/", follow=True)
    assert response.redirect_chain[-1][0] == f"/s/{session.code}/"
    assert not traces_in(response.content.decode())
