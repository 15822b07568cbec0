"""A workshop room on a phone: what Jo and Kim see in the first screen, and what is said.

Jo starts a couple on a 390×844 phone while Dana has already written to every room and set
a group timer: the word and its QR code still come first, whole, in the first screen (and
on a small 360×640 phone too); Dana, at her console, is no orange warning in Jo's room, and
nowhere there is she "your counselor". When the group timer runs out "Time" is said once,
not every second. Once both have finished a step of Dana's paced workshop only the held card
speaks (no "you'll move on together once you've both said you're ready"), and after Kim asks
for help the words that answer her are focused and scrolled clear of "Leave quickly".
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import Person, sign_in
from tests.browser.workshop_support import (
    ASKED,
    DESK,
    console_button,
    create_workshop,
    join_by_word,
    seated,
    start_couple,
)

SMALL_PHONE = {"width": 360, "height": 640}
HELD = (
    "You've finished this step. Your facilitator will start the next one for everyone"
    " — take your time."
)
# Every text the room's polite live region is given, in order (it is emptied before each).
HEAR = """
window.__said = [];
new MutationObserver(() => {
  const text = document.getElementById("live").textContent;
  if (text) window.__said.push(text);
}).observe(document.getElementById("live"), { childList: true, characterData: true, subtree: true });
"""
# Jo's phone a minute and a bit later, as the room's clock reads it (the server's time).
LATER = """
const clock = window.stayRoom.clock;
const now = clock.serverNow.bind(clock);
clock.serverNow = () => now() + 61000;
"""


def box(page: Page, selector: str) -> dict:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


def in_first_screen(page: Page, selector: str) -> None:
    """Wholly inside the first screen, with the page not scrolled."""
    assert page.evaluate("window.scrollY") == 0
    height = page.viewport_size["height"]
    found = box(page, selector)
    assert found["y"] >= 0 and found["y"] + found["height"] <= height, (selector, found, height)


def dana_at_her_console(server, new_page, counselor, title: str) -> tuple[Person, str]:
    dana = Person(new_page(), "Dana")
    dana.page.set_viewport_size(DESK)
    sign_in(dana.page, server, counselor("dana"))
    return dana, create_workshop(dana.page, title=title)


def test_jo_alone_sees_the_word_and_qr_first_and_hears_time_once(server, new_page, counselor):
    dana, door = dana_at_her_console(server, new_page, counselor, "Phones evening")
    console = dana.page
    jo = Person(new_page(), "Jo")
    start_couple(jo, door)
    console.get_by_label("Message to every room").fill("Welcome, everyone. Take your time.")
    console_button(console, "Send to every room").click()
    console.get_by_label("Group timer, in minutes (1 to 60)").fill("1")
    console_button(console, "Set the timer").click()
    page = jo.page
    expect(page.locator("#message-text")).to_have_text("Welcome, everyone. Take your time.")
    expect(page.locator("#group-timer")).to_be_visible()

    # The card is the point of the page: right under the heading, before the message and
    # the timer, its word and QR code whole in the first screen.
    assert box(page, "#title")["y"] < box(page, "#pair-card")["y"] < box(page, "#message")["y"]
    assert box(page, "#pair-card")["y"] < box(page, "#group-timer")["y"]
    for selector in ("#pair-card .pair-word", "#pair-card .qr svg"):
        in_first_screen(page, selector)
    page.set_viewport_size(SMALL_PHONE)
    for selector in ("#pair-card .pair-word", "#pair-card .qr svg"):
        in_first_screen(page, selector)
    assert box(page, "#pair-card .qr svg")["width"] >= 120  # still a code a camera reads
    page.set_viewport_size({"width": 390, "height": 844})

    # Dana is at her console: no warning, no "counselor" in Jo's room.
    expect(page.locator("#presence")).to_have_text("Waiting for your partner to join")
    expect(page.locator("#presence .presence-dropped")).to_have_count(0)
    expect(page.locator("#seat-code")).not_to_contain_text("counselor")
    expect(page.locator("#room")).not_to_contain_text("counselor")

    # The minute runs out: "Time" shown, and said once, politely.
    page.evaluate(HEAR)
    page.evaluate(LATER)
    expect(page.locator("#group-timer")).to_have_text("Group timer: Time")
    expect(page.locator("#live")).to_have_text("Group timer: Time.")
    page.wait_for_timeout(1500)
    said = page.evaluate("window.__said")
    assert said.count("Group timer: Time.") == 1, said
    assert page.locator("#live").get_attribute("aria-live") == "polite"
    assert not jo.errors and not dana.errors


def test_a_held_room_shows_only_its_held_card_and_kims_asked_words_clear_the_pill(
    server, new_page, counselor
):
    dana, door = dana_at_her_console(server, new_page, counselor, "Held evening")
    jo = Person(new_page(), "Jo")
    kim = Person(new_page(reduced_motion="reduce"), "Kim")
    word = start_couple(jo, door)
    join_by_word(kim, door, word)
    seated(jo, kim)
    console_button(dana.page, "Start all rooms").click()
    for person in (jo, kim):
        expect(person.title()).to_have_text("Before you begin")
    for person in (jo, kim):
        person.button("Continue").click()

    for person in (jo, kim):
        page = person.page
        expect(page.locator("#held-card")).to_have_text(HELD)
        expect(page.locator("#turn")).to_be_hidden()
        expect(page.locator("#moving-on")).to_have_text("")
        for name in ("Continue", "Not yet"):
            expect(person.button(name)).to_be_hidden()
        expect(page.locator("#screen-step")).not_to_contain_text("once you've both said")
        expect(page.locator("#room")).not_to_contain_text("counselor")

    # Kim has scrolled "Ask for help" half under the sticky pill, and taps its visible part.
    page = kim.page
    page.set_viewport_size({"width": 390, "height": 500})
    pill = box(page, ".quick-exit-btn")
    ask = kim.button("Ask for help")
    top = ask.evaluate("(b) => b.getBoundingClientRect().top + window.scrollY")
    page.evaluate(f"window.scrollTo(0, {top} - {pill['y'] + pill['height']} + 12)")
    ask.evaluate("(b) => b.click()")
    status = page.locator("#hand-status")
    expect(status).to_have_text(ASKED)
    expect(status).to_be_focused()
    pill = box(page, ".quick-exit-btn")
    shown = box(page, "#hand-status")
    assert shown["y"] >= pill["y"] + pill["height"], (shown, pill)
    assert shown["y"] + shown["height"] <= 500, shown
    assert not jo.errors and not kim.errors and not dana.errors
