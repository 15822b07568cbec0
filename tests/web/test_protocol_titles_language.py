"""A protocol is named in its reader's language on every page, where the protocol offers it.

Rows keep the protocol's title as it was copied (English for the built-ins); the words a
page shows come from the protocol's per-language texts instead: a room's or workshop's
frozen copy, and for a practice (a slug and a title copy only) the protocol its slug names.
A reader in English sees exactly what was stored; a protocol with no Spanish text keeps its
own words. No translation catalog is needed: the words are the protocol's own.
"""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from sessions.models import CoupleSession, Practice, Protocol, protocol_text
from sessions.protocols import builtin_protocols
from sessions.reports import workshop as report
from sessions.store import couples, creation
from sessions.store import workshops as workshop_store
from tests.support.couple_play import alex_and_sam, reports_protocol

pytestmark = pytest.mark.django_db

SLUG = "daily-checkin"
DOC = builtin_protocols()[SLUG]
ENGLISH, SPANISH = DOC["title"], DOC["texts"]["es"]["title"]  # Daily check-in, Conexión diaria
FIRST_STEP_ES = DOC["steps"][0]["texts"]["es"]["title"]


def reading(client: Client, language: str) -> Client:
    """The browser asks for ``language`` (its language cookie and Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def own_protocol(owner, slug: str = "dana-conexion") -> Protocol:
    """Dana's own protocol: the built-in daily check-in's text, English and Spanish, renamed."""
    source = (settings.BASE_DIR / "sessions" / "protocols" / f"{SLUG}.toml").read_text()
    protocol = Protocol(source=source.replace(f'slug = "{SLUG}"', f'slug = "{slug}"', 1))
    protocol.owner = owner
    protocol.full_clean()
    protocol.save()
    return protocol


def test_a_rooms_title_reads_in_a_language_its_protocol_offers_and_as_stored_otherwise(dana):
    """The frozen copy's Spanish for "es" (and "es-MX"), the stored title for English, for
    a language the protocol lacks, and for a protocol written in English only."""
    room = creation.create_session(SLUG, dana)
    assert room.protocol_title_in("es") == SPANISH
    assert room.protocol_title_in("es-MX") == SPANISH
    assert room.protocol_title_in("en") == ENGLISH
    assert room.protocol_title_in("fr") == ENGLISH
    with translation.override("es"):
        assert room.protocol_title_in() == SPANISH
    plain = reports_protocol()
    english_only = creation.create_session(plain.slug, dana, protocol=plain)
    assert english_only.protocol_title_in("es") == english_only.protocol_title
    assert protocol_text({}, "title", "Kept", "es") == "Kept"


def test_a_practice_names_the_protocol_its_slug_finds_or_keeps_its_own_copy(dana):
    """A built-in's and the counselor's own protocol's Spanish; a practice whose protocol is
    gone keeps the title copied when it was given; read with its list, no query more."""
    couple = alex_and_sam(dana)
    mine = own_protocol(dana)
    builtin = couples.assign_practice(
        couple, protocol_slug=SLUG, protocol_title=ENGLISH, times_per_week=2
    )
    own = couples.assign_practice(
        couple, protocol_slug=mine.slug, protocol_title=mine.title, times_per_week=1
    )
    gone = couples.assign_practice(
        couple, protocol_slug="no-longer-here", protocol_title="Old ritual", times_per_week=1
    )
    assert builtin.protocol_title_in("es") == SPANISH
    assert own.protocol_title_in("es") == SPANISH
    assert own.protocol_title_in("en") == mine.title
    assert gone.protocol_title_in("es") == "Old ritual"
    listed = {p.pk: p for p in Practice.objects.filter(couple=couple).with_protocol_doc()}
    assert listed[own.pk].protocol_title_in("es") == SPANISH
    assert listed[gone.pk].protocol_title_in("es") == "Old ritual"


def test_another_counselors_protocol_of_that_slug_never_names_a_practice(dana, robin):
    """Only a shared protocol or the couple's own counselor's may lend its words."""
    robins = own_protocol(robin, slug="robin-only")
    practice = couples.assign_practice(
        alex_and_sam(dana), protocol_slug=robins.slug, protocol_title="As given", times_per_week=1
    )
    assert practice.protocol_title_in("es") == "As given"
    assert Practice.objects.with_protocol_doc().get().protocol_title_in("es") == "As given"


def test_starting_and_joining_a_room_name_its_protocol_in_the_browsers_language():
    """The link to share and the join page in Spanish say "Conexión diaria", in English
    "Daily check-in", from the same room."""
    creator = reading(Client(), "es")
    made = creator.post("/start/", {"protocol": SLUG})
    assert made.status_code == 302
    created = page(creator, made["Location"])
    code = CoupleSession.objects.get().code
    assert SPANISH in created and ENGLISH not in created
    joining = page(reading(Client(), "es"), f"/j/{code}/")
    assert SPANISH in joining and ENGLISH not in joining
    in_english = page(reading(Client(), "en"), f"/j/{code}/")
    assert ENGLISH in in_english and SPANISH not in in_english


def dana_with_a_caseload(dana) -> dict:
    """A couple with a hosted session waiting and a practice of the built-in, a practice
    session of it running, and Dana's own protocol."""
    couple = alex_and_sam(dana)
    hosted = creation.create_session(SLUG, dana, couple=couple)
    practice = couples.assign_practice(
        couple, protocol_slug=SLUG, protocol_title=ENGLISH, times_per_week=3
    )
    creation.create_session(SLUG, couple=couple, practice=practice)
    return {"couple": couple, "hosted": hosted, "protocol": own_protocol(dana)}


