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

# The call's fixtures, used by name below.
call_browser, call_page, hosted_room = cs.call_browser, cs.call_page, cs.hosted_room

PAUSE_LINE = "Paused — microphones are off."
BREAK_LINE = "Break — cameras and microphones are off until the room resumes."


def everyone_in_the_call(hosted_room):
    code, dana, alex, sam = hosted_room()
    for person in (dana, alex, sam):
        join_call(person)
    for person in (dana, alex, sam):
        wait_connected(person, 2)
    return code, dana, alex, sam


def mic_pressed(person) -> str:
    return person.page.locator("#call-mic").get_attribute("aria-pressed")


def test_three_people_hear_and_see_each_other_and_the_speaker_is_large(hosted_room):
    code, dana, alex, sam = everyone_in_the_call(hosted_room)
    # Each page receives both others' sound and picture, and keeps receiving them.
    for person in (dana, alex, sam):
        wait_media_rising(person, 2)
        tiles = person.page.locator("#call-tiles .call-tile")
        expect(tiles).to_have_count(3)
        expect(person.page.locator("#call-tiles .is-featured")).to_have_count(0)
        assert not person.errors, person.errors
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
    for person, words in (
        (dana, "Alex is speaking"),
        (sam, "Alex is speaking"),
        (alex, "You're speaking"),
    ):
        featured = person.page.locator("#call-tiles .call-tile.is-featured")
        expect(featured).to_have_count(1)
        expect(featured).to_have_attribute("data-role", "a")
        expect(featured.locator(".call-tile-name")).to_have_text(words)


def test_a_pause_stops_every_microphone_and_resume_gives_each_choice_back(hosted_room):
    code, dana, alex, sam = everyone_in_the_call(hosted_room)
    # Alex has muted himself before the pause; Dana and Sam are heard.
    alex.button("Mute").click()
    expect(alex.button("Mute")).to_have_attribute("aria-pressed", "true")
    expect(sam.page.locator(".call-tile[data-role=a]")).to_have_attribute("data-mic", "false")

    sam.button("Pause").click()
    since = clicked_at(sam)
    took = {p.name: switched_within(p, "audio", False, since, 500) for p in (dana, sam)}
    # Alex was muted already, by his own choice; he stays so.
    assert not any(t["enabled"] for t in outgoing(alex) if t["kind"] == "audio")
    print(f"pause → microphones off (ms after Sam's click): {took}")
    for person in (dana, alex, sam):
        expect(person.page.locator("#call-pause-line")).to_have_text(PAUSE_LINE)
        # Cameras stay on in an ordinary pause.
        assert all(t["enabled"] for t in outgoing(person) if t["kind"] == "video")
        expect(person.button("Turn my microphone back on")).to_be_visible()

    # Sam deliberately turns his own microphone back on; the others see it.
    sam.button("Turn my microphone back on").click()
    switched_within(sam, "audio", True, clicked_at(sam), 500)
    expect(dana.page.locator(".call-tile[data-role=b]")).to_have_attribute("data-mic", "true")
    expect(dana.page.locator(".call-tile[data-role=a]")).to_have_attribute("data-mic", "false")

    # Both partners say they are ready: each person's own choice comes back.
    alex.button("I'm ready to continue").click()
    sam.button("I'm ready to continue").click()
    resumed = clicked_at(sam)
    for person in (dana, alex, sam):
        expect(person.title()).not_to_have_text("Taking a pause")
        expect(person.page.locator("#call-pause")).to_be_hidden()
    switched_within(dana, "audio", True, resumed, 500)
    assert all(t["enabled"] for t in outgoing(sam) if t["kind"] == "audio"), "Sam stays unmuted"
    assert not any(t["enabled"] for t in outgoing(alex) if t["kind"] == "audio"), "Alex stays muted"
    assert (
        mic_pressed(alex) == "true" and mic_pressed(sam) == "false" and mic_pressed(dana) == "false"
    )
    for person in (dana, alex, sam):
        assert not person.errors, person.errors


def test_a_flooding_break_turns_off_cameras_and_microphones_until_the_room_resumes(hosted_room):
    code, dana, alex, sam = everyone_in_the_call(hosted_room)
    # Sam had turned his camera off himself; the break must not turn it back on later.
    sam.button("Camera off").click()
    expect(alex.page.locator(".call-tile[data-role=b]")).to_have_attribute("data-camera", "false")
    expect(alex.page.locator(".call-tile[data-role=b] .call-tile-state")).to_contain_text(
        "camera off"
    )

    dana.page.get_by_role("button", name="Call a longer break (flooding)").click()
    since = clicked_at(dana)
    for person in (dana, alex, sam):
        switched_within(person, "audio", False, since, 500)
        if person is not sam:
            switched_within(person, "video", False, since, 500)
        assert not any(t["enabled"] for t in outgoing(person)), person.name
        expect(person.page.locator("#call-pause-line")).to_have_text(BREAK_LINE)
        # Nobody turns anything back on during the break.
        expect(person.button("Turn my microphone back on")).to_be_hidden()
        expect(person.button("Mute")).to_be_disabled()
        expect(person.button("Camera off")).to_be_disabled()

    alex.button("I'm ready to continue").click()
    sam.button("I'm ready to continue").click()
    resumed = clicked_at(sam)
    for person in (dana, alex):
        switched_within(person, "audio", True, resumed, 500)
        switched_within(person, "video", True, resumed, 500)
    switched_within(sam, "audio", True, resumed, 500)
    assert not any(t["enabled"] for t in outgoing(sam) if t["kind"] == "video"), (
        "Sam's camera stays off"
    )
    expect(sam.button("Camera off")).to_have_attribute("aria-pressed", "true")
    # The pictures flow again to the ones whose cameras are on.
    wait_media_rising(sam, 2)
