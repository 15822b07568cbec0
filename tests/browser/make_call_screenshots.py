"""Take the call's phone-width screenshots: a call during a speak step, and during a pause.

Dana hosts Alex and Sam; all three join by video with Chromium's fake camera (its moving
test pattern stands in for faces). Sam's phone is photographed.

Run: .venv/bin/python -m tests.browser.make_call_screenshots [--desktop PATH]
(writes docs/screenshots/call-speak.png and docs/screenshots/call-pause.png, phone-sized
as a phone shows them on opening; with --desktop also Dana's wide screen during the pause)
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


def settle(page) -> None:
    """No focus ring in the picture; the phone's screen as it is, from the room's top: what
    a person sees first (the step's words and buttons come before the call)."""
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
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
        settle(sam.page)
        sam.page.screenshot(path=OUT / "call-speak.png")

        alex.button("Pause").click()
        expect(sam.page.locator("#call-pause-line")).to_have_text("Paused — microphones are off.")
        settle(sam.page)
        sam.page.screenshot(path=OUT / "call-pause.png")
        if desktop:
            dana.page.set_viewport_size({"width": 1280, "height": 860})
            settle(dana.page)
            dana.page.screenshot(path=desktop)
        browser.close()


if __name__ == "__main__":
    main()
