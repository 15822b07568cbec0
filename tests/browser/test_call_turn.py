"""A call through a real TURN server: Debian's coturn on loopback, with Stay's credentials.

Stay runs with `STAY_ICE_POLICY=relay`, so both browsers may only use relay candidates:
media can flow only if coturn accepted the short-lived credentials the server issued each
socket (`sessions/live/ice.py`). Alex and Sam join the call by video from the real room
page (Chromium's fake camera and microphone); each page must end up connected through a
relay, receiving the other's audio and video. A credential that has expired is refused
by coturn (401), so a browser given one gathers no relay at all.

Every RTCPeerConnection a page makes is recorded by a test-only init script (a subclass
of the browser's own), so the test can read its configuration, its ICE errors and its
`getStats()`; nothing in the app knows about it.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from sessions.live import ice
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    PROTOCOLS,
    SHORT,
    WATCH,
    Person,
    live_server,
)
from tests.support import turn

FAKE_MEDIA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
TURN_SECRET = "call-turn-test-secret-0123456789"
# How long the call may take to connect through the relay here (the page says in words
# that it could not reach someone after 20 s, and keeps trying).
CONNECT_MS = 25_000

RECORD_CONNECTIONS = """
(() => {
  const Native = window.RTCPeerConnection;
  if (typeof Native !== "function") return;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Native {
    constructor(config, ...rest) {
      super(config, ...rest);
      this.__config = JSON.parse(JSON.stringify(config || {}));
      this.__iceErrors = [];
      this.__candidates = [];
      this.__connectedAt = null;
      this.addEventListener("connectionstatechange", () => {
        if (this.connectionState === "connected" && this.__connectedAt === null) {
          this.__connectedAt = Date.now();
        }
      });
      this.addEventListener("icecandidateerror", (e) => {
        this.__iceErrors.push({ code: e.errorCode, text: e.errorText, url: e.url });
      });
      this.addEventListener("icecandidate", (e) => {
        if (e.candidate && e.candidate.candidate) this.__candidates.push(e.candidate.candidate);
      });
      window.__pcs.push(this);
    }
  };
})();
"""

# For each open peer connection: its state, the candidate pair in use and the bytes
# received so far per kind of media.
CONNECTIONS = """
async () => Promise.all(window.__pcs.filter((pc) => pc.connectionState !== "closed").map(
  async (pc) => {
    const stats = await pc.getStats();
    let pair = null;
    stats.forEach((r) => {
      if (r.type === "transport" && r.selectedCandidatePairId) {
        pair = stats.get(r.selectedCandidatePairId);
      }
    });
    if (!pair) {
      stats.forEach((r) => {
        if (r.type === "candidate-pair" && r.nominated && r.state === "succeeded") pair = r;
      });
    }
    const received = {};
    stats.forEach((r) => {
      if (r.type === "inbound-rtp") received[r.kind] = (received[r.kind] || 0) + r.bytesReceived;
    });
    const local = pair && stats.get(pair.localCandidateId);
    const remote = pair && stats.get(pair.remoteCandidateId);
    return {
      state: pc.connectionState,
      connectMs: pc.__connectedAt && window.__clickedAt && pc.__connectedAt - window.__clickedAt,
      config: pc.__config,
      errors: pc.__iceErrors,
      pair: pair && {
        state: pair.state,
        local: local && local.candidateType,
        localPort: local && local.port,
        remote: remote && remote.candidateType,
        remotePort: remote && remote.port,
        relayProtocol: local && local.relayProtocol,
        url: local && local.url,
      },
      received,
    };
  }
))
"""

# A bare peer connection with the given call.ice frame's servers, relay only: which
# candidates it gathers in a few seconds, and which errors the TURN server answered.
GATHER = """
async (frame) => {
  const pc = new RTCPeerConnection({
    iceServers: frame.ice_servers,
    iceTransportPolicy: frame.policy,
  });
  pc.createDataChannel("probe");
  const done = new Promise((resolve) => {
    pc.addEventListener("icegatheringstatechange", () => {
      if (pc.iceGatheringState === "complete") resolve();
    });
    setTimeout(resolve, 8000);
  });
  await pc.setLocalDescription();
  await done;
  const out = { candidates: pc.__candidates.slice(), errors: pc.__iceErrors.slice() };
  pc.close();
  return out;
}
"""


@pytest.fixture(scope="module")
def coturn(tmp_path_factory):
    reason = turn.skip_reason()
    if reason:
        pytest.skip(reason)
    with turn.TurnServer(tmp_path_factory.mktemp("coturn"), secret=TURN_SECRET) as server:
        yield server


@pytest.fixture(scope="module")
def server(tmp_path_factory, coturn):
    """Stay told to use only the loopback coturn, relay only, like a privacy-first deployment."""
    yield from live_server(
        tmp_path_factory,
        "call-turn",
        {
            "STAY_TURN_URLS": coturn.url,
            "STAY_TURN_SECRET": coturn.secret,
            "STAY_ICE_POLICY": "relay",
            "STAY_JOIN_RATE_PER_MINUTE": "100000",
        },
        [PROTOCOLS / "short.toml"],
    )


@pytest.fixture(scope="module")
def media_browser(browser):
    """Chromium with a fake camera and microphone, allowed without asking.

    Launched from the package's Playwright (one sync Playwright per thread).
    """
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *FAKE_MEDIA]
    )
    yield chromium
    chromium.close()


@pytest.fixture
def call_page(media_browser):
    """A page in its own context (a separate phone) that records its peer connections."""
    contexts = []

    def open_page():
        context = media_browser.new_context(viewport=PHONE)
        context.set_default_timeout(10_000)
        context.add_init_script(WATCH)
        context.add_init_script(RECORD_CONNECTIONS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def connected(person: Person, coturn: turn.TurnServer) -> dict:
    """Wait for this page's connection to the other person, and return what it reports."""
    try:
        person.page.wait_for_function(
            "() => (window.__pcs || []).some((pc) => pc.connectionState === 'connected')",
            timeout=CONNECT_MS,
        )
    except PlaywrightTimeout:
        calls = [f for f in person.frames if str(f.get("type", "")).startswith(("call.", "error"))]
        sent = [f for f in person.sent if str(f.get("type", "")).startswith("call.")]
        pytest.fail(
            f"{person.name}'s call did not connect in {CONNECT_MS} ms.\n"
            f"connections: {person.page.evaluate(CONNECTIONS)}\n"
            f"note: {person.page.locator('#call').inner_text()!r}\n"
            f"received: {calls}\nsent: {[f['type'] for f in sent]}\n"
            f"page errors: {person.errors}\ncoturn: {coturn.log()[-2500:]}"
        )
    (connection,) = [c for c in person.page.evaluate(CONNECTIONS) if c["state"] == "connected"]
    return connection


