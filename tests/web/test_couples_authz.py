"""Who reaches Dana's couple pages: Dana only; everyone else meets a 404 or the sign-in.

Every counselor URL of a couple, tried by Riley (a stranger), a partner of another of
Dana's couples, Alex (a partner of this couple, holding a seat in its room), Robin
(another counselor) and Dana. Nobody but Dana changes anything, and nobody but Dana
reads a name of the couple in the answer.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sessions.models import Couple, CoupleSession, Practice
from tests.support.couple_play import alex_and_sam, browser_of, give_practice, seated

pytestmark = pytest.mark.django_db

# (method, path tail, data); "{p}" is the practice's id.
DOORS = [
    ("get", "", None),
    ("get", "edit/", None),
    ("post", "edit/", {"name_a": "Mallory", "name_b": "Eve"}),
    ("get", "delete/", None),
    ("post", "delete/", {}),
    ("post", "link/", {"action": "revoke", "confirm": "yes"}),
    ("post", "link/", {"action": "replace", "confirm": "yes"}),
    ("post", "sessions/new/", {"protocol": "daily-checkin"}),
    ("post", "practice/", {"protocol": "daily-checkin", "times_per_week": "3"}),
    ("post", "practice/{p}/stop/", {}),
    ("get", "export.csv", None),
    ("get", "export.json", None),
]
DOOR_IDS = [f"{method}-{tail.replace('{p}', 'p') or 'page'}" for method, tail, _ in DOORS]


@pytest.fixture
def world(dana, robin, robin_client):
    couple = alex_and_sam(dana)
    practice = give_practice(couple)
    room = seated(couple)
    other = Couple.objects.create(counselor=dana, name_a="Jo", name_b="Kim", link_code="x" * 22)
    other_room = seated(other)
    return {
        "couple": couple,
        "practice": practice,
        "riley": Client(),
        "other partner": browser_of(other_room, "a"),
        "alex": browser_of(room, "a"),
        "robin": robin_client,
    }


def knock(browser: Client, world: dict, method: str, tail: str, data):
    path = f"/counselor/couples/{world['couple'].pk}/{tail.format(p=world['practice'].pk)}"
    return browser.get(path) if method == "get" else browser.post(path, data or {})


def unchanged(world: dict) -> bool:
    couple = Couple.objects.filter(pk=world["couple"].pk).first()
    return (
        couple is not None
        and couple.link_code == world["couple"].link_code
        and couple.name_a == "Alex"
        and Practice.objects.get(pk=world["practice"].pk).stopped_at is None
        and CoupleSession.objects.filter(couple=couple).count() == 1
        and Practice.objects.filter(couple=couple).count() == 1
    )


@pytest.mark.parametrize(("method", "tail", "data"), DOORS, ids=DOOR_IDS)
@pytest.mark.parametrize("who", ["riley", "other partner", "alex"])
def test_someone_not_signed_in_is_sent_to_sign_in_and_changes_nothing(
    world, who, method, tail, data
):
    response = knock(world[who], world, method, tail, data)
    assert response.status_code == 302 and "/counselor/login/" in response["Location"]
    assert unchanged(world)


@pytest.mark.parametrize(("method", "tail", "data"), DOORS, ids=DOOR_IDS)
def test_robin_gets_404_naming_nothing_and_changes_nothing(world, method, tail, data):
    response = knock(world["robin"], world, method, tail, data)
    assert response.status_code == 404
    text = response.content.decode()
    assert not re.search(r"\bAlex\b", text) and not re.search(r"\bSam\b", text)
    assert unchanged(world)


@pytest.mark.parametrize(("method", "tail", "data"), DOORS, ids=DOOR_IDS)
def test_dana_opens_every_door_of_her_couple(world, dana_client, method, tail, data):
    response = knock(dana_client, world, method, tail, data)
    assert response.status_code in (200, 302), response.content[:400]


def test_robin_never_sees_danas_couples_in_his_list(world, robin_client):
    text = robin_client.get("/counselor/couples/").content.decode()
    assert not re.search(r"\bAlex\b", text) and "Jo" not in text


def test_a_couple_that_does_not_exist_is_a_404_like_robins(dana_client):
    assert dana_client.get("/counselor/couples/999999/").status_code == 404


def test_danas_practice_id_under_another_of_her_couples_is_a_404(world, dana, dana_client):
    jo_and_kim = Couple.objects.get(name_a="Jo")
    path = f"/counselor/couples/{jo_and_kim.pk}/practice/{world['practice'].pk}/stop/"
    assert dana_client.post(path).status_code == 404
    assert unchanged(world)
