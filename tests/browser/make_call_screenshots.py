"""Take the call's screenshots: a call during a speak step (a phone), and during a pause
(a desktop's width, where the call sits beside the session, so its pause line shows).

Dana hosts Alex and Sam; all three join by video with Chromium's fake camera (its moving
test pattern stands in for faces). Sam's phone is photographed.

Run: .venv/bin/python -m tests.browser.make_call_screenshots [--desktop PATH]
(writes docs/screenshots/call-speak.png, phone-sized as a phone shows it on opening, and
docs/screenshots/call-pause.png at 1280x800: on a phone the pause's grounding screen comes
first and the call below it, out of the picture; with --desktop also Dana's wide screen)
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.browser.call_support import FAKE_MEDIA
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, PROTOCOLS, SHORT, Person, sign_in
from tests.support.personas import PASSWORD
from tests.support.servers import REPO, DaphneServer, fresh_database

OUT = REPO / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--desktop", type=Path, help="also save a desktop-width screenshot here")
    desktop = parser.parse_args().desktop
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["STAY_SCREENSHOT_PASSWORD"] = PASSWORD
    with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp)) as database_url:
        server = DaphneServer(database_url)
        server.manage("load_protocol_file", str(PROTOCOLS / "short.toml"))
        server.manage("create_counselor", "dana", "--password-from-env", "STAY_SCREENSHOT_PASSWORD")
        server.start()
        try:
            shoot(server, desktop)
        finally:
            server.stop()


def settle(page, top: str | None = None) -> None:
    """No focus ring in the picture; the screen from the room's top (what a person sees
    first), or scrolled so that `top` (a selector) is at the top of the screen."""
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    if top:
        # A little room above it for the "Leave quickly" button, which stays on screen.
        page.locator(top).evaluate(
            "(el) => { el.scrollIntoView({ block: 'start' }); window.scrollBy(0, -80); }"
        )
    page.wait_for_timeout(800)


def shoot(server, desktop: Path | None) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_MEDIA
        )
        pages = []
        for _ in range(3):
            context = browser.new_context(viewport=PHONE, device_scale_factor=2)
            context.set_default_timeout(15_000)
            pages.append(context.new_page())
        dana, alex, sam = (
            Person(p, n) for p, n in zip(pages, ("Dana", "Alex", "Sam"), strict=True)
        )
        code = server.manage_json(
            "create_session", "--protocol", SHORT, "--base-url", server.url, "--counselor", "dana"
        )["code"]
        sign_in(dana.page, server, "dana")
        dana.page.goto(f"{server.url}/s/{code}/")
        dana.page.wait_for_selector("#room[data-version]")
        alex.join(f"{server.url}/j/{code}/")
        sam.join(f"{server.url}/j/{code}/")
        dana.button("Begin together").click()
        for person in (dana, alex, sam):
            person.button("Join by video").click()
            expect(person.button("Leave the call")).to_be_visible()
        dana.button("Skip this step").click()
        expect(dana.title()).to_have_text("Breathe together")
        dana.button("Skip this step").click()
        expect(sam.title()).to_have_text("Share an appreciation")
        sam.page.wait_for_function(
            "() => document.querySelectorAll('.call-tile[data-connection=connected]').length === 2"
        )
        expect(sam.page.locator(".call-tile.is-featured")).to_contain_text("Alex is speaking")
        # From the step's title down: its words, who speaks, and Alex large in the call.
        settle(sam.page, "#title")
        featured = sam.page.locator(".call-tile.is-featured").bounding_box()
        assert featured["y"] + featured["height"] <= PHONE["height"], featured
        sam.page.screenshot(path=OUT / "call-speak.png")

        sam.page.set_viewport_size(DESKTOP)
        alex.button("Pause").click()
        expect(sam.page.locator("#call-pause-line")).to_have_text("Paused — microphones are off.")
        settle(sam.page)
        # The pause's line and the tiles are in the picture, not below it.
        pause_box = sam.page.locator("#call-pause").bounding_box()
        tiles_box = sam.page.locator("#call-tiles").bounding_box()
        assert pause_box["y"] + pause_box["height"] <= DESKTOP["height"], pause_box
        assert tiles_box["y"] < DESKTOP["height"], tiles_box
        sam.page.screenshot(path=OUT / "call-pause.png")
        if desktop:
            dana.page.set_viewport_size({"width": 1280, "height": 860})
            settle(dana.page)
            dana.page.screenshot(path=desktop)
        browser.close()


if __name__ == "__main__":
    main()
