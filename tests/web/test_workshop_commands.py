"""Dana's group commands on the console: start all, next step for everyone, a message to
every room, the group timer, lowering a raised hand, ending. The console's script asks for
JSON (`{"ok": true, "line": …}` or a 400 `{"error": …}`); a plain form post gets a 303 back
to the console. Bad input is refused with its own words and no room changes; Robin's
posts meet a 404.
"""

from __future__ import annotations

import re

import pytest

from sessions.models import WORKSHOP_ENDED, Workshop
from sessions.store import notices, rooms
from sessions.store import workshops as store_workshops
from tests.web.workshop_support import new_workshop, pair

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def group(dana):
    """Dana's workshop with Alex & Sam and Robin & Riley, both connected, not started."""
    workshop = new_workshop(dana)
    codes = []
    for first, second in (("Alex", "Sam"), ("Robin", "Riley")):
        _, _, room = pair(workshop, first, second)
        for seat in ("a", "b"):
            rooms.submit(room.code, "server", "presence", {"seat": seat, "connected": True})
        codes.append(room.code)
    return workshop, codes


def post(client, workshop, command, data=None, json=True):
    url = f"/counselor/workshops/{workshop.pk}/{command}/"
    return client.post(url, data or {}, **(JSON if json else {}))


def states(codes):
    return [rooms.load_state(code) for code in codes]


def test_start_all_starts_every_room_with_both_partners(dana_client, group):
    workshop, codes = group
    response = post(dana_client, workshop, "start")
    answer = response.json()
    assert (answer["ok"], answer["line"]) == (True, "Started 2 rooms.")
    assert re.fullmatch(r"Started at \d\d:\d\d\. A couple who arrives now .*", answer["started"])
    assert [s["status"] for s in states(codes)] == ["active", "active"]


def test_a_second_start_all_says_the_workshop_has_started_and_the_button_is_done(
    dana_client, group
):
    workshop, codes = group
    post(dana_client, workshop, "start")
    again = post(dana_client, workshop, "start")
    assert again.json()["line"] == (
        "The workshop has started; a couple who arrives now begins as soon as both are there."
    )
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    assert re.search(r'id="start-btn"[^>]* disabled aria-disabled="true"', page)
    assert re.search(r"Started at \d\d:\d\d\.", page)


def test_a_plain_form_post_comes_back_to_the_console(dana_client, group):
    workshop, codes = group
    response = post(dana_client, workshop, "start", json=False)
    assert response.status_code == 303
    assert response["Location"] == f"/counselor/workshops/{workshop.pk}/"


def test_next_step_moves_the_group_and_stops_at_the_last_step(dana_client, group):
    workshop, codes = group
    post(dana_client, workshop, "start")
    response = post(dana_client, workshop, "next", {"from": "0"})
    assert response.json()["line"] == "Everyone moves on to step 2 of 8."
    workshop.refresh_from_db()
    assert workshop.step == 1
    assert all(s["workshop"]["to"] == 1 for s in states(codes))
    for step in range(1, 7):  # the turns count as steps: 8 in all, as the rooms count them
        post(dana_client, workshop, "next", {"from": str(step)})
    refused = post(dana_client, workshop, "next", {"from": "7"})
    assert refused.status_code == 400
    assert "last step" in refused.json()["error"]
    workshop.refresh_from_db()
    assert workshop.step == 7


def test_dana_double_clicking_next_step_moves_everyone_once(dana_client, group):
    workshop, codes = group
    post(dana_client, workshop, "start")
    assert post(dana_client, workshop, "next", {"from": "0"}).status_code == 200
    again = post(dana_client, workshop, "next", {"from": "0"})
    assert again.status_code == 409
    assert again.json() == {"error": "Everyone has already been moved on to step 2."}
    workshop.refresh_from_db()
    assert workshop.step == 1
    assert all(s["workshop"]["to"] == 1 for s in states(codes))
    assert post(dana_client, workshop, "next", {"from": "1"}).status_code == 200


def test_a_second_plain_form_next_step_comes_back_to_the_console_saying_why(dana_client, group):
    workshop, codes = group
    post(dana_client, workshop, "start")
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/")
    assert b'name="from" id="next-from" value="0"' in page.content
    first = post(dana_client, workshop, "next", {"from": "0"}, json=False)
    second = post(dana_client, workshop, "next", {"from": "0"}, json=False)
    assert first.status_code == second.status_code == 303
    assert second["Location"] == f"/counselor/workshops/{workshop.pk}/"
    page = dana_client.get(second["Location"])
    assert "Everyone has already been moved on to step 2." in page.content.decode()
    assert b'name="from" id="next-from" value="1"' in page.content
    workshop.refresh_from_db()
    assert workshop.step == 1


