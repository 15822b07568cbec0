"""Dana hosts Alex and Sam from a desk: at 1280×800 the couple's room sits beside her panel
(a way back to her pages, who is here, their check-ins, the controls, a short message and her
notes, all in view without scrolling; the share link, QR and seats folded away), every line
speaks about the couple rather than as one of them, her message reaches both rooms calmly
and never the summary, and "Resume for both" asks first, naming whom it overrides. On a
phone the same page stacks as before."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import SHORT, Person, sign_in

DESK = {"width": 1280, "height": 800}
MESSAGE = "Take your time. I'm right here with you."
# What a partner reads about their partner; the counselor's own lines never say it.
PARTNER_WORDING = re.compile(r"your partner|You've both|you're both|You're both|You've finished")
# The lines the room writes itself (a step's prompt is the protocol's text for the couple).
ROOM_LINES = (
    "#title",
    "#waiting-line",
    "#presence",
    "#turn",
    "#checkin-wait",
    "#moving-on",
    "#done-line",
    "#host-panel",
)


def box(page, selector: str) -> dict:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not on screen"
    return found


# What she uses while a session runs: seen at once, inside the panel's own box.
IN_USE = ("#desk-presence", "#desk-controls-section", "#desk-message-text", "#host-note-text")


def all_in_view(page) -> None:
    panel = box(page, "#host-panel")
    print(
        "DEBUG",
        page.evaluate(
            "(() => { const p = document.getElementById('host-panel'); return [p.scrollTop, p.scrollHeight, p.clientHeight, window.scrollY, ...[...p.children].map(c => c.tagName + '#' + c.id + '.' + c.className + ':' + Math.round(c.getBoundingClientRect().top) + '+' + Math.round(c.getBoundingClientRect().height))]; })()"
        ),
    )
    assert page.evaluate("document.getElementById('host-panel').scrollTop") == 0
    for selector in IN_USE:
        found = box(page, selector)
        bottom = found["y"] + found["height"]
        assert found["y"] >= 0 and bottom <= min(DESK["height"], panel["y"] + panel["height"]), (
            selector,
            found,
            panel,
        )


def speaks_about_the_couple(page) -> None:
    for selector in ROOM_LINES:
        for text in page.locator(selector).all_inner_texts():
            assert not PARTNER_WORDING.search(text), f"{selector} says {text!r} to the host"


def hosted_room(server, new_page, counselor, create_session, *, size=DESK):
    """Dana at her desk (``size``) in a new hosted room, Alex and Sam on their phones."""
    dana_name = counselor("dana")
    code = create_session(SHORT, counselor=dana_name)
    dana = Person(new_page(), "Dana")
    dana.page.set_viewport_size(size)
    sign_in(dana.page, server, dana_name)
    dana.page.goto(f"{server.url}/s/{code}/")
    dana.page.wait_for_selector("#room[data-version]")
    alex = Person(new_page(), "Alex")
    sam = Person(new_page(), "Sam")
    return code, dana_name, dana, alex, sam


def test_dana_s_desk_sits_beside_the_couples_room_and_speaks_about_them(
    server, new_page, counselor, create_session
):
    code, _, dana, alex, sam = hosted_room(server, new_page, counselor, create_session)
    page = dana.page

    # Her notes are in view as the room opens: no scrolling to reach them.
    notes = box(page, "#host-note-text")
    assert page.evaluate("window.scrollY") == 0
    assert notes["y"] >= 0 and notes["y"] + notes["height"] <= DESK["height"], notes

    # Two columns: the couple's room on the left, her panel beside it, from the top.
    room, panel = box(page, "#screen-waiting"), box(page, "#host-panel")
    assert panel["x"] >= room["x"] + room["width"], (room, panel)
    assert room["width"] <= 720 and 300 <= panel["width"] <= 400, (room, panel)
    assert panel["y"] < 100

    # A way back to her pages, at the top of the panel.
    back = page.locator("#host-panel .desk-back")
    expect(back.get_by_role("link", name="Your sessions")).to_have_attribute("href", "/counselor/")
    assert box(page, "#host-panel .desk-back")["y"] < 100

    # The share link and its QR code are in the panel, folded away until she opens them.
    link = page.locator("#host-panel").get_by_role("textbox", name="Link for the couple")
    expect(link).to_be_hidden()
    page.get_by_text("Link, QR code and seats").click()
    expect(link).to_have_value(f"{server.url}/j/{code}/")
    expect(page.locator("#host-panel .desk-qr svg")).to_be_visible()
    page.locator("#host-panel").get_by_role("button", name="Copy", exact=True).click()
    expect(page.locator("#desk-share-link-status")).to_contain_text(
        re.compile("Copied|copy it with your keyboard")
    )

    # Host wording while the couple arrives.
    expect(page.locator("#waiting-line")).to_have_text("Waiting for both partners to join.")
    alex.join(f"{server.url}/j/{code}/")
    expect(page.locator("#waiting-line")).to_have_text(
        "Alex is here. Waiting for the other partner to join."
    )
    expect(page.locator("#presence")).not_to_contain_text("your partner")
    sam.join(f"{server.url}/j/{code}/")
    expect(page.locator("#waiting-line")).to_have_text(
        "Alex and Sam are both here. Begin when the time is right."
    )
    expect(page.locator("#desk-presence")).to_contain_text("Alex — here")
    expect(page.locator("#desk-presence")).to_contain_text("Sam — here")
    expect(page.get_by_label("Message to Alex and Sam")).to_be_visible()
    speaks_about_the_couple(page)

    # Folded again (opening it scrolled the panel to it): back at the panel's top.
    page.get_by_text("Link, QR code and seats").click()
    page.evaluate("document.getElementById('host-panel').scrollTop = 0")

    dana.button("Begin together").click()
    expect(alex.title()).to_have_text("Arriving")
    expect(page.locator("#desk-presence")).to_contain_text("not checked in yet")
    all_in_view(page)
    alex.check_in("Safe and connected", 6, "curious")
    sam.check_in("On edge", 4, "tired")
    expect(page.locator("#checkin-wait")).to_contain_text("Alex and Sam have both checked in")
    desk = page.locator("#desk-presence")
    expect(desk).to_contain_text("Safe and connected, 6 of 10 — “curious”")
    expect(desk).to_contain_text("On edge, 4 of 10 — “tired”")
    expect(page.locator("#desk-checkin-title")).to_have_text("Check-ins at “Arriving”:")
    all_in_view(page)
    speaks_about_the_couple(page)

    # Her controls are in the panel, once: the room on the left shows none of its own.
    controls = page.locator("#host-panel")
    expect(controls.get_by_role("button", name="Pause", exact=True)).to_be_visible()
    expect(page.locator("#pause-btn")).to_be_hidden()
    expect(page.get_by_role("button", name="Skip this step", exact=True)).to_have_count(1)
    controls.get_by_role("button", name="Skip this step", exact=True).click()
    for person in (dana, alex, sam):
        expect(person.title()).to_have_text("Breathe together")
    expect(page.locator("#turn")).to_contain_text("The couple is breathing together")
    for person in (dana, alex, sam):
        assert not person.errors, person.errors


def test_danas_message_shows_calmly_in_both_rooms_and_never_in_the_summary(
    server, new_page, counselor, create_session
):
    code, dana_name, dana, alex, sam = hosted_room(server, new_page, counselor, create_session)
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    page = dana.page

    field = page.get_by_label("Message to Alex and Sam")
    # A zero-width space is no message: refused as empty, nothing reaches the couple.
    field.fill("\u200b")
    field.press("Enter")
    expect(page.locator("#desk-message-status")).to_have_text("Write a few words first.")
    # One line: Enter sends it.
    field.fill(MESSAGE)
    expect(page.locator("#desk-message-count")).to_have_text(f"{len(MESSAGE)} of 200 characters")
    field.press("Enter")
    expect(page.locator("#desk-message-status")).to_have_text("Sent. Alex and Sam see it now.")
    for partner in (alex, sam):
        card = partner.page.locator("#message")
        expect(card).to_be_visible()
        expect(card).to_contain_text(f"From {dana_name}")
        expect(card).to_contain_text(MESSAGE)
        # Quiet: a card, read out politely by the room's live region, never an alert.
        assert card.get_attribute("role") is None
        expect(partner.page.locator("#live")).to_contain_text(MESSAGE)
        expect(partner.page.locator("[role=alert]", has_text=MESSAGE)).to_have_count(0)
    expect(page.locator("#message")).to_contain_text(MESSAGE)  # as the couple sees it

    # Kept only when Dana keeps it: as one of her private notes.
    page.get_by_role("button", name="Save to my notes").click()
    expect(page.locator("#desk-message-status")).to_have_text("Saved to your private notes.")
    expect(page.locator("#host-note-list")).to_contain_text(f"Message to the couple: {MESSAGE}")

    page.get_by_role("button", name="Clear", exact=True).click()
    for person in (dana, alex, sam):
        expect(person.page.locator("#message")).to_be_hidden()
    expect(field).to_have_value("")

    # A message still shown when the session ends goes with it.
    field.fill("We'll stop here for today.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(sam.page.locator("#message")).to_contain_text("We'll stop here for today.")
    dana.button("Begin together").click()
    page.locator("#host-panel").get_by_role("button", name="End session").click()
    page.locator("#host-panel").get_by_role("button", name="Yes, end it").click()
    for person in (dana, alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "ended")
        expect(person.page.locator("#message")).to_be_hidden()
    expect(alex.page.locator("#summary")).not_to_be_empty()
    for partner in (alex, sam):
        assert "stop here for today" not in partner.page.locator("#summary").inner_text()
        partner.page.goto(f"{server.url}/s/{code}/summary/")
        expect(partner.page.locator("main")).not_to_contain_text("stop here for today")
        expect(partner.page.locator("main")).not_to_contain_text(MESSAGE)
    assert alex.states()[-1]["message"] is None if alex.states() else True


def test_resume_for_both_asks_first_naming_whom_it_overrides(
    server, new_page, counselor, create_session
):
    code, _, dana, alex, sam = hosted_room(server, new_page, counselor, create_session)
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    page, panel = dana.page, dana.page.locator("#host-panel")
    dana.button("Begin together").click()
    expect(sam.title()).to_have_text("Arriving")

    sam.page.locator("#pause-btn").click()
    expect(page.locator("#room")).to_have_attribute("data-status", "paused")
    # Dana reads Sam's pause about the couple, not as a partner it is "for too".
    expect(page.locator("#pause-line")).to_have_text(
        "Sam asked for a pause. The room waits until both of them say they're ready."
    )
    resume = panel.get_by_role("button", name="Resume for both")
    expect(resume).to_be_visible()
    for partner in (alex, sam):
        expect(partner.page.get_by_role("button", name="Resume for both")).to_have_count(0)

    # Neither has said ready: the question names both; Escape keeps the pause.
    resume.click()
    dialog = page.locator("#resume-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#resume-question")).to_have_text(
        "Resume for both even though Alex and Sam haven't said they're ready?"
        " This overrides Sam's pause."
    )
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert dana.status() == "paused"

    # Alex is ready; Sam is not: the question names Sam, and confirming resumes the room.
    alex.button("I'm ready to continue").click()
    expect(page.locator("#ready-list")).to_contain_text("Alex is ready")
    resume.click()
    expect(page.locator("#resume-question")).to_have_text(
        "Resume for both even though Sam hasn't said they're ready? This overrides Sam's pause."
    )
    # Focus starts on "Not yet": a stray Enter keeps Sam's pause.
    expect(page.get_by_role("button", name="Not yet")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert dana.status() == "paused"
    resume.click()
    page.get_by_role("button", name="Yes, resume for both").click()
    for person in (dana, alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "active")
    sent = [f for f in dana.sent if f.get("action") == "resume"]
    assert sent and sent[-1]["args"] == {"override": ["b"]}
    expect(resume).to_be_hidden()

    # When both say ready the room resumes by itself, as before: nothing to override.
    sam.page.locator("#pause-btn").click()
    expect(resume).to_be_visible()
    alex.button("I'm ready to continue").click()
    sam.button("I'm ready to continue").click()
    expect(page.locator("#room")).to_have_attribute("data-status", "active")
    expect(resume).to_be_hidden()
    for person in (dana, alex, sam):
        assert not person.errors, person.errors


def test_on_a_phone_the_desk_stacks_under_the_room(server, new_page, counselor, create_session):
    code, _, dana, alex, sam = hosted_room(
        server, new_page, counselor, create_session, size={"width": 390, "height": 844}
    )
    page = dana.page
    room, panel = box(page, "#screen-waiting"), box(page, "#host-panel")
    assert panel["y"] >= room["y"] + room["height"], (room, panel)
    assert abs(panel["x"] - room["x"]) < 40 and panel["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("#host-panel .desk-controls")).to_be_hidden()
    page.get_by_text("Link, QR code and seats").click()
    expect(page.locator("#host-panel .desk-qr svg")).to_be_visible()

    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    dana.button("Begin together").click()
    expect(page.locator("#pause-btn")).to_be_visible()
    page.locator("#pause-btn").click()
    # Resume for both sits on the pause screen itself on a phone.
    resume = page.locator("#screen-pause").get_by_role("button", name="Resume for both")
    expect(resume).to_be_visible()
    resume.click()
    expect(page.locator("#resume-question")).to_contain_text("Alex and Sam haven't said")
    page.get_by_role("button", name="Yes, resume for both").click()
    expect(alex.page.locator("#room")).to_have_attribute("data-status", "active")


def test_the_finished_screen_counts_what_was_skipped_and_the_desk_folds_away(
    server, new_page, counselor, create_session
):
    code, _, dana, alex, sam = hosted_room(server, new_page, counselor, create_session)
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    page, panel = dana.page, dana.page.locator("#host-panel")
    dana.button("Begin together").click()
    alex.check_in("Safe and connected", 6)
    sam.check_in("On edge", 4)
    dana.button("Move on").click()
    # Dana skips the six steps after the check-in: one of seven done, six skipped.
    skip = panel.get_by_role("button", name="Skip this step", exact=True)
    for _ in range(6):
        expect(page.locator("#room")).to_have_attribute("data-status", "active")
        version = page.locator("#room").get_attribute("data-version")
        skip.click()
        expect(page.locator("#room")).not_to_have_attribute("data-version", version)
    for person in (dana, alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "completed")
        expect(person.page.locator("#summary")).not_to_be_empty()
        # The top line agrees with the summary below it: never "All 7 steps done".
        expect(person.page.locator("#progress-text")).to_have_text("1 of 7 steps done, 6 skipped")
    expect(page.locator("#summary")).to_contain_text(
        "Alex and Sam did 1 of 7 steps; you skipped 6."
    )
    expect(page.locator("#title")).to_have_text("Alex and Sam have finished")
    expect(alex.page.locator("#summary")).to_contain_text(
        "You did 1 of 7 steps, 6 skipped by your counselor"
    )
    # Nothing left to do to the room: no empty "The room" heading, no seats to free.
    expect(page.get_by_role("heading", name="The room")).to_be_hidden()
    page.get_by_text("Link, QR code and seats").click()
    for seat in ("a", "b"):
        expect(page.locator(f"form.host-release[data-seat={seat}]")).to_be_hidden()
    expect(panel.get_by_role("button", name=re.compile("^Free "))).to_have_count(0)
    speaks_about_the_couple(page)
    for person in (dana, alex, sam):
        assert not person.errors, person.errors
