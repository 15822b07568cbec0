"""Deleting asks the other partner, and each is told on the screen they already have open.

Tried as a couple would: nobody reloads. Alex asks to delete from the room and lands on the
summary page; Sam, still in the room, sees Alex's request appear and is told that a yes now
deletes it. Sam says "keep it" on the summary page and Alex's open summary shows that; Alex
asks again, Sam's open summary offers the answer, Sam says yes, and Alex's open page then
says, in words, that the session was deleted because they both agreed.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import SHORT

# The summary looks again every 4 s (static/js/summary-watch.js); allow two looks and more.
LIVE = 12_000


def test_each_partner_sees_the_other_s_answer_about_deleting_without_reloading(server, partners):
    code, alex, sam = partners(SHORT)
    alex.button("Begin together").click()
    expect(sam.title()).to_have_text("Arriving")
    alex.button("End session").click()
    alex.button("Yes, end it").click()
    expect(sam.title()).to_have_text("The session has ended")

    alex.button("Delete this session's data").click()
    alex.button("Yes, delete it").click()
    alex.page.wait_for_url(f"**/s/{code}/summary/")
    expect(alex.page.locator("#deleting")).to_contain_text("as soon as Sam agrees")

    # Sam's room, untouched: the request appears, and the room's own question says what a yes does now.
    expect(sam.page.locator("#summary")).to_contain_text(
        "Alex would like to delete this session.", timeout=LIVE
    )
    expect(sam.page.locator("#presence")).to_contain_text("Alex has left the room")
    sam.button("Delete this session's data").click()
    expect(sam.page.locator("#delete-question")).to_contain_text("already asked to delete it")
    expect(sam.button("Not now")).to_be_visible()
    sam.button("Not now").click()

    sam.page.get_by_role("link", name="Other choices").click()
    sam.button("Keep it").click()
    expect(alex.page.get_by_text("Sam would like to keep this session for now.")).to_be_visible(
        timeout=LIVE
    )

    alex.button("Ask to delete this session").click()
    expect(sam.button("Delete it for both of you")).to_be_visible(timeout=LIVE)
    sam.button("Delete it for both of you").click()
    expect(sam.page.get_by_role("status")).to_contain_text("This session's data has been deleted")
    expect(alex.page.locator("h1")).to_have_text("This session was deleted", timeout=LIVE)
    expect(alex.page.locator("body")).to_contain_text("You both agreed to delete it")
    assert alex.errors == [] and sam.errors == []
