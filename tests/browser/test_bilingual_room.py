"""A bilingual couple in one room: Alex reads it in English, Sam in Spanish, side by side.

Alex joins through the link in English; Sam's phone asks for Spanish and Sam chooses
Español on the join page's language picker. Through a short protocol offered in both
languages (a check-in, a quiet moment, a closing check-in) each screen is in its own
language: <html lang>, the step's title from the protocol's own texts, the check-in
answers, and the pause Alex asks for ("You asked for a pause" on Alex's screen, "Alex
pidió una pausa"-like words on Sam's), both saying they are ready (Sam with the Spanish
button), the room resuming, to the end. At each moment no English stop-word is left on
Sam's screen outside the names. Sam's buttons are found by their Spanish names, read from
the compiled catalogs (``bilingual_support.spanish``), so a missing translation fails here
naming its sentence.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.bilingual_support import PROTOCOL_TOML, SLUG, english_on, spanish
from tests.browser.conftest import PHONE, WATCH, Person


def spanish_phone(browser):
    """A phone whose browser asks for Spanish (Accept-Language: es-ES)."""
    context = browser.new_context(viewport=PHONE, locale="es-ES")
    context.set_default_timeout(10_000)
    context.add_init_script(WATCH)
    return context


def lang_of(person: Person) -> str | None:
    return person.page.locator("html").get_attribute("lang")


def no_english_on(person: Person, moment: str) -> None:
    left = english_on(person.page)
    assert not left, f"{person.name}'s screen ({moment}) still shows English: {left}"


def join_in_spanish(person: Person, join_url: str) -> None:
    """The join page in Spanish: the private check, Español chosen, the name; into the room."""
    page = person.page
    page.goto(join_url)
    assert lang_of(person) == "es"
    no_english_on(person, "the join page")
    page.get_by_role("button", name=spanish("Yes, now is good")).click()
    picker = page.get_by_label(spanish("Your language"))
    picker.select_option("es")
    expect(picker.locator("option:checked")).to_have_text("Español")
    page.get_by_label(spanish("What name should your partner see?")).fill(person.name)
    page.get_by_role("button", name=spanish("Join the session")).click()
    page.wait_for_url("**/s/*/")
    page.wait_for_selector("#room[data-version]")


def check_in_in_spanish(person: Person, state: str, intensity: int) -> None:
    """The rung by its code (its Spanish words are checked by the screen's scan)."""
    page = person.page
    page.locator(f'input[name="state"][value="{state}"]').check()
    page.locator("#intensity").fill(str(intensity))
    person.button(spanish("Share how I am")).click()


def test_alex_reads_the_room_in_english_while_sam_reads_it_in_spanish(
    server, new_page, browser, create_session, tmp_path
):
    """One room, two languages, through a check-in, a pause by Alex and back, to the end."""
    protocol = tmp_path / "bilingual.toml"
    protocol.write_text(PROTOCOL_TOML)
    server.manage("load_protocol_file", str(protocol))
    join_url = f"{server.url}/j/{create_session(SLUG)}/"
    context = spanish_phone(browser)
    try:
        alex = Person(new_page(), "Alex")
        sam = Person(context.new_page(), "Sam")
        alex.join(join_url)
        join_in_spanish(sam, join_url)
        assert lang_of(alex) == "en" and lang_of(sam) == "es"
        expect(alex.page.locator("#presence")).to_contain_text("Sam is here")
        no_english_on(sam, "the room, waiting")

        # The check-in: each reads the step in their language, and each other's answers too.
        alex.button("Begin together").click()
        expect(alex.title()).to_have_text("Arriving")
        expect(sam.title()).to_have_text("Llegar")
        expect(sam.page.locator("#prompt")).to_have_text("¿Dónde estás ahora mismo?")
        no_english_on(sam, "the check-in")
        alex.check_in("Safe and connected", 3)
        check_in_in_spanish(sam, "mobilized", 6)
        alex_answer = spanish(
            "%(feeling)s, %(intensity)s of %(most)s",
            feeling=spanish("Safe and connected"),
            intensity=3,
            most=10,
        )
        expect(sam.page.locator("#checkin-answers")).to_contain_text(alex_answer)
        expect(alex.page.locator("#checkin-answers")).to_contain_text("On edge, 6 of 10")
        no_english_on(sam, "the answers")
        alex.button("Continue").click()
        sam.button(spanish("Continue", "djangojs")).click()  # the script words it

        # Alex asks for a pause: each screen says it in its own words.
        expect(sam.title()).to_have_text("Un momento tranquilo")
        expect(alex.title()).to_have_text("A quiet moment")
        alex.button("Pause").click()
        for person in (alex, sam):
            expect(person.page.locator("#room")).to_have_attribute("data-status", "paused")
        expect(alex.page.locator("#pause-line")).to_contain_text("You asked for a pause")
        asked = spanish("%(name)s asked for a pause", name="Alex")
        expect(sam.page.locator("#pause-line")).to_have_text(
            spanish("%(start)s. This time is for you too.", start=asked)
        )
        expect(sam.title()).to_have_text(spanish("Taking a pause", "djangojs"))
        no_english_on(sam, "the pause")

        # Both say they are ready, Sam with the Spanish button; the room resumes.
        alex.button("I'm ready to continue").click()
        expect(sam.page.locator("#ready-list")).to_contain_text(
            spanish("%(name)s is ready", "djangojs", name="Alex")
        )
        no_english_on(sam, "Alex ready, Sam not yet")
        sam.button(spanish("I'm ready to continue")).click()
        for person in (alex, sam):
            expect(person.page.locator("#room")).to_have_attribute("data-status", "active")
        expect(sam.title()).to_have_text("Un momento tranquilo")
        no_english_on(sam, "resumed")

        # To the end: the closing check-in, then the finished screen in each language.
        alex.button("Continue").click()
        sam.button(spanish("Continue", "djangojs")).click()  # the script words it
        expect(sam.title()).to_have_text("Para cerrar")
        alex.check_in("Safe and connected", 2)
        check_in_in_spanish(sam, "safe", 4)
        alex.button("Continue").click()
        sam.button(spanish("Continue", "djangojs")).click()  # the script words it
        expect(alex.title()).to_have_text("You've finished")
        expect(sam.title()).to_have_text(spanish("You've finished", "djangojs"))
        no_english_on(sam, "the end")
        assert lang_of(alex) == "en" and lang_of(sam) == "es"
        assert alex.errors == [] and sam.errors == []
    finally:
        context.close()
