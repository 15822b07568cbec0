"""Someone asks to be let in while both places are in use: the answer shows where a phone sees it.

The page that answers "Ask to be let in" is the same long page the button was on; on a
390 x 844 phone, a note at its foot sat below the fold, so the tap seemed to do nothing.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, SHORT, Person


def test_asking_while_both_are_here_is_answered_on_the_first_screen(server, partners, new_page):
    code, alex, sam = partners(SHORT)
    riley = Person(new_page(), "Riley")
    riley.page.goto(f"{server.url}/j/{code}/")
    riley.button("Ask to be let in").click()
    note = riley.page.get_by_role("status").filter(has_text="Both places are in use")
    expect(note).to_be_visible()
    box = note.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    expect(riley.page.locator("body")).not_to_contain_text("Alex")
    expect(sam.page.locator("#knock")).to_be_hidden()
    assert riley.errors == []
