"""A partner's other pages of a session speak the seat's language, not the browser's.

Sam chose Spanish for his seat while his browser (its language cookie, its
Accept-Language) says English. Not only his room is Spanish: the summary (which the room
also fetches into itself as it ends), the private measure the room sends him to first,
and his own exports are too. Alex, in an English seat, reads all of them in English, and
a visitor without a seat gets what their browser asks for.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client

from sessions.models import CoupleSession
from sessions.store import creation
from tests.support.protocols import short_protocol
from tests.web.standing_support import hosted, make_couple, standing_url

pytestmark = pytest.mark.django_db

DOC = short_protocol()


@pytest.fixture
def session() -> CoupleSession:
    return creation.create_session(DOC["slug"], protocol=SimpleNamespace(doc=DOC))


def english_browser() -> Client:
    """A browser whose cookie and Accept-Language both say English."""
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


def seated(session: CoupleSession, name: str, language: str) -> Client:
    """An English browser that took a seat through the link, choosing `language` for it."""
    browser = english_browser()
    response = browser.post(f"/j/{session.code}/", {"display_name": name, "language": language})
    assert response.status_code == 302
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the browser says English again
    return browser


def html_lang(response) -> str:
    return re.search(r'<html lang="([\w-]+)"', response.content.decode()).group(1)


@pytest.fixture
def couple_browsers(session, alex, sam) -> tuple[Client, Client]:
    return seated(session, alex.name, "en"), seated(session, sam.name, "es")


# --- the summary ---------------------------------------------------------------------------


def test_sams_summary_is_in_his_seats_spanish_though_his_browser_says_english(
    session, couple_browsers
):
    _alex, sam = couple_browsers
    page = sam.get(f"/s/{session.code}/summary/")
    assert page.status_code == 200
    assert html_lang(page) == "es"
    assert page["Content-Language"] == "es"
    assert "Tu sesión en pareja" in page.content.decode()


def test_alexs_summary_stays_in_his_seats_english(session, couple_browsers):
    alex, _sam = couple_browsers
    page = alex.get(f"/s/{session.code}/summary/")
    assert html_lang(page) == "en"
    assert page["Content-Language"] == "en"
    assert "Your session together" in page.content.decode()


def test_a_seat_left_to_its_browser_follows_the_browser(session, alex):
    browser = Client(HTTP_ACCEPT_LANGUAGE="es")
    response = browser.post(f"/j/{session.code}/", {"display_name": alex.name})
    assert response.status_code == 302
    page = browser.get(f"/s/{session.code}/summary/")
    assert html_lang(page) == "es"
    assert page["Content-Language"] == "es"


def test_sams_exports_are_worded_in_spanish_as_his_summary_is(session, couple_browsers):
    alex, sam = couple_browsers
    sams = sam.get(f"/s/{session.code}/summary.json")
    alexs = alex.get(f"/s/{session.code}/summary.json")
    assert sams["Content-Language"] == "es" and alexs["Content-Language"] == "en"
    assert sams.json()["session"]["steps_line"] != alexs.json()["session"]["steps_line"]
    assert sam.get(f"/s/{session.code}/summary.csv")["Content-Language"] == "es"


# --- visitors without a seat -----------------------------------------------------------------


def test_a_visitor_without_a_seat_gets_their_browsers_language(session, couple_browsers):
    spanish, english = Client(HTTP_ACCEPT_LANGUAGE="es"), english_browser()
    # The room link without a seat is the join page, in the browser's language.
    assert spanish.get(f"/s/{session.code}/")["Content-Language"] == "es"
    assert english.get(f"/s/{session.code}/")["Content-Language"] == "en"
    # The summary is not theirs: a page that does not exist, in their language too.
    missing = spanish.get(f"/s/{session.code}/summary/")
    assert missing.status_code == 404
    assert missing["Content-Language"] == "es"


# --- the private measure -------------------------------------------------------------------


@pytest.fixture
def measured(dana) -> tuple[CoupleSession, Client, Client]:
    """Dana's session for Alex and Sam with the measure on: Alex's seat English, Sam's Spanish."""
    couple = make_couple(dana, measure_on=True)
    session = hosted(couple)
    browsers = []
    for seat, language in (("a", "en"), ("b", "es")):
        browser = english_browser()
        taken = browser.post(f"{standing_url(couple)}join/", {"seat": seat, "language": language})
        assert taken.status_code == 302
        browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        browsers.append(browser)
    return session, *browsers


def test_sams_room_sends_him_to_a_measure_page_in_his_seats_spanish(measured):
    session, _alex, sam = measured
    assert sam.get(f"/s/{session.code}/")["Location"] == f"/s/{session.code}/measure/"
    page = sam.get(f"/s/{session.code}/measure/")
    assert page.status_code == 200
    assert html_lang(page) == "es"
    assert page["Content-Language"] == "es"
    assert "Primero, cuatro preguntas cortas" in page.content.decode()


def test_alexs_measure_page_stays_in_his_seats_english(measured):
    session, alex, _sam = measured
    page = alex.get(f"/s/{session.code}/measure/")
    assert html_lang(page) == "en"
    assert page["Content-Language"] == "en"
    assert "Four short questions first" in page.content.decode()


def test_sams_measure_refusal_is_worded_in_spanish_too(measured):
    session, _alex, sam = measured
    refused = sam.post(f"/s/{session.code}/measure/", {"item1": "9"})
    assert refused.status_code == 400
    assert html_lang(refused) == "es"
    assert refused["Content-Language"] == "es"


# --- the room itself -------------------------------------------------------------------------


def test_the_room_still_speaks_each_seats_language(session, couple_browsers):
    alex, sam = couple_browsers
    assert sam.get(f"/s/{session.code}/")["Content-Language"] == "es"
    assert alex.get(f"/s/{session.code}/")["Content-Language"] == "en"
