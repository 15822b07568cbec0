"""The counselor's pages, as a counselor (Dana), another counselor (Robin) and a couple (Alex, Sam) see them."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from facilitator.asgi import application
from sessions.models import CoupleSession, Note, Protocol
from sessions.store import creation, rooms
from tests.support.personas import PASSWORD, join_as

GOOD_TOML = """\
slug = "dana-evening"
title = "Evening landing"
minutes = 5
for_whom = "Couples who want a short calm moment"
summary = "Arrive, breathe, notice."

[[steps]]
kind = "info"
title = "Is now a good time?"
prompt = "Check with each other that now is a good time. Either of you can pause at any moment."

[[steps]]
kind = "checkin"
title = "Arriving"
prompt = "Where are you right now? There is no wrong answer."

[[steps]]
kind = "breathe"
title = "Breathe"
prompt = "Breathe along if you like; you can sit this one out."
inhale = 5.5
exhale = 5.5
cycles = 2

[[steps]]
kind = "checkin"
title = "Closing"
prompt = "Where are you now?"
"""


def group_html(html: str, key: str) -> str:
    """The dashboard section for one group (waiting / live / finished)."""
    start = html.index(f'data-group="{key}"')
    return html[start : html.index("</section>", start)]


def play_to_the_end(code: str, arrival=("safe", 3), closing=("safe", 2)) -> dict:
    """Drive a hosted session through every step: both partners check in, the host skips the rest."""
    for seat in ("a", "b"):  # as when both phones have the room open
        assert rooms.submit(code, "server", "presence", {"seat": seat, "connected": True}).accepted
    result = rooms.submit(code, "host", "start", {})
    assert result.accepted, result
    moments = iter([arrival, closing])
    state = result.state

    def ok(actor, action, args):
        outcome = rooms.submit(code, actor, action, args)
        assert outcome.accepted, (actor, action, args, outcome.code, outcome.message)
        return outcome.state

    paused_once = False
    for _ in range(50):
        if state["status"] != "active":
            break
        index = state["index"]
        kind = state["steps"][index]["kind"]
        if kind == "checkin":
            answer_state, intensity = next(moments, ("safe", 1))
            for seat, word in (("a", "tired"), ("b", "hopeful")):
                args = {"step": index, "state": answer_state, "intensity": intensity, "word": word}
                ok(seat, "checkin", args)
            state = ok("host", "next", {"step": index})
        elif kind == "info":
            state = ok("host", "next", {"step": index})
        else:
            if kind == "breathe" and not paused_once:
                ok("b", "pause", {})  # Sam asks for a moment; both say when they are ready
                ok("a", "ready", {})
                state = ok("b", "ready", {})
                paused_once = True
            target = {"step": index}
            if state["phase"] is not None:
                target["phase"] = state["phase"]
            state = ok("host", "skip", target)
    assert state["status"] == "completed"
    return state


# --- signing in and out --------------------------------------------------------------------


COUNSELOR_PAGES = [
    "/counselor/",
    "/counselor/protocols/",
    "/counselor/protocols/new/",
    "/counselor/sessions/new/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", COUNSELOR_PAGES)
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/counselor/login/?next=")


@pytest.mark.django_db
def test_session_pages_of_a_visitor_who_is_not_signed_in_lead_to_sign_in(client, dana):
    code = creation.create_session("daily-checkin", counselor=dana).code
    for url in (
        f"/counselor/s/{code}/",
        f"/counselor/s/{code}/summary/",
        f"/counselor/s/{code}/export.csv",
        f"/counselor/s/{code}/export.json",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/counselor/login/")
    response = client.post(f"/counselor/s/{code}/notes/", {"text": "hello"})
    assert response.status_code == 302
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_dana_signs_in_and_lands_on_her_dashboard(client, dana):
    page = client.get("/counselor/login/")
    assert page.status_code == 200
    assert b'name="password"' in page.content

    response = client.post("/counselor/login/", {"username": "dana", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/counselor/"
    dashboard = client.get("/counselor/")
    assert dashboard.status_code == 200
    assert b"Your sessions" in dashboard.content


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_clear_message(client, dana):
    response = client.post("/counselor/login/", {"username": "dana", "password": "nope"})
    assert response.status_code == 200
    assert b"correct username and password" in response.content
    assert client.get("/counselor/").status_code == 302


@pytest.mark.django_db
def test_signing_out_takes_a_post_so_a_link_cannot_sign_dana_out(dana_client):
    assert dana_client.get("/counselor/logout/").status_code == 405
    assert dana_client.get("/counselor/").status_code == 200
    response = dana_client.post("/counselor/logout/")
    assert response.status_code == 302
    assert dana_client.get("/counselor/").status_code == 302


# --- dashboard -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_groups_dana_s_sessions_into_waiting_live_and_finished(dana_client, dana):
    waiting = creation.create_session("daily-checkin", counselor=dana)
    live = creation.create_session("breathe-together", counselor=dana)
    paused = creation.create_session("daily-checkin", counselor=dana)
    finished = creation.create_session("calm-down-together", counselor=dana)
    CoupleSession.objects.filter(pk=live.pk).update(status="active", expires_at=None)
    CoupleSession.objects.filter(pk=paused.pk).update(status="paused", expires_at=None)
    CoupleSession.objects.filter(pk=finished.pk).update(status="completed")

    html = dana_client.get("/counselor/").content.decode()

    assert waiting.code in group_html(html, "waiting")
    assert live.code in group_html(html, "live")
    assert paused.code in group_html(html, "live")
    assert finished.code in group_html(html, "finished")
    assert waiting.code not in group_html(html, "live") + group_html(html, "finished")
    assert f'/counselor/s/{waiting.code}/"' in group_html(html, "waiting")  # link + QR
    assert f'/s/{live.code}/"' in group_html(html, "live")  # host view
    assert f"/counselor/s/{finished.code}/summary/" in group_html(html, "finished")


@pytest.mark.django_db
def test_dashboard_shows_the_names_of_partners_who_joined(dana_client, dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    join_as("Alex", session.code)
    html = dana_client.get("/counselor/").content.decode()
    assert "Alex" in group_html(html, "waiting")


@pytest.mark.django_db
def test_dashboard_never_lists_another_counselor_s_sessions(dana_client, robin):
    theirs = creation.create_session("daily-checkin", counselor=robin)
    self_guided = creation.create_session("daily-checkin")
    html = dana_client.get("/counselor/").content.decode()
    assert theirs.code not in html
    assert self_guided.code not in html


# --- own protocols -------------------------------------------------------------------------


@pytest.mark.django_db
def test_dana_writes_a_protocol_and_it_is_hers(dana_client, dana):
    page = dana_client.get("/counselor/protocols/new/")
    assert page.status_code == 200
    assert b"<textarea" in page.content

    response = dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    assert response.status_code == 302
    protocol = Protocol.objects.get(slug="dana-evening")
    assert protocol.owner == dana
    assert protocol.title == "Evening landing"
    assert protocol.doc["steps"][2]["kind"] == "breathe"
    listing = dana_client.get("/counselor/protocols/").content.decode()
    assert "Evening landing" in listing
    assert "/counselor/protocols/dana-evening/edit/" in listing


@pytest.mark.django_db
def test_a_broken_protocol_is_not_saved_and_the_loader_s_error_shows_under_the_field(dana_client):
    broken = GOOD_TOML.replace("inhale = 5.5", "inhale = 0")
    response = dana_client.post("/counselor/protocols/new/", {"source": broken})

    assert response.status_code == 400
    assert not Protocol.objects.filter(slug="dana-evening").exists()
    html = response.content.decode()
    errors = html[html.index('id="source-errors"') :]
    assert "step 3" in errors
    assert "Breathe" in errors
    assert "inhale" in errors
    assert 'aria-invalid="true"' in html
    # What Dana typed is still there to fix, not lost.
    assert "inhale = 0" in html


@pytest.mark.django_db
def test_every_problem_in_a_protocol_is_listed_not_only_the_first(dana_client):
    broken = GOOD_TOML.replace("inhale = 5.5", "inhale = 0").replace(
        'kind = "checkin"\ntitle = "Closing"', 'kind = "chat"\ntitle = "Closing"'
    )
    response = dana_client.post("/counselor/protocols/new/", {"source": broken})
    errors = response.content.decode().split('id="source-errors"')[1]
    assert errors.count('class="field-error"') >= 2
    assert "inhale" in errors
    assert "chat" in errors


@pytest.mark.django_db
def test_a_toml_syntax_error_names_the_line(dana_client):
    response = dana_client.post(
        "/counselor/protocols/new/", {"source": 'slug = "x"\ntitle = "unclosed\n'}
    )
    assert response.status_code == 400
    errors = response.content.decode().split('id="source-errors"')[1]
    assert re.search(r"line \d", errors)


@pytest.mark.django_db
def test_a_protocol_cannot_take_the_name_of_a_built_in_one(dana_client):
    response = dana_client.post(
        "/counselor/protocols/new/",
        {"source": GOOD_TOML.replace('"dana-evening"', '"daily-checkin"')},
    )
    assert response.status_code == 400
    assert "built-in" in response.content.decode()
    assert not Protocol.objects.filter(owner__isnull=False).exists()


@pytest.mark.django_db
def test_dana_edits_her_protocol_and_a_running_session_keeps_its_copy(dana_client, dana):
    dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    protocol = Protocol.objects.get(slug="dana-evening")
    session = creation.create_session(protocol.slug, counselor=dana, protocol=protocol)

    edit_url = "/counselor/protocols/dana-evening/edit/"
    assert "Evening landing" in dana_client.get(edit_url).content.decode()
    response = dana_client.post(
        edit_url, {"source": GOOD_TOML.replace("Evening landing", "Night landing")}
    )
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert protocol.title == "Night landing"
    session.refresh_from_db()
    assert session.protocol_doc["title"] == "Evening landing"


@pytest.mark.django_db
def test_robin_cannot_open_or_edit_dana_s_protocol(dana_client, robin_client):
    dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    edit_url = "/counselor/protocols/dana-evening/edit/"
    assert robin_client.get(edit_url).status_code == 404
    changed = GOOD_TOML.replace("Evening landing", "Robin was here")
    assert robin_client.post(edit_url, {"source": changed}).status_code == 404
    assert Protocol.objects.get(slug="dana-evening").title == "Evening landing"
    assert "Evening landing" not in robin_client.get("/counselor/protocols/").content.decode()


# --- new sessions and sharing ---------------------------------------------------------------


@pytest.mark.django_db
def test_dana_starts_a_hosted_session_from_a_built_in_protocol_and_gets_link_and_qr(
    dana_client, dana
):
    response = dana_client.post("/counselor/sessions/new/", {"protocol": "daily-checkin"})
    assert response.status_code == 302
    session = CoupleSession.objects.get(counselor=dana)
    assert response["Location"] == f"/counselor/s/{session.code}/"
    assert session.protocol_slug == "daily-checkin"
    assert session.state["host"] is not None

    share = dana_client.get(response["Location"])
    html = share.content.decode()
    assert share.status_code == 200
    assert f"http://testserver/j/{session.code}/" in html
    assert "<svg" in html
    assert f'href="/s/{session.code}/"' in html


@pytest.mark.django_db
def test_dana_starts_a_session_from_her_own_protocol(dana_client, dana):
    dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    form = dana_client.get("/counselor/sessions/new/").content.decode()
    assert 'value="dana-evening"' in form
    response = dana_client.post("/counselor/sessions/new/", {"protocol": "dana-evening"})
    assert response.status_code == 302
    session = CoupleSession.objects.get(counselor=dana)
    assert session.protocol_title == "Evening landing"
    assert [step["kind"] for step in session.state["steps"]][:2] == ["info", "checkin"]


@pytest.mark.django_db
def test_a_protocol_an_admin_added_is_offered_to_every_counselor(dana_client, dana, robin):
    shared = Protocol(source=GOOD_TOML.replace("dana-evening", "clinic-evening"), owner=None)
    shared.full_clean()
    shared.save()
    assert 'value="clinic-evening"' in dana_client.get("/counselor/sessions/new/").content.decode()
    response = dana_client.post("/counselor/sessions/new/", {"protocol": "clinic-evening"})
    assert response.status_code == 302
    assert CoupleSession.objects.get(counselor=dana).protocol_slug == "clinic-evening"


@pytest.mark.django_db
def test_robin_cannot_start_a_session_from_dana_s_protocol(dana_client, robin_client, robin):
    dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    assert (
        'value="dana-evening"' not in robin_client.get("/counselor/sessions/new/").content.decode()
    )
    response = robin_client.post("/counselor/sessions/new/", {"protocol": "dana-evening"})
    assert response.status_code == 400
    assert "Choose one of the protocols" in response.content.decode()
    assert not CoupleSession.objects.filter(counselor=robin).exists()


@pytest.mark.django_db
def test_an_unknown_protocol_is_refused_with_a_clear_message(dana_client, dana):
    response = dana_client.post("/counselor/sessions/new/", {"protocol": "no-such-thing"})
    assert response.status_code == 400
    assert "Choose one of the protocols" in response.content.decode()
    assert not CoupleSession.objects.exists()


@pytest.mark.django_db
def test_a_new_session_form_with_a_field_it_does_not_take_is_refused(dana_client, dana):
    response = dana_client.post(
        "/counselor/sessions/new/", {"protocol": "daily-checkin", "counselor": "robin"}
    )
    assert response.status_code == 400
    assert "does not take the field &#x27;counselor&#x27;" in response.content.decode()
    assert not CoupleSession.objects.exists()


@pytest.mark.django_db
def test_a_protocol_form_with_a_field_it_does_not_take_is_refused(dana_client, dana):
    response = dana_client.post(
        "/counselor/protocols/new/", {"source": GOOD_TOML, "owner": "1", "is_builtin": "on"}
    )
    assert response.status_code == 400
    assert "&#x27;is_builtin&#x27;, &#x27;owner&#x27;" in response.content.decode()
    assert not Protocol.objects.filter(owner=dana).exists()


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
    assert "Free partner A’s seat (Alex)" in html
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
    dana_browser = Client()
    dana_browser.force_login(dana)
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


# --- one counselor never sees another's sessions --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/counselor/s/{code}/"),
        ("get", "/counselor/s/{code}/summary/"),
        ("get", "/counselor/s/{code}/export.csv"),
        ("get", "/counselor/s/{code}/export.json"),
        ("post", "/counselor/s/{code}/notes/"),
        ("get", "/s/{code}/"),
    ],
)
def test_robin_gets_404_for_everything_of_dana_s_session(robin_client, dana, method, path):
    session = creation.create_session("daily-checkin", counselor=dana)
    Note.objects.create(counselor=dana, session=session, text="Dana's own thought")
    url = path.format(code=session.code)
    response = getattr(robin_client, method)(
        url, {"text": "Robin's note"} if method == "post" else {}
    )
    assert response.status_code == 404
    assert b"Dana's own thought" not in response.content
    assert not Note.objects.filter(text="Robin's note").exists()


@pytest.mark.django_db
def test_a_self_guided_session_is_not_any_counselor_s(dana_client):
    session = creation.create_session("daily-checkin")
    assert dana_client.get(f"/counselor/s/{session.code}/summary/").status_code == 404


@pytest.mark.django_db
def test_an_unknown_code_is_a_plain_404(dana_client):
    assert dana_client.get("/counselor/s/not-a-real-code-at-all-000/summary/").status_code == 404


@pytest.mark.django_db
def test_a_code_that_cannot_be_a_join_code_is_a_404_without_looking_it_up(dana_client):
    with CaptureQueriesContext(connection) as queries:
        response = dana_client.get("/counselor/s/short!/summary/")
    assert response.status_code == 404
    assert not [q for q in queries.captured_queries if "coregulation_couplesession" in q["sql"]]


# --- summary and exports --------------------------------------------------------------------


@pytest.fixture
def finished_session(dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    join_as("Alex", session.code)
    join_as("Sam", session.code)
    play_to_the_end(session.code, arrival=("mobilized", 7), closing=("safe", 2))
    Note.objects.create(counselor=dana, session=session, text="They softened after the mirroring.")
    session.refresh_from_db()
    return session


@pytest.mark.django_db
def test_the_summary_shows_the_timeline_an_accessible_chart_and_the_notes(
    dana_client, finished_session
):
    response = dana_client.get(f"/counselor/s/{finished_session.code}/summary/")
    html = response.content.decode()
    assert response.status_code == 200

    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<title" in svg
    assert "<desc" in svg
    assert "Alex: On edge, 7 of 10" in svg
    assert "Alex: Safe and connected, 2 of 10" in svg
    # The same answers as a table, for anyone who cannot see the chart.
    table = html[html.index('class="checkins') :]
    assert "On edge" in table
    assert "hopeful" in table

    timeline = html[html.index('class="timeline') : html.index("</table>")]
    assert "Arriving" in timeline
    assert "Pause: Sam asked for a moment" in timeline
    assert "(skipped)" in timeline
    assert "Alex has the floor" in timeline
    assert "Sam has the floor" in timeline
    assert "They softened after the mirroring." in html


@pytest.mark.django_db
def test_the_chart_bars_are_as_long_as_the_intensity(dana_client, finished_session):
    html = dana_client.get(f"/counselor/s/{finished_session.code}/summary/").content.decode()
    intensities = re.findall(r'data-intensity="(\d+)"', html)
    assert intensities == ["7", "7", "2", "2"]


@pytest.mark.django_db
def test_the_csv_export_holds_timeline_check_ins_and_notes(dana_client, finished_session):
    response = dana_client.get(f"/counselor/s/{finished_session.code}/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    sections = {row["section"] for row in rows}
    assert sections == {"session", "step", "timeline", "checkin", "note"}
    checkins = [row for row in rows if row["section"] == "checkin"]
    assert [(r["title"], r["who"], r["state"], r["intensity"]) for r in checkins] == [
        ("arrival", "Alex", "mobilized", "7"),
        ("arrival", "Sam", "mobilized", "7"),
        ("closing", "Alex", "safe", "2"),
        ("closing", "Sam", "safe", "2"),
    ]
    assert any(r["text"] == "They softened after the mirroring." for r in rows)
    assert finished_session.code not in response.content.decode()


@pytest.mark.django_db
def test_the_json_export_has_the_same_facts_and_no_join_code(dana_client, finished_session):
    response = dana_client.get(f"/counselor/s/{finished_session.code}/export.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["session"]["protocol"]["slug"] == "daily-checkin"
    assert data["session"]["status"] == "completed"
    assert data["session"]["partners"] == {"a": "Alex", "b": "Sam"}
    assert data["checkins"][0] == {
        "moment": "arrival",
        "seat": "a",
        "who": "Alex",
        "state": "mobilized",
        "intensity": 7,
        "word": "tired",
        "missing": None,
    }
    assert data["notes"][0]["text"] == "They softened after the mirroring."
    assert any(item["kind"] == "step" for item in data["timeline"])
    assert finished_session.code not in response.content.decode()


@pytest.mark.django_db
def test_a_partner_name_cannot_smuggle_a_spreadsheet_formula_into_the_csv(dana_client, dana):
    session = creation.create_session("daily-checkin", counselor=dana)
    join_as('=HYPERLINK("http://x")', session.code)
    body = dana_client.get(f"/counselor/s/{session.code}/export.csv").content.decode()
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body


@pytest.mark.django_db
def test_every_counselor_page_has_one_main_heading_and_labelled_fields(
    dana_client, finished_session
):
    code = finished_session.code
    dana_client.post("/counselor/protocols/new/", {"source": GOOD_TOML})
    for url in (
        "/counselor/",
        "/counselor/protocols/",
        "/counselor/protocols/new/",
        "/counselor/protocols/dana-evening/edit/",
        "/counselor/sessions/new/",
        f"/counselor/s/{code}/",
        f"/counselor/s/{code}/summary/",
        f"/s/{code}/",
    ):
        html = dana_client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        assert '<html lang="en">' in html, url
        # In the room page, only the host tools are ours; the rest is the partners' page.
        ours = html[html.index('id="host-panel"') :] if url.startswith("/s/") else html
        for field_id in re.findall(r'<(?:textarea|select|input)[^>]*\bid="([^"]+)"', ours):
            assert f'for="{field_id}"' in ours, (url, field_id)


# --- the create_counselor command -----------------------------------------------------------


@pytest.mark.django_db
def test_create_counselor_makes_an_account_that_can_sign_in(monkeypatch, client):
    monkeypatch.setenv("DANA_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("create_counselor", "dana", "--password-from-env", "DANA_PASSWORD", stdout=out)
    assert "Created counselor 'dana'" in out.getvalue()
    assert client.login(username="dana", password=PASSWORD)


@pytest.mark.django_db
def test_create_counselor_changes_the_password_of_an_existing_account(monkeypatch, dana, client):
    monkeypatch.setenv("NEW_PASSWORD", "another-quiet-river-77")
    out = io.StringIO()
    call_command("create_counselor", "dana", "--password-from-env", "NEW_PASSWORD", stdout=out)
    assert "password was changed" in out.getvalue()
    assert client.login(username="dana", password="another-quiet-river-77")


@pytest.mark.django_db
def test_create_counselor_explains_a_missing_or_weak_password(monkeypatch, django_user_model):
    monkeypatch.delenv("NOPE", raising=False)
    with pytest.raises(CommandError, match="NOPE is not set"):
        call_command("create_counselor", "dana", "--password-from-env", "NOPE")
    monkeypatch.setenv("WEAK", "123")
    with pytest.raises(CommandError, match="Password refused"):
        call_command("create_counselor", "dana", "--password-from-env", "WEAK")
    assert not django_user_model.objects.exists()


@pytest.mark.django_db
def test_create_counselor_without_a_terminal_asks_for_the_env_option(django_user_model):
    with pytest.raises(CommandError, match="--password-from-env"):
        call_command("create_counselor", "dana")
    assert not django_user_model.objects.exists()
