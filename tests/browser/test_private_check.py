"""The private check before joining: only for this partner, nothing sent, a quick way out."""

from __future__ import annotations

from playwright.sync_api import expect

NEUTRAL = "https://www.bbc.com/weather"


def test_quick_exit_leaves_no_trace_in_the_tab_history(server, new_page, create_session):
    code = create_session()
    page = new_page()
    page.route("https://www.bbc.com/**", lambda route: route.fulfill(body="<title>Weather</title>"))
    page.goto(f"{server.url}/")
    page.goto(f"{server.url}/j/{code}/")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    expect(page.get_by_label("What name should your partner see?")).to_be_hidden()
    page.get_by_role("button", name="Leave this page quickly").click()
    page.wait_for_url(NEUTRAL)
    page.go_back()
    assert page.url == f"{server.url}/"
    assert posts == []


def test_saying_not_now_sends_nothing_and_offers_help(server, new_page, create_session):
    code = create_session()
    page = new_page()
    page.goto(f"{server.url}/j/{code}/")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.get_by_role("button", name="Not right now").click()
    expect(page.get_by_text("That's completely all right")).to_be_visible()
    expect(page.locator("#private-check").get_by_role("link")).to_have_attribute(
        "href", "https://findahelpline.com/"
    )
    expect(page.get_by_label("What name should your partner see?")).to_be_hidden()
    page.wait_for_timeout(300)
    assert posts == []
