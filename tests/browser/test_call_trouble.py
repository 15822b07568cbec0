"""When the call cannot work as meant: a connection that cannot be made at all is said in
words while the session goes on, a camera that cannot start (or start again) leaves the
call on audio and says so, and
joining the call from a second tab of the same seat takes this person's place there (the
first tab says so and steps out).
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser import call_support as cs
from tests.browser.call_support import join_call, wait_connected, wait_media_rising
from tests.browser.conftest import SHORT, Person

# The call's fixtures, used by name below.
call_browser, call_page = cs.call_browser, cs.call_page

# Sam's browser may only use TURN relays, and there are none: no path between the two.
NO_PATH = """
(() => {
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config = {}) { super({ ...config, iceTransportPolicy: "relay" }); }
    setConfiguration(config = {}) { super.setConfiguration({ ...config, iceTransportPolicy: "relay" }); }
  };
})();
"""


def test_a_call_that_cannot_connect_says_so_and_the_session_goes_on(
    server, call_page, create_session
):
    code = create_session(SHORT)
    alex = Person(call_page(), "Alex")
    sam = Person(call_page(init_script=NO_PATH), "Sam")
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    join_call(alex)
    join_call(sam)
    status = alex.page.locator(".call-tile[data-role=b] .call-tile-status")
    expect(status).to_have_text("Connecting…")
    expect(status).to_have_text(
        "The call couldn't reach Sam. The session goes on as usual.", timeout=30_000
    )
    expect(sam.page.locator(".call-tile[data-role=a] .call-tile-status")).to_have_text(
        "The call couldn't reach Alex. The session goes on as usual.", timeout=10_000
    )
    alex.button("Begin together").click()
    for person in (alex, sam):
        expect(person.title()).to_have_text("Arriving")
    assert not alex.errors and not sam.errors, alex.errors + sam.errors


def test_joining_from_a_second_tab_moves_the_call_there(server, call_page, create_session):
    code = create_session(SHORT)
    first = call_page()
    alex = Person(first, "Alex")
    sam = Person(call_page(), "Sam")
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    join_call(alex)
    join_call(sam)
    wait_connected(sam, 1)

    # The same phone, another tab (same cookies: the same seat).
    again = Person(first.context.new_page(), "Alex")
    again.page.goto(f"{server.url}/s/{code}/")
    again.page.wait_for_selector("#room[data-version]")
    join_call(again)
    expect(alex.page.locator("#call-note")).to_have_text(
        "You joined the call on another device or tab."
    )
    expect(alex.button("Join by video")).to_be_visible()
    # Sam sees one Alex, the new tab, and hears and sees him.
    wait_media_rising(again, 1)
    expect(sam.page.locator(".call-tile")).to_have_count(2)
    assert not alex.errors and not sam.errors and not again.errors


# Sam's camera is busy (another app has it); his microphone works.
CAMERA_BUSY = """
(() => {
  const open = MediaDevices.prototype.getUserMedia;
  MediaDevices.prototype.getUserMedia = function (constraints) {
    if (constraints && constraints.video) {
      return Promise.reject(new DOMException("Could not start video source", "NotReadableError"));
    }
    return open.call(this, constraints);
  };
})();
"""


def test_when_the_camera_fails_the_call_goes_on_by_audio(server, call_page, create_session):
    code = create_session(SHORT)
    alex = Person(call_page(), "Alex")
    sam = Person(call_page(init_script=CAMERA_BUSY), "Sam")
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    join_call(alex)
    join_call(sam)
    expect(sam.page.locator("#call-note")).to_have_text(
        "Your camera is busy or couldn't start — another app may be using it."
        " You're in the call by audio."
    )
    # Sam still hears and sees Alex; Alex hears Sam, and reads why there is no picture.
    wait_media_rising(sam, 1)
    # Said once, in the tile's caption (not again in a line across its top), with Sam's
    # letter; Sam's own tile shows his letter too, not the "Y" of "You".
    tile = alex.page.locator(".call-tile[data-role=b]")
    expect(tile.locator(".call-tile-caption")).to_have_text("Sam · camera off")
    expect(tile.locator(".call-tile-status")).to_be_hidden()
    expect(tile.locator(".call-tile-off")).to_have_text("S")
    expect(sam.page.locator(".call-tile[data-role=b] .call-tile-off")).to_have_text("S")
    assert not alex.errors and not sam.errors, alex.errors + sam.errors


# Sam's camera starts once; after that the browser refuses it (permission withdrawn).
CAMERA_WITHDRAWN = """
(() => {
  const open = MediaDevices.prototype.getUserMedia;
  let opened = 0;
  MediaDevices.prototype.getUserMedia = function (constraints) {
    if (constraints && constraints.video && ++opened > 1) {
      return Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
    }
    return open.call(this, constraints);
  };
})();
"""


def test_a_camera_that_cannot_start_again_says_so_and_stays_off(server, call_page, create_session):
    code = create_session(SHORT)
    alex = Person(call_page(), "Alex")
    sam = Person(call_page(init_script=CAMERA_WITHDRAWN), "Sam")
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    join_call(alex)
    join_call(sam)
    wait_connected(sam, 1)
    sam.button("Turn camera off").click()
    expect(sam.button("Turn camera on")).to_be_visible()
    sam.button("Turn camera on").click()
    # In words beside his controls, and the button stays in its "off" state.
    problem = sam.page.locator("#call-controls #call-camera-problem")
    expect(problem).to_have_text("Your camera couldn't start; the call goes on with sound.")
    expect(sam.button("Turn camera on")).to_be_visible()
    expect(sam.page.locator("#call-self-state")).to_contain_text("your camera is off")
    expect(alex.page.locator(".call-tile[data-role=b]")).to_have_attribute("data-camera", "false")
    expect(alex.page.locator(".call-tile[data-role=b]")).to_have_attribute("data-mic", "true")
    assert not alex.errors and not sam.errors, alex.errors + sam.errors
