"""Dana's workshop pages: making a workshop, its console, the projector view, a room's host
panel and the summary. Only Dana reaches any of them; Robin (another counselor) meets a
404 that says nothing, and a signed-out browser is sent to sign in.
"""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone

from sessions.models import CoupleSession, Workshop
from sessions.store import notices
from sessions.store import workshops as store
from tests.web.seat_support import new_session, seated
from tests.web.workshop_support import PROTOCOL, new_workshop, pair, start

pytestmark = pytest.mark.django_db

GOOD = {"protocol": PROTOCOL, "title": "Spring evening", "max_couples": "20", "pacing": "host"}


def test_dana_makes_a_host_paced_workshop_and_lands_on_its_console(dana, dana_client):
    response = dana_client.post("/counselor/workshops/new/", GOOD)
    workshop = Workshop.objects.get(counselor=dana)
    assert response.status_code == 302
    assert response["Location"] == f"/counselor/workshops/{workshop.pk}/"
    assert (workshop.title, workshop.max_couples, workshop.paced) == ("Spring evening", 20, True)
    page = dana_client.get(response["Location"]).content.decode()
    assert "Spring evening" in page and "Next step for everyone" in page
    assert f"/w/{workshop.code}/" in page
    listing = dana_client.get("/counselor/workshops/").content.decode()
    assert "Spring evening" in listing


def test_a_self_paced_workshop_has_no_next_step_for_everyone(dana, dana_client):
    dana_client.post("/counselor/workshops/new/", {**GOOD, "pacing": "self"})
    workshop = Workshop.objects.get(counselor=dana)
    assert workshop.paced is False
    assert (
        "Next step for everyone"
        not in dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    )


def test_an_unknown_field_is_refused_by_name_and_nothing_is_made(dana_client):
    response = dana_client.post("/counselor/workshops/new/", {**GOOD, "couples": "5"})
    assert response.status_code == 400
    assert "This form does not take the field &#x27;couples&#x27;." in response.content.decode()
    assert not Workshop.objects.exists()


@pytest.mark.parametrize("raw", ["61", "0", " 3", "٣", "3.0", "-1", "", "99999999999"])
def test_the_number_of_couples_is_ascii_digits_from_1_to_60(dana_client, raw):
    response = dana_client.post("/counselor/workshops/new/", {**GOOD, "max_couples": raw})
    assert response.status_code == 400
    assert "Choose between 1 and 60 couples, in digits." in response.content.decode()
    assert not Workshop.objects.exists()


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("   ", "Give the workshop a title"),
        ("x" * 121, "Keep the title to 120 characters"),
        ("Spring\u200bevening", "invisible or control characters"),
    ],
)
def test_a_title_must_be_there_short_and_visible(dana_client, title, problem):
    response = dana_client.post("/counselor/workshops/new/", {**GOOD, "title": title})
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not Workshop.objects.exists()


def test_the_title_field_and_its_error_both_say_120(dana_client):
    form = dana_client.get("/counselor/workshops/new/").content.decode()
    assert re.search(r'name="title"[^>]*maxlength="120"', form)
    assert 'maxlength="480"' not in form
    response = dana_client.post("/counselor/workshops/new/", {**GOOD, "title": "x" * 481})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Keep the title to 120 characters or fewer." in page and "480" not in page
    assert not Workshop.objects.exists()


def test_a_field_sent_twice_is_refused_by_name_and_nothing_is_made(dana_client):
    response = dana_client.post("/counselor/workshops/new/", {**GOOD, "max_couples": ["3", "60"]})
    assert response.status_code == 400
    assert (
        "The field &#x27;max_couples&#x27; came more than once; send each field once."
        in response.content.decode()
    )
    assert not Workshop.objects.exists()


def test_a_protocol_not_on_offer_and_a_pace_not_offered_are_refused(dana_client):
    assert (
        dana_client.post("/counselor/workshops/new/", {**GOOD, "protocol": "nope"}).status_code
        == 400
    )
    assert (
        dana_client.post("/counselor/workshops/new/", {**GOOD, "pacing": "fast"}).status_code == 400
    )
    assert not Workshop.objects.exists()


def test_the_nav_offers_workshops(dana_client):
    assert (
        'href="/counselor/workshops/">Workshops</a>'
        in dana_client.get("/counselor/").content.decode()
    )


PAGES = ["", "screen/", "summary/", "summary.csv", "summary.json"]


@pytest.mark.parametrize("tail", PAGES)
def test_robin_meets_a_404_on_danas_workshop_pages(dana, robin_client, tail):
    workshop = new_workshop(dana)
    response = robin_client.get(f"/counselor/workshops/{workshop.pk}/{tail}")
    assert response.status_code == 404
    assert "Spring evening" not in response.content.decode()


