"""Dana, a counselor, hosts Alex and Sam in real Chromium windows; Riley, another counselor, cannot look in."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import SHORT, Person, sign_in

NOTE = "Sam softened when Alex named the small things."


def last_state(person: Person) -> dict:
    states = person.states()
    assert states, f"{person.name} received no state"
    return states[-1]


def test_dana_hosts_a_session_from_her_dashboard_to_the_summary(server, new_page, counselor):
    dana_name = counselor("dana")
    dana = Person(new_page(), "Dana")
    alex = Person(new_page(), "Alex")
    sam = Person(new_page(), "Sam")
    dana.page.on("dialog", lambda dialog: dialog.accept())

    # Dana signs in and creates a hosted session; she gets the link and a QR code.
    sign_in(dana.page, server, dana_name)
    dana.page.get_by_label("Protocol").select_option(SHORT)
    dana.page.get_by_role("button", name="Create the session").click()
    expect(dana.page.get_by_role("heading", level=1)).to_have_text("Share this session")
    link = dana.page.get_by_label("Link for the couple").input_value()
    assert link.startswith(f"{server.url}/j/")
    expect(dana.page.locator(".qr svg")).to_be_visible()
    code = link.rstrip("/").rsplit("/", 1)[-1]
    dana.page.get_by_role("button", name="Copy link").click()
    expect(dana.page.locator("#join-link-status")).to_contain_text(
        re.compile("Copied|copy it with your keyboard")
    )

    # She opens the host view and waits for the couple.
    dana.page.get_by_role("link", name="Open the host view").click()
    dana.page.wait_for_selector("#room[data-version]")
    expect(dana.page.locator("#waiting-line")).to_contain_text("Waiting for both partners")
    expect(dana.page.locator("#host-panel")).to_be_visible()
    # Nobody watches unannounced: the join page and the room say that Dana can see it all.
    watched = (
        "Your counselor hosts this session: they can see it as it happens,"
        " including your check-in answers as you give them."
    )
    alex.page.goto(link)
    expect(alex.page.locator(".hosted-note")).to_have_text(watched)
    alex.join(link)
    sam.join(link)
    expect(dana.page.locator("#presence")).to_contain_text("Alex is here")
    expect(dana.page.locator("#presence")).to_contain_text("Sam is here")
    for partner in (alex, sam):
        expect(partner.page.locator("#presence")).to_contain_text("Your counselor is here")
        # In a hosted session only the counselor begins.
        expect(partner.button("Begin together")).to_be_hidden()
    # The seat buttons follow the room: both now carry the partner's name.
    expect(dana.page.locator("form.host-release[data-seat=a] button")).to_contain_text("Alex")
    expect(dana.page.locator("form.host-release[data-seat=b] button")).to_contain_text("Sam")

    dana.button("Begin together").click()
    for person in (dana, alex, sam):
        expect(person.title()).to_have_text("Arriving")

    # Dana watches the check-in: she sees Alex's answer at once; Sam does not, yet.
    alex.check_in("Safe and connected", 6, "curious")
    expect(dana.page.locator("#checkin-answers")).to_contain_text("curious")
    assert last_state(dana)["checkins"]["0"]["a"]["word"] == "curious"
    assert all((state["checkins"].get("0") or {}).get("a") is None for state in sam.states())
    sam.check_in("Shut down", 4, "tired")
    expect(dana.page.locator("#checkin-answers")).to_contain_text("tired")
    for partner in (alex, sam):
        expect(partner.page.locator(".hosted-note")).to_have_text(
            "Your counselor can see this session as it happens,"
            " including your check-in answers as you give them."
        )
    # Dana sees who is ready to move on; her own "Move on" still moves the room.
    alex.button("Continue").click()
    expect(dana.page.locator("#moving-on")).to_have_text("Alex is ready to move on.")
    expect(dana.button("Not yet")).to_be_hidden()
    dana.button("Move on").click()
    for person in (dana, alex, sam):
        expect(person.title()).to_have_text("Breathe together")

    # Dana pauses; both partners see it; only both partners' "ready" resumes the room.
    dana.page.locator("#pause-btn").click()
    for person in (alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "paused")
        expect(person.page.locator("#pause-line")).to_contain_text(
            "Your counselor asked for a pause"
        )
    expect(dana.button("I'm ready to continue")).to_be_hidden()
    alex.button("I'm ready to continue").click()
    expect(dana.page.locator("#ready-list")).to_contain_text("Alex")
    assert dana.status() == "paused"
    sam.button("I'm ready to continue").click()
    for person in (dana, alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "active")

    # Dana skips the breathing; the couple moves on with her.
    dana.button("Skip this step").click()
    for person in (dana, alex, sam):
        expect(person.title()).to_have_text("Share an appreciation")
    expect(dana.page.locator("#turn")).to_contain_text("Alex is speaking")

    # A private note: saved without leaving the room, never shown to the couple.
    dana.page.get_by_label("New note").fill(NOTE)
    dana.page.get_by_role("button", name="Save note").click()
    expect(dana.page.locator("#host-note-status")).to_have_text("Note saved. Only you can see it.")
    expect(dana.page.locator("#host-note-list")).to_contain_text(NOTE)
    expect(dana.page.locator("#room")).to_have_attribute("data-connection", "online")
    for partner in (alex, sam):
        assert NOTE not in partner.page.content()
        assert not any(NOTE in json.dumps(frame) for frame in partner.frames)
        expect(partner.page.locator("#host-panel")).to_have_count(0)

    # Dana skips ahead to the closing check-in; the couple answers and she closes the session.
    while dana.title().inner_text() != "Closing check-in":
        before = dana.page.locator("#room").get_attribute("data-version")
        dana.button("Skip this step").click()
        expect(dana.page.locator("#room")).not_to_have_attribute("data-version", before)
    alex.check_in("Safe and connected", 2, "lighter")
    sam.check_in("Safe and connected", 3)
    dana.button("Move on").click()
    for person in (dana, alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "completed")

    # Her summary: the timeline with the pause and the skipped steps, the chart, the note.
    dana.page.goto(f"{server.url}/counselor/s/{code}/summary/")
    expect(dana.page.get_by_role("heading", level=1)).to_have_text("Session summary")
    timeline = dana.page.locator("table.timeline")
    expect(timeline).to_contain_text("You asked for a pause")
    expect(timeline).to_contain_text("(skipped)")
    chart = dana.page.get_by_role("img", name="Arriving and closing check-ins")
    expect(chart).to_be_visible()
    expect(dana.page.locator("table.checkins")).to_contain_text("lighter")
    expect(dana.page.locator(".note-list")).to_contain_text(NOTE)
    for person in (dana, alex, sam):
        assert not person.errors, person.errors


def test_dana_frees_a_seat_and_the_partner_can_join_again(
    server, new_page, counselor, create_session
):
    dana_name = counselor("dana")
    code = create_session(SHORT, counselor=dana_name)
    dana = Person(new_page(), "Dana")
    alex = Person(new_page(), "Alex")
    sam = Person(new_page(), "Sam")
    sign_in(dana.page, server, dana_name)
    dana.page.goto(f"{server.url}/s/{code}/")
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    dana.button("Begin together").click()
    expect(sam.title()).to_have_text("Arriving")

    # Sam's phone died; Dana frees the seat (after confirming) without leaving the room.
    asked = []
    dana.page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    dana.page.get_by_text("Link, QR code and seats").click()
    dana.page.get_by_role("button", name="Free Sam’s seat").click()
    expect(dana.page.locator("#host-seat-status")).to_contain_text("Sam’s seat is free")
    assert "pause" in asked[0]
    expect(alex.page.locator("#room")).to_have_attribute("data-status", "paused")
    expect(dana.page.locator("form.host-release[data-seat=b]")).to_be_hidden()
    expect(dana.page.locator("#room")).to_have_attribute("data-connection", "online")

    # Sam joins again with the same link on a new phone.
    new_sam = Person(new_page(), "Sam")
    new_sam.join(f"{server.url}/j/{code}/")
    expect(dana.page.locator("form.host-release[data-seat=b]")).to_be_visible()
    expect(dana.page.locator("#presence")).to_contain_text("Sam is here")


def test_riley_cannot_open_dana_s_session(server, new_page, counselor, create_session):
    dana_name = counselor("dana")
    riley_name = counselor("riley")
    code = create_session(SHORT, counselor=dana_name)
    riley = new_page()
    sign_in(riley, server, riley_name)

    for path in (
        f"/s/{code}/",
        f"/j/{code}/",
        f"/counselor/s/{code}/",
        f"/counselor/s/{code}/summary/",
        f"/counselor/s/{code}/export.json",
    ):
        response = riley.goto(f"{server.url}{path}")
        assert response.status == 404, path
    expect(riley.locator("body")).not_to_contain_text(code)
    riley.goto(f"{server.url}/counselor/")
    expect(riley.locator("main")).not_to_contain_text(code)
