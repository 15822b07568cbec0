"""Take the README's screenshots: the room, the pacer and the pause screen at phone width,
and the counselor's desk (the couple's room beside her panel) at 1280×800.

Run: .venv/bin/python -m tests.browser.make_screenshots   (writes docs/screenshots/*.png)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    PROTOCOLS,
    SHORT,
    Person,
    sign_in,
)
from tests.support.personas import PASSWORD
from tests.support.servers import REPO, DaphneServer, fresh_database

OUT = REPO / "docs" / "screenshots"
DESK = {"width": 1280, "height": 800}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp)) as database_url:
        server = DaphneServer(database_url)
        server.manage("load_protocol_file", str(PROTOCOLS / "short.toml"))
        server.start()
        try:
            shoot(server)
            shoot_desk(server)
        finally:
            server.stop()


def top(page) -> None:
    """Screens are read from the top; no focus ring on the heading in the picture."""
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")


def shoot(server) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = [browser.new_context(viewport=PHONE, device_scale_factor=2) for _ in range(2)]
        alex = Person(contexts[0].new_page(), "Alex")
        sam = Person(contexts[1].new_page(), "Sam")
        code = server.manage_json("create_session", "--protocol", SHORT, "--base-url", server.url)[
            "code"
        ]
        alex.join(f"{server.url}/j/{code}/")
        sam.join(f"{server.url}/j/{code}/")
        alex.button("Begin together").click()
        alex.check_in("Safe and connected", 3, "rested")
        sam.check_in("On edge", 6, "tired")
        expect(sam.page.locator("#checkin-answers")).to_contain_text("Safe and connected")
        top(sam.page)
        sam.page.screenshot(path=OUT / "room.png")

        sam.button("Continue").click()
        alex.button("Continue").click()
        pacer = alex.page.locator("#pacer")
        expect(pacer).to_have_attribute("data-phase", "inhale", timeout=8000)
        alex.page.wait_for_function(
            "() => { const p = document.getElementById('pacer');"
            " return p.dataset.phase === 'inhale' && Number(p.dataset.progress) > 0.85; }"
        )
        top(alex.page)
        alex.page.screenshot(path=OUT / "pacer.png")

        expect(alex.title()).to_have_text("Share an appreciation", timeout=20_000)
        sam.button("It's too much — I need a longer break").click()
        expect(alex.title()).to_have_text("Taking a pause")
        alex.button("I'm ready to continue").click()
        alex.page.wait_for_timeout(1500)
        top(alex.page)
        alex.page.screenshot(path=OUT / "pause.png")
        browser.close()


def shoot_desk(server) -> None:
    """Dana at her desk during the arriving check-in, with a message to the couple shown."""
    os.environ["STAY_SCREENSHOT_PASSWORD"] = PASSWORD
    server.manage(
        "create_counselor",
        "dana",
        "--name",
        "Dana",
        "--password-from-env",
        "STAY_SCREENSHOT_PASSWORD",
    )
    code = server.manage_json(
        "create_session", "--protocol", SHORT, "--base-url", server.url, "--counselor", "dana"
    )["code"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desk = browser.new_context(viewport=DESK)
        dana = Person(desk.new_page(), "Dana")
        sign_in(dana.page, server, "dana")
        dana.page.goto(f"{server.url}/s/{code}/")
        phones = [browser.new_context(viewport=PHONE) for _ in range(2)]
        alex = Person(phones[0].new_page(), "Alex")
        sam = Person(phones[1].new_page(), "Sam")
        alex.join(f"{server.url}/j/{code}/")
        sam.join(f"{server.url}/j/{code}/")
        dana.button("Begin together").click()
        alex.check_in("Safe and connected", 3, "rested")
        sam.check_in("On edge", 6, "tired")
        expect(dana.page.locator("#checkin-wait")).to_contain_text("have both checked in")
        dana.page.get_by_label("Message to Alex and Sam").fill("Take your time. I'm here.")
        dana.page.get_by_role("button", name="Send", exact=True).click()
        expect(dana.page.locator("#message")).to_be_visible()
        dana.page.wait_for_timeout(300)
        top(dana.page)
        dana.page.evaluate("document.getElementById('host-panel').scrollTop = 0")
        dana.page.screenshot(path=OUT / "host-desk.png")
        browser.close()


if __name__ == "__main__":
    main()
