"""What Dana and the couples do with their hands at a workshop (`test_workshop.py`).

Everything goes through the pages, as people in a room would: Dana makes the workshop
with the counselor's form and reads the group's link off her console; a partner opens
that link, answers the private question and starts a couple or joins their partner by
the word on the other's screen, or by the link inside the QR code that screen shows (a
phone's camera reads the same URL the page carries beside the code). The screenshot
script (`make_screenshots.shoot_workshop`) fills its console with the same helpers.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import Person

DESK = {"width": 1280, "height": 900}
# A built-in protocol with steps enough to pace: Before you begin, Arriving, Breathe, …
PROTOCOL = "daily-checkin"
WAITING_KINDLY = (
    "Your partner isn't here yet — you can wait here; nothing starts without both of you."
)
ASKED = "Your facilitator has been asked."
WORD = re.compile(r"[bdfgklmnprstvz][aeiou][bdfgklmnprstvz][aeiou][bdfgklmnprstvz][aeiou]")


# --- Dana, on her counselor pages ------------------------------------------------------------


def create_workshop(page: Page, *, title: str, couples: int = 10) -> str:
    """From any counselor page, through "Workshops" and the form, to the console; the door's URL.

    The pace is left at its default (she moves everyone on), as most facilitators would.
    """
    page.get_by_role("navigation", name="Counselor").get_by_role("link", name="Workshops").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workshops")
    page.get_by_role("link", name="New workshop").click()
    page.get_by_label("Protocol").select_option(PROTOCOL)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Largest number of couples").fill(str(couples))
    expect(page.get_by_label("I move everyone on to each next step together")).to_be_checked()
    page.get_by_role("button", name="Create the workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("#counts-line")).to_have_text("No couples yet")
    page.locator("#console[data-connection=online]").wait_for()
    return page.locator("#door-link").get_attribute("href")


def tile(page: Page, names: str):
    """One room's tile on the console, found by the couple's names as it shows them."""
    return page.locator("#tiles .tile").filter(
        has=page.get_by_role("heading", name=names, exact=True)
    )


def console_button(page: Page, name: str):
    return page.locator("#console").get_by_role("button", name=name, exact=True)


# --- A partner at the door -------------------------------------------------------------------


def _now_is_good(page: Page) -> None:
    expect(page.locator("#private-check")).to_contain_text(
        "Is now a safe and good time for you to do this together?"
    )
    page.get_by_role("button", name="Yes, now is good").click()


def _in_the_room(page: Page) -> None:
    page.wait_for_url("**/s/*/")
    page.wait_for_selector("#room[data-version]")


def start_couple(person: Person, door: str) -> str:
    """The first partner starts a couple: lands in their own room; the word it shows."""
    page = person.page
    page.goto(door)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome")
    _now_is_good(page)
    start = page.get_by_role("region", name="Start as a couple")
    start.get_by_label("What name should your partner see?").fill(person.name)
    start.get_by_role("button", name="Start as a couple").click()
    _in_the_room(page)
    card = page.get_by_role("region", name="Show this to your partner")
    expect(card).to_be_visible()
    word = card.locator(".pair-word").text_content().strip()
    assert WORD.fullmatch(word), word
    return word


def pairing_link(person: Person) -> str:
    """The URL inside the QR code on the first partner's screen, as a camera would read it."""
    figure = person.page.locator("#pair-card figure.qr")
    expect(figure.locator("svg")).to_be_visible()
    return figure.get_attribute("data-pair-url")


def join_by_word(person: Person, door: str, word: str) -> None:
    """The second partner types the word from their partner's screen at the group's door."""
    page = person.page
    page.goto(door)
    _now_is_good(page)
    join = page.get_by_role("region", name="Join your partner")
    join.get_by_label("Your partner's word").fill(word)
    join.get_by_label("What name should your partner see?").fill(person.name)
    join.get_by_role("button", name="Join my partner").click()


def join_by_link(person: Person, link: str, first: str) -> None:
    """The second partner scans their partner's QR code: "Join <first>", a name, in."""
    page = person.page
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {first}")
    _now_is_good(page)
    page.get_by_label(f"What name should {first} see?").fill(person.name)
    page.get_by_role("button", name=f"Join {first}").click()


def seated(first: Person, second: Person) -> None:
    """Both partners in the same room, each told the other is here; the word put away."""
    _in_the_room(second.page)
    assert first.page.url == second.page.url
    for person, other in ((first, second), (second, first)):
        expect(person.page.locator("#presence")).to_contain_text(f"{other.name} is here")
    expect(first.page.locator("#pair-card")).to_be_hidden()
