"""The `call.ice` frame: which servers a browser may use, and the TURN credential Stay issues.

The credential is checked two ways: against coturn's REST-API algorithm written out here
independently, and against a real coturn (Debian's `turnserver`) started for the test,
which must grant a relay for it while it is fresh and refuse it once it has expired.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time

import pytest
from django.conf import settings as django_settings

from sessions.live import ice, outgoing
from tests.support import turn

SECRET = "test-turn-secret-0123456789"
NOW_MS = 1_796_000_000_123
TURN_URLS = ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]
STUN_URLS = ["stun:stun.example.org:3478"]


def configure(settings, **stay) -> None:
    settings.STAY = {**django_settings.STAY, **stay}


@pytest.fixture
def with_turn(settings):
    configure(
        settings,
        STUN_URLS=STUN_URLS,
        TURN_URLS=TURN_URLS,
        TURN_SECRET=SECRET,
        TURN_TTL_SECONDS=3600,
        ICE_POLICY="all",
    )


def coturn_password(secret: str, username: str) -> str:
    """What coturn computes for a `use-auth-secret` user (its docs: TURN REST API)."""
    return base64.b64encode(
        hmac.new(secret.encode("utf-8"), username.encode("utf-8"), hashlib.sha1).digest()
    ).decode()


def test_without_configuration_a_browser_gets_no_servers_and_uses_its_own_addresses(settings):
    configure(settings, STUN_URLS=[], TURN_URLS=[], TURN_SECRET="", ICE_POLICY="all")
    frame = ice.ice_frame("a", NOW_MS)
    assert frame == outgoing.CallIce(ice_servers=[], policy="all", expires=None)
    assert outgoing.text(frame) == (
        '{"type":"call.ice","ice_servers":[],"policy":"all","expires":null}'
    )


def test_stun_alone_is_its_own_entry_without_credentials(settings):
    configure(settings, STUN_URLS=STUN_URLS, TURN_URLS=[], TURN_SECRET="", ICE_POLICY="all")
    frame = ice.ice_frame("b", NOW_MS)
    assert frame.ice_servers == [{"urls": STUN_URLS}]
    assert frame.expires is None


def test_turn_gets_a_credential_that_ends_after_the_configured_time(with_turn):
    frame = ice.ice_frame("host", NOW_MS)
    stun, relay = frame.ice_servers
    assert stun == {"urls": STUN_URLS}
    assert relay["urls"] == TURN_URLS
    expiry_s, _, rest = relay["username"].partition(":")
    assert int(expiry_s) == NOW_MS // 1000 + 3600
    assert re.fullmatch(r"host-[A-Za-z0-9_-]{8}", rest)
    assert relay["credential"] == coturn_password(SECRET, relay["username"])
    assert frame.expires == int(expiry_s) * 1000
    assert frame.policy == "all"


def test_the_pure_credential_helper_is_coturns_algorithm():
    # A fixed vector (from `openssl dgst -sha1 -hmac north -binary | base64`), so a change
    # of encoding (hex, url-safe base64, a trailing newline) cannot pass on both sides.
    assert ice.turn_credential("north", "1700000000:a-x") == coturn_password(
        "north", "1700000000:a-x"
    )
    assert ice.turn_credential("north", "1700000000:a-x") == "2JyDh+854MQ23iiYK8LfByc5ul8="


def test_a_shorter_lifetime_and_relay_only_come_from_the_settings(settings, with_turn):
    configure(settings, TURN_TTL_SECONDS=60, ICE_POLICY="relay")
    frame = ice.ice_frame("a", NOW_MS)
    assert frame.policy == "relay"
    assert frame.expires == (NOW_MS // 1000 + 60) * 1000


def test_every_frame_has_its_own_credential(with_turn):
    first, second = (ice.ice_frame("a", NOW_MS).ice_servers[1] for _ in range(2))
    assert first["username"] != second["username"]
    assert first["credential"] != second["credential"]


def test_the_secret_never_leaves_the_server(with_turn):
    text = outgoing.text(ice.ice_frame("a", NOW_MS))
    assert SECRET not in text
    assert base64.b64encode(SECRET.encode()).decode() not in text
    assert set(ice.ice_frame("a", NOW_MS).ice_servers[1]) == {"urls", "username", "credential"}


# --- against a real coturn ------------------------------------------------------------------


@pytest.fixture
def coturn(tmp_path):
    if turn.skip_reason():
        pytest.skip(turn.skip_reason())
    with turn.TurnServer(tmp_path, secret=SECRET) as server:
        yield server


def test_coturn_grants_a_relay_for_the_credential_stay_issued(coturn, settings):
    configure(settings, TURN_URLS=[coturn.url], TURN_SECRET=SECRET, TURN_TTL_SECONDS=60)
    relay = ice.ice_frame("a", int(time.time() * 1000)).ice_servers[-1]
    assert coturn.allocate(relay["username"], relay["credential"]) == 0, coturn.log()[-2000:]


def test_coturn_refuses_an_expired_credential_and_a_forged_one(coturn, settings):
    configure(settings, TURN_URLS=[coturn.url], TURN_SECRET=SECRET, TURN_TTL_SECONDS=60)
    # Issued two minutes ago with a one-minute lifetime: ended a minute ago.
    expired = ice.ice_frame("a", int(time.time() * 1000) - 120_000).ice_servers[-1]
    assert coturn.allocate(expired["username"], expired["credential"]) == 401

    fresh = ice.ice_frame("b", int(time.time() * 1000)).ice_servers[-1]
    later = f"{int(time.time()) + 86_400}:{fresh['username'].partition(':')[2]}"
    # Pushing the expiry out without the secret: the old password no longer matches.
    assert coturn.allocate(later, fresh["credential"]) == 401
    other = ice.turn_credential("not-the-secret-0123456789", fresh["username"])
    assert coturn.allocate(fresh["username"], other) == 401
