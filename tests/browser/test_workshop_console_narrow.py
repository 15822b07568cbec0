"""Dana runs her workshop from a phone (390 px wide), by keyboard as much as by touch.

Nothing on her console or her summary may push the page sideways: the group's link is
one long word and breaks where it must; a summary table too wide for the phone scrolls
inside its own box. "Start all rooms" turns itself off once pressed, and the keyboard's
focus lands on the line that says what happened, never on the page's <body>. Esc closes
the "End the workshop…" confirmation and gives the focus back to what opened it.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, Person, sign_in
from tests.browser.workshop_support import create_workshop, start_couple, tile

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The test server's address is short; a centre's own may be one long word with no hyphen to break at.
LONG_DOOR = "https://stay.relationshipcounsellingcentre.example.org/w/k7m2p9x4/"
# A protocol in German names its steps in words no line can break.
LONG_TITLE = "Selbstberuhigungsatemübungsanleitung"


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate(SIDEWAYS) <= 0, f"the page scrolls {page.evaluate(SIDEWAYS)} px sideways"


def test_dana_on_her_phone_runs_the_console_by_keyboard_without_sideways_scrolling(
    server, new_page, counselor
):
    dana = Person(new_page(), "Dana")
    page = dana.page
    assert page.viewport_size == PHONE
    sign_in(page, server, counselor("dana"))
    door = create_workshop(page, title="Evening on a phone")
    alex = Person(new_page(), "Alex")
    start_couple(alex, door)
    expect(tile(page, "Alex")).to_be_visible()
    page.locator("#door-link").evaluate("(a, url) => { a.textContent = url; }", LONG_DOOR)
    no_sideways_scroll(page)

    # Enter on "Start all rooms": it turns off, and the focus is on the status line.
    start = page.locator("#start-btn")
    start.focus()
    page.keyboard.press("Enter")
    expect(start).to_be_disabled()
    expect(page.locator("#console-status")).to_be_focused()
    expect(page.locator("#console-status")).not_to_be_empty()

    # Esc closes the confirmation, the focus back on its summary; nothing has ended.
    end = page.locator("details.end-workshop")
    end.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(end).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(end).not_to_have_attribute("open", "")
    expect(end.locator("summary")).to_be_focused()

    end.locator("summary").click()
    page.get_by_role("button", name="Yes, end it for everyone").click()
    page.get_by_role("link", name="Your summary of the workshop").click()
    steps = page.get_by_role("region", name="Steps reached")
    steps.locator("tbody td").nth(1).evaluate(
        "(td, title) => { td.textContent = title; }", LONG_TITLE
    )
    no_sideways_scroll(page)
    expect(page.get_by_role("region", name="Rooms")).to_be_visible()
    assert steps.evaluate("box => box.scrollWidth > box.clientWidth"), "it scrolls in its own box"
    assert not dana.errors, dana.errors
