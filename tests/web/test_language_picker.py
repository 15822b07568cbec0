"""Changing language later: the footer's picker on every page, a new device, the scripts' words.

The footer's picker posts to ``/language/``: it sets the language cookie and goes back to
the page it came from, on this site only. From a room where the browser holds a seat,
the seat's own language changes too, so the room page and its socket speak the new
language from the reload on; from anyone else's room, no seat changes. A partner taking
their seat to a new device may choose a language there, else the seat keeps its own.
The scripts' catalog is served per language, Spanish words for ``es``, a 404 for a
language Stay does not have.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from sessions.models import Seat
from tests.web.seat_support import gone_quiet, new_session, seat_code_of, seated
from tests.web.standing_support import hosted, make_couple, standing_url

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def choose(browser: Client, language: str, next_page: str = "/", **extra):
    return browser.post("/language/", {"language": language, "next": next_page, **extra})


def language_of(session, seat: str) -> str:
    return Seat.objects.get(session=session, seat=seat).language


def html_lang(page) -> str:
    return re.search(r'<html lang="([\w-]+)"', page.content.decode()).group(1)


# --- the footer's picker ------------------------------------------------------------------


def test_every_page_offers_the_picker_in_its_footer_and_it_works_without_scripts():
    page = Client().get("/").content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert '<form class="language-picker" method="post" action="/language/"' in footer
    assert '<label for="language-choice">Language</label>' in footer
    assert 'name="csrfmiddlewaretoken"' in footer
    assert '<input type="hidden" name="next" value="/">' in footer
    assert '<option value="es" lang="es">Español</option>' in footer
    assert '<button type="submit" class="btn">Change language</button>' in footer


def test_choosing_spanish_sets_the_cookie_and_goes_back_to_the_page():
    browser = Client()
    response = choose(browser, "es", "/?from=footer")
    assert response.status_code == 302 and response["Location"] == "/?from=footer"
    assert response.cookies[COOKIE].value == "es"
    assert html_lang(browser.get("/")) == "es"


def test_a_page_answering_a_post_sends_the_picker_back_to_the_page_the_form_was_on(dana):
    couple = make_couple(dana)
    hosted(couple)
    link = standing_url(couple)
    # "Which of you is this?" is only ever the answer to a POST: no GET to go back to.
    asked = Client().post(f"{link}join/", HTTP_REFERER=f"http://testserver{link}")
    assert "Which of you is this?" in asked.content.decode()
    assert f'name="next" value="http://testserver{link}"' in asked.content.decode()
    response = choose(Client(), "es", f"http://testserver{link}")
    assert response["Location"] == f"http://testserver{link}"


@pytest.mark.parametrize(
    "elsewhere", ["https://elsewhere.example/", "//elsewhere.example/x", "javascript:alert(1)", ""]
)
def test_a_next_page_off_this_site_goes_home_instead(elsewhere):
    response = choose(Client(), "es", elsewhere)
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[COOKIE].value == "es"


def test_a_language_not_offered_is_refused_and_nothing_is_kept():
    response = choose(Client(), "xx")
    assert response.status_code == 400
    assert response.content.decode() == "Please choose one of the languages offered."
    assert COOKIE not in response.cookies


def test_a_field_the_picker_does_not_send_is_refused_and_named():
    response = choose(Client(), "es", seat="b")
    assert response.status_code == 400
    assert "'seat'" in response.content.decode()
    assert COOKIE not in response.cookies


def test_only_a_post_changes_the_language():
    assert Client().get("/language/?language=es&next=/").status_code == 405


def test_alex_switching_in_the_room_gets_the_room_in_spanish_and_sam_keeps_english(alex, sam):
    session = new_session()
    alex_browser, sam_browser = seated(session, alex.name, sam.name)
    room = f"/s/{session.code}/"
    response = choose(alex_browser, "es", room)
    assert response["Location"] == room
    assert language_of(session, alex.seat) == "es"
    assert language_of(session, sam.seat) == ""
    assert html_lang(alex_browser.get(room)) == "es"
    assert html_lang(sam_browser.get(room)) == "en"
    # Back to English from the room: the seat follows again.
    choose(alex_browser, "en", room)
    assert language_of(session, alex.seat) == "en"


def test_someone_elses_room_as_next_changes_no_seat(alex, sam):
    session = new_session()
    seated(session, alex.name, sam.name)
    riley = Client()
    response = choose(riley, "es", f"/s/{session.code}/")
    assert response.cookies[COOKIE].value == "es"  # Riley's own browser, nothing more
    assert {language_of(session, seat) for seat in ("a", "b")} == {""}


def test_the_counselor_changing_language_in_her_room_changes_no_seat(dana, dana_client, alex):
    session = new_session(dana)
    seated(session, alex.name)
    response = choose(dana_client, "es", f"/s/{session.code}/")
    assert response.status_code == 302
    assert language_of(session, alex.seat) == ""
    assert html_lang(dana_client.get(f"/s/{session.code}/")) == "es"


# --- a new device ----------------------------------------------------------------------------


def test_a_seat_moved_to_a_new_phone_keeps_its_language_unless_one_is_chosen(alex, sam):
    session = new_session()
    alex_browser, _ = seated(session, alex.name, sam.name)
    choose(alex_browser, "es", f"/s/{session.code}/")
    gone_quiet(session, "a")
    code = seat_code_of(alex_browser, session)
    new_phone = Client()
    moved = new_phone.post(f"/j/{session.code}/seat-code/", {"seat_code": code})
    assert moved.status_code == 302
    assert language_of(session, alex.seat) == "es"  # the person reads on as before
    assert COOKIE not in moved.cookies
    Seat.objects.filter(session=session).update(claimed_at=timezone.now() - timedelta(minutes=5))
    again = Client().post(
        f"/j/{session.code}/seat-code/",
        {"seat_code": seat_code_of(new_phone, session), "language": "en"},
    )
    assert again.status_code == 302
    assert language_of(session, alex.seat) == "en"
    assert again.cookies[COOKIE].value == "en"


def test_a_seat_code_with_a_language_not_offered_moves_nothing(alex, sam):
    session = new_session()
    alex_browser, _ = seated(session, alex.name, sam.name)
    gone_quiet(session, "a")
    code = seat_code_of(alex_browser, session)
    refused = Client().post(f"/j/{session.code}/seat-code/", {"seat_code": code, "language": "xx"})
    assert refused.status_code == 400
    assert "Please choose a language from the list" in refused.content.decode()
    assert seat_code_of(alex_browser, session) == code
    assert Client().get(f"/s/{session.code}/").status_code != 200


# --- the scripts' words ----------------------------------------------------------------------


def test_the_scripts_catalog_has_spanish_words_for_es_and_no_other_language():
    spanish = Client().get("/jsi18n/es/")
    assert spanish.status_code == 200
    assert "Cambiando el idioma" in spanish.content.decode()
    english = Client().get("/jsi18n/en/")
    assert english.status_code == 200 and "Cambiando" not in english.content.decode()
    assert Client().get("/jsi18n/xx/").status_code == 404
    assert Client().get("/jsi18n/es-mx/").status_code == 404
