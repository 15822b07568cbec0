"""Stay on a phone's home screen: the manifest is valid, the worker installs, and offline
a person sees the calm offline page, never a stored session page.

Alex adds Stay to her phone: what she installs is named "Stay", has the icons a browser
asks for, opens standalone, and keeps only the app shell. When her connection drops on
the way back into a room, the room's address shows the offline page.
"""

from __future__ import annotations

import contextlib
import struct

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, Person

OFFLINE_WORDS = "You're offline — your session is safe and will carry on when you're back."


def _png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n", "an icon must be a PNG"
    return struct.unpack(">II", body[16:24])


def test_the_manifest_names_stay_opens_standalone_and_lists_real_icons(server, new_page):
    """Every field an install prompt needs is there, and each icon is a PNG of its size."""
    page = new_page()
    page.goto(f"{server.url}/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    response = page.request.get(f"{server.url}{href}")
    assert response.ok
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] == "Stay" and manifest["short_name"] == "Stay"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["theme_color"].startswith("#")
    sizes = {}
    for icon in manifest["icons"]:
        body = page.request.get(f"{server.url}{icon['src']}").body()
        width, height = _png_size(body)
        assert f"{width}x{height}" == icon["sizes"], icon
        sizes.setdefault(icon["purpose"], set()).add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes["any"]
    assert "512x512" in sizes["maskable"]


def test_the_worker_installs_and_offline_a_page_shows_the_calm_offline_page(server, new_page):
    """Once installed, losing the network on a navigation brings the offline page."""
    page = new_page()
    page.goto(f"{server.url}/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # the worker now controls the page
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    page.context.set_offline(True)
    try:
        page.goto(f"{server.url}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_WORDS)
        assert page.title() == "Stay"
        # The shell's styles came from the cache: the page is laid out, not bare.
        assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"
    finally:
        page.context.set_offline(False)


def test_a_room_is_never_stored_offline_it_shows_the_offline_page(server, new_page, create_session):
    """Alex's room page is not in any cache; offline, its address shows the offline page."""
    code = create_session()
    alex = Person(new_page(), "Alex")
    alex.join(f"{server.url}/j/{code}/")
    page = alex.page
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_selector("#room[data-version]")
    stored = page.evaluate(
        """async () => {
            const urls = [];
            for (const key of await caches.keys()) {
              const cache = await caches.open(key);
              for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
            }
            return urls;
        }"""
    )
    assert stored, "the worker keeps the app shell"
    assert not [url for url in stored if url.startswith(("/s/", "/j/", "/c/", "/w/"))], stored
    assert all(url.startswith(("/static/", "/jsi18n/", "/offline/")) for url in stored), stored
    page.context.set_offline(True)
    try:
        page.goto(f"{server.url}/s/{code}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_WORDS)
        assert code not in page.content()
    finally:
        page.context.set_offline(False)


def _offline_home(server, new_page):
    """A page under the worker, offline, showing the offline page at the home address."""
    page = new_page()
    page.goto(f"{server.url}/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.context.set_offline(True)
    page.goto(f"{server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_WORDS)
    return page


def test_back_online_the_offline_page_reloads_by_itself(server, new_page):
    """When the browser says it is online again, the page Alex wanted comes back unasked."""
    page = _offline_home(server, new_page)
    page.context.set_offline(False)
    # Chromium may fire `online` for an emulated network itself (the page is then already
    # reloading and the script below has nowhere to run); else say it, as a phone would.
    with contextlib.suppress(PlaywrightError):
        page.evaluate("setTimeout(() => window.dispatchEvent(new Event('online')), 0)")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(OFFLINE_WORDS)


def test_try_again_now_reloads_the_address_the_offline_page_stands_at(server, new_page):
    """Sam taps "Try again now": the page asks the network again for the address it stands
    at (still offline here, so the offline page comes back, freshly loaded)."""
    page = _offline_home(server, new_page)
    page.evaluate("window.__before_the_tap = true")
    page.get_by_role("button", name="Try again now").click()
    reloaded = False
    for _ in range(50):  # up to ~5 s: the mark is gone once the page has loaded again
        with contextlib.suppress(PlaywrightError):
            reloaded = page.evaluate("window.__before_the_tap === undefined")
        if reloaded:
            break
        page.wait_for_timeout(100)
    assert reloaded, "the tap reloads the page"
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_WORDS)
    assert page.url == f"{server.url}/"
    page.context.set_offline(False)


def test_offline_sam_reads_the_offline_page_in_the_language_he_chose_for_his_room(
    server, browser, create_session
):
    """Sam's phone asks for English; he reads his room in Spanish, so offline is Spanish."""
    from tests.browser.bilingual_support import spanish
    from tests.browser.test_bilingual_room import join_in_spanish

    context = browser.new_context(viewport=PHONE, locale="es-ES")
    context.set_default_timeout(10_000)
    try:
        sam = Person(context.new_page(), "Sam")
        code = create_session()
        join_in_spanish(sam, f"{server.url}/j/{code}/")
        page = sam.page
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # under the worker now, which notes the room's language
        page.wait_for_selector("#room[data-version]")
        assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
        context.set_offline(True)
        page.goto(f"{server.url}/s/{code}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(spanish(OFFLINE_WORDS))
        assert page.locator("html").get_attribute("lang") == "es"
    finally:
        context.close()
