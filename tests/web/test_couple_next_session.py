"""Dana writes down when she sees Alex and Sam next: her list, their page and their link say it.

Stay schedules nothing; the date is something to see. A date long past or more than a
year away, or one that is not a date, is refused in words and nothing changes.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions.models import Couple
from sessions.store import couples

pytestmark = pytest.mark.django_db


def form(when: str, **extra) -> dict:
    return {"name_a": "Alex", "name_b": "Sam", "note": "", "next_session_at": when, **extra}


def in_days(days: int) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT18:00")


def test_dana_sets_the_next_session_and_her_list_page_and_their_link_show_it(dana, dana_client):
    couple = couples.create_couple(dana, name_a="Alex", name_b="Sam")
    page = dana_client.post(reverse("counselor:couple_edit", args=[couple.pk]), form(in_days(7)))
    assert page.status_code == 302
    couple.refresh_from_db()
    day = timezone.localtime(couple.next_session_at)
    assert (day.hour, day.minute) == (18, 0)
    listing = dana_client.get(reverse("counselor:couples")).content.decode()
    assert f"Next session {day:%a} {day.day} {day:%b}, 18:00" in listing
    own = dana_client.get(reverse("counselor:couple", args=[couple.pk])).content.decode()
    assert f"Next session {day:%A} {day.day} {day:%B}, 18:00" in own
    link = reverse("standing", args=[couple.link_code])
    theirs = Client().get(link).content.decode()
    assert (
        "Your next session: <time" in theirs and f"{day:%A} {day.day} {day:%B} at 18:00" in theirs
    )


def test_a_next_session_already_behind_them_is_no_longer_shown(dana, dana_client):
    couple = couples.create_couple(
        dana, name_a="Alex", name_b="Sam", next_session_at=timezone.now() - timedelta(hours=3)
    )
    listing = dana_client.get(reverse("counselor:couples")).content.decode()
    assert "Next session" not in listing
    link = reverse("standing", args=[couple.link_code])
    assert "Your next session" not in Client().get(link).content.decode()


@pytest.mark.parametrize(
    ("when", "words"),
    [
        ("someday", "Give the next session as a date and time"),
        (in_days(-3), "That date has passed"),
        (in_days(400), "within the coming year"),
    ],
)
def test_a_date_that_is_not_a_next_session_is_refused_in_words(dana, dana_client, when, words):
    couple = couples.create_couple(dana, name_a="Alex", name_b="Sam")
    page = dana_client.post(reverse("counselor:couple_edit", args=[couple.pk]), form(when))
    assert page.status_code == 400
    assert words in page.content.decode()
    assert Couple.objects.get(pk=couple.pk).next_session_at is None


def test_leaving_it_empty_clears_it(dana, dana_client):
    couple = couples.create_couple(
        dana, name_a="Alex", name_b="Sam", next_session_at=timezone.now() + timedelta(days=2)
    )
    page = dana_client.post(reverse("counselor:couple_edit", args=[couple.pk]), form(""))
    assert page.status_code == 302
    assert Couple.objects.get(pk=couple.pk).next_session_at is None
