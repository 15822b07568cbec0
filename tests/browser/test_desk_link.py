"""Dana's desk shows Alex and Sam's link as it is now, not as it was when the page loaded.

She hosts their session with the desk open; on the couple's page in another tab she
stops their link, then makes a new one. Each time she opens "Link, QR code and seats"
on the desk it shows what holds now: that the link is stopped, then the new link and
its QR code, never the old one that answers 410.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import Person, sign_in
from tests.browser.couple_weeks_support import DESK, add_couple, start_hosted


def test_the_desk_shows_the_couples_link_as_it_stands_each_time_the_fold_opens(
    server, browser, counselor
):
    username = counselor("dana")
    context = browser.new_context(viewport=DESK)
    context.set_default_timeout(10_000)
    dana = Person(context.new_page(), "Dana")
    sign_in(dana.page, server, username)
    old_link = add_couple(dana.page, server)
    couple_url = dana.page.url
    start_hosted(dana, couple_url)
    desk = dana.page
    fold = desk.get_by_text("Link, QR code and seats")
    fold.click()
    expect(desk.locator("#desk-share-link")).to_have_value(old_link)
    fold.click()  # folded again

    # In another tab she stops the link.
    couple_page = context.new_page()
    couple_page.goto(couple_url)
    couple_page.get_by_label("Yes, stop this link").check()
    couple_page.get_by_role("button", name="Stop the link").click()
    expect(couple_page.locator("#standing-link")).to_contain_text("have no link right now")

    fold.click()
    expect(desk.locator("#desk-share")).to_contain_text("Their link is stopped")
    expect(desk.locator("#desk-share-link")).to_have_count(0)
    fold.click()

    # A new link (nothing to confirm while none works): the desk offers that one, with its
    # QR code, and copying still works.
    couple_page.get_by_role("button", name="Make a new link").click()
    new_link = couple_page.get_by_label("Link for Alex and Sam").input_value()
    assert new_link != old_link
    fold.click()
    expect(desk.locator("#desk-share-link")).to_have_value(new_link)
    expect(desk.locator("#desk-share .qr svg")).to_be_visible()
    desk.locator("#desk-share").get_by_role("button", name="Copy").click()
    expect(desk.locator("#desk-share-link-status")).not_to_be_empty()
    assert not dana.errors, dana.errors
    context.close()
