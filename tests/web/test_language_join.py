"""Choosing the language you read Stay in as you take a seat: each partner their own.

Alex joins in Spanish, Sam in English, through the shared link: each seat keeps its
language (`Seat.language`) and each browser gets the language cookie, so Alex's room
page is Spanish and Sam's English. The picker starts on the browser's own language
(Accept-Language, or the cookie); a value it never offers is refused with a sentence and
nothing is claimed. The couple's "which of you is this?", a workshop's door and its
pairing page, and a seat code on a new device take the same field.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client

from sessions.models import CoupleSession, Seat
from sessions.store import creation
from tests.support.protocols import short_protocol
from tests.web.standing_support import hosted, make_couple, standing_url
from tests.web.workshop_support import new_workshop, start

pytestmark = pytest.mark.django_db

DOC = short_protocol()
REFUSED = "Please choose a language from the list: English, Español."


@pytest.fixture
def session() -> CoupleSession:
    return creation.create_session(DOC["slug"], protocol=SimpleNamespace(doc=DOC))


def join(browser: Client, session: CoupleSession, name: str, **fields):
    return browser.post(f"/j/{session.code}/", {"display_name": name, **fields})


def language_of(session: CoupleSession, seat: str) -> str:
    return Seat.objects.get(session=session, seat=seat).language


def chosen_option(page: str, select_id: str = "language") -> str:
    """The value the picker `select_id` starts on."""
    select = re.search(rf'<select id="{select_id}".*?</select>', page, re.S)
    assert select, f"no picker #{select_id} on the page"
    found = re.search(r'<option value="(\w+)"[^>]*\bselected\b', select.group(0))
    assert found, "the picker chooses nothing"
    return found.group(1)


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([\w-]+)"', page).group(1)


# --- the join link ---------------------------------------------------------------------


def test_alex_joins_in_spanish_and_seat_and_browser_remember_it(session, alex):
    response = join(Client(), session, alex.name, language="es")
    assert response.status_code == 302
    assert language_of(session, alex.seat) == "es"
    kept = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert kept.value == "es"
    assert kept["samesite"] == "Lax" and kept["max-age"] == settings.LANGUAGE_COOKIE_AGE


def test_a_language_not_offered_is_refused_with_a_sentence_and_nothing_is_claimed(session, alex):
    response = join(Client(), session, alex.name, language="fr")
    page = response.content.decode()
    assert response.status_code == 400
    assert REFUSED in page
    assert 'aria-describedby="language-error"' in page
    assert f'value="{alex.name}"' in page  # the name typed is kept for the next try
    assert not Seat.objects.filter(session=session).exists()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_form_without_the_picker_leaves_the_language_to_the_browser(session, alex):
    response = join(Client(), session, alex.name)
    assert response.status_code == 302
    assert language_of(session, alex.seat) == ""
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_name_refused_keeps_the_language_chosen(session):
    response = join(Client(), session, "   ", language="es")
    assert response.status_code == 400
    assert chosen_option(response.content.decode()) == "es"


def test_the_picker_names_each_language_in_itself_and_starts_on_the_browsers(session):
    english = Client().get(f"/j/{session.code}/").content.decode()
    assert chosen_option(english) == "en"
    assert '<option value="es" lang="es">Español</option>' in english
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").get(f"/j/{session.code}/")
    assert chosen_option(spanish.content.decode()) == "es"
    by_cookie = Client(HTTP_ACCEPT_LANGUAGE="es")
    by_cookie.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert chosen_option(by_cookie.get(f"/j/{session.code}/").content.decode()) == "en"


def test_each_partners_room_page_is_in_their_own_language(session, alex, sam):
    alex_browser, sam_browser = Client(), Client(HTTP_ACCEPT_LANGUAGE="es")
    assert join(alex_browser, session, alex.name, language="es").status_code == 302
    # Sam's browser asks for Spanish, but Sam chose English for this seat.
    assert join(sam_browser, session, sam.name, language="en").status_code == 302
    alex_page = alex_browser.get(f"/s/{session.code}/")
    sam_page = sam_browser.get(f"/s/{session.code}/")
    assert html_lang(alex_page.content.decode()) == "es"
    assert alex_page["Content-Language"] == "es"
    assert "/jsi18n/es/" in alex_page.content.decode()
    assert html_lang(sam_page.content.decode()) == "en"
    assert sam_page["Content-Language"] == "en"


# --- the couple's standing link ------------------------------------------------------------


def test_the_couples_which_of_you_page_takes_the_language_with_the_seat(dana):
    couple = make_couple(dana)
    current = hosted(couple)
    browser = Client(HTTP_ACCEPT_LANGUAGE="es")
    asked = browser.post(f"{standing_url(couple)}join/")
    assert asked.status_code == 200
    assert chosen_option(asked.content.decode()) == "es"
    taken = browser.post(f"{standing_url(couple)}join/", {"seat": "b", "language": "es"})
    assert taken.status_code == 302
    assert language_of(current, "b") == "es"
    assert taken.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_the_couples_page_refuses_a_language_not_offered_and_remembers_nothing(dana):
    couple = make_couple(dana)
    current = hosted(couple)
    browser = Client()
    refused = browser.post(f"{standing_url(couple)}join/", {"seat": "a", "language": "xx"})
    assert refused.status_code == 400
    assert REFUSED in refused.content.decode()
    assert not Seat.objects.filter(session=current).exists()
    # Not even which of the two this browser is: the next try asks again.
    assert "Which of you is this?" in browser.post(f"{standing_url(couple)}join/").content.decode()


# --- a workshop's door and pairing page ------------------------------------------------


def test_a_workshop_couple_each_choose_their_language_at_the_door(dana, alex, sam):
    workshop = new_workshop(dana)
    door = Client(HTTP_ACCEPT_LANGUAGE="es").get(f"/w/{workshop.code}/").content.decode()
    assert chosen_option(door, "start-language") == "es"
    assert chosen_option(door, "join-language") == "es"
    alex_browser = Client()
    started = alex_browser.post(f"/w/{workshop.code}/start/", {"name": alex.name, "language": "es"})
    assert started.status_code == 302
    room = CoupleSession.objects.get(workshop=workshop)
    assert language_of(room, "a") == "es"
    assert started.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    pairing = f"/w/{workshop.code}/p/{room.pairing_word}/"
    assert chosen_option(Client().get(pairing).content.decode(), "pair-language") == "en"
    joined = Client().post(pairing, {"name": sam.name, "language": "en"})
    assert joined.status_code == 302
    assert language_of(room, "b") == "en"


def test_the_workshop_door_refuses_a_language_not_offered_and_makes_no_room(dana, alex, sam):
    workshop = new_workshop(dana)
    refused = Client().post(f"/w/{workshop.code}/start/", {"name": alex.name, "language": "xx"})
    assert refused.status_code == 400
    assert REFUSED in refused.content.decode()
    assert not CoupleSession.objects.filter(workshop=workshop).exists()
    _, room = start(workshop, alex.name)
    word = room.pairing_word
    for path, data in (
        (f"/w/{workshop.code}/join/", {"word": word, "name": sam.name, "language": "xx"}),
        (f"/w/{workshop.code}/p/{word}/", {"name": sam.name, "language": "xx"}),
    ):
        response = Client().post(path, data)
        assert response.status_code == 400, path
        assert REFUSED in response.content.decode()
    assert not Seat.objects.filter(session=room, seat="b").exists()
