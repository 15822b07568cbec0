"""A seat belongs to the person who took it, and deleting asks the other partner — in Chromium.

Alex's phone dies: on a new phone Alex types the seat code from the room, or asks and
Sam says yes on Sam's screen. Riley, a stranger with the link, asks too: Sam says no,
and Riley is told kindly and sees no name. At the end Alex asks to delete the session;
nothing goes until Sam says yes, and Alex's browser is then told, in words, what happened.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHORT, Person, quick_grace_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from quick_grace_server(tmp_path_factory, "trust-seats")


def ask_until_asked(page, join_url: str) -> None:
    """Open the link and ask to be let in, once the old phone has been gone long enough."""
    deadline = time.monotonic() + 15
    while True:
        page.goto(join_url)
        page.get_by_role("button", name="Ask to be let in").click()
        page.wait_for_load_state()
        if page.url.endswith("/waiting/") or time.monotonic() > deadline:
            break
        page.wait_for_timeout(300)
    expect(page.locator("h1")).to_have_text("Waiting to be let in…")


def test_alex_continues_with_the_seat_code_from_the_room(server, new_page, partners):
    code, alex, sam = partners(SHORT)
    link = f"{server.url}/j/{code}/"
    disclosure = alex.page.locator("#seat-code")
    disclosure.get_by_text("Continue on another device").click()
    seat_code = alex.page.locator("#seat-code-value")
    expect(seat_code).to_be_visible()
    typed = seat_code.text_content()
    assert typed not in sam.page.content()  # only Alex's own room shows it
    alex.page.context.close()

    new_phone = Person(new_page(), "Alex")
    page = new_phone.page
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Both places are taken")
    expect(page.locator("body")).not_to_contain_text("Alex")
    expect(page.locator("body")).not_to_contain_text("Sam")
    page.get_by_label("Seat code", exact=True).fill("ABCD-EFGH")
    page.get_by_role("button", name="Continue here").click()
    expect(page.get_by_role("alert")).to_contain_text("open a place in this session")

    deadline = time.monotonic() + 15
    while "/s/" not in page.url and time.monotonic() < deadline:
        page.get_by_label("Seat code", exact=True).fill(typed.lower())
        page.get_by_role("button", name="Continue here").click()
        page.wait_for_load_state()
    page.wait_for_selector("#room[data-version]")
    expect(page.locator("#presence")).to_contain_text("Sam is here")
    expect(sam.page.locator("#rejoined")).to_have_text("Alex rejoined on another device.")
    # The new phone has a code of its own; the one just used no longer opens anything.
    assert page.locator("#seat-code-value").text_content() != typed
    assert new_phone.errors == [] and sam.errors == []


def test_sam_lets_alex_in_and_keeps_a_stranger_out(server, new_page, partners):
    code, alex, sam = partners(SHORT)
    link = f"{server.url}/j/{code}/"
    alex.page.context.close()

    riley = new_page()
    ask_until_asked(riley, link)
    expect(riley.locator("body")).not_to_contain_text("Alex")
    expect(riley.locator("body")).not_to_contain_text("Sam")
    question = sam.page.locator("#knock-question")
    expect(question).to_have_text(
        "Someone wants to continue as Alex on a new device. Is that Alex?"
    )
    sam.page.locator("#knock").get_by_role("button", name="No").click()
    expect(riley.locator("h1")).to_have_text("You weren't let in on this device")
    expect(riley.locator("body")).not_to_contain_text("Alex")

    new_phone = Person(new_page(), "Alex")
    ask_until_asked(new_phone.page, link)
    expect(question).to_be_visible()
    sam.page.get_by_role("button", name="Yes, let them in").click()
    new_phone.page.wait_for_url("**/s/*/")
    new_phone.page.wait_for_selector("#room[data-version]")
    expect(new_phone.page.locator("#presence")).to_contain_text("Sam is here")
    expect(sam.page.locator("#knock")).to_be_hidden()
    expect(sam.page.locator("#presence")).to_contain_text("Alex is here")
    assert new_phone.errors == [] and sam.errors == []


def test_deleting_waits_for_both_and_tells_the_other_browser(server, partners):
    code, alex, sam = partners(SHORT)
    alex.button("Begin together").click()
    expect(sam.title()).to_have_text("Arriving")
    sam.button("End session").click()
    sam.button("Yes, end it").click()
    expect(alex.title()).to_have_text("The session has ended")
    summary_url = f"{server.url}/s/{code}/summary/"

    alex.button("Delete this session's data").click()
    alex.button("Yes, delete it").click()
    expect(alex.page.locator("#deleting")).to_contain_text("as soon as Sam agrees")

    sam.page.goto(summary_url)
    expect(sam.page.get_by_text("Alex would like to delete this session.").first).to_be_visible()
    sam.button("Keep it").click()
    alex.page.reload()
    expect(alex.page.get_by_text("Sam would like to keep this session for now.")).to_be_visible()

    alex.button("Ask to delete this session").click()
    sam.page.reload()
    sam.button("Delete it for both of you").click()
    expect(sam.page.get_by_role("status")).to_contain_text("This session's data has been deleted")
    response = alex.page.goto(summary_url)
    assert response.status == 410
    expect(alex.page.locator("h1")).to_have_text("This session was deleted")
    expect(alex.page.locator("body")).to_contain_text("You both agreed to delete it")
    assert alex.errors == [] and sam.errors == []
