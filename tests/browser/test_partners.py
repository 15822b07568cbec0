"""Alex and Sam, on two phones, through a whole session in real Chromium windows."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import SHORT, Person

PAUSE_SEEN_WITHIN_S = 0.5


def pause_is_seen_quickly(by: Person, other: Person, button: str) -> float:
    """Seconds from the tap on one phone to the pause showing on the other (real clock)."""
    other.page.evaluate("delete window.__statusAt.paused")
    by.page.get_by_role("button", name=button).click()
    other.page.wait_for_selector('#room[data-status="paused"]', timeout=5000)
    clicked = by.page.evaluate("window.__clickedAt")
    shown = other.page.evaluate("window.__statusAt.paused")
    assert clicked is not None and shown is not None and shown >= clicked
    return (shown - clicked) / 1000


def both_ready(alex: Person, sam: Person) -> None:
    """Resuming needs both: after one 'ready' the room stays paused for both."""
    alex.button("I'm ready to continue").click()
    expect(sam.page.locator("#ready-list")).to_contain_text("Alex is ready")
    expect(alex.page.locator("#ready-list")).to_contain_text("Waiting for Sam")
    assert alex.status() == "paused" and sam.status() == "paused"
    sam.button("I'm ready to continue").click()
    for person in (alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "active")


def reflect_round(listener: Person, speaker: Person, *, not_quite_first: bool) -> None:
    starter = listener.page.locator("#starter")
    expect(listener.title()).to_have_text("Mirror it back")
    expect(starter).to_have_text("What I heard you say is…")
    expect(speaker.page.locator("#panel-starter")).to_be_hidden()
    expect(speaker.page.locator("#turn")).to_contain_text(
        f"{listener.name} is telling you what they heard"
    )
    listener.button("I've said what I heard").click()
    expect(starter).to_have_text("Did I get it?")
    expect(listener.button("Yes, that's it")).to_be_hidden()
    if not_quite_first:
        speaker.button("Not quite").click()
        expect(starter).to_have_text("What I heard you say is…")
        expect(listener.page.locator("#turn")).to_contain_text(
            f"{speaker.name} would like to add something"
        )
        listener.button("I've said what I heard").click()
        expect(starter).to_have_text("Did I get it?")
    speaker.button("Yes, that's it").click()
    expect(starter).to_have_text("That makes sense, because…")
    listener.button("I've said what makes sense").click()
    expect(starter).to_have_text("I imagine you might feel…")
    listener.button("I've said how I imagine it feels").click()


def test_a_couple_goes_through_a_whole_session_from_the_home_page(server, new_page):
    alex = Person(new_page(), "Alex")
    sam = Person(new_page(), "Sam")

    # Alex starts a session and gets the link to share, with a QR code.
    alex.page.goto(f"{server.url}/")
    alex.page.locator("li.protocol", has_text="Short practice").get_by_role(
        "button", name="Start this one"
    ).click()
    link = alex.page.locator("#join-link").input_value()
    assert link.startswith(f"{server.url}/j/")
    expect(alex.page.locator(".qr svg")).to_be_visible()
    alex.page.get_by_role("link", name="Join on this device").click()
    alex.page.get_by_role("button", name="Yes, now is good").click()
    alex.page.get_by_label("What name should your partner see?").fill("Alex")
    alex.page.get_by_role("button", name="Join the session").click()
    expect(alex.page.locator("#waiting-line")).to_contain_text("Waiting for your partner")
    expect(alex.page.locator("#share-link")).to_have_value(link)

    sam.join(link)
    expect(alex.page.locator("#presence")).to_contain_text("Sam is here")
    expect(sam.page.locator("#presence")).to_contain_text("Alex is here")
    sam.button("Begin together").click()

    # Arriving check-in: neither answer shows to the other until both are in.
    for person in (alex, sam):
        expect(person.title()).to_have_text("Arriving")
    alex.check_in("Safe and connected", 3, "rested")
    expect(alex.page.locator("#checkin-answers")).to_contain_text(
        "Safe and connected, 3 of 10 — “rested”"
    )
    expect(alex.page.locator("#checkin-wait")).to_contain_text("Waiting for Sam")
    expect(sam.page.locator("#checkin-form")).to_be_visible()
    expect(sam.page.locator("#checkin-answers")).to_be_hidden()
    assert all((s["checkins"].get("0") or {}).get("a") is None for s in sam.states())
    expect(alex.button("Continue")).to_be_hidden()

    sam.check_in("Shut down", 6)
    for person in (alex, sam):
        answers = person.page.locator("#checkin-answers")
        expect(answers).to_contain_text("Safe and connected, 3 of 10")
        expect(answers).to_contain_text("Shut down, 6 of 10")
    assert sam.states()[-1]["checkins"]["0"]["a"]["state"] == "safe"
    # Moving on needs both: Alex waits for Sam until Sam is ready too.
    alex.button("Continue").click()
    expect(alex.page.locator("#moving-on")).to_have_text("Waiting for Sam…")
    expect(sam.title()).to_have_text("Arriving")
    sam.button("Continue").click()

    # Breathing: both pacers run; Sam sits this one out without comment.
    for person in (alex, sam):
        expect(person.title()).to_have_text("Breathe together")
    expect(alex.page.locator("#pacer")).to_have_attribute("data-phase", "inhale", timeout=8000)
    sam.button("I'll sit this one out").click()
    expect(sam.page.locator("#resting-line")).to_be_visible()
    expect(alex.page.locator("#presence")).to_contain_text("Sam is here, resting this round")

    # Alex speaks; Sam listens, with no button to end Alex's turn.
    expect(alex.title()).to_have_text("Share an appreciation", timeout=20_000)
    expect(alex.page.locator("#turn")).to_contain_text("You have the floor")
    expect(sam.page.locator("#turn")).to_have_text(
        "Alex is speaking — listen for what matters to them."
    )
    expect(alex.page.locator("#timer")).to_contain_text("left")
    expect(sam.button("I'm done speaking")).to_be_hidden()

    # Alex pauses; Sam's screen follows within half a second, without blame.
    assert pause_is_seen_quickly(alex, sam, "Pause") < PAUSE_SEEN_WITHIN_S
    expect(sam.title()).to_have_text("Taking a pause")
    expect(sam.page.locator("#pause-line")).to_have_text(
        "Alex asked for a pause. This time is for you too."
    )
    expect(alex.page.locator("#pause-line")).to_contain_text("You asked for a pause")
    expect(sam.page.locator("#solo-pacer")).to_have_attribute("data-phase", "inhale")
    both_ready(alex, sam)

    # A reload in the middle of a step lands on the same step.
    sam.page.reload()
    sam.page.wait_for_selector("#room[data-version]")
    expect(sam.title()).to_have_text("Share an appreciation")
    expect(sam.page.locator("#turn")).to_contain_text("Alex is speaking")

    alex.button("I'm done speaking").click()
    reflect_round(sam, alex, not_quite_first=True)

    # Sam's turn to speak; this time Sam needs a longer break.
    expect(sam.title()).to_have_text("Share an appreciation")
    expect(sam.page.locator("#turn")).to_contain_text("You have the floor")
    expect(alex.page.locator("#turn")).to_contain_text("Sam is speaking")
    elapsed = pause_is_seen_quickly(sam, alex, "It's too much — I need a longer break")
    assert elapsed < PAUSE_SEEN_WITHIN_S
    expect(alex.page.locator("#pause-line")).to_contain_text("Sam asked for a pause")
    expect(alex.page.locator("#break")).to_be_visible()
    expect(alex.page.locator("#break-timer")).to_contain_text(":")
    both_ready(alex, sam)
    sam.button("I'm done speaking").click()
    reflect_round(alex, sam, not_quite_first=False)

    # Closing check-in, then the summary for both.
    expect(alex.title()).to_have_text("Closing check-in")
    alex.check_in("Safe and connected", 2)
    sam.check_in("On edge", 4, "tired")
    sam.button("Continue").click()
    alex.button("Continue").click()
    for person in (alex, sam):
        expect(person.title()).to_have_text("You've finished")
        summary = person.page.locator("#summary")
        expect(summary).to_contain_text("You did all 7 steps")
        expect(summary).to_contain_text("Shut down, 6 of 10")
        expect(summary).to_contain_text("On edge, 4 of 10 — “tired”")
    expect(alex.page.locator("#summary")).to_contain_text("You asked for a pause")
    expect(alex.page.locator("#summary")).to_contain_text("Sam asked for a pause (feeling flooded)")
    expect(sam.page.locator("#summary")).to_contain_text("Alex asked for a pause")

    # Along the way each page kept its heartbeat and measured the clock several times.
    for person in (alex, sam):
        kinds = [frame["type"] for frame in person.sent]
        assert kinds.count("time.ping") >= 5
        assert "sync" in kinds

    # Alex asks to delete the session's data; nothing goes until Sam says yes too.
    alex.button("Delete this session's data").click()
    alex.button("Yes, delete it").click()
    expect(alex.page.locator("#deleting")).to_contain_text("as soon as Sam agrees")
    sam.button("Delete this session's data").click()
    sam.button("Yes, delete it").click()
    expect(sam.page.get_by_role("status")).to_contain_text("This session's data has been deleted")
    # Alex's browser is told what happened, in words; nobody else learns anything.
    response = alex.page.goto(link)
    assert response.status == 410
    expect(alex.page.locator("h1")).to_have_text("This session was deleted")
    assert alex.errors == [] and sam.errors == []


def test_a_third_browser_is_told_the_session_is_full(server, partners, new_page):
    code, alex, sam = partners(SHORT)
    stranger = new_page()
    response = stranger.goto(f"{server.url}/j/{code}/")
    assert response.status == 409
    expect(stranger.locator("h1")).to_have_text("Both places are taken")
    expect(stranger.locator("body")).not_to_contain_text("Alex")
    expect(stranger.locator("body")).not_to_contain_text("Short practice")


def test_ending_early_asks_first_and_shows_what_was_done(partners):
    code, alex, sam = partners(SHORT)
    alex.button("Begin together").click()
    expect(sam.title()).to_have_text("Arriving")
    sam.button("End session").click()
    expect(sam.page.get_by_text("End the session for both of you?")).to_be_visible()
    sam.button("Keep going").click()
    assert sam.status() == "active"
    sam.button("End session").click()
    sam.button("Yes, end it").click()
    for person in (alex, sam):
        expect(person.title()).to_have_text("The session has ended")
        expect(person.page.locator("#summary")).to_contain_text("You did 0 of 7 steps")
