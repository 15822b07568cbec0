"""Two weeks with one couple, in real Chromium windows: Dana (counselor) and Alex and Sam.

Dana adds Alex and Sam with the CSI-4 on, gives them practice and hosts a session from
their page; each partner comes in through the one standing link on their own phone,
says once which of them they are and answers the CSI-4 privately (the other partner's
room, link page and summary never show it). Dana's dashboard, open in another tab,
shows Sam's pause and its reason without reloading. Between the sessions the couple
practises twice from the link, once shared with Dana and once not. In week two the
same phones go straight in, with nothing to retype. Dana's couple page then holds the
whole history, both trends and the exports, with the unshared practice's answers
nowhere.
"""

from __future__ import annotations

import csv
import io
import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import Person, sign_in
from tests.browser.couple_weeks_support import (
    ALEX_WEEK_1,
    ALEX_WEEK_2,
    DESK,
    NAME_FIELD,
    SAM_WEEK_1,
    SAM_WEEK_2,
    WHO_HEADING,
    add_couple,
    answer_csi4,
    close_hosted,
    csi4_words,
    give_practice,
    open_link_and_join,
    practise,
    share_with_counselor,
    start_hosted,
    start_practice,
    traces_of,
)

SAID_WITHIN_MS = 3000
# Check-in words: each session's own, so a file or page shows which session it came from.
SHARED = {"Alex": ("cozy", "glad"), "Sam": ("warm", "settled")}
UNSHARED = {"Alex": ("lantern", "harbour"), "Sam": ("meadow", "pebble")}
# What only one partner's CSI-4 puts on a page: the words of their choices and their total.
ALEX_TRACES = ("Fairly unhappy", "Almost completely true", "10 of 21", "14 of 21", "CSI")
SAM_TRACES = ("Very happy", "Completely true", "18 of 21", "20 of 21", "Extremely happy", "CSI")


def never_shows(person: Person, traces: tuple[str, ...], where: str) -> None:
    """Nothing of the other partner's answers on this page, nor in any frame it received."""
    text = person.page.content()
    assert not traces_of(text, traces), (person.name, where, traces_of(text, traces))
    frames = json.dumps(person.frames)
    assert not traces_of(frames, traces), (person.name, "socket frames", where)
    assert "item1" not in text and "item1" not in frames


def summary_page(person: Person) -> None:
    """From the finished room, the link to the session's summary page."""
    person.page.get_by_role("link", name=re.compile("Other choices")).click()
    person.page.wait_for_url("**/s/*/summary/**")
    expect(person.page.get_by_role("heading", level=1)).to_have_text("Your session together")


