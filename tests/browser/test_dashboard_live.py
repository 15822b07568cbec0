"""Dana's dashboard stays up to date while it is open: Alex and Sam join, Sam pauses.

Dana signs in and leaves her dashboard open. Alex and Sam join the session she hosts,
she begins it from her host view in another tab, and Sam asks for a pause: within
three seconds, and without the dashboard reloading, it shows the session live and
paused with the reason in her words, and a screen reader hears the same line.
"""

from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.browser.conftest import SHORT, Person, sign_in

SAID_WITHIN_MS = 3000


def test_danas_dashboard_shows_sams_pause_and_its_reason_without_reloading(
    server, new_page, counselor, create_session
):
    dana_name = counselor("dana")
    code = create_session(SHORT, counselor=dana_name)
    dashboard = new_page()
    sign_in(dashboard, server, dana_name)
    expect(dashboard.locator("#live-announcer")).to_have_attribute("data-connection", "online")
    # Set on this very document: a reload would lose it.
    dashboard.evaluate("window.__sameDocument = true")
    waiting = dashboard.locator("#sessions-waiting")
    live = dashboard.locator("#sessions-live")
    expect(live).to_contain_text("No session is running right now.")

    alex = Person(new_page(), "Alex")
    sam = Person(new_page(), "Sam")
    alex.join(f"{server.url}/j/{code}/")
    expect(waiting.locator(f'[data-code="{code}"]')).to_contain_text(
        "Alex is waiting for their partner", timeout=SAID_WITHIN_MS
    )
    sam.join(f"{server.url}/j/{code}/")
    expect(waiting.locator(f'[data-code="{code}"]')).to_contain_text(
        "both are here", timeout=SAID_WITHIN_MS
    )

    desk = dashboard.context.new_page()
    desk.goto(f"{server.url}/s/{code}/")
    desk.get_by_role("button", name="Begin together", exact=True).click()
    expect(live.locator(f'[data-code="{code}"]')).to_contain_text("started", timeout=SAID_WITHIN_MS)

    clicked = time.monotonic()
    sam.button("Pause").click()
    session = live.locator(f'[data-code="{code}"]')
    expect(session.locator(".badge")).to_have_text("paused", timeout=SAID_WITHIN_MS)
    expect(session).to_contain_text("Sam asked for a pause", timeout=SAID_WITHIN_MS)
    assert time.monotonic() - clicked < SAID_WITHIN_MS / 1000 + 0.5
    expect(dashboard.locator("#live-announcer")).to_contain_text(
        "paused — Sam asked for a pause", timeout=SAID_WITHIN_MS
    )
    assert dashboard.evaluate("window.__sameDocument") is True
    expect(waiting).to_contain_text("No session is waiting to start.")
    assert not alex.errors and not sam.errors


def test_the_keyboard_stays_on_the_same_link_when_its_region_is_swapped(
    server, new_page, counselor, create_session
):
    """Dana tabbed to a session's link; the fresh copy of its list keeps her there."""
    dana_name = counselor("dana")
    code = create_session(SHORT, counselor=dana_name)
    dashboard = new_page()
    sign_in(dashboard, server, dana_name)
    expect(dashboard.locator("#live-announcer")).to_have_attribute("data-connection", "online")
    link = dashboard.locator(f'#sessions-waiting [data-code="{code}"] a').first
    link.focus()
    alex = Person(new_page(), "Alex")
    alex.join(f"{server.url}/j/{code}/")
    expect(dashboard.locator(f'#sessions-waiting [data-code="{code}"]')).to_contain_text(
        "Alex is waiting for their partner", timeout=SAID_WITHIN_MS
    )
    # The region was swapped, and the keyboard is still on the same link in it.
    focused = dashboard.evaluate("document.activeElement.textContent")
    assert focused == "Link and QR code"
