"""Dana's couple pages: adding Alex and Sam, the list, editing, deleting, and refused forms.

Names are first names or initials only, 1–40 characters once trimmed, no control
characters; a note holds up to 2000 characters. A refused form answers 400 and shows
the page again with the error under its field, and nothing is saved.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from sessions.models import Couple, CoupleSession, GoneLink
from sessions.store import couples
from tests.support.couple_play import alex_and_sam, give_practice, play, seated

pytestmark = pytest.mark.django_db

NEW = "/counselor/couples/new/"


def page(couple: Couple, tail: str = "") -> str:
    return f"/counselor/couples/{couple.pk}/{tail}"


# --- adding and listing -----------------------------------------------------------------


def test_dana_adds_alex_and_sam_and_lands_on_their_page_with_a_link(dana, dana_client):
    response = dana_client.post(
        NEW, {"name_a": "  Alex ", "name_b": "S.", "note": "Referred in March", "measure_on": "on"}
    )
    couple = Couple.objects.get()
    assert response.status_code == 302 and response["Location"] == page(couple)
    assert (couple.name_a, couple.name_b, couple.counselor) == ("Alex", "S.", dana)
    assert couple.measure_on and couple.note == "Referred in March"
    text = dana_client.get(page(couple)).content.decode()
    assert f"/c/{couple.link_code}/" in text and "data-copy-link" in text and "<svg" in text
    assert "Referred in March" in text


def test_the_add_page_asks_for_first_names_or_initials_only(dana_client):
    text = dana_client.get(NEW).content.decode()
    assert "First names or initials only" in text
    assert 'name="name_a"' in text and 'name="name_b"' in text


def test_the_list_shows_dana_her_couples_with_last_session_and_practice(dana, dana_client, robin):
    couple = alex_and_sam(dana)
    play(seated(couple))
    give_practice(couple, times=3)
    couples.create_couple(robin, name_a="Jo", name_b="Kim")
    text = dana_client.get("/counselor/couples/").content.decode()
    assert "Alex and Sam" in text and "Last session" in text
    assert "done 0 of 3 this week" in text
    assert "Jo" not in text


def test_the_counselor_nav_leads_to_couples(dana_client):
    assert 'href="/counselor/couples/"' in dana_client.get("/counselor/").content.decode()


# --- refused forms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"name_a": "A" * 41, "name_b": "Sam"}, "40 characters or fewer"),
        ({"name_a": "Alex", "name_b": "Sa\x07m"}, "cannot hold invisible or control characters"),
        ({"name_a": "Ale\u00adx", "name_b": "Sam"}, "cannot hold invisible or control"),
        ({"name_a": "\u200b", "name_b": "Sam"}, "cannot hold invisible or control"),
        ({"name_a": "Alex", "name_b": "\u202eSam"}, "cannot hold invisible or control"),
        ({"name_a": "   ", "name_b": "Sam"}, "first name or initials"),
        ({"name_a": "Alex", "name_b": "Sam", "note": "x" * 2001}, "up to 2000 characters"),
        ({"name_a": "Alex", "name_b": "Sam", "note": "a\x7fb"}, "cannot hold control characters"),
        ({"name_a": "Alex", "name_b": "Sam", "surname": "Smith"}, "does not take the field"),
    ],
    ids=[
        "too-long-name",
        "control-character",
        "soft-hyphen",
        "zero-width-only",
        "direction-override",
        "blank-name",
        "long-note",
        "delete-in-note",
        "unknown-field",
    ],
)
def test_a_refused_couple_form_answers_400_and_saves_nothing(dana_client, data, field_error):
    response = dana_client.post(NEW, data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not Couple.objects.exists()


def test_a_name_of_exactly_40_characters_after_trimming_is_kept(dana_client):
    name = "B" * 40
    assert dana_client.post(NEW, {"name_a": f"  {name}  ", "name_b": "C"}).status_code == 302
    assert Couple.objects.get().name_a == name


# --- editing ------------------------------------------------------------------------------


def test_dana_edits_names_note_and_the_measure(dana, dana_client):
    couple = alex_and_sam(dana)
    link = couple.link_code
    form = dana_client.get(page(couple, "edit/")).content.decode()
    assert 'value="Alex"' in form
    response = dana_client.post(
        page(couple, "edit/"), {"name_a": "Alex", "name_b": "Sami", "note": "", "measure_on": "on"}
    )
    assert response.status_code == 302
    couple.refresh_from_db()
    assert couple.name_b == "Sami" and couple.measure_on and couple.link_code == link


def test_a_refused_edit_changes_nothing(dana, dana_client):
    couple = alex_and_sam(dana)
    response = dana_client.post(page(couple, "edit/"), {"name_a": "", "name_b": "Sam"})
    assert response.status_code == 400
    couple.refresh_from_db()
    assert couple.name_a == "Alex"


# --- deleting -------------------------------------------------------------------------------


def test_the_delete_page_says_what_goes_before_anything_goes(dana, dana_client):
    couple = alex_and_sam(dana)
    play(seated(couple))
    text = dana_client.get(page(couple, "delete/")).content.decode()
    assert "Delete Alex and Sam?" in text and "1 session" in text
    assert Couple.objects.filter(pk=couple.pk).exists()


def test_deleting_removes_the_couple_and_its_link_is_gone(dana, dana_client):
    couple = alex_and_sam(dana)
    session = play(seated(couple))
    link = couple.link_code
    response = dana_client.post(page(couple, "delete/"))
    assert response.status_code == 302 and response["Location"] == "/counselor/couples/"
    assert not Couple.objects.exists() and not CoupleSession.objects.filter(pk=session.pk).exists()
    assert couples.link_is_gone(link) and GoneLink.objects.count() == 1
    assert dana_client.get(page(couple)).status_code == 404


def test_deleting_with_an_unknown_field_deletes_nothing(dana, dana_client):
    couple = alex_and_sam(dana)
    response = dana_client.post(page(couple, "delete/"), {"also": "robin's"})
    assert response.status_code == 400 and "Nothing was deleted" in response.content.decode()
    assert Couple.objects.filter(pk=couple.pk).exists()


# --- the page's retention words and the counselor's name ------------------------------------


def test_the_couple_page_says_what_is_kept_how_long_and_who_deletes_it(dana, dana_client):
    text = dana_client.get(page(alex_and_sam(dana))).content.decode()
    assert "What is kept, and for how long" in text
    assert "until you delete the couple" in text
    assert "Nothing of it is deleted on a timer" in text
    assert "delete a finished session's content" in text


def test_create_counselor_takes_a_first_and_last_name_the_rooms_show(monkeypatch):
    monkeypatch.setenv("DANA_PASSWORD", "calm-harbour-lantern-42")
    out = StringIO()
    call_command(
        "create_counselor",
        "dreyes",
        "--name",
        " Dana  Reyes ",
        "--password-from-env",
        "DANA_PASSWORD",
        stdout=out,
    )
    assert "Dana Reyes" in out.getvalue()
    user = get_user_model().objects.get(username="dreyes")
    assert (user.first_name, user.last_name, user.get_full_name()) == (
        "Dana",
        "Reyes",
        "Dana Reyes",
    )
    session = couples.create_hosted_session(alex_and_sam(user), "daily-checkin")
    assert session.state["host"]["name"] == "Dana Reyes"


def test_every_couple_page_has_one_heading_and_every_field_a_label(dana, dana_client):
    couple = alex_and_sam(dana)
    play(seated(couple))
    for path in (
        "/counselor/couples/",
        NEW,
        page(couple),
        page(couple, "edit/"),
        page(couple, "delete/"),
    ):
        html = dana_client.get(path).content.decode()
        assert html.count("<h1") == 1, path
        assert "style=" not in html.split("<main", 1)[1] and "<script>" not in html, path
        for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html):
            assert f'for="{field_id}"' in html, (path, field_id)