def counselor_pages(scene: dict) -> dict[str, str]:
    couple, hosted = scene["couple"], scene["hosted"]
    return {
        "dashboard": "/counselor/",
        "couples": "/counselor/couples/",
        "couple": f"/counselor/couples/{couple.pk}/",
        "share": f"/counselor/s/{hosted.code}/",
        "summary": f"/counselor/s/{hosted.code}/summary/",
        "protocols": "/counselor/protocols/",
    }


def test_the_counselors_pages_name_every_protocol_in_her_language(dana, dana_client):
    """Dashboard, couples, a couple, a session's link and summary, her protocols: Spanish
    titles (and for whom) only, never the stored English."""
    scene = dana_with_a_caseload(dana)
    reading(dana_client, "es")
    for name, path in counselor_pages(scene).items():
        body = page(dana_client, path)
        assert SPANISH in body, name
        assert ENGLISH not in body, name
    listed = page(dana_client, "/counselor/protocols/")
    assert DOC["texts"]["es"]["for_whom"] in listed
    assert DOC["for_whom"] not in listed
    edit = page(dana_client, f"/counselor/protocols/{scene['protocol'].slug}/edit/")
    heading = re.search(r"<h1>(.*?)</h1>", edit, re.S).group(1)
    assert SPANISH in heading and ENGLISH not in heading


def test_the_counselors_pages_in_english_read_as_stored(dana, dana_client):
    """The same pages in English show the stored titles and no Spanish one."""
    scene = dana_with_a_caseload(dana)
    reading(dana_client, "en")
    for name, path in counselor_pages(scene).items():
        body = page(dana_client, path)
        assert ENGLISH in body, name
        assert SPANISH not in body, name


def test_the_standing_link_names_practice_and_a_running_session_in_the_couples_language(dana):
    """The couple's own page lists their practice and the room under way in Spanish."""
    scene = dana_with_a_caseload(dana)
    couple = scene["couple"]
    couple.refresh_from_db()
    body = page(reading(Client(), "es"), f"/c/{couple.link_code}/")
    assert SPANISH in body and ENGLISH not in body


def test_a_workshops_pages_name_its_protocol_and_steps_in_the_readers_language(dana, dana_client):
    """Its list, console and door in Spanish; its summary's protocol and step titles too,
    while the summary's export keeps the titles as written."""
    workshop = workshop_store.create_workshop(
        dana, protocol_slug=SLUG, title="Tarde", max_couples=4, paced=True
    )
    reading(dana_client, "es")
    for path in (
        "/counselor/workshops/",
        f"/counselor/workshops/{workshop.pk}/",
        f"/counselor/workshops/{workshop.pk}/summary/",
    ):
        body = page(dana_client, path)
        assert SPANISH in body and ENGLISH not in body, path
    door = page(reading(Client(), "es"), f"/w/{workshop.code}/")
    assert SPANISH in door and ENGLISH not in door
    summary = page(dana_client, f"/counselor/workshops/{workshop.pk}/summary/")
    assert FIRST_STEP_ES in summary and DOC["steps"][0]["title"] not in summary
    exported = json.loads(
        dana_client.get(f"/counselor/workshops/{workshop.pk}/summary.json").content
    )
    assert exported["protocol"] == ENGLISH
    assert exported["steps_reached"][0]["title"] == DOC["steps"][0]["title"]


def test_a_kept_workshop_summary_is_worded_for_its_reader_too(dana, dana_client):
    """Once ended, the summary kept with English titles still reads in Spanish on its page."""
    workshop = workshop_store.create_workshop(
        dana, protocol_slug=SLUG, title="Tarde", max_couples=4, paced=True
    )
    workshop_store.end_workshop(workshop, summary=report.workshop_summary)
    workshop.refresh_from_db()
    assert workshop.summary["protocol"] == ENGLISH
    body = page(reading(dana_client, "es"), f"/counselor/workshops/{workshop.pk}/summary/")
    assert SPANISH in body and FIRST_STEP_ES in body
    assert ENGLISH not in body and DOC["steps"][0]["title"] not in body