def received(person: Person) -> dict:
    """Bytes of audio and of video this page has received from the other so far."""
    (connection,) = [c for c in person.page.evaluate(CONNECTIONS) if c["state"] == "connected"]
    return {kind: connection["received"].get(kind, 0) for kind in ("audio", "video")}


def receiving(person: Person, timeout: float = 10.0) -> dict:
    """Wait until both audio and video have begun to arrive (the first packets follow ICE)."""
    deadline = time.monotonic() + timeout
    while (now := received(person)) and min(now.values()) == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    return now


def test_two_partners_call_by_video_through_turn_with_the_credentials_stay_issued(
    server, coturn, call_page, create_session, record_property
):
    code = create_session(SHORT)
    alex, sam = Person(call_page(), "Alex"), Person(call_page(), "Sam")
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")

    alex.button("Join by video").click()
    sam.button("Join by video").click()

    for person, role in ((alex, "a"), (sam, "b")):
        connection = connected(person, coturn)
        # Only a relay was allowed, and the path in use runs from a relay to a relay: both
        # ends are ports coturn relays on. (The far end may be known as "prflx": its checks
        # can arrive before its candidate did over the room socket.)
        pair = connection["pair"]
        # From the person's last tap (Sam's "Join by video" is also Alex's cue) to connected.
        record_property(f"{person.name}_connect_ms", connection["connectMs"])
        assert connection["config"]["iceTransportPolicy"] == "relay"
        assert pair["state"] == "succeeded", connection
        assert pair["local"] == "relay", connection
        assert coturn.min_port <= pair["localPort"] <= coturn.max_port, connection
        assert coturn.min_port <= pair["remotePort"] <= coturn.max_port, connection
        assert connection["errors"] == [], connection
        # The servers the page used are the call.ice frame Stay sent this socket.
        (frame,) = [f for f in person.frames if f.get("type") == "call.ice"][-1:]
        assert frame["policy"] == "relay"
        assert connection["config"]["iceServers"] == frame["ice_servers"]
        (relay,) = frame["ice_servers"]
        assert relay["urls"] == [coturn.url]
        assert re.fullmatch(rf"(\d+):{role}-[A-Za-z0-9_-]+", relay["username"])
        assert frame["expires"] == int(relay["username"].split(":")[0]) * 1000
        assert frame["expires"] > time.time() * 1000
        # coturn granted a relay to exactly that credential; the secret never reached a page.
        assert re.search(
            rf"user <{re.escape(relay['username'])}>: incoming packet ALLOCATE processed, success",
            coturn.log(),
        ), coturn.log()[-3000:]
        assert all(TURN_SECRET not in str(f) for f in person.frames)

    # Each receives the other's audio and video, and keeps receiving it.
    before = {p.name: receiving(p) for p in (alex, sam)}
    time.sleep(2)
    for person in (alex, sam):
        now = received(person)
        for kind in ("audio", "video"):
            assert now[kind] > before[person.name][kind] > 0, (person.name, before, now)

    # What a person sees: the other's video tile is playing real frames.
    for person, other in ((alex, "b"), (sam, "a")):
        video = person.page.locator(f"#call-tiles figure[data-role='{other}'] video")
        expect(video).to_have_count(1)
        person.page.wait_for_function(
            "(v) => v.videoWidth > 0 && v.readyState >= 2", arg=video.element_handle()
        )
    assert not alex.errors and not sam.errors, alex.errors + sam.errors


