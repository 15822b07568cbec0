"""Dana's couple forms and Alex's CSI-4 page hold together on a 390 px phone.

A newcomer found the two partner name fields of "Add a couple" at different widths, the
"How many times a week" field tiny and unstyled, and on the CSI-4 page each question
running over its card's top border. Measured in the browser, as a person would see them.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, Person, sign_in
from tests.browser.couple_weeks_support import add_couple, open_link_and_join, start_hosted


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def test_dana_s_forms_and_alex_s_questions_fit_a_phone(server, browser, counselor):
    username = counselor("dana")
    phone = browser.new_context(viewport=PHONE)
    phone.set_default_timeout(10_000)
    dana = Person(phone.new_page(), "Dana")
    sign_in(dana.page, server, username)

    dana.page.get_by_role("navigation", name="Counselor").get_by_role(
        "link", name="Couples"
    ).click()
    dana.page.get_by_role("link", name="Add a couple").click()
    first, second = (
        _box(dana.page.get_by_label(label)) for label in ("First partner", "Second partner")
    )
    assert first["width"] == second["width"] and first["width"] > 300, (first, second)

    link = add_couple(dana.page, server)
    times = _box(dana.page.get_by_label("How many times a week"))
    assert times["height"] >= 44 and times["width"] >= 100, times

    start_hosted(dana, dana.page.url)
    other_phone = browser.new_context(viewport=PHONE)
    alex = Person(other_phone.new_page(), "Alex")
    open_link_and_join(alex, link, first_time=True)
    items = alex.page.locator("fieldset.measure-item")
    expect(items).to_have_count(4)
    for index in range(4):
        card, question = _box(items.nth(index)), _box(items.nth(index).locator("legend"))
        # The question starts below the card's top border and stays inside its sides.
        assert question["y"] >= card["y"] + 1, (index, card, question)
        assert (
            card["x"] < question["x"]
            and question["x"] + question["width"] < card["x"] + card["width"]
        )
    for context in (phone, other_phone):
        context.close()
