"""Alex's phone dies and Alex carries on from another one: Sam is told, once, calmly."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Person, quick_grace_server

REJOINED = "Alex rejoined on another device."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from quick_grace_server(tmp_path_factory, "rejoin")


def take_over_as(person: Person, join_url: str, seat_code: str) -> None:
    """Open the link on a new phone and type the seat code once the old phone has lapsed."""
    page = person.page
    page.goto(join_url)
    deadline = time.monotonic() + 15
    while True:
        page.get_by_label("Seat code", exact=True).fill(seat_code)
        page.get_by_role("button", name="Continue here").click()
        page.wait_for_load_state()
        if "/s/" in page.url or time.monotonic() > deadline:
            break
        page.wait_for_timeout(300)  # the old phone has not been gone long enough yet
    page.wait_for_url("**/s/*/")
    page.wait_for_selector("#room[data-version]")


def test_sam_is_told_once_when_alex_carries_on_from_another_phone(server, new_page, partners):
    code, alex, sam = partners()
    link = f"{server.url}/j/{code}/"
    rejoined = sam.page.locator("#rejoined")
    alex.button("Begin together").click()
    expect(sam.title()).to_have_text("Arriving")
    expect(rejoined).to_be_hidden()

    seat_code = alex.page.locator("#seat-code-value").text_content()
    alex.page.context.close()  # the battery died
    expect(sam.page.locator("#presence")).to_contain_text("Alex's connection dropped")
    expect(sam.page.locator("#pause-line")).to_have_text(
        "Alex's connection dropped. The room waits here until they're back."
    )

    new_phone = Person(new_page(), "Alex")
    take_over_as(new_phone, link, seat_code)
    expect(new_phone.page.locator("#presence")).to_contain_text("Sam is here")
    expect(new_phone.page.locator("#rejoined")).to_be_hidden()

    expect(rejoined).to_have_text(REJOINED)
    expect(rejoined).to_be_visible()
    expect(sam.page.locator("#live")).to_contain_text(REJOINED)
    expect(sam.page.locator("#presence")).to_contain_text("Alex is here")
    # The pause no longer says the room waits for Alex: Alex is back.
    expect(sam.page.locator("#pause-line")).to_have_text(
        "Alex's connection dropped for a moment. Alex is back — carry on when you're both ready."
    )

    # Only a newer take-over is news: the next change in the room does not repeat it.
    new_phone.button("I'm ready to continue").click()
    sam.button("I'm ready to continue").click()
    expect(sam.title()).to_have_text("Arriving")
    expect(sam.page.locator("#live")).to_contain_text("Step 1 of")
    expect(sam.page.locator("#live")).not_to_contain_text("rejoined")

    # A reload just after the take-over still tells Sam (it may be why Sam reloaded).
    sam.page.reload()
    sam.page.wait_for_selector("#room[data-version]")
    expect(sam.page.locator("#rejoined")).to_have_text(REJOINED)
    assert sam.errors == [] and new_phone.errors == []
