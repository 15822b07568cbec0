"""Dana's couple page, as she uses it between other things: no surprises, no stray keys.

- The "Start a hosted session" form sits outside every live region, so a live refresh
  (a partner arriving, a pause) never resets the protocol Dana has just picked.
- A practice session is the couple's own room: Dana never holds its join code, not on
  the couple's page, not on her list of couples, not in either export.
- A double submit of "Start a session with Alex and Sam" opens one room, not two.
- "Make a new link" asks in words first, as "Stop the link" does: the link the couple
  holds stops working.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from sessions.models import Couple, CoupleSession
from sessions.reports.history import session_history
from sessions.store import couples
from tests.support.couple_play import alex_and_sam, give_practice, play, seated

pytestmark = pytest.mark.django_db

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def page(couple: Couple, tail: str = "") -> str:
    return f"/counselor/couples/{couple.pk}/{tail}"


class Ancestry(HTMLParser):
    """For each element id, the ids of its ancestors marked `data-live-region`."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []  # (tag, live region id or None)
        self.live_ancestors: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.live_ancestors[attrs["id"]] = [i for _, i in self.stack if i]
        if tag in VOID:
            return
        self.stack.append((tag, attrs.get("id") if "data-live-region" in attrs else None))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return


def live_ancestors(html: str) -> dict[str, list[str]]:
    parser = Ancestry()
    parser.feed(html)
    return parser.live_ancestors


# --- D8: the start form is never swapped under Dana -----------------------------------


def test_the_start_session_form_is_outside_every_live_region(dana, dana_client):
    couple = alex_and_sam(dana)
    open_room = seated(couple)["session"]
    html = dana_client.get(page(couple)).content.decode()
    found = live_ancestors(html)
    assert found["start-session"] == []
    assert found["id_protocol"] == []
    # The open sessions still refresh live.
    assert "couple-now" in found and f'data-session="{open_room.pk}"' in html
    assert "data-live-region" in re.search(r'<[^>]*\sid="couple-now"[^>]*>', html).group(0)
    now = html.split('id="couple-now"', 1)[1].split("</div>", 1)[0]
    assert f"/counselor/s/{open_room.code}/" in now and 'id="start-session"' not in now


# --- D3: no practice join code anywhere Dana looks ------------------------------------------


@pytest.fixture
def with_practice(dana):
    """A hosted session done, one practice done, one practice open right now."""
    couple = alex_and_sam(dana)
    hosted = play(seated(couple))
    practice = give_practice(couple)
    done = play(seated(couple, practice))
    running = seated(couple, practice)["session"]
    return {"couple": couple, "hosted": hosted, "practice_codes": [done.code, running.code]}


def test_the_couple_page_never_shows_a_practice_join_code(with_practice, dana_client):
    couple = with_practice["couple"]
    html = dana_client.get(page(couple)).content.decode()
    for code in with_practice["practice_codes"]:
        assert code not in html
    # Dana's own hosted room keeps its host view and summary links.
    assert f"/counselor/s/{with_practice['hosted'].code}/summary/" in html
    assert html.count("history-practice") == 2


def test_the_list_and_both_exports_never_hold_a_practice_join_code(with_practice, dana_client):
    couple = with_practice["couple"]
    answers = [
        dana_client.get("/counselor/couples/"),
        dana_client.get(page(couple, "export.csv")),
        dana_client.get(page(couple, "export.json")),
    ]
    assert [r.status_code for r in answers] == [200, 200, 200]
    for response in answers:
        text = response.content.decode()
        for code in with_practice["practice_codes"]:
            assert code not in text
    assert len(json.loads(answers[2].content)["sessions"]) == 3


def test_a_practice_sessions_facts_carry_its_pk_and_no_code(with_practice):
    facts = session_history(with_practice["couple"])
    practice = [f for f in facts if f["kind"] == "practice"]
    assert len(practice) == 2 and all(f["code"] is None and f["pk"] for f in practice)
    assert [f["code"] for f in facts if f["kind"] == "hosted"] == [with_practice["hosted"].code]


# --- D10: a double submit opens one room ---------------------------------------------------


def test_a_double_submit_of_start_a_session_opens_one_room(dana, dana_client):
    couple = alex_and_sam(dana)
    first = dana_client.post(page(couple, "sessions/new/"), {"protocol": "daily-checkin"})
    second = dana_client.post(page(couple, "sessions/new/"), {"protocol": "daily-checkin"})
    session = CoupleSession.objects.get(couple=couple)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/counselor/s/{session.code}/"


# --- U5: a new link only when Dana says so ---------------------------------------------------


def test_the_page_asks_in_words_before_making_a_new_link(dana, dana_client):
    html = dana_client.get(page(alex_and_sam(dana))).content.decode()
    assert "Yes, make a new link: the old one stops working" in html
    assert 'id="replace-confirm"' in html and 'for="replace-confirm"' in html


def test_a_new_link_without_the_tick_changes_nothing(dana, dana_client):
    couple = alex_and_sam(dana)
    response = dana_client.post(page(couple, "link/"), {"action": "replace"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Tick the box to say you want a new link" in text and 'role="alert"' in text
    assert Couple.objects.get(pk=couple.pk).link_code == couple.link_code
    assert not couples.link_is_gone(couple.link_code)


def test_a_new_link_with_the_tick_replaces_the_old_one(dana, dana_client):
    couple = alex_and_sam(dana)
    response = dana_client.post(page(couple, "link/"), {"action": "replace", "confirm": "yes"})
    assert response.status_code == 302
    assert Couple.objects.get(pk=couple.pk).link_code != couple.link_code
    assert couples.link_is_gone(couple.link_code)


def test_with_no_link_left_a_new_one_is_made_without_a_tick(dana, dana_client):
    couple = alex_and_sam(dana)
    couples.revoke_link(couple)
    assert "Yes, make a new link" not in dana_client.get(page(couple)).content.decode()
    response = dana_client.post(page(couple, "link/"), {"action": "replace"})
    assert response.status_code == 302
    assert Couple.objects.get(pk=couple.pk).link_code
