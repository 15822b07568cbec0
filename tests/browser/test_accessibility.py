"""Basic accessibility on every partner page: names, one h1, a language, a live region."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import SHORT, Person

ROLES = ("button", "link", "textbox", "radio", "checkbox", "slider", "progressbar")
NAMED = re.compile(r'^\w+ "[^"]+"')


def unnamed_controls(page) -> list[str]:
    """Controls a screen reader would announce without a name (Playwright's own computation)."""
    problems = []
    for role in ROLES:
        found = page.get_by_role(role)
        for i in range(found.count()):
            line = found.nth(i).aria_snapshot().splitlines()[0].removeprefix("- ")
            if line.startswith("'"):  # YAML quotes the whole entry when the name has a colon
                line = line.strip("':").replace("''", "'")
            if not NAMED.match(line):
                problems.append(line)
    return problems


def fits_a_small_phone(page) -> bool:
    """At 320 px nothing is wider than the screen (no sideways scrolling)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        return page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        page.set_viewport_size(size)


def basics(page) -> None:
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_count(1)
    assert unnamed_controls(page) == []
    assert fits_a_small_phone(page)


def test_every_partner_page_names_its_controls(server, new_page, create_session):
    page = new_page()
    page.goto(f"{server.url}/")
    basics(page)
    page.locator("li.protocol", has_text="Short practice").get_by_role(
        "button", name="Start this one"
    ).click()
    basics(page)
    page.get_by_role("link", name="Join on this device").click()
    basics(page)
    alex = Person(page, "Alex")
    page.get_by_role("button", name="Yes, now is good").click()
    page.get_by_label("What name should your partner see?").fill("Alex")
    page.get_by_role("button", name="Join the session").click()
    page.wait_for_selector("#room[data-version]")
    basics(page)
    expect(page.locator("#live")).to_have_attribute("aria-live", "polite")

    sam = Person(new_page(), "Sam")
    sam.join(page.url.replace("/s/", "/j/"))
    sam.button("Begin together").click()
    expect(alex.title()).to_have_text("Arriving")
    basics(page)
    # The step change is announced, and focus moved to the new heading.
    expect(page.locator("#live")).to_contain_text("Step 1 of 7: Arriving")
    expect(page.locator("#title")).to_be_focused()


def test_pause_is_one_key_press_from_the_new_step_heading(partners):
    code, alex, sam = partners(SHORT)
    alex.button("Begin together").click()
    expect(alex.title()).to_have_text("Arriving")
    page = alex.page
    expect(page.locator("#title")).to_be_focused()
    page.keyboard.press("p")
    expect(sam.title()).to_have_text("Taking a pause")
