"""A workshop in real Chromium windows: Dana facilitates three couples, each in a room of its own.

Dana makes the workshop with her form and keeps its console open; Alex and Sam pair by
typing the word on Alex's screen, Robin and Riley by the link inside the QR code on
Robin's, Jo and Kim by the word again (typed the way a person might, in capitals). The
console fills in as they arrive, without reloading. She starts every room at once; Alex
pauses and the console says so within a second while Robin and Riley go on and finish
their step; Kim asks for help and Dana answers; she moves everyone on, writes to every
room, sets a group timer and ends the workshop. Her summary has the counts (never a
word from a room) and the downloads; each couple still has its own summary.

Smaller: a partner alone is told kindly they can wait and shown the word and QR code, and
a third person on a word already used by two is refused like a third person on a room.
"""

from __future__ import annotations

import csv
import io
import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import Person, sign_in
from tests.browser.workshop_support import (
    ASKED,
    DESK,
    WAITING_KINDLY,
    console_button,
    create_workshop,
    join_by_link,
    join_by_word,
    pairing_link,
    seated,
    start_couple,
    tile,
)

WITHIN_1_S = 1000
TITLE = "Spring communication evening"
MESSAGE = "Take two more minutes, then we'll move on together."
# Words the couples type in the room: none may reach Dana's console, summary or downloads.
CHECK_IN_WORDS = ("lanternlight", "harbourside")


def rooms_show(people: list[Person], selector: str, text) -> None:
    for person in people:
        expect(person.page.locator(selector)).to_have_text(text)


def test_dana_runs_a_workshop_for_three_couples_from_one_live_console(server, new_page, counselor):
    dana_name = counselor("dana")
    dana = Person(new_page(), "Dana")
    dana.page.set_viewport_size(DESK)
    sign_in(dana.page, server, dana_name)
    door = create_workshop(dana.page, title=TITLE)
    assert re.fullmatch(rf"{re.escape(server.url)}/w/[^/]+/", door), door
    console = dana.page
    counts = console.locator("#counts-line")

    alex, sam, robin, riley, jo, kim = (
        Person(new_page(), name) for name in ("Alex", "Sam", "Robin", "Riley", "Jo", "Kim")
    )
    couples = [(alex, sam), (robin, riley), (jo, kim)]
    everyone = [person for couple in couples for person in couple]

    # --- Pairing: by the typed word, by the QR code's link, by the word in capitals.
    word = start_couple(alex, door)
    expect(tile(console, "Alex")).to_contain_text("Alex · waiting for their partner")
    join_by_word(sam, door, word)
    seated(alex, sam)
    robin_word = start_couple(robin, door)
    link = pairing_link(robin)
    assert link == f"{door}p/{robin_word}/", link
    join_by_link(riley, link, "Robin")
    seated(robin, riley)
    jo_word = start_couple(jo, door)
    join_by_word(kim, door, f" {jo_word.upper()} ")
    seated(jo, kim)
    for first, second in couples:
        expect(first.page.locator("#waiting-line")).to_have_text(
            "You're both here. Your facilitator will begin for everyone when the time is right."
        )
        expect(tile(console, f"{first.name} and {second.name}")).to_contain_text("waiting to start")
    expect(console.locator("#tiles .tile")).to_have_count(3)
    expect(counts).to_have_text("3 couples · 3 waiting")
    # The console shows where each room stands, never which word opens it.
    for secret in (word, robin_word, jo_word):
        assert secret not in console.locator("#tiles").inner_text()

    # --- Start all: every room begins at the first step.
    console_button(console, "Start all rooms").click()
    rooms_show(everyone, "#title", "Before you begin")
    expect(counts).to_have_text("3 couples")

    # --- Alex pauses: the console says so within a second; the other rooms go on.
    alex.page.locator("#pause-btn").click()
    alex_and_sam = tile(console, "Alex and Sam")
    expect(alex_and_sam.locator(".tile-line")).to_have_text(
        "Alex and Sam · step 1 of 8 · paused (a moment)", timeout=WITHIN_1_S
    )
    expect(counts).to_have_text("3 couples · 1 paused")
    for person in (robin, riley):
        person.button("Continue").click()
    for person in (robin, riley):
        expect(person.page.locator("#held-card")).to_have_text(
            "You've finished this step. Your facilitator will start the next one for everyone"
            " — take your time."
        )
    expect(tile(console, "Robin and Riley").locator(".tile-line")).to_have_text(
        "Robin and Riley · step 1 of 8 · done with this step"
    )
    expect(alex_and_sam.locator(".tile-line")).to_contain_text("paused (a moment)")
    expect(sam.page.locator("#room")).to_have_attribute("data-status", "paused")
    # Both ready: Alex and Sam's room goes on where it was.
    for person in (alex, sam):
        person.button("I'm ready to continue").click()
    for person in (alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "active")
        expect(person.title()).to_have_text("Before you begin")
    expect(alex_and_sam.locator(".tile-line")).to_have_text(
        "Alex and Sam · step 1 of 8 · under way"
    )

    # --- Kim asks for help: a hand on the console, a quiet note for Jo and Kim; Dana answers.
    kim.button("Ask for help").click()
    jo_and_kim = tile(console, "Jo and Kim")
    expect(jo_and_kim.get_by_text("Hand raised", exact=True)).to_be_visible()
    expect(counts).to_have_text("3 couples · 1 hand raised")
    rooms_show([jo, kim], "#hand-status", ASKED)
    rooms_show([alex, sam, robin, riley], "#hand-status", "")
    jo_and_kim.get_by_role("button", name="Lower the hand of Jo and Kim").click()
    expect(jo_and_kim.get_by_text("Hand raised", exact=True)).to_be_hidden()
    rooms_show([jo, kim], "#hand-status", "")
    expect(kim.button("Ask for help")).to_be_visible()

    # --- Next step for everyone: every room, the held one too, is on the check-in.
    console_button(console, "Next step for everyone").click()
    rooms_show(everyone, "#title", "Arriving")
    for person in (robin, riley):
        expect(person.page.locator("#held-card")).to_have_text("")
    expect(console.locator("#group-step")).to_contain_text("Everyone may go up to step 2 of 8")
    alex.check_in("Safe and connected", 5, CHECK_IN_WORDS[0])
    jo.check_in("On edge", 4, CHECK_IN_WORDS[1])

    # --- A message and a group timer, in every room.
    console.get_by_label("Message to every room").fill(MESSAGE)
    console_button(console, "Send to every room").click()
    rooms_show(everyone, "#message-text", MESSAGE)
    console.get_by_label("Group timer, in minutes (1 to 60)").fill("5")
    console_button(console, "Set the timer").click()
    rooms_show(everyone, "#group-timer", re.compile(r"Group timer: (5:00|4:[0-5]\d) left"))

    # --- End: every room shows it ended; the console points to her summary.
    console.get_by_text("End the workshop…").click()
    console_button(console, "Yes, end it for everyone").click()
    rooms_show(everyone, "#title", "The session has ended")
    for person in everyone:
        expect(person.page.locator("#room")).to_have_attribute("data-status", "ended")
        expect(person.page.locator("#group-timer")).to_be_hidden()
    expect(console.locator(".notice")).to_contain_text("This workshop has ended")
    assert not [text for text in CHECK_IN_WORDS if text in console.content()]

    # --- Dana's summary: counts only, and the same counts to download.
    console.get_by_role("link", name="Your summary of the workshop").click()
    expect(console.get_by_role("heading", level=1)).to_have_text(f"Summary: {TITLE}")
    numbers = console.locator("dl.summary-counts")
    for label, value in (
        ("Couples who started", "3"),
        ("Couples who finished", "0"),
        ("Hands raised", "1"),
        ("Pauses: a moment", "1"),
    ):
        expect(numbers.locator("dt", has_text=label).locator("+ dd")).to_have_text(value)
    expect(console.locator("table.summary-table").last.locator("tbody tr")).to_have_count(3)
    with console.expect_download() as got:
        console.get_by_role("link", name="CSV", exact=True).click()
    table = got.value.path().read_text(encoding="utf-8")
    with console.expect_download() as got:
        console.get_by_role("link", name="JSON", exact=True).click()
    data = json.loads(got.value.path().read_text(encoding="utf-8"))
    assert data["couples_started"] == 3 and data["hands_raised"] == 1, data
    assert data["pauses_by_reason"]["a moment"] == 1, data
    assert list(csv.reader(io.StringIO(table))), table
    summary_text = console.content() + table + json.dumps(data)
    for secret in (*CHECK_IN_WORDS, MESSAGE, "Alex", "Kim", word, jo_word):
        assert secret not in summary_text, secret

    # --- Each couple still has its own summary, as after any session.
    for person in (alex, jo):
        person.page.get_by_role("link", name=re.compile("Other choices")).click()
        person.page.wait_for_url("**/s/*/summary/**")
        expect(person.page.get_by_role("heading", level=1)).to_have_text("Your session together")
    expect(jo.page.locator("main")).to_contain_text(CHECK_IN_WORDS[1])
    expect(alex.page.locator("main")).not_to_contain_text(CHECK_IN_WORDS[1])
    for person in (dana, *everyone):
        assert not person.errors, (person.name, person.errors)


