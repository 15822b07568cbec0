"""Alex opens the room in more tabs than the server keeps for one seat.

The server keeps at most five sockets per seat and closes the oldest with 4409. The tab
that stepped aside says so in words and stays quiet: reconnecting would only push
another of Alex's tabs out in turn.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import SHORT


def test_the_oldest_of_too_many_tabs_says_the_room_is_open_elsewhere_and_stays_quiet(partners):
    code, alex, sam = partners(SHORT)
    first = alex.page
    expect(first.locator("#room")).to_have_attribute("data-connection", "online")
    url = first.url
    tabs = []
    for _ in range(5):  # the same browser (same cookies): five more tabs of Alex's seat
        tab = first.context.new_page()
        tab.goto(url)
        expect(tab.locator("#room")).to_have_attribute("data-connection", "online")
        tabs.append(tab)

    expect(first.locator("#title")).to_have_text("This room is open in another tab")
    expect(first.locator("#elsewhere")).to_be_visible()
    expect(first.locator("#gone-lead")).to_be_hidden()
    first.wait_for_timeout(3000)  # longer than the first reconnect's backoff
    # Still stepped aside: it did not reconnect and push a newer tab out.
    expect(first.locator("#room")).to_have_attribute("data-status", "gone")
    for tab in tabs:
        expect(tab.locator("#room")).not_to_have_attribute("data-status", "gone")
    expect(sam.title()).not_to_have_text("This room is closed")
