"""The private CSI-4 before a hosted session: asked once, checked, kept for Dana only.

Dana turned the measure on for Alex and Sam. Entering the room, each is sent to four
questions first; answering or skipping leads back to the room and is not asked again.
Every answer is checked (each question answered, within its range, no unknown field);
only the seat holder reaches the page; everyone else gets the room page's own answers.
"""

from __future__ import annotations

import pytest
from django.test import Client

from sessions.models import CoupleSession, MeasureAnswer
from sessions.store import measures
from tests.web.standing_support import (
    ALEX_ITEMS,
    hosted,
    make_couple,
    practice,
    practice_session,
    through_link,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(dana):
    couple = make_couple(dana, measure_on=True)
    session = hosted(couple)
    return session, through_link(couple, "a"), through_link(couple, "b")


def url(session) -> str:
    return f"/s/{session.code}/measure/"


def test_entering_the_room_alex_is_asked_the_four_questions_first(room):
    session, alex, _ = room
    assert alex.get(f"/s/{session.code}/")["Location"] == url(session)
    page = alex.get(url(session))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("<fieldset") == 4 and text.count("<legend>") == 4
    assert "Please indicate the degree of happiness" in text
    assert "Only your counselor sees your answers — Sam never does." in text
    assert "Skip for today" in text and "Funk" in text and "572–583" in text


def test_answering_keeps_the_four_answers_and_total_then_the_room_opens(room):
    session, alex, _ = room
    answered = alex.post(url(session), ALEX_ITEMS)
    assert answered["Location"] == f"/s/{session.code}/"
    row = MeasureAnswer.objects.get(session=session, seat="a")
    assert row.items == [1, 4, 2, 3] and row.total == 10 and not row.skipped
    assert row.couple_id == session.couple_id and "·" in row.session_label
    assert alex.get(f"/s/{session.code}/").status_code == 200
    assert alex.get(url(session))["Location"] == f"/s/{session.code}/"  # not asked again


def test_skipping_is_kept_as_a_skip_and_not_asked_again(room):
    session, _, sam = room
    skipped = sam.post(url(session), {"skip": "yes", "item1": "3"})
    assert skipped["Location"] == f"/s/{session.code}/"
    row = MeasureAnswer.objects.get(session=session, seat="b")
    assert row.skipped and row.items == [] and row.total is None
    assert sam.get(f"/s/{session.code}/").status_code == 200


@pytest.mark.parametrize("value", ["no", "", "0"])
def test_a_skip_field_that_is_not_the_skip_button_throws_nothing_away(room, value):
    session, alex, _ = room
    refused = alex.post(url(session), {**ALEX_ITEMS, "skip": value})
    assert refused.status_code == 400
    assert "nothing was saved" in refused.content.decode()
    assert not MeasureAnswer.objects.filter(session=session, seat="a").exists()


def test_a_missing_answer_is_named_and_the_chosen_ones_stay_chosen(room):
    session, alex, _ = room
    refused = alex.post(url(session), {**ALEX_ITEMS, "item3": ""})
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "Please choose an answer to question 3." in text
    assert 'role="alert"' in text and 'aria-describedby="item3-error"' in text
    assert 'name="item1" value="1" checked' in text
    assert not MeasureAnswer.objects.exists()


@pytest.mark.parametrize("field,value", [("item1", "7"), ("item2", "6"), ("item4", "-1")])
def test_an_answer_out_of_range_is_refused_naming_the_question(room, field, value):
    session, alex, _ = room
    refused = alex.post(url(session), {**ALEX_ITEMS, field: value})
    assert refused.status_code == 400
    assert f"Question {field[-1]} takes one of its listed answers" in refused.content.decode()
    assert not MeasureAnswer.objects.exists()


def test_an_unknown_field_is_refused(room):
    session, alex, _ = room
    refused = alex.post(url(session), {**ALEX_ITEMS, "item5": "2"})
    assert refused.status_code == 400
    assert "'item5'" in refused.content.decode()
    assert not MeasureAnswer.objects.exists()


def test_the_first_answer_stays_a_second_tab_changes_nothing(room):
    session, alex, _ = room
    measures.record(session, "a", [1, 4, 2, 3])
    assert measures.skip(session, "a").total == 10
    assert measures.record(session, "a", [6, 5, 5, 5]).total == 10
    assert MeasureAnswer.objects.filter(session=session, seat="a").count() == 1


def test_nothing_is_asked_when_dana_has_not_turned_it_on(dana):
    couple = make_couple(dana, measure_on=False)
    session = hosted(couple)
    alex = through_link(couple, "a")
    assert alex.get(f"/s/{session.code}/").status_code == 200
    assert alex.get(url(session))["Location"] == f"/s/{session.code}/"


def test_practice_and_finished_sessions_ask_nothing(dana):
    couple = make_couple(dana, measure_on=True)
    own = practice_session(couple, practice(couple))
    assert not measures.due(own, "a")
    session = hosted(couple)
    CoupleSession.objects.filter(pk=session.pk).update(status="ended")
    session.refresh_from_db()
    assert not measures.due(session, "a")
    assert measures.due(hosted(couple), "a")


# --- Who may open it -------------------------------------------------------------------


def test_a_stranger_is_answered_as_the_room_page_answers_and_learns_nothing(room, riley):
    session, _, _ = room
    for response in (riley.get(url(session)), riley.post(url(session), ALEX_ITEMS)):
        assert response.status_code == 302 and response["Location"] == f"/j/{session.code}/"
    assert not MeasureAnswer.objects.exists()


def test_a_partner_of_another_couple_gets_no_page(dana, room):
    session, _, _ = room
    theirs = make_couple(dana, names=("Jo", "Kim"), measure_on=True)
    hosted(theirs)
    jo = through_link(theirs, "a")
    assert jo.get(url(session))["Location"] == f"/j/{session.code}/"
    assert jo.post(url(session), ALEX_ITEMS)["Location"] == f"/j/{session.code}/"
    assert not MeasureAnswer.objects.filter(session=session).exists()


def test_robin_gets_a_404_and_dana_is_sent_to_her_room(room, robin_client, dana_client):
    session, _, _ = room
    assert robin_client.get(url(session)).status_code == 404
    assert robin_client.post(url(session), ALEX_ITEMS).status_code == 404
    assert dana_client.get(url(session))["Location"] == f"/s/{session.code}/"
    assert dana_client.post(url(session), ALEX_ITEMS)["Location"] == f"/s/{session.code}/"
    assert not MeasureAnswer.objects.exists()


def test_answering_needs_the_csrf_token(room):
    session, alex, _ = room
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = alex.cookies
    assert strict.post(url(session), ALEX_ITEMS).status_code == 403
    assert not MeasureAnswer.objects.exists()