@pytest.mark.parametrize("tail", PAGES)
def test_a_signed_out_browser_is_sent_to_sign_in(dana, riley, tail):
    workshop = new_workshop(dana)
    response = riley.get(f"/counselor/workshops/{workshop.pk}/{tail}")
    assert response.status_code == 302
    assert response["Location"].startswith("/counselor/login/")


def test_the_projector_view_shows_the_link_large_with_its_qr_code(dana, dana_client):
    workshop = new_workshop(dana)
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/screen/").content.decode()
    assert "<svg" in page
    assert f"http://testserver/w/{workshop.code}/" in page
    assert "Start a couple or join your partner" in page


def test_the_console_shows_each_room_as_a_tile_with_no_word_from_it(dana, dana_client):
    workshop = new_workshop(dana)
    _, _, room = pair(workshop, "Alex", "Sam")
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    assert "Alex and Sam" in page
    assert f'data-room="{notices.room_id(room.code)}"' in page
    assert room.pairing_word not in page  # the couple's secret stays theirs


def test_open_room_takes_dana_to_that_rooms_host_panel_and_no_one_else(
    dana, dana_client, robin_client
):
    workshop = new_workshop(dana)
    _, _, room = pair(workshop, "Alex", "Sam")
    url = f"/counselor/workshops/{workshop.pk}/rooms/{notices.room_id(room.code)}/"
    response = dana_client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/s/{room.code}/"
    assert robin_client.get(url).status_code == 404
    assert (
        dana_client.get(f"/counselor/workshops/{workshop.pk}/rooms/{'0' * 16}/").status_code == 404
    )
    assert (
        dana_client.get(f"/counselor/workshops/{workshop.pk}/rooms/{room.code}/").status_code == 404
    )
    other = new_workshop(dana)
    assert (
        dana_client.get(
            f"/counselor/workshops/{other.pk}/rooms/{notices.room_id(room.code)}/"
        ).status_code
        == 404
    )


def test_the_console_groups_its_controls_under_four_headings(dana, dana_client):
    workshop = new_workshop(dana)
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    headings = re.findall(r'<h2 id="(\w+)-heading"[^>]*>([^<]+)</h2>', page)
    assert headings == [
        ("pace", "Pace"),
        ("say", "Say to every room"),
        ("timer", "Group timer"),
        ("end", "End the workshop"),
        ("rooms", "Rooms"),
    ]
    assert "Everyone may go up to step 1 of 8 — Before you begin." in page
    assert "No group timer is running." in page
    # Next step waits for Start all (the store refuses it before).
    assert re.search(r'id="next-btn"[^>]* disabled aria-disabled="true"', page)


def test_a_tile_names_the_couple_once_and_then_how_the_room_stands(dana, dana_client):
    workshop = new_workshop(dana)
    pair(workshop, "Alex", "Sam")
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    assert '<h3 class="tile-names" data-tile="names">Alex and Sam</h3>' in page
    assert 'data-tile="state" aria-hidden="true">waiting to start</p>' in page
    # The whole sentence stays for a screen reader, names and all.
    assert 'data-tile="line">Alex and Sam · waiting to start</p>' in page


