"""Take the README's screenshots: the room, the pacer and the pause screen at phone width,
the counselor's desk (the couple's room beside her panel) at 1280×800, and a couple's page
with two weeks of history and its trends at 1280×900, and a workshop's console with five
couples at 1280 wide (down to its last room), and the room again in the dark theme.

Run: .venv/bin/python -m tests.browser.make_screenshots [room] [desk] [couple] [workshop] [dark] [spanish]
(writes docs/screenshots/*.png; with no names, all of them).
"""

from __future__ import annotations

import os
import sys
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
from tests.browser.couple_weeks_support import (
    ALEX_WEEK_1,
    ALEX_WEEK_2,
    SAM_WEEK_1,
    SAM_WEEK_2,
    add_couple,
    answer_csi4,
    close_hosted,
    give_practice,
    open_link_and_join,
    practise,
    share_with_counselor,
    start_hosted,
    start_practice,
)
from tests.browser.workshop_support import (
    console_button,
    create_workshop,
    join_by_link,
    join_by_word,
    pairing_link,
    seated,
    start_couple,
    tile,
)
from tests.support.personas import PASSWORD
from tests.support.servers import REPO, DaphneServer, fresh_database

OUT = REPO / "docs" / "screenshots"
DESK = {"width": 1280, "height": 800}
COUPLE_DESK = {"width": 1280, "height": 900}


def main(names: list[str] | None = None) -> None:
    shots = {
        "room": shoot,
        "desk": shoot_desk,
        "couple": shoot_couple,
        "workshop": shoot_workshop,
        "dark": shoot_dark,
        "spanish": shoot_spanish,
    }
    chosen = names or list(shots)
    unknown = [name for name in chosen if name not in shots]
    if unknown:
        raise SystemExit(f"Unknown screenshot {unknown}; choose from {sorted(shots)}.")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp)) as database_url:
        server = DaphneServer(database_url)
        server.manage("load_protocol_file", str(PROTOCOLS / "short.toml"))
        server.start()
        try:
            for name in chosen:
                shots[name](server)
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


def shoot_dark(server) -> None:
    """The room of `room.png` (both check-ins shared) on a phone that asks for the dark theme."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = [
            browser.new_context(viewport=PHONE, device_scale_factor=2, color_scheme="dark")
            for _ in range(2)
        ]
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
        sam.page.screenshot(path=OUT / "room-dark.png")
        browser.close()


def shoot_spanish(server) -> None:
    """The daily check-in's first check-in, both answers shared, on Sam's phone in Spanish
    while Alex reads the same room in English."""
    from tests.browser.bilingual_support import spanish
    from tests.browser.test_bilingual_room import check_in_in_spanish, join_in_spanish

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        english = browser.new_context(viewport=PHONE, device_scale_factor=2)
        spanish_phone = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="es-ES")
        alex = Person(english.new_page(), "Alex")
        sam = Person(spanish_phone.new_page(), "Sam")
        code = server.manage_json(
            "create_session", "--protocol", "daily-checkin", "--base-url", server.url
        )["code"]
        alex.join(f"{server.url}/j/{code}/")
        join_in_spanish(sam, f"{server.url}/j/{code}/")
        alex.button("Begin together").click()
        alex.button("Continue").click()
        sam.button(spanish("Continue", "djangojs")).click()
        alex.check_in("Safe and connected", 3, "rested")
        check_in_in_spanish(sam, "mobilized", 6)
        expect(sam.page.locator("#checkin-answers")).to_contain_text(spanish("Safe and connected"))
        top(sam.page)
        sam.page.screenshot(path=OUT / "room-es.png")
        browser.close()


def make_dana(server) -> None:
    """Dana's account (made again, it only gets the same password: each shot may run alone)."""
    os.environ["STAY_SCREENSHOT_PASSWORD"] = PASSWORD
    server.manage(
        "create_counselor",
        "dana",
        "--name",
        "Dana",
        "--password-from-env",
        "STAY_SCREENSHOT_PASSWORD",
    )


def shoot_desk(server) -> None:
    """Dana at her desk during the arriving check-in, with a message to the couple shown."""
    make_dana(server)
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