def test_dana_sees_alex_and_sam_over_two_weeks_of_sessions_practice_and_private_csi4(
    server, new_page, counselor
):
    dana_name = counselor("dana")
    dana = Person(new_page(), "Dana")
    dana.page.set_viewport_size(DESK)
    alex = Person(new_page(), "Alex")
    sam = Person(new_page(), "Sam")

    # --- Dana adds the couple, sends the standing link and gives them practice.
    sign_in(dana.page, server, dana_name)
    link = add_couple(dana.page, server, note="Referred by their GP.")
    couple_url = dana.page.url
    give_practice(dana.page, times=3)

    # Her dashboard stays open in its own tab.
    dashboard = dana.page.context.new_page()
    dashboard.set_viewport_size(DESK)
    dashboard.goto(f"{server.url}/counselor/")
    expect(dashboard.locator("#live-announcer")).to_have_attribute("data-connection", "online")
    dashboard.evaluate("window.__sameDocument = true")

    # --- Week 1: a hosted session; each partner says once who they are and answers privately.
    week_1 = start_hosted(dana, couple_url)
    assert open_link_and_join(alex, link, first_time=True) == week_1
    answer_csi4(alex, ALEX_WEEK_1, other="Sam")
    assert open_link_and_join(sam, link, first_time=True) == week_1
    answer_csi4(sam, SAM_WEEK_1, other="Alex")
    expect(dana.page.locator("#desk-presence")).to_contain_text("Alex — here")
    expect(dana.page.locator("#desk-presence")).to_contain_text("Sam — here")
    row = dashboard.locator(f'#sessions-waiting [data-code="{week_1}"]')
    expect(row).to_contain_text("Alex and Sam:", timeout=SAID_WITHIN_MS)
    never_shows(sam, ALEX_TRACES, "room")
    never_shows(alex, SAM_TRACES, "room")

    dana.button("Begin together").click()
    for person in (dana, alex, sam):
        expect(person.title()).to_have_text("Arriving")
    alex.check_in("On edge", 6, "nervous")
    sam.check_in("Safe and connected", 4, "hopeful")
    expect(dana.page.locator("#checkin-wait")).to_contain_text("Alex and Sam have both checked in")
    live = dashboard.locator(f'#sessions-live [data-code="{week_1}"]')
    expect(live).to_contain_text("started", timeout=SAID_WITHIN_MS)

    # Sam needs a longer break: Dana's dashboard says so, with the reason, without reloading.
    sam.button("It's too much — I need a longer break").click()
    expect(live.locator(".badge")).to_have_text("paused", timeout=SAID_WITHIN_MS)
    expect(live).to_contain_text(
        "paused — Sam asked for a pause (feeling flooded)", timeout=SAID_WITHIN_MS
    )
    expect(dashboard.locator("#live-announcer")).to_contain_text(
        "Sam asked for a pause", timeout=SAID_WITHIN_MS
    )
    assert dashboard.evaluate("window.__sameDocument") is True
    for person in (alex, sam):
        person.button("I'm ready to continue").click()
    for person in (dana, alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "active")

    close_hosted(dana, alex, sam, ("lighter", "calmer"))
    finished = dashboard.locator(f'#sessions-finished [data-code="{week_1}"]')
    expect(finished).to_be_visible(timeout=SAID_WITHIN_MS)
    assert dashboard.evaluate("window.__sameDocument") is True

    # Neither partner's summary, nor the link page after it, shows the other's answers.
    for person, traces in ((sam, ALEX_TRACES), (alex, SAM_TRACES)):
        expect(person.page.locator("#summary")).to_contain_text("lighter")
        never_shows(person, traces, "finished room")
        summary_page(person)
        never_shows(person, traces, "summary")
        person.page.goto(link)
        expect(person.page.get_by_role("heading", level=1)).to_have_text("Nothing right now")
        never_shows(person, traces, "standing link")

    # --- Between sessions: practice twice from the link, to the end each time.
    expect(sam.page.locator(".standing-practices")).to_contain_text("done 0 of 3 this week")
    shared = start_practice(alex, sam, link)
    practise(alex, sam, SHARED)
    share_with_counselor(alex, other="Sam")
    share_with_counselor(sam, other="Alex")
    expect(sam.page.locator("#share [role=status]")).to_have_text(
        "Shared with your counselor. They can see your check-in answers from this practice."
    )

    unshared = start_practice(sam, alex, link)
    expect(alex.page.locator("#presence")).to_contain_text("Sam is here")
    practise(alex, sam, UNSHARED)
    share_with_counselor(alex, other="Sam")
    # Alex's tick stays Alex's: Sam's summary does not say it.
    summary_page(sam)
    expect(sam.page.locator("#share")).to_contain_text("Alex isn't told what you chose.")
    expect(sam.page.locator("#share [role=status]")).to_have_count(0)
    alex.page.goto(link)
    expect(alex.page.locator(".standing-practices")).to_contain_text("done 2 of 3 this week")

    # --- Week 2: the same phones, the same link: straight to the questions, nothing to type.
    week_2 = start_hosted(dana, couple_url)
    for person, choices, other in ((alex, ALEX_WEEK_2, "Sam"), (sam, SAM_WEEK_2, "Alex")):
        seen: list[str] = []
        person.page.on("framenavigated", lambda frame, seen=seen: seen.append(frame.url))
        assert open_link_and_join(person, link, first_time=False) == week_2
        assert not [url for url in seen if url.endswith("/join/")], seen
        expect(person.page.get_by_role("heading", name=WHO_HEADING)).to_have_count(0)
        expect(person.page.get_by_label(NAME_FIELD)).to_have_count(0)
        expect(person.page.get_by_role("textbox")).to_have_count(0)
        answer_csi4(person, choices, other=other)
    never_shows(sam, ALEX_TRACES, "week 2 room")
    never_shows(alex, SAM_TRACES, "week 2 room")
    dana.button("Begin together").click()
    alex.check_in("Safe and connected", 5, "steady")
    sam.check_in("Safe and connected", 5, "open")
    close_hosted(dana, alex, sam, ("close", "grateful"))

    # --- Dana's couple page: the whole history, both trends, the scores.
    dana.page.goto(couple_url)
    history = dana.page.locator("#couple-sessions")
    expect(history.locator("tbody tr")).to_have_count(4)
    hosted_rows = history.locator("tr.history-hosted")
    expect(hosted_rows).to_have_count(2)
    expect(history.locator("tr.history-practice")).to_have_count(2)
    week_1_row = history.locator(f'tr[data-code="{week_1}"]')
    expect(week_1_row).to_contain_text("Sam asked for a pause (feeling flooded)")
    expect(week_1_row).to_contain_text("Alex: On edge, 6 of 10 — “nervous”")
    expect(week_1_row).to_contain_text(csi4_words(10))
    expect(week_1_row.locator(".below-cut-off")).to_contain_text("Alex")
    expect(history.locator(f'tr[data-code="{week_2}"]')).to_contain_text(csi4_words(20))
    # Newest first: the practice Sam started (not shared), then the one Alex started (shared).
    practice_rows = history.locator("tr.history-practice")
    expect(practice_rows.nth(1)).to_contain_text("Alex: Safe and connected, 5 of 10 — “cozy” → ")
    expect(practice_rows.nth(1)).to_contain_text("Sam: On edge, 4 of 10 — “warm”")
    expect(practice_rows.nth(0)).to_contain_text("not shared with you")
    page_text = dana.page.content()
    assert not traces_of(page_text, (*UNSHARED["Alex"], *UNSHARED["Sam"]))
    # A practice session's code (the key to its room) never reaches Dana's page.
    assert shared not in page_text and unshared not in page_text
    expect(dana.page.locator("#practice-current")).to_contain_text("done 2 of 3 this week")

    trends = dana.page.locator("#couple-trends")
    expect(trends.get_by_role("img", name="Check-ins across sessions")).to_be_visible()
    csi4 = trends.get_by_role("img", name="CSI-4 totals across sessions")
    expect(csi4).to_be_visible()
    expect(csi4.locator("line.cut-off")).to_have_count(1)
    expect(csi4.locator("text.cut-off-label")).to_contain_text("13.5")
    for name in ("Alex", "Sam"):
        expect(csi4).to_contain_text(name)
    scores = trends.locator("table.trend-table").last
    for total in (10, 18, 14, 20):
        expect(scores).to_contain_text(csi4_words(total))

    # --- Her downloads hold all of it, and nothing of the practice they kept to themselves.
    with dana.page.expect_download() as got:
        dana.page.get_by_role("link", name="CSV for spreadsheets").click()
    table = got.value.path().read_text(encoding="utf-8")
    with dana.page.expect_download() as got:
        dana.page.get_by_role("link", name="JSON", exact=True).click()
    data = json.loads(got.value.path().read_text(encoding="utf-8"))

    rows = list(csv.DictReader(io.StringIO(table)))
    kinds = [r["kind"] for r in rows if r["section"] == "session"]
    assert sorted(kinds) == ["hosted", "hosted", "practice", "practice"], kinds
    totals = sorted((r["who"], int(r["total"])) for r in rows if r["section"] == "csi4")
    assert totals == [("Alex", 10), ("Alex", 14), ("Sam", 18), ("Sam", 20)], totals
    checkin_words = {r["word"] for r in rows if r["section"] == "checkin"}
    assert {"cozy", "glad", "warm", "settled", "nervous", "grateful"} <= checkin_words
    assert any(r["section"] == "pause" and "feeling flooded" in r["title"] for r in rows)

    sessions = data["sessions"]
    assert [s["kind"] for s in sessions] == ["hosted", "practice", "practice", "hosted"]
    assert [s["checkins_shared"] for s in sessions] == [True, True, False, True]
    assert sessions[1]["checkins"]["first"]["a"]["word"] == "cozy"
    assert sessions[2]["checkins"] is None
    assert [(s["csi4"]["a"] or {}).get("total") for s in sessions] == [10, None, None, 14]
    assert [(s["csi4"]["b"] or {}).get("total") for s in sessions] == [18, None, None, 20]
    assert [(row["a"]["total"], row["b"]["total"]) for row in data["csi4"]] == [(10, 18), (14, 20)]
    assert data["practice"][0]["completed"] == 2
    for text in (table, json.dumps(data)):
        assert not traces_of(text, (*UNSHARED["Alex"], *UNSHARED["Sam"]))
        # No key to anything: neither the standing link nor any session's code.
        for code in (link.rstrip("/").rsplit("/", 1)[-1], week_1, shared, unshared, week_2):
            assert code not in text
    for person in (dana, alex, sam):
        assert not person.errors, person.errors
