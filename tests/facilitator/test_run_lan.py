"""`make run` and `make run LAN=1`: what is served, and which address links carry.

Nothing here sends network traffic: the machine's addresses are given to the
chooser, and the start-up script runs with `--dry-run`.
"""

import re
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from facilitator import serve
from tests.facilitator.test_settings import BASE_ENV, REPO

LAN_ADDRESS = "192.168.1.20"


def plan(**environ):
    return serve.plan(environ, find_address=lambda: LAN_ADDRESS)


def test_plain_make_run_serves_this_computer_only_and_links_carry_the_request_host():
    current = plan()
    assert (current.host, current.port) == ("127.0.0.1", 8000)
    assert current.local_url == "http://127.0.0.1:8000"
    assert current.public_url == ""


@pytest.mark.parametrize("environ", [{"LAN": "1"}, {"HOST": "0.0.0.0"}, {"LAN": "yes", "HOST": ""}])
def test_lan_serves_every_interface_and_links_carry_this_machine_s_lan_address(environ):
    current = plan(**environ)
    assert current.host == "0.0.0.0"
    assert current.public_url == f"http://{LAN_ADDRESS}:8000"
    assert current.local_url == "http://127.0.0.1:8000"


def test_a_port_and_a_chosen_public_address_are_kept():
    current = plan(LAN="1", PORT="8080", STAY_PUBLIC_URL="http://10.0.0.7:8080/")
    assert current.port == 8080
    assert current.public_url == "http://10.0.0.7:8080"


def test_binding_one_lan_address_hands_out_that_address():
    assert plan(HOST="192.168.1.33").public_url == "http://192.168.1.33:8000"


@pytest.mark.parametrize(
    ("environ", "complaint"),
    [
        ({"PORT": "eighty"}, "PORT must be a port number from 1 to 65535; got 'eighty'"),
        ({"PORT": "0"}, "PORT must be a port number from 1 to 65535"),
        ({"PORT": "65536"}, "PORT must be a port number from 1 to 65535"),
        ({"LAN": "please"}, "LAN must be one of 1/0"),
        ({"HOST": "my laptop"}, "HOST must be an IP address"),
        ({"LAN": "1", "HOST": "127.0.0.1"}, "is this computer only"),
        ({"LAN": "1", "STAY_PUBLIC_URL": "192.168.1.20"}, "STAY_PUBLIC_URL must be an address"),
    ],
)
def test_a_mistake_in_the_run_variables_is_named(environ, complaint):
    with pytest.raises(ImproperlyConfigured, match=re.escape(complaint)):
        plan(**environ)


def test_a_machine_without_a_lan_address_says_what_to_do():
    with pytest.raises(ImproperlyConfigured, match="STAY_PUBLIC_URL=http://"):
        serve.plan({"LAN": "1"}, find_address=lambda: "")


def test_the_home_network_address_is_chosen_over_loopback_and_container_bridges():
    candidates = ["127.0.1.1", "172.17.0.1", "fd00::2", "169.254.3.4", "10.1.2.3", "192.168.1.20"]
    assert serve.choose_address(candidates) == "192.168.1.20"
    assert serve.choose_address(["172.17.0.1", "10.1.2.3"]) == "10.1.2.3"
    assert serve.choose_address(["127.0.0.1", "not an address", "::1"]) == ""


def test_finding_the_lan_address_opens_no_socket(monkeypatch):
    def no_sockets(*args, **kwargs):
        raise AssertionError("finding the LAN address must not open a socket")

    monkeypatch.setattr(serve.socket, "socket", no_sockets)
    monkeypatch.setattr(serve.socket, "gethostname", lambda: "laptop")
    monkeypatch.setattr(
        serve.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("127.0.1.1", 0))]
    )
    monkeypatch.setattr(
        serve.subprocess,
        "run",
        lambda *a, **k: subprocess.CompletedProcess(
            a, 0, stdout="172.17.0.1 192.168.1.20 fd00::2\n"
        ),
    )
    monkeypatch.setattr(serve.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(serve.sys, "platform", "linux")
    assert serve.lan_address() == "192.168.1.20"


def test_on_a_mac_the_wi_fi_address_is_read_from_ipconfig(monkeypatch):
    asked = []

    def ipconfig(command, **kwargs):
        asked.append(command[1:])
        out = "10.0.0.12\n" if command[-1] == "en0" else ""
        return subprocess.CompletedProcess(command, 0 if out else 1, stdout=out)

    monkeypatch.setattr(serve.socket, "getaddrinfo", lambda *a, **k: [])
    monkeypatch.setattr(serve.shutil, "which", lambda name: f"/usr/sbin/{name}")
    monkeypatch.setattr(serve.subprocess, "run", ipconfig)
    monkeypatch.setattr(serve.sys, "platform", "darwin")
    assert serve.lan_address() == "10.0.0.12"
    assert asked == [["getifaddr", "en0"], ["getifaddr", "en1"]]


def run_script(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "facilitator.serve", "--dry-run"],
        cwd=REPO,
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_run_prints_the_phone_address_and_hands_it_to_the_app():
    result = run_script(
        {"HOST": "0.0.0.0", "PORT": "8123", "STAY_PUBLIC_URL": "http://192.168.1.20:8123"}
    )
    assert result.returncode == 0, result.stderr
    assert "On a phone on the same Wi-Fi, open http://192.168.1.20:8123/" in result.stdout
    assert "-b 0.0.0.0 -p 8123" in result.stdout
    assert "STAY_PUBLIC_URL=http://192.168.1.20:8123" in result.stdout


def test_make_run_with_a_bad_port_stops_before_serving_with_one_clear_line():
    result = run_script({"PORT": "80a"})
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "make run: PORT must be a port number from 1 to 65535; got '80a'"
    )
    assert "daphne" not in result.stdout


# --- The links themselves ------------------------------------------------------------


@pytest.fixture
def public_url(settings):
    settings.STAY = {**settings.STAY, "PUBLIC_URL": f"http://{LAN_ADDRESS}:8000"}
    cache.clear()
    yield settings.STAY["PUBLIC_URL"]
    cache.clear()


@pytest.mark.django_db
def test_alex_s_share_link_and_qr_carry_the_public_address_not_the_laptop_s(public_url):
    alex = Client()
    response = alex.post("/start/", {"protocol": "daily-checkin"})
    code = re.fullmatch(r"/new/([\w-]+)/", response["Location"]).group(1)
    page = alex.get(response["Location"]).content.decode()
    assert f'value="{public_url}/j/{code}/"' in page
    assert "testserver" not in page.split('id="join-link"')[1].split(">")[0]


@pytest.mark.django_db
def test_dana_s_share_page_carries_the_public_address(public_url, dana_client):
    response = dana_client.post("/counselor/sessions/new/", {"protocol": "daily-checkin"})
    page = dana_client.get(response["Location"]).content.decode()
    code = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert f'value="{public_url}/j/{code}/"' in page


@pytest.mark.django_db
def test_without_a_public_address_the_link_carries_the_host_the_page_was_asked_for():
    cache.clear()
    alex = Client()
    response = alex.post("/start/", {"protocol": "daily-checkin"})
    code = re.fullmatch(r"/new/([\w-]+)/", response["Location"]).group(1)
    assert f'value="http://testserver/j/{code}/"' in alex.get(response["Location"]).content.decode()