def test_a_partner_alone_may_wait_and_a_third_person_on_their_word_is_refused(
    server, new_page, counselor
):
    dana_name = counselor("dana")
    dana = Person(new_page(), "Dana")
    dana.page.set_viewport_size(DESK)
    sign_in(dana.page, server, dana_name)
    door = create_workshop(dana.page, title="Evening for two")
    jo, kim, pat = (Person(new_page(), name) for name in ("Jo", "Kim", "Pat"))

    # Jo alone: told kindly, with the word and the QR code to show Kim.
    word = start_couple(jo, door)
    card = jo.page.get_by_role("region", name="Show this to your partner")
    expect(card).to_contain_text(word)
    expect(card).to_contain_text(WAITING_KINDLY)
    expect(card.locator(".qr svg")).to_be_visible()
    expect(jo.page.locator("#presence")).to_contain_text("Waiting for your partner to join")
    expect(jo.button("Begin together")).to_be_hidden()
    expect(tile(dana.page, "Jo").locator(".tile-line")).to_have_text(
        "Jo · waiting for their partner"
    )
    link = pairing_link(jo)

    join_by_word(kim, door, word)
    seated(jo, kim)

    # Pat, on the same word, typed or scanned: the room's own "both places are taken".
    for attempt in ("typed", "scanned"):
        if attempt == "typed":
            join_by_word(pat, door, word)
        else:
            pat.page.goto(link)
        expect(pat.page.get_by_role("heading", level=1)).to_have_text("Both places are taken")
        expect(pat.page.locator("#room")).to_have_count(0)
        # Refused at the door: no room's own link to knock on, and not Jo's name.
        assert "/w/" in pat.page.url and "/j/" not in pat.page.url, pat.page.url
        expect(pat.page.locator("main")).not_to_contain_text(re.compile(r"\bJo\b"))
    for person in (jo, kim):
        expect(person.page.locator("#presence")).not_to_contain_text("Pat")
    expect(dana.page.locator("#counts-line")).to_have_text("1 couple · 1 waiting")
    assert not jo.errors and not kim.errors
