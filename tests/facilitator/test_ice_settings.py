"""Call settings: the STUN/TURN servers a deployment names, checked before anyone joins a call.

A browser refuses a whole peer connection for one malformed ICE URL, and a TURN server
without its secret issues no working credential: either would surface only as a call
that never connects. These stop the process at start-up with the variable named.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured

from facilitator.env import ice_settings
from tests.facilitator.test_settings import REPO, run_python

SECRET = "a-turn-secret-long-enough-0123"
TURN = {"STAY_TURN_URLS": "turn:turn.example.org:3478?transport=udp", "STAY_TURN_SECRET": SECRET}


def test_nothing_configured_means_host_candidates_only():
    assert ice_settings({}) == {
        "STUN_URLS": [],
        "TURN_URLS": [],
        "TURN_SECRET": "",
        "TURN_TTL_SECONDS": 3600,
        "ICE_POLICY": "all",
    }


def test_a_full_configuration_is_read_as_written():
    env = {
        "STAY_STUN_URLS": "stun:stun.example.org:3478, stuns:stun.example.org",
        "STAY_TURN_URLS": "turn:[2001:db8::1]:3478?transport=udp,turns:turn.example.org:5349"
        "?transport=tcp,turn:192.0.2.7",
        "STAY_TURN_SECRET": f"  {SECRET}  ",
        "STAY_TURN_TTL_SECONDS": "600",
        "STAY_ICE_POLICY": "Relay",
    }
    assert ice_settings(env) == {
        "STUN_URLS": ["stun:stun.example.org:3478", "stuns:stun.example.org"],
        "TURN_URLS": [
            "turn:[2001:db8::1]:3478?transport=udp",
            "turns:turn.example.org:5349?transport=tcp",
            "turn:192.0.2.7",
        ],
        "TURN_SECRET": SECRET,
        "TURN_TTL_SECONDS": 600,
        "ICE_POLICY": "relay",
    }


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"STAY_STUN_URLS": "stun.example.org:3478"}, ["STAY_STUN_URLS", "stun: or stuns:"]),
        ({"STAY_STUN_URLS": "turn:turn.example.org"}, ["STAY_STUN_URLS", "stun: or stuns:"]),
        ({"STAY_STUN_URLS": "stun://stun.example.org"}, ["STAY_STUN_URLS", "without //"]),
        ({"STAY_STUN_URLS": "stun:stun.example.org?transport=udp"}, ["after the host"]),
        ({"STAY_STUN_URLS": "stun::3478"}, ["host name"]),
        ({**TURN, "STAY_TURN_URLS": "stun:stun.example.org"}, ["STAY_TURN_URLS", "turn: or"]),
        ({**TURN, "STAY_TURN_URLS": "https://turn.example.org"}, ["STAY_TURN_URLS"]),
        ({**TURN, "STAY_TURN_URLS": "turn:turn.example.org:99999"}, ["65535"]),
        ({**TURN, "STAY_TURN_URLS": "turn:turn.example.org:port"}, ["65535"]),
        ({**TURN, "STAY_TURN_URLS": "turn:turn.example.org?transport=sctp"}, ["transport=udp"]),
        ({**TURN, "STAY_TURN_URLS": "turn:user:pw@turn.example.org"}, ["no user name"]),
        ({**TURN, "STAY_TURN_URLS": "turn:turn.example .org"}, ["no spaces"]),
        ({**TURN, "STAY_TURN_URLS": "turn:[2001:db8::1"}, ["host name"]),
        ({**TURN, "STAY_TURN_TTL_SECONDS": "59"}, ["STAY_TURN_TTL_SECONDS", "at least 60"]),
        ({**TURN, "STAY_TURN_TTL_SECONDS": "86401"}, ["STAY_TURN_TTL_SECONDS", "at most 86400"]),
        ({**TURN, "STAY_TURN_TTL_SECONDS": "1h"}, ["STAY_TURN_TTL_SECONDS", "whole number"]),
        ({"STAY_ICE_POLICY": "direct"}, ["STAY_ICE_POLICY", "all, relay", "'direct'"]),
        ({**TURN, "STAY_TURN_SECRET": "short"}, ["STAY_TURN_SECRET", "at least 16"]),
    ],
)
def test_a_mistyped_call_setting_names_the_variable_and_what_is_wrong(env, words):
    with pytest.raises(ImproperlyConfigured) as refused:
        ice_settings(env)
    for word in words:
        assert word in str(refused.value)


@pytest.mark.parametrize(
    "env",
    [
        {"STAY_TURN_URLS": "turn:turn.example.org"},
        {"STAY_TURN_URLS": "turn:turn.example.org", "STAY_TURN_SECRET": "   "},
        {"STAY_TURN_SECRET": SECRET},
        {"STAY_TURN_SECRET": SECRET, "STAY_TURN_URLS": " , "},
    ],
)
def test_a_turn_server_needs_both_its_urls_and_its_secret(env):
    with pytest.raises(ImproperlyConfigured) as refused:
        ice_settings(env)
    assert "STAY_TURN_URLS" in str(refused.value)
    assert "STAY_TURN_SECRET" in str(refused.value)


def test_relay_only_without_a_turn_server_is_refused_rather_than_no_call_at_all():
    with pytest.raises(ImproperlyConfigured) as refused:
        ice_settings({"STAY_ICE_POLICY": "relay", "STAY_STUN_URLS": "stun:stun.example.org"})
    assert "STAY_ICE_POLICY=relay" in str(refused.value)
    assert "STAY_TURN_URLS" in str(refused.value)


def test_the_process_stops_at_start_up_on_a_half_configured_turn_server():
    result = run_python("import facilitator.settings", {"DEBUG": "1", "STAY_TURN_SECRET": SECRET})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "STAY_TURN_URLS" in result.stderr


def test_the_settings_carry_the_call_configuration():
    result = run_python(
        "import facilitator.settings as s;"
        " print(s.STAY['TURN_URLS'], s.STAY['TURN_TTL_SECONDS'], s.STAY['ICE_POLICY'])",
        {"DEBUG": "1", **TURN, "STAY_TURN_TTL_SECONDS": "120", "STAY_ICE_POLICY": "relay"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "['turn:turn.example.org:3478?transport=udp']",
        "120",
        "relay",
    ]


def test_the_readme_has_a_row_for_every_call_setting():
    readme = (REPO / "README.md").read_text()
    for name in (
        "STAY_STUN_URLS",
        "STAY_TURN_URLS",
        "STAY_TURN_SECRET",
        "STAY_TURN_TTL_SECONDS",
        "STAY_ICE_POLICY",
    ):
        assert f"\n| `{name}` |" in readme, name
    assert (REPO / "docs" / "turnserver.conf").read_text().count("\nuse-auth-secret\n") == 1