@pytest.mark.parametrize("bad", ["", "1x", "-1", "\u0661", " 0", "0" * 4])
def test_next_step_from_a_step_that_is_no_number_is_refused(dana_client, group, bad):
    workshop, codes = group
    refused = post(dana_client, workshop, "next", {"from": bad})
    assert refused.status_code == 400
    assert "not a step number" in refused.json()["error"]
    extra = post(dana_client, workshop, "next", {"from": "0", "step": "3"})
    assert extra.status_code == 400 and "step" in extra.json()["error"]
    workshop.refresh_from_db()
    assert workshop.step == 0


def test_next_step_without_the_step_it_moves_on_from_is_refused(dana_client, group):
    workshop, codes = group
    post(dana_client, workshop, "start")
    refused = post(dana_client, workshop, "next")
    assert refused.status_code == 400
    assert refused.json()["error"] == (
        "Say which step the group is moving on from (the field 'from'); nothing was changed."
    )
    workshop.refresh_from_db()
    assert workshop.step == 0 and all(s["workshop"]["to"] == 0 for s in states(codes))


def test_a_self_paced_workshop_refuses_next_step(dana, dana_client):
    workshop = new_workshop(dana, paced=False)
    response = post(dana_client, workshop, "next", {"from": "0"})
    assert response.status_code == 400
    assert "own pace" in response.json()["error"]


def test_a_message_reaches_every_room_and_clear_takes_it_away(dana_client, group):
    workshop, codes = group
    response = post(dana_client, workshop, "say", {"text": "Take a breath together."})
    assert response.json()["line"] == "Message shown in 2 rooms."
    assert [s["message"]["text"] for s in states(codes)] == ["Take a breath together."] * 2
    post(dana_client, workshop, "say", {"clear": "1"})
    assert [s["message"] for s in states(codes)] == [None, None]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"text": "x" * 201}, "Keep the message to 200 characters"),
        ({"text": "   "}, "Write a few words first"),
        ({"text": "hi", "clear": "1"}, "not both"),
        ({"text": "hi", "to": "all"}, "does not take the field 'to'"),
    ],
)
def test_a_bad_message_is_refused_and_no_room_hears_it(dana_client, group, data, problem):
    workshop, codes = group
    response = post(dana_client, workshop, "say", data)
    assert response.status_code == 400
    assert problem in response.json()["error"]
    assert [s["message"] for s in states(codes)] == [None, None]


def test_the_group_timer_is_set_in_every_room_and_cleared(dana_client, group):
    workshop, codes = group
    post(dana_client, workshop, "start")
    response = post(dana_client, workshop, "timer", {"minutes": "5"})
    assert response.json()["line"] == "Group timer of 5 minutes in 2 rooms."
    running = response.json()["timer"]["running"]
    assert re.fullmatch(r"A group timer of 5 minutes is running; it ends at \d\d:\d\d\.", running)
    assert running in dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    assert [s["workshop"]["timer"]["seconds"] for s in states(codes)] == [300, 300]
    cleared = post(dana_client, workshop, "timer", {"clear": "1"})
    assert cleared.json()["timer"] is None
    assert [s["workshop"]["timer"] for s in states(codes)] == [None, None]
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    assert "No group timer is running." in page


@pytest.mark.parametrize("minutes", ["0", "61", "x", " 5", "٥", "", "5.5"])
def test_a_timer_outside_1_to_60_whole_minutes_is_refused(dana_client, group, minutes):
    workshop, codes = group
    response = post(dana_client, workshop, "timer", {"minutes": minutes})
    assert response.status_code == 400
    assert "whole minutes, from 1 to 60" in response.json()["error"]
    assert [s["workshop"]["timer"] for s in states(codes)] == [None, None]


def test_a_bad_timer_in_a_plain_form_post_shows_the_console_with_the_error(dana_client, group):
    workshop, _ = group
    response = post(dana_client, workshop, "timer", {"minutes": "61"}, json=False)
    assert response.status_code == 400
    assert "whole minutes, from 1 to 60" in response.content.decode()


def test_dana_lowers_a_raised_hand_and_a_room_not_hers_is_refused(dana_client, group):
    workshop, codes = group
    post(dana_client, workshop, "start")
    assert rooms.submit(codes[0], "a", "raise_hand", {}).accepted
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    assert "Hand raised" in page
    for room in ("0" * 16, "not-a-room", codes[0]):
        refused = post(dana_client, workshop, "hand", {"room": room})
        assert refused.status_code == 400
        assert "not part of this workshop" in refused.json()["error"]
    assert rooms.load_state(codes[0])["workshop"]["hand"] is not None
    response = post(dana_client, workshop, "hand", {"room": notices.room_id(codes[0])})
    assert response.json() == {"ok": True, "line": "Hand lowered."}
    assert rooms.load_state(codes[0])["workshop"]["hand"] is None


