"""What the call's browser tests share: a Chromium with fake camera and microphone, pages
that record their RTCPeerConnections and when each outgoing track was switched, and a
hosted room with Alex, Sam and their counselor Dana seated.

The recording is test-only (an init script wrapping `window.RTCPeerConnection` and the
`enabled` setter of MediaStreamTrack); the page's own scripts are unchanged. Times are
this machine's `Date.now()`, the same clock in every page, so "within 500 ms of the
click" is measured in the pages themselves, without Playwright's overhead.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, SHORT, WATCH, Person, sign_in

FAKE_MEDIA = [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    # A reload rejoins the call without a tap; in a real browser the page offers
    # "Play the call's sound" if sound may not start by itself.
    "--autoplay-policy=no-user-gesture-required",
]

RECORD = """
(() => {
  const Native = window.RTCPeerConnection;
  if (!Native) return;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); window.__pcs.push(this); }
  };
  // Small pictures: three pages each encoding two streams share this machine's two cores.
  const open = MediaDevices.prototype.getUserMedia;
  MediaDevices.prototype.getUserMedia = function (constraints) {
    if (constraints && constraints.video) {
      constraints = { ...constraints, video: { width: 320, height: 240, frameRate: 15 } };
    }
    return open.call(this, constraints).then((stream) => {
      window.__gum.push(...stream.getTracks());
      return stream;
    });
  };
  // Every track the page ever opened: a camera is capturing while one of them is live.
  window.__gum = [];
  window.__tracks = [];
  const stop = MediaStreamTrack.prototype.stop;
  MediaStreamTrack.prototype.stop = function () {
    if (this.readyState === "live") {
      window.__tracks.push({ kind: this.kind, stopped: true, at: Date.now() });
    }
    return stop.call(this);
  };
  // When each state reached the page, to tell the server's share of a delay from the page's.
  window.__states = [];
  document.addEventListener("stay:state", (e) => {
    window.__states.push({ status: e.detail.state.status, at: Date.now() });
  });
  const enabled = Object.getOwnPropertyDescriptor(MediaStreamTrack.prototype, "enabled");
  Object.defineProperty(MediaStreamTrack.prototype, "enabled", {
    configurable: true,
    get() { return enabled.get.call(this); },
    set(value) {
      enabled.set.call(this, value);
      window.__tracks.push({ kind: this.kind, enabled: Boolean(value), at: Date.now() });
    },
  });
})();
"""

# In a page: the live connections' outgoing tracks ({kind, enabled}).
OUTGOING = """() => (window.__pcs || [])
  .filter((pc) => pc.connectionState !== "closed")
  .flatMap((pc) => pc.getSenders())
  .filter((s) => s.track)
  .map((s) => ({ kind: s.track.kind, enabled: s.track.enabled }))"""

# In a page: per live connection, the inbound audio and video bytes received so far.
INBOUND = """async () => {
  const out = [];
  for (const pc of (window.__pcs || []).filter((p) => p.connectionState !== "closed")) {
    const bytes = { audio: 0, video: 0, state: pc.connectionState };
    (await pc.getStats()).forEach((r) => {
      if (r.type === "inbound-rtp" && r.kind in bytes) bytes[r.kind] += r.bytesReceived || 0;
    });
    out.push(bytes);
  }
  return out;
}"""

# In a page: when the outgoing tracks of `kind` were last all switched to `enabled`, at or
# after `since`; null if they are not all in that state now. A camera switched off is
# released: no video track the page opened is live, and the time is when it was stopped.
SWITCHED_AT = """([kind, enabled, since]) => {
  const live = (window.__pcs || []).filter((pc) => pc.connectionState !== "closed");
  const tracks = live.flatMap((pc) => pc.getSenders()).map((s) => s.track)
    .filter((t) => t && t.kind === kind && t.readyState === "live");
  if (kind === "video" && !enabled) {
    if (window.__gum.some((t) => t.kind === "video" && t.readyState === "live")) return null;
    const hit = window.__tracks.find((t) => t.kind === kind && t.stopped && t.at >= since);
    return hit ? hit.at : null;
  }
  if (tracks.length === 0 || tracks.some((t) => t.enabled !== enabled)) return null;
  const hit = window.__tracks.find(
    (t) => t.kind === kind && !t.stopped && t.enabled === enabled && t.at >= since);
  return hit ? hit.at : null;
}"""

# In a page: how many camera tracks the page opened are still capturing.
CAMERAS_LIVE = """() => window.__gum
  .filter((t) => t.kind === "video" && t.readyState === "live").length"""


@pytest.fixture(scope="module")
def call_browser(browser):
    """A second Chromium from the same Playwright, with a fake camera and microphone."""
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_MEDIA
    )
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def call_page(call_browser):
    """Open a phone-sized page in its own context (its own cookies), recording its calls."""
    contexts = []

    def open_page(*, init_script: str | None = None):
        context = call_browser.new_context(viewport=PHONE)
        context.set_default_timeout(10_000)
        context.add_init_script(WATCH)
        context.add_init_script(RECORD)
        if init_script:
            context.add_init_script(init_script)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def hosted_room(server, call_page, counselor, create_session):
    """Dana hosts, Alex and Sam are seated, the session has begun: (code, dana, alex, sam)."""

    def seat():
        dana_name = counselor("dana")
        code = create_session(SHORT, counselor=dana_name)
        dana, alex, sam = (Person(call_page(), n) for n in ("Dana", "Alex", "Sam"))
        sign_in(dana.page, server, dana_name)
        dana.page.goto(f"{server.url}/s/{code}/")
        dana.page.wait_for_selector("#room[data-version]")
        alex.join(f"{server.url}/j/{code}/")
        sam.join(f"{server.url}/j/{code}/")
        dana.button("Begin together").click()
        for person in (dana, alex, sam):
            expect(person.title()).to_have_text("Arriving")
        return code, dana, alex, sam

    return seat


@pytest.fixture
def couple(server, call_page, create_session):
    """Alex and Sam seated in a new room that has begun: (code, alex, sam)."""

    def seat():
        code = create_session(SHORT)
        alex, sam = Person(call_page(), "Alex"), Person(call_page(), "Sam")
        alex.join(f"{server.url}/j/{code}/")
        sam.join(f"{server.url}/j/{code}/")
        alex.button("Begin together").click()
        for person in (alex, sam):
            expect(person.title()).to_have_text("Arriving")
        return code, alex, sam

    return seat


def join_call(person: Person, how: str = "Join by video") -> None:
    """The person taps a join button; their controls replace the join buttons."""
    person.button(how).click()
    expect(person.button("Leave the call")).to_be_visible()


def wait_connected(person: Person, count: int, timeout: float = 15_000) -> None:
    """Until the page has `count` connected peer connections."""
    person.page.wait_for_function(
        """(n) => (window.__pcs || []).filter((pc) => pc.connectionState === "connected")
              .length === n""",
        arg=count,
        timeout=timeout,
    )


def inbound(person: Person) -> list[dict]:
    return person.page.evaluate(INBOUND)


def wait_media_rising(person: Person, count: int, timeout_ms: int = 10_000) -> int:
    """Until `count` connections each receive more audio and video than a moment ago.

    Returns how many milliseconds (page time) that took.
    """
    return person.page.evaluate(
        "async ([count, timeout]) => { const read = "
        + INBOUND
        + """;
          const start = Date.now();
          let before = await read();
          while (Date.now() - start < timeout) {
            await new Promise((r) => setTimeout(r, 250));
            const now = await read();
            const rising = now.filter((b, i) => before[i] && b.state === "connected"
              && b.audio > before[i].audio && b.video > before[i].video);
            if (now.length === count && rising.length === count) return Date.now() - start;
            before = now;
          }
          throw new Error("media did not flow: " + JSON.stringify(before));
        }""",
        [count, timeout_ms],
    )


def outgoing(person: Person) -> list[dict]:
    return person.page.evaluate(OUTGOING)


def switched_within(person: Person, kind: str, enabled: bool, since: int, limit_ms: int) -> int:
    """Milliseconds from `since` until every outgoing `kind` track was `enabled`; fails past limit."""
    at = person.page.wait_for_function(
        SWITCHED_AT, arg=[kind, enabled, since], timeout=limit_ms + 2000
    ).json_value()
    took = at - since
    assert took <= limit_ms, f"{person.name}'s {kind} took {took} ms to become {enabled}"
    return took


def cameras_live(person: Person) -> int:
    """How many of the camera tracks this page opened are still capturing (light on)."""
    return person.page.evaluate(CAMERAS_LIVE)


def state_at(person: Person, status: str, since: int) -> int | None:
    """Page time the first state with `status` arrived at or after `since`."""
    return person.page.evaluate(
        "([status, since]) => (window.__states.find((s) => s.status === status && s.at >= since)"
        " || {}).at ?? null",
        [status, since],
    )


def clicked_at(person: Person) -> int:
    return person.page.evaluate("window.__clickedAt")
