"""After a quick exit, Back does not bring the room back.

The exit replaces the room in the tab's history, but the session link before it is still
there, and for a browser holding a seat it opens the room again: one press of Back by
whoever picks up the phone would show the session, live. The tab is marked as it leaves,
and a Stay page reached by Back leaves again at once. Opening the link afresh still works.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import SHORT

NEUTRAL = "https://www.bbc.com/weather"


def test_back_after_a_quick_exit_leaves_again_and_the_link_still_opens_the_room(server, partners):
    code, alex, sam = partners(SHORT)
    page = sam.page
    page.route("https://www.bbc.com/**", lambda route: route.fulfill(body="<title>Weather</title>"))
    alex.button("Begin together").click()
    expect(sam.title()).to_have_text("Arriving")
    room_sockets = len([f for f in sam.frames if f.get("type") == "state"])

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)

    page.go_back(wait_until="commit")
    page.wait_for_url(NEUTRAL)
    page.wait_for_timeout(1000)
    assert page.url == NEUTRAL
    # The room never came back to life on this phone (no new state frames arrived).
    assert len([f for f in sam.frames if f.get("type") == "state"]) == room_sockets

    # Opening the link on purpose is not Back: Sam is in the room again.
    page.goto(f"{server.url}/j/{code}/")
    page.wait_for_url(f"**/s/{code}/")
    expect(sam.title()).to_have_text("Arriving")
    assert sam.errors == []


def test_the_page_with_the_link_to_share_has_the_quick_exit_and_back_does_not_return(
    server, new_page
):
    page = new_page()
    page.route("https://www.bbc.com/**", lambda route: route.fulfill(body="<title>Weather</title>"))
    page.goto(f"{server.url}/")
    page.get_by_role("button", name="Start this one").first.click()
    expect(page.get_by_role("heading", name="Your session is ready")).to_be_visible()
    expect(page.get_by_role("button", name="Leave quickly")).to_be_visible()
    page.wait_for_load_state("load")  # the page's scripts are running

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)
    # Back reaches the start page (nothing about any session), never the link to share.
    page.go_back(wait_until="load")
    page.wait_for_timeout(1000)
    assert "/new/" not in page.url
    expect(page.get_by_role("heading", name="Your session is ready")).to_have_count(0)