def test_ending_needs_its_confirmation_then_ends_every_room(dana_client, group):
    workshop, codes = group
    post(dana_client, workshop, "start")
    refused = post(dana_client, workshop, "end")
    assert refused.status_code == 400 and "Confirm" in refused.json()["error"]
    assert [s["status"] for s in states(codes)] == ["active", "active"]
    response = post(dana_client, workshop, "end", {"confirm": "yes"})
    assert response.json()["ok"] is True
    workshop.refresh_from_db()
    assert workshop.status == WORKSHOP_ENDED and workshop.summary["couples_started"] == 2
    assert [s["status"] for s in states(codes)] == ["ended", "ended"]
    again = post(dana_client, workshop, "say", {"text": "Hello"})
    assert again.status_code == 400 and "has ended" in again.json()["error"]


def test_an_end_that_stopped_partway_can_be_finished_from_the_console(
    dana_client, group, monkeypatch
):
    workshop, codes = group
    post(dana_client, workshop, "start")
    submit = rooms.submit

    def fail_in_robins_room(code, actor, action, args=None, **kwargs):
        if code == codes[1] and action == "end":
            raise RuntimeError("the database went away")
        return submit(code, actor, action, args, **kwargs)

    monkeypatch.setattr(store_workshops.rooms, "submit", fail_in_robins_room)
    with pytest.raises(RuntimeError):
        post(dana_client, workshop, "end", {"confirm": "yes"})
    monkeypatch.setattr(store_workshops.rooms, "submit", submit)
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    assert "Finish ending it" in page
    response = post(dana_client, workshop, "end", {"confirm": "yes"})
    assert response.json()["ok"] is True
    workshop.refresh_from_db()
    assert workshop.summary["couples_started"] == 2
    assert [s["status"] for s in states(codes)] == ["ended", "ended"]
    page = dana_client.get(f"/counselor/workshops/{workshop.pk}/").content.decode()
    assert "Finish ending it" not in page
    again = post(dana_client, workshop, "end", {"confirm": "yes"})
    assert again.status_code == 400 and "has ended" in again.json()["error"]


@pytest.mark.parametrize("command", ["start", "next", "end"])
def test_commands_without_fields_refuse_any_field(dana_client, group, command):
    workshop, codes = group
    response = post(dana_client, workshop, command, {"everyone": "1", "confirm": "yes"})
    assert response.status_code == 400
    assert "'everyone'" in response.json()["error"]
    assert [s["status"] for s in states(codes)] == ["waiting", "waiting"]
    assert Workshop.objects.get(pk=workshop.pk).status == "open"


@pytest.mark.parametrize(
    ("command", "data"),
    [
        ("start", {}),
        ("next", {}),
        ("say", {"text": "hi"}),
        ("timer", {"minutes": "5"}),
        ("end", {"confirm": "yes"}),
    ],
)
def test_robins_commands_on_danas_workshop_are_a_404_and_change_nothing(
    robin_client, group, command, data
):
    workshop, codes = group
    assert post(robin_client, workshop, command, data).status_code == 404
    assert [(s["status"], s["message"]) for s in states(codes)] == [("waiting", None)] * 2
    assert Workshop.objects.get(pk=workshop.pk).status == "open"


def test_a_get_is_not_a_command(dana_client, group):
    workshop, _ = group
    assert dana_client.get(f"/counselor/workshops/{workshop.pk}/start/").status_code == 405


@pytest.mark.parametrize(
    ("command", "data", "field"),
    [
        ("say", {"text": ["Breathe", "Shout"]}, "text"),
        ("timer", {"minutes": ["3", "60"]}, "minutes"),
        ("next", {"from": ["0", "1"]}, "from"),
        ("end", {"confirm": ["yes", "yes"]}, "confirm"),
    ],
)
def test_a_field_sent_twice_is_refused_and_nothing_changes(
    dana_client, group, command, data, field
):
    workshop, codes = group
    post(dana_client, workshop, "start")
    response = post(dana_client, workshop, command, data)
    assert response.status_code == 400
    assert response.json()["error"] == (
        f"The field '{field}' came more than once; send each field once. Nothing was changed."
    )
    assert [(s["status"], s["message"], s["workshop"]["timer"]) for s in states(codes)] == [
        ("active", None, None)
    ] * 2
    workshop.refresh_from_db()
    assert (workshop.status, workshop.step) == ("started", 0)
