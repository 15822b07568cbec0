"""Fixtures for tests that drive real Chromium windows against a live Daphne server.

pytest-django's live_server cannot serve WebSockets, so one Daphne process (with
its own database) serves the whole browser suite. Playwright's sync API runs an
event loop in this thread, so these tests reach the database only through
`manage.py` subprocesses (`server.manage(...)`), never through Django's ORM.

Fixtures other browser tests can use: `server`, `browser`, `new_page`,
`create_session(protocol) -> code`, `partners(protocol) -> (alex, sam)` (both
seated in the room), and the `Person` helper.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.personas import PASSWORD
from tests.support.servers import DaphneServer, fresh_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
PROTOCOLS = Path(__file__).parent / "protocols"
SHORT = "browser-short"
BREATHE_SYNC = "browser-breathe-sync"


# On every page: when the person last clicked, and when the room first showed each
# status, in this machine's real time, so timing checks exclude Playwright's own overhead.
WATCH = """
window.__clickedAt = null;
window.__statusAt = {};
document.addEventListener("click", () => { window.__clickedAt = Date.now(); }, true);
document.addEventListener("DOMContentLoaded", () => {
  const room = document.getElementById("room");
  if (!room) return;
  new MutationObserver(() => {
    window.__statusAt[room.dataset.status] = Date.now();
  }).observe(room, { attributes: true, attributeFilter: ["data-status"] });
});
"""


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM}")
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(skip)


def live_server(tmp_path_factory, name: str, env: dict, protocols: list[Path]):
    """A live Daphne on a fresh database with `protocols` loaded; yields it, then stops it."""
    tmp = tmp_path_factory.mktemp(name)
    with fresh_database(tmp) as database_url:
        srv = DaphneServer(database_url, log_path=tmp / "daphne.log", env=env)
        for path in protocols:
            srv.manage("load_protocol_file", str(path))
        srv.start()
        try:
            yield srv
        finally:
            srv.stop()


def quick_grace_server(tmp_path_factory, name: str):
    """A server whose presence grace is one second, so a closed phone lapses quickly.

    For a module that overrides the package's `server`: everywhere else a phone that
    locks for a few seconds must not count as gone.
    """
    yield from live_server(
        tmp_path_factory, name, {"STAY_PRESENCE_GRACE_SECONDS": "1"}, [PROTOCOLS / "short.toml"]
    )


@pytest.fixture(scope="package")
def server(tmp_path_factory):
    """One live Daphne with a fresh database, the built-ins and the test protocols loaded."""
    # Every person in these tests comes from 127.0.0.1, so the per-address join limit
    # would soon stand between the suite's strangers and its couples; the limit has its
    # own tests (tests/web/test_join_limits.py, tests/web/test_seat_attacks.py).
    yield from live_server(
        tmp_path_factory,
        "browser",
        {"STAY_JOIN_RATE_PER_MINUTE": "100000"},
        sorted(PROTOCOLS.glob("*.toml")),
    )


# Package scope, not session: while Playwright's sync API is running it keeps an
# event loop in this thread, which would break every async test collected after
# this package.
@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Person:
    """One partner's browser window: their page, and every frame their socket received."""

    def __init__(self, page, name: str):
        self.page = page
        self.name = name
        self.frames: list[dict] = []
        self.sent: list[dict] = []
        self.errors: list[str] = []
        page.on("websocket", self._watch)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _watch(self, ws) -> None:
        def received(payload):
            try:
                self.frames.append(json.loads(payload))
            except (TypeError, ValueError):
                self.frames.append({"type": "unparsed", "payload": payload})

        ws.on("framereceived", received)
        ws.on("framesent", lambda payload: self.sent.append(json.loads(payload)))

    def states(self) -> list[dict]:
        return [f["state"] for f in self.frames if f.get("type") == "state"]

    def join(self, join_url: str) -> None:
        """Through the link: the private check, then the name; lands in the room."""
        page = self.page
        page.goto(join_url)
        page.get_by_role("button", name="Yes, now is good").click()
        page.get_by_label("What name should your partner see?").fill(self.name)
        page.get_by_role("button", name="Join the session").click()
        page.wait_for_url("**/s/*/")
        page.wait_for_selector("#room[data-version]")

    def check_in(self, feeling: str, intensity: int, word: str = "") -> None:
        page = self.page
        page.get_by_label(feeling).check()
        page.get_by_label("How strongly").fill(str(intensity))
        if word:
            page.get_by_label("One word for it").fill(word)
        self.button("Share how I am").click()

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def title(self):
        return self.page.locator("#title")

    def status(self) -> str:
        return self.page.locator("#room").get_attribute("data-status")


@pytest.fixture
def new_page(browser):
    """Open a page in its own browser context (its own cookies: a separate phone)."""
    contexts = []

    def open_page(*, init_script: str | None = None, reduced_motion: str = "no-preference"):
        context = browser.new_context(viewport=PHONE, reduced_motion=reduced_motion)
        context.set_default_timeout(10_000)
        context.add_init_script(WATCH)
        if init_script:
            context.add_init_script(init_script)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def create_session(server):
    def create(protocol: str = SHORT, counselor: str | None = None) -> str:
        args = ["create_session", "--protocol", protocol, "--base-url", server.url]
        if counselor:
            args += ["--counselor", counselor]
        return server.manage_json(*args)["code"]

    return create


@pytest.fixture
def partners(server, new_page, create_session):
    """Alex and Sam, each on their own phone, both seated in a new room."""

    def seat(
        protocol: str = SHORT,
        *,
        alex_init_script: str | None = None,
        sam_init_script: str | None = None,
        reduced_motion: str = "no-preference",
    ):
        code = create_session(protocol)
        alex = Person(new_page(init_script=alex_init_script, reduced_motion=reduced_motion), "Alex")
        sam = Person(new_page(init_script=sam_init_script, reduced_motion=reduced_motion), "Sam")
        alex.join(f"{server.url}/j/{code}/")
        sam.join(f"{server.url}/j/{code}/")
        return code, alex, sam

    return seat


@pytest.fixture
def counselor(server, monkeypatch):
    """A fresh counselor account on the live server, made with the management command."""

    def make(name: str) -> str:
        username = f"{name}-{uuid.uuid4().hex[:6]}"
        monkeypatch.setenv("STAY_TEST_COUNSELOR_PASSWORD", PASSWORD)
        out = server.manage(
            "create_counselor", username, "--password-from-env", "STAY_TEST_COUNSELOR_PASSWORD"
        )
        assert "Created counselor" in out
        return username

    return make


def sign_in(page, server, username: str) -> None:
    """The counselor's sign-in, ending on her dashboard."""
    page.goto(f"{server.url}/counselor/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