def test_an_expired_credential_is_refused_by_coturn_so_no_relay_is_gathered(
    server, coturn, call_page, settings
):
    # The ICE frame the server would have issued an hour ago, with a one-minute lifetime.
    settings.STAY = {
        **settings.STAY,
        "STUN_URLS": [],
        "TURN_URLS": [coturn.url],
        "TURN_SECRET": coturn.secret,
        "TURN_TTL_SECONDS": 60,
        "ICE_POLICY": "relay",
    }
    now_ms = int(time.time() * 1000)
    expired = ice.ice_frame("a", now_ms - 3_600_000)
    fresh = ice.ice_frame("a", now_ms)
    assert expired.expires < now_ms < fresh.expires

    page = call_page()
    page.goto(f"{server.url}/")
    gathered = page.evaluate(GATHER, {"ice_servers": expired.ice_servers, "policy": "relay"})
    assert not [c for c in gathered["candidates"] if " typ relay" in c], gathered
    assert 401 in [e["code"] for e in gathered["errors"]], gathered
    username = expired.ice_servers[0]["username"]
    assert f"Cannot find credentials of user <{username}>" in coturn.log()

    # The same server and secret, the credential still fresh: a relay is granted.
    gathered = page.evaluate(GATHER, {"ice_servers": fresh.ice_servers, "policy": "relay"})
    assert [c for c in gathered["candidates"] if " typ relay" in c], gathered
    assert gathered["errors"] == [], gathered