def shoot_couple(server) -> None:
    """Alex and Sam's page after two weeks (as `test_couple_weeks` walks them): the end of
    the history, then both trends (check-ins, and the CSI-4 with its 13.5 line) with their
    legends and tables, clipped from the full page at 1280 wide."""
    make_dana(server)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desk = browser.new_context(viewport=COUPLE_DESK)
        phones = [browser.new_context(viewport=PHONE) for _ in range(2)]
        for context in (desk, *phones):
            context.set_default_timeout(10_000)
        dana = Person(desk.new_page(), "Dana")
        alex = Person(phones[0].new_page(), "Alex")
        sam = Person(phones[1].new_page(), "Sam")
        sign_in(dana.page, server, "dana")
        link = add_couple(dana.page, server, note="Seeing them weekly.")
        couple_url = dana.page.url
        give_practice(dana.page, times=3)
        weeks = (
            (ALEX_WEEK_1, SAM_WEEK_1, ("On edge", 6, "nervous"), ("Shut down", 7, "tired")),
            (ALEX_WEEK_2, SAM_WEEK_2, ("Safe and connected", 4, "steady"), ("On edge", 3, "open")),
        )
        for week, (alex_csi4, sam_csi4, alex_in, sam_in) in enumerate(weeks):
            start_hosted(dana, couple_url)
            for person, choices, other in ((alex, alex_csi4, "Sam"), (sam, sam_csi4, "Alex")):
                open_link_and_join(person, link, first_time=week == 0)
                answer_csi4(person, choices, other=other)
            dana.button("Begin together").click()
            alex.check_in(*alex_in)
            sam.check_in(*sam_in)
            close_hosted(dana, alex, sam, ("lighter", "calmer"))
            if week == 0:
                start_practice(alex, sam, link)
                practise(alex, sam, {"Alex": ("cozy", "glad"), "Sam": ("warm", "settled")})
                share_with_counselor(alex, other="Sam")
                share_with_counselor(sam, other="Alex")
        dana.page.goto(couple_url)
        expect(dana.page.locator("#couple-trends svg.trend-chart")).to_have_count(2)
        top(dana.page)
        # A clip of the page, 1280 wide: the end of the history table, then the whole
        # #couple-trends section (both charts with their legends, and their tables).
        box = dana.page.evaluate(
            """() => {
              const at = (el) => el.getBoundingClientRect();
              const rows = document.querySelectorAll("#couple-sessions tbody tr");
              const trends = at(document.getElementById("couple-trends"));
              const from = at(rows[rows.length - 1]).top + window.scrollY - 1;
              return {from, to: trends.bottom + window.scrollY + 16};
            }"""
        )
        clip = {"x": 0, "y": box["from"], "width": COUPLE_DESK["width"]}
        clip["height"] = box["to"] - box["from"]
        dana.page.screenshot(path=OUT / "couple-trends.png", full_page=True, clip=clip)
        browser.close()


def shoot_workshop(server) -> None:
    """Dana's console during an evening with five couples (as `test_workshop` walks them):
    one room paused for a flooding break, one done with its step and waiting for her, a
    hand raised, one under way, and a partner still waiting for theirs; a group timer set."""
    make_dana(server)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desk = browser.new_context(viewport=DESK)
        desk.set_default_timeout(10_000)
        dana = Person(desk.new_page(), "Dana")
        sign_in(dana.page, server, "dana")
        door = create_workshop(dana.page, title="Spring communication evening", couples=20)
        console = dana.page

        def phone(name: str) -> Person:
            context = browser.new_context(viewport=PHONE)
            context.set_default_timeout(10_000)
            return Person(context.new_page(), name)

        couples = [(phone(a), phone(b)) for a, b in (("Alex", "Sam"), ("Robin", "Riley"))]
        couples += [(phone(a), phone(b)) for a, b in (("Jo", "Kim"), ("Lee", "Max"))]
        for number, (first, second) in enumerate(couples):
            word = start_couple(first, door)
            if number % 2:
                join_by_link(second, pairing_link(first), first.name)
            else:
                join_by_word(second, door, word)
            seated(first, second)
        start_couple(phone("Pat"), door)
        console_button(console, "Start all rooms").click()
        console_button(console, "Next step for everyone").click()
        (alex, sam), (robin, riley), (jo, kim), _ = couples
        for person in (alex, sam, robin, riley, jo, kim):
            expect(person.title()).to_have_text("Arriving")
        robin.check_in("Safe and connected", 4)
        riley.check_in("On edge", 3)
        for person in (robin, riley):
            person.button("Continue").click()
        expect(tile(console, "Robin and Riley")).to_contain_text("done with this step")
        sam.button("It's too much — I need a longer break").click()
        kim.button("Ask for help").click()
        console.get_by_label("Group timer, in minutes (1 to 60)").fill("10")
        console_button(console, "Set the timer").click()
        expect(console.locator("#counts-line")).to_have_text(
            "5 couples · 1 waiting · 1 paused · 1 hand raised"
        )
        expect(console.locator("#console-status")).to_contain_text("Group timer of 10 minutes")
        top(console)
        # The page from its top to the last tile, 1280 wide: the controls, then every room.
        bottom = console.evaluate(
            "document.getElementById('tiles').getBoundingClientRect().bottom + window.scrollY"
        )
        clip = {"x": 0, "y": 0, "width": DESK["width"], "height": bottom + 16}
        console.screenshot(path=OUT / "workshop-console.png", full_page=True, clip=clip)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
