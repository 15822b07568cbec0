"""Alex, Sam and their counselor Dana in the room's call, in real Chromium windows with
fake cameras and microphones: each hears and sees the others, a pause really stops the
words (every outgoing microphone off within half a second on every page), a flooding
break the pictures too, and resuming gives each person their own choice back.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser import call_support as cs
from tests.browser.call_support import (
    clicked_at,
    join_call,
    outgoing,
    switched_within,
    wait_connected,
    wait_media_rising,
)
from tests.browser.conftest import PHONE

# The call's fixtures, used by name below.
call_browser, call_page, hosted_room = cs.call_browser, cs.call_page, cs.hosted_room

PAUSE_LINE = "Paused — microphones are off."
BREAK_LINE = "Break — cameras and microphones are off until the room resumes."

# The issue promises that a pause stops the words within 500 ms (checked as such above and
# below). Giving each person's choice back on resume has no such promise; it follows the
# same snapshot, and on two loaded cores it once took 574 ms, so it gets more room.
RESTORED_MS = 1500


def everyone_in_the_call(hosted_room):
    code, dana, alex, sam = hosted_room()
    for person in (dana, alex, sam):
        join_call(person)
    for person in (dana, alex, sam):
        wait_connected(person, 2)
    return code, dana, alex, sam


def mic_words(person) -> str:
    return person.page.locator("#call-mic").inner_text()


def test_three_people_hear_and_see_each_other_and_the_speaker_is_large(hosted_room):
    code, dana, alex, sam = everyone_in_the_call(hosted_room)
    # Each page receives both others' sound and picture, and keeps receiving them.
    for person in (dana, alex, sam):
        wait_media_rising(person, 2)
        tiles = person.page.locator("#call-tiles .call-tile")
        expect(tiles).to_have_count(3)
        expect(person.page.locator("#call-tiles .is-featured")).to_have_count(0)
        assert not person.errors, person.errors
        # The server refused none of the call's frames.
        assert not [f for f in person.frames if f.get("type") == "error"], person.name
    # Names on the tiles come from the room: Sam sees Alex and the counselor by name.
    expect(sam.page.locator(".call-tile[data-role=a] .call-tile-name")).to_have_text("Alex")
    expect(sam.page.locator(".call-tile[data-role=b] .call-tile-name")).to_have_text("You")
    expect(sam.page.locator(".call-tile[data-role=host] .call-tile-name")).to_have_text(
        "Your counselor"
    )
    # Who is in the call shows in the presence list the counselor watches.
    expect(dana.page.locator("#presence li[data-seat=a]")).to_contain_text("in the call")

    # In a speak step the person with the floor is shown large, in words too.
    dana.button("Skip this step").click()
    expect(dana.title()).to_have_text("Breathe together")
    dana.button("Skip this step").click()
    expect(dana.title()).to_have_text("Share an appreciation")
    # Alex, speaking, sees Sam (who listens) large, and his own small tile says he speaks.
    for person, role, words in (
        (dana, "a", "Alex is speaking"),
        (sam, "a", "Alex is speaking"),
        (alex, "b", "Sam is listening"),
    ):
        featured = person.page.locator("#call-tiles .call-tile.is-featured")
        expect(featured).to_have_count(1)
        expect(featured).to_have_attribute("data-role", role)
        expect(featured.locator(".call-tile-name")).to_have_text(words)
        # On a phone the step's words come before the call, and the large tile takes at
        # most 40% of the screen's height.
        call_top = person.page.locator("#call").bounding_box()["y"]
        assert person.page.locator("#prompt").bounding_box()["y"] < call_top, person.name
        assert featured.bounding_box()["height"] <= 0.4 * PHONE["height"] + 1, person.name
    expect(alex.page.locator(".call-tile[data-role=a] .call-tile-name")).to_have_text(
        "You're speaking"
    )


def test_a_pause_stops_every_microphone_and_one_unmuted_during_it_stays_unmuted(hosted_room):
    code, dana, alex, sam = everyone_in_the_call(hosted_room)
    # Sam mutes himself before the pause; the button now says what a tap would do.
    sam.button("Mute").click()
    expect(sam.button("Unmute")).to_be_visible()
    expect(sam.page.locator("#call-self-state")).to_contain_text("Your microphone is off")
    expect(dana.page.locator(".call-tile[data-role=b]")).to_have_attribute("data-mic", "false")

    sam.button("Pause").click()
    since = clicked_at(sam)
    took = {p.name: switched_within(p, "audio", False, since, 500) for p in (dana, alex)}
    arrived = {p.name: cs.state_at(p, "paused", since) - since for p in (dana, alex, sam)}
    print(f"pause → every microphone off (ms after Sam's click): {took}; state arrived {arrived}")
    for person in (dana, alex, sam):
        assert not any(t["enabled"] for t in outgoing(person) if t["kind"] == "audio")
        expect(person.page.locator("#call-pause-line")).to_have_text(PAUSE_LINE)
        # Cameras stay on in an ordinary pause.
        assert all(t["enabled"] for t in outgoing(person) if t["kind"] == "video")
        # The highlighted microphone button cannot turn the microphone on during a pause.
        expect(person.button("Unmute")).to_be_disabled()
        expect(person.page.locator("#call-mic")).not_to_have_attribute("aria-pressed", "true")
        expect(person.button("Turn my microphone back on")).to_be_visible()
    # The pause's grounding screen comes first on a phone, "I'm ready" before the call.
    ready = sam.button("I'm ready to continue").bounding_box()
    assert ready["y"] < sam.page.locator("#call").bounding_box()["y"]

    expect(sam.page.locator("#call-pause-own")).to_be_hidden()
    # Sam deliberately turns his own microphone back on; the others see it, and he reads
    # under the pause's line that he is heard.
    sam.button("Turn my microphone back on").click()
    switched_within(sam, "audio", True, clicked_at(sam), 500)
    expect(sam.page.locator("#call-pause-line")).to_have_text(PAUSE_LINE)
    expect(sam.page.locator("#call-pause-own")).to_have_text("Your microphone is on.")
    expect(alex.page.locator("#call-pause-own")).to_be_hidden()
    expect(sam.button("Turn my microphone back on")).to_be_hidden()
    expect(sam.button("Mute")).to_be_enabled()
    expect(dana.page.locator(".call-tile[data-role=b]")).to_have_attribute("data-mic", "true")
    expect(dana.page.locator(".call-tile[data-role=a]")).to_have_attribute("data-mic", "false")
    # A reload during the same pause keeps his deliberate unmute.
    sam.page.reload()
    wait_connected(sam, 2)
    expect(sam.button("Mute")).to_be_enabled()
    expect(sam.button("Turn my microphone back on")).to_be_hidden()
    assert all(t["enabled"] for t in outgoing(sam) if t["kind"] == "audio")
    expect(dana.page.locator(".call-tile[data-role=b]")).to_have_attribute("data-mic", "true")

    # Both partners say they are ready: microphones come back, and Sam's stays on
    # although he had muted himself before the pause.
    alex.button("I'm ready to continue").click()
    sam.button("I'm ready to continue").click()
    resumed = clicked_at(sam)
    for person in (dana, alex):
        switched_within(person, "audio", True, resumed, RESTORED_MS)
    for person in (dana, alex, sam):
        expect(person.page.locator("#call-pause")).to_be_hidden()
        assert all(t["enabled"] for t in outgoing(person) if t["kind"] == "audio"), person.name
        assert mic_words(person) == "Mute", person.name
        assert not person.errors, person.errors
    expect(dana.page.locator(".call-tile[data-role=b]")).to_have_attribute("data-mic", "true")


def test_a_flooding_break_turns_off_cameras_and_microphones_and_resume_gives_choices_back(
    hosted_room,
):
    code, dana, alex, sam = everyone_in_the_call(hosted_room)
    # Before the break Alex muted himself and Sam turned his camera off: their own choices.
    alex.button("Mute").click()
    sam.button("Turn camera off").click()
    expect(dana.page.locator(".call-tile[data-role=a]")).to_have_attribute("data-mic", "false")
    expect(alex.page.locator(".call-tile[data-role=b]")).to_have_attribute("data-camera", "false")
    expect(alex.page.locator(".call-tile[data-role=b] .call-tile-state")).to_contain_text(
        "camera off"
    )
    # The counselor's host panel says it in one line.
    expect(dana.page.locator("#host-call")).to_have_text(
        "In the call: Alex (muted); Sam (camera off); You."
    )
    # A camera turned off is released (its light goes off), not merely hidden.
    expect(sam.button("Turn camera on")).to_be_visible()
    sam.page.wait_for_function(f"() => ({cs.CAMERAS_LIVE})() === 0", timeout=3000)

    # Alex has his keyboard on "Unmute" when the break starts.
    alex.page.locator("#call-mic").focus()
    dana.page.get_by_role("button", name="Call a longer break (flooding)").click()
    since = clicked_at(dana)
    took = {
        "audio": {p.name: switched_within(p, "audio", False, since, 500) for p in (dana, sam)},
        "video": {p.name: switched_within(p, "video", False, since, 500) for p in (dana, alex)},
    }
    print(f"break → microphones and cameras off (ms after Dana's click): {took}")
    for person in (dana, alex, sam):
        assert not any(t["enabled"] for t in outgoing(person)), person.name
        assert cs.cameras_live(person) == 0, f"{person.name}'s camera still capturing"
        expect(person.page.locator("#call-pause-line")).to_have_text(BREAK_LINE)
        # Nobody turns anything back on during the break.
        expect(person.button("Turn my microphone back on")).to_be_hidden()
        expect(person.page.locator("#call-mic")).to_be_disabled()
        expect(person.page.locator("#call-camera")).to_be_disabled()
        # The line is a status: a screen reader says the microphones were turned off.
        expect(person.page.get_by_role("status").filter(has_text=BREAK_LINE)).to_have_count(1)
    # The focused button is disabled now: the focus is not left on it (the break's heading
    # takes it, as every new screen's does; were it not, "Leave the call" would).
    assert alex.page.evaluate("!document.activeElement.disabled")
    expect(alex.title()).to_be_focused()
    # Sam reloads during the break: he is back in the call without his camera ever starting
    # (it is his choice to have it off, and the break holds it off anyway).
    sam.page.reload()
    wait_connected(sam, 2)
    assert sam.page.evaluate("window.__gum.filter((t) => t.kind === 'video').length") == 0
    expect(sam.page.locator("#call-pause-line")).to_have_text(BREAK_LINE)

    alex.button("I'm ready to continue").click()
    sam.button("I'm ready to continue").click()
    resumed = clicked_at(sam)
    switched_within(dana, "audio", True, resumed, RESTORED_MS)
    switched_within(sam, "audio", True, resumed, RESTORED_MS)
    # The cameras open again (a camera takes a moment to start).
    camera = {p.name: switched_within(p, "video", True, resumed, 2000) for p in (dana, alex)}
    print(f"resume → cameras capturing again (ms after Sam's click): {camera}")
    # Each person's own choice came back: Alex still muted, Sam's camera still off.
    assert not any(t["enabled"] for t in outgoing(alex) if t["kind"] == "audio"), "Alex muted"
    assert cs.cameras_live(sam) == 0, "Sam's camera stays off"
    expect(alex.button("Unmute")).to_be_visible()
    expect(sam.button("Turn camera on")).to_be_visible()
    expect(dana.page.locator(".call-tile[data-role=a]")).to_have_attribute("data-mic", "false")
    expect(dana.page.locator(".call-tile[data-role=b]")).to_have_attribute("data-camera", "false")
    # The pictures flow again from the cameras that are on.
    wait_media_rising(sam, 2)
    # Sam turns his camera back on: it opens again and the others see him.
    sam.button("Turn camera on").click()
    switched_within(sam, "video", True, clicked_at(sam), 2000)
    # His own picture shows again too.
    sam.page.wait_for_function(
        "() => { const t = document.querySelector('.call-tile.is-self');"
        " return !t.classList.contains('is-camera-off')"
        " && t.querySelector('video').videoWidth > 0; }",
        timeout=5000,
    )
    expect(alex.page.locator(".call-tile[data-role=b]")).to_have_attribute("data-camera", "true")
    wait_media_rising(alex, 2)
    wait_media_rising(dana, 2)
    for person in (dana, alex, sam):
        assert not person.errors, person.errors
