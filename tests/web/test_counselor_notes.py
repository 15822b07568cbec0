"""Dana's private notes: she writes them from the host view, and they never reach the couple,
neither on their pages, in their summary, nor over the room's socket.
"""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from facilitator.asgi import application
from sessions.models import Note
from sessions.store import creation
from tests.support.personas import join_as, signed_in
from tests.web.counselor_support import play_to_the_end

# --- private notes -------------------------------------------------------------------------


@pytest.mark.django_db
def test_dana_saves_a_private_note_from_the_host_view(dana_client, dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    response = dana_client.post(
        f"/counselor/s/{session.code}/notes/",
        {"text": "Sam's shoulders dropped during the breathing.", "next": f"/s/{session.code}/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/s/{session.code}/"
    note = Note.objects.get()
    assert note.counselor == dana
    assert note.session == session
    assert note.session_label.startswith("Daily check-in")


@pytest.mark.django_db
def test_the_host_script_gets_the_saved_note_back_as_json(dana_client, dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    response = dana_client.post(
        f"/counselor/s/{session.code}/notes/",
        {"text": "Alex reached for Sam's hand."},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    assert response.json()["text"] == "Alex reached for Sam's hand."


@pytest.mark.django_db
def test_an_empty_note_is_refused_with_a_clear_message(dana_client, dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    url = f"/counselor/s/{session.code}/notes/"
    response = dana_client.post(url, {"text": ""}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "Write something before saving the note."
    page = dana_client.post(url, {"text": "x" * 4001})
    assert page.status_code == 400
    assert "4000 characters" in page.content.decode()
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_a_note_with_a_field_it_does_not_take_is_refused_and_names_it(dana_client, dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    response = dana_client.post(
        f"/counselor/s/{session.code}/notes/",
        {"text": "Calmer today.", "shared": "yes"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "This form does not take the field 'shared'."
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_a_note_redirect_never_leaves_the_site(dana_client, dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    response = dana_client.post(
        f"/counselor/s/{session.code}/notes/", {"text": "ok", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/s/{session.code}/"


@pytest.mark.django_db
def test_the_host_view_shows_dana_her_notes_and_seat_controls(dana_client, dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    join_as("Alex", session.code)
    Note.objects.create(counselor=dana, session=session, text="Alex seems tired today.")

    response = dana_client.get(f"/s/{session.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="host-panel"' in html
    assert "Alex seems tired today." in html
    assert f'action="/counselor/s/{session.code}/notes/"' in html
    assert f'action="/s/{session.code}/release/"' in html
    assert "Free Alex’s seat" in html
    assert "js/host.js" in html


@pytest.mark.django_db
def test_partners_never_see_dana_s_private_notes(dana_client, dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    alex = join_as("Alex", session.code)
    sam = join_as("Sam", session.code)
    secret = "Watch for Sam shutting down when money comes up."
    dana_client.post(f"/counselor/s/{session.code}/notes/", {"text": secret})
    assert Note.objects.filter(text=secret).exists()

    play_to_the_end(session.code)
    for partner in (alex, sam):
        room = partner.get(f"/s/{session.code}/")
        assert room.status_code == 200
        assert secret not in room.content.decode()
        assert 'id="host-panel"' not in room.content.decode()
        their_summary = partner.get(f"/s/{session.code}/summary/")
        assert their_summary.status_code == 200
        assert "summary-content" in their_summary.content.decode()  # their real summary…
        assert secret not in their_summary.content.decode()  # …without Dana's notes
        # The counselor's summary and exports are not theirs to open.
        for url in ("summary/", "export.csv", "export.json"):
            response = partner.get(f"/counselor/s/{session.code}/{url}")
            assert response.status_code == 302
            assert secret.encode() not in response.content


def _hosted_room_with_a_note(dana, secret: str) -> dict:
    """Dana's room with Alex and Sam seated and a private note; the cookie each browser sends."""
    session = creation.create_session("daily-checkin", counselor=dana)
    dana_browser = signed_in(dana)
    browsers = {
        "dana": dana_browser,
        "alex": join_as("Alex", session.code),
        "sam": join_as("Sam", session.code),
    }
    dana_browser.post(f"/counselor/s/{session.code}/notes/", {"text": secret})
    assert Note.objects.filter(text=secret).exists()
    cookie_name = settings.SESSION_COOKIE_NAME
    return {
        "code": session.code,
        "dana": dana_browser,
        "cookies": {
            who: f"{cookie_name}={browser.cookies[cookie_name].value}".encode()
            for who, browser in browsers.items()
        },
    }


@pytest.mark.django_db(transaction=True)
async def test_no_private_note_ever_travels_over_a_room_socket(dana):
    secret = "Sam flinches when Alex raises their voice."
    room = await database_sync_to_async(_hosted_room_with_a_note)(dana, secret)
    sockets = {
        who: WebsocketCommunicator(
            application,
            f"/ws/sessions/{room['code']}/",
            headers=[(b"origin", b"http://testserver"), (b"cookie", cookie)],
        )
        for who, cookie in room["cookies"].items()
    }
    frames: dict[str, list[str]] = {who: [] for who in sockets}

    async def drain(who, quiet=0.5):
        """Everything the socket sends until it has been quiet for `quiet` seconds."""
        while not await sockets[who].receive_nothing(timeout=quiet):
            frames[who].append(await sockets[who].receive_from(timeout=3))

    try:
        for socket in sockets.values():
            connected, _ = await socket.connect(timeout=3)
            assert connected
        await sockets["dana"].send_json_to({"type": "action", "action": "start", "rid": "go"})
        for who in sockets:
            await drain(who)
        # A note written while everyone is connected is not broadcast either.
        await database_sync_to_async(room["dana"].post)(
            f"/counselor/s/{room['code']}/notes/", {"text": secret + " (again)"}
        )
        for who in sockets:
            await drain(who, quiet=0.3)
    finally:
        for socket in sockets.values():
            await socket.disconnect(timeout=3)

    for who in ("alex", "sam"):
        states = [json.loads(f) for f in frames[who] if json.loads(f)["type"] == "state"]
        assert states[-1]["state"]["status"] == "active", who  # the sockets really were live
    for who, received in frames.items():
        assert received, who
        assert not any("flinches" in frame for frame in received), who
