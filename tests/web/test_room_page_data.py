"""What the server hands the pages so their scripts and templates need no copy of its own rules.

The room page opens its socket on the path the server routes, holds Alex's check-in to the
limits the engine checks, and Dana's summary offers the host view only while the room is open.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse

from sessions.engine.args import INTENSITY_MAX, INTENSITY_MIN, WORD_MAX
from sessions.live.consumer import RoomConsumer
from sessions.live.routing import websocket_urlpatterns
from sessions.models import Couple
from sessions.store import couples, creation, rooms

pytestmark = pytest.mark.django_db


def room_page(client, code: str) -> str:
    response = client.get(reverse("room", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


def room_data(page: str) -> dict:
    found = re.search(r'<script id="room-data" type="application/json">(.*?)</script>', page)
    assert found, "the room page carries #room-data"
    return json.loads(found.group(1))


def test_the_room_socket_opens_on_the_path_the_server_routes(alex):
    code = creation.create_session("daily-checkin").code
    page = room_page(alex.join(code), code)
    path = html.unescape(re.search(r'data-socket-path="([^"]+)"', page).group(1))
    assert path == f"/ws/sessions/{code}/"
    route = next(p for p in websocket_urlpatterns if p.pattern.match(path.lstrip("/")))
    assert route.callback.consumer_class is RoomConsumer


def test_the_rooms_share_link_opens_on_a_partners_phone_under_make_run_lan(alex, settings):
    """Alex opened the room at 127.0.0.1; the link for Sam's phone carries the LAN address."""
    settings.STAY = {**settings.STAY, "PUBLIC_URL": "http://192.168.1.20:8000"}
    code = creation.create_session("daily-checkin").code
    page = room_page(alex.join(code), code)
    link = html.unescape(re.search(r'id="share-link"[^>]*value="([^"]+)"', page).group(1))
    assert link == f"http://192.168.1.20:8000/j/{code}/"


def test_the_check_in_form_is_held_to_the_engines_limits(alex):
    code = creation.create_session("daily-checkin").code
    page = room_page(alex.join(code), code)
    assert room_data(page)["checkin"] == {
        "intensity_min": INTENSITY_MIN,
        "intensity_max": INTENSITY_MAX,
        "word_max": WORD_MAX,
    }
    assert f'min="{INTENSITY_MIN}" max="{INTENSITY_MAX}"' in page
    assert f'id="word" name="word" type="text" maxlength="{WORD_MAX}"' in page


def test_the_pause_screen_speaks_to_whoever_reads_it(dana, dana_client, couple):
    """The couple read that nothing moves on until they are both ready; Dana, about them."""
    code = creation.create_session("daily-checkin", dana).code
    alex, _ = couple.join(code)
    host_page, alex_page = room_page(dana_client, code), room_page(alex, code)
    assert "Nothing moves on until both partners are ready." in host_page
    assert "you're both ready" not in host_page
    assert "Nothing moves on until you're both ready." in alex_page


def test_the_host_panel_frees_each_seat_at_its_release_address(dana, dana_client, couple):
    code = creation.create_session("daily-checkin", dana).code
    couple.join(code)
    page = room_page(dana_client, code)
    release = reverse("release", args=[code])
    for seat, name in couple.names.items():
        assert f'action="{release}" class="host-release" data-seat="{seat}"' in page
        assert f"Free {name}’s seat" in page


def test_danas_summary_offers_the_host_view_only_while_the_room_is_open(dana, dana_client):
    code = creation.create_session("daily-checkin", dana).code
    summary = reverse("counselor:summary", args=[code])
    assert "Open the host view" in dana_client.get(summary).content.decode()
    assert rooms.submit(code, "host", "end", {}).accepted
    assert "Open the host view" not in dana_client.get(summary).content.decode()


def test_danas_desk_links_back_to_her_sessions_and_to_the_couples_page(dana, dana_client):
    plain = creation.create_session("daily-checkin", dana).code
    page = room_page(dana_client, plain)
    assert f'href="{reverse("counselor:dashboard")}">Your sessions</a>' in page
    assert "’s page</a>" not in page
    couple = Couple.objects.create(counselor=dana, name_a="Alex", name_b="Sam")
    code = creation.create_session("daily-checkin", dana, couple=couple).code
    page = room_page(dana_client, code)
    couple_url = reverse("counselor:couple", args=[couple.pk])
    assert f'<a href="{couple_url}">Alex and Sam’s page</a>' in page


def test_the_desk_of_a_couples_session_shares_their_standing_link_never_its_join_link(
    dana, dana_client
):
    couple = couples.create_couple(dana, name_a="Alex", name_b="Sam")
    code = creation.create_session("daily-checkin", dana, couple=couple).code
    page = dana_client.get(reverse("room", args=[code])).content.decode()
    assert f"/c/{couple.link_code}/" in page
    assert f"/j/{code}/" not in page

    couples.revoke_link(couple)
    page = dana_client.get(reverse("room", args=[code])).content.decode()
    assert "Their link is stopped, so they cannot join." in page
    assert "/c/" not in page and f"/j/{code}/" not in page


def test_each_finished_room_leads_back_to_its_readers_own_place(dana, dana_client, couple):
    plain = creation.create_session("daily-checkin", dana).code
    assert "Back to your sessions</a>" in room_page(dana_client, plain)
    pair = couples.create_couple(dana, name_a="Alex", name_b="Sam")
    code = creation.create_session("daily-checkin", dana, couple=pair).code
    assert "Back to Alex and Sam’s page</a>" in room_page(dana_client, code)
    alex, _ = couple.join(plain)
    assert "Back to the start page</a>" in alex.get(reverse("room", args=[plain])).content.decode()