def test_dana_removes_a_room_nobody_joined_and_only_that_one(dana, dana_client):
    workshop = new_workshop(dana)
    _, _, paired = pair(workshop, "Alex", "Sam")
    _, alone = start(workshop, "Pat")
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    tiles = dict(
        re.findall(r'data-room="([0-9a-f]{16})".*?(<details class="tile-remove".*?>)', page, re.S)
    )
    assert "hidden" in tiles[notices.room_id(paired.code)]
    assert "hidden" not in tiles[notices.room_id(alone.code)]
    url = f"/counselor/workshops/{workshop.pk}/rooms/{notices.room_id(alone.code)}/remove/"
    unsure = dana_client.post(url, {}, HTTP_ACCEPT="application/json")
    assert (
        unsure.status_code == 400
        and "Confirm that you want to remove this room" in unsure.json()["error"]
    )
    response = dana_client.post(url, {"confirm": "yes"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"ok": True, "line": "Room removed."}
    assert not CoupleSession.objects.filter(code=alone.code).exists()
    assert CoupleSession.objects.filter(code=paired.code).exists()
    assert "Pat" not in dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()


def test_a_room_their_partner_joined_is_not_removed(dana, dana_client):
    workshop = new_workshop(dana)
    _, _, room = pair(workshop, "Alex", "Sam")
    url = f"/counselor/workshops/{workshop.pk}/rooms/{notices.room_id(room.code)}/remove/"
    refused = dana_client.post(url, {"confirm": "yes"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400
    assert refused.json() == {
        "error": "Their partner has joined this room, so it stays; nothing was changed."
    }
    assert CoupleSession.objects.get(code=room.code).state["seats"]["b"]["claimed"]
    plain = dana_client.post(url, {"confirm": "yes"})
    assert plain.status_code == 400 and "Their partner has joined" in plain.content.decode()


def test_removing_a_room_of_another_workshop_or_as_robin_is_a_404(dana, dana_client, robin_client):
    workshop = new_workshop(dana)
    _, room = start(workshop, "Pat")
    other = new_workshop(dana)
    rid = notices.room_id(room.code)
    for client, pk, name in (
        (robin_client, workshop.pk, rid),
        (dana_client, other.pk, rid),
        (dana_client, workshop.pk, "0" * 16),
        (dana_client, workshop.pk, room.code),
    ):
        url = f"/counselor/workshops/{pk}/rooms/{name}/remove/"
        assert client.post(url, {"confirm": "yes"}).status_code == 404
    assert CoupleSession.objects.filter(code=room.code).exists()
    done = dana_client.post(
        f"/counselor/workshops/{workshop.pk}/rooms/{rid}/remove/", {"confirm": "yes"}
    )
    assert done.status_code == 303 and not CoupleSession.objects.filter(code=room.code).exists()


def test_the_summary_says_when_in_local_time_not_iso(dana, dana_client, settings):
    settings.TIME_ZONE = "Pacific/Auckland"
    workshop = new_workshop(dana)
    pair(workshop, "Alex", "Sam")
    store.start_all(workshop)
    store.end_workshop(workshop, summary=None)
    workshop.refresh_from_db()
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/summary/").content.decode()
    local = timezone.localtime(workshop.started_at)
    assert "started <time datetime=" in page
    assert f">{local:%-d %b %Y, %H:%M}</time>" in page
    assert workshop.started_at.isoformat() not in page and "+00:00" not in page


def test_the_summary_and_its_exports_hold_counts_and_no_names(dana, dana_client):
    workshop = new_workshop(dana)
    pair(workshop, "Alex", "Sam")
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/summary/").content.decode()
    assert "Couples who started" in page
    csv = dana_client.get(f"/counselor/workshops/{workshop.pk}/summary.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "attachment" in csv["Content-Disposition"]
    data = json.loads(dana_client.get(f"/counselor/workshops/{workshop.pk}/summary.json").content)
    assert data["title"] == "Spring evening"
    for body in (page, csv.content.decode(), json.dumps(data)):
        assert not re.search(r"\bAlex\b", body) and not re.search(r"\bSam\b", body)


def test_a_workshop_room_offers_help_to_the_couple_and_the_hand_to_dana(dana, dana_client):
    workshop = new_workshop(dana)
    alex, sam, room = pair(workshop, "Alex", "Sam")
    host = dana_client.get(f"/s/{room.code}/").content.decode()
    assert 'data-act="lower_hand"' in host and 'data-act="raise_hand"' not in host
    assert f'href="/counselor/workshops/{workshop.pk}/"' in host
    sams = sam.get(f"/s/{room.code}/").content.decode()
    assert 'data-act="raise_hand"' in sams and "Ask for help" in sams
    assert "Your facilitator can open this room" in sams
    assert room.pairing_word not in sams  # only Alex, who started, holds the word
    assert '"workshop": true' in sams


def test_a_room_outside_any_workshop_has_none_of_it(dana_client):
    session = new_session()
    (alex,) = seated(session, "Alex")
    page = alex.get(f"/s/{session.code}/").content.decode()
    assert 'id="workshop"' not in page and "pair-card" not in page
    assert '"workshop": false' in page


def test_a_workshops_rooms_stay_off_danas_dashboard_while_her_own_session_is_listed(
    dana, dana_client
):
    workshop = new_workshop(dana)
    _, _, room = pair(workshop, "Alex", "Sam")
    own = new_session(counselor=dana)
    page = dana_client.get("/counselor/").content.decode()
    assert own.code in page
    assert room.code not in page and not re.search(r"\bAlex\b", page)


def test_on_a_phone_the_summarys_tables_scroll_in_their_own_box_not_the_page(dana, dana_client):
    workshop = new_workshop(dana)
    pair(workshop, "Alex", "Sam")
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/summary/").content.decode()
    # Two tables, each inside a region a keyboard can reach and scroll, named by its heading.
    boxes = re.findall(r'<div class="table-scroll"([^>]*)>\s*<table class="summary-table">', page)
    assert len(boxes) == 2
    for heading, attrs in zip(("steps-heading", "rooms-heading"), boxes, strict=True):
        assert f'aria-labelledby="{heading}"' in attrs and 'tabindex="0"' in attrs


def test_the_consoles_status_line_can_take_the_focus_a_finished_command_leaves(dana, dana_client):
    workshop = new_workshop(dana)
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    assert re.search(r'<p id="console-status"[^>]*role="status"[^>]*tabindex="-1"', page)
