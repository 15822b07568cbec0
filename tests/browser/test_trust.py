"""Trust in the room (issue 13): moving on needs both, a new device needs the partner's yes,
a quick way out on every partner page, and Pause one key away."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.browser.conftest import SHORT, Person, sign_in

NEUTRAL = "https://www.bbc.com/weather"
EITHER = "browser-either"


def arrive_checked_in(alex: Person, sam: Person) -> None:
    alex.button("Begin together").click()
    alex.check_in("Safe and connected", 3)
    sam.check_in("On edge", 5)
    for person in (alex, sam):
        expect(person.button("Continue")).to_be_visible()


def moving_on(person: Person):
    return person.page.locator("#moving-on")


def knock(server, code: str, seat: str, knock_id: str) -> None:
    """Someone on a new device asks for `seat` (the server's input, as the join page sends it)."""
    args = json.dumps({"seat": seat, "id": knock_id})
    server.manage(
        "shell",
        "-c",
        f"from sessions.store import rooms; rooms.submit({code!r}, 'server', 'knock', {args})",
    )


def catch_up(*people: Person) -> None:
    """The change was written by another process: let each page sync now, not in 10 s."""
    for person in people:
        person.page.evaluate("window.stayRoom.socket.sync()")


def test_alex_waits_for_sam_can_take_his_tap_back_and_sam_s_tap_moves_both(partners):
    code, alex, sam = partners(SHORT)
    arrive_checked_in(alex, sam)

    # Alex is ready first: only Alex's screen waits; Sam is told calmly, and nothing moves.
    alex.button("Continue").click()
    expect(moving_on(alex)).to_have_text("Waiting for Sam…")
    expect(alex.button("Continue")).to_be_hidden()
    expect(alex.button("Not yet")).to_be_focused()
    expect(moving_on(sam)).to_have_text("Alex is ready to move on. Take the time you need.")
    for person in (alex, sam):
        expect(person.title()).to_have_text("Arriving")

    # Alex takes it back: both screens are as before.
    alex.button("Not yet").click()
    expect(alex.button("Continue")).to_be_visible()
    expect(alex.button("Not yet")).to_be_hidden()
    expect(moving_on(alex)).to_have_text("")
    expect(moving_on(sam)).to_have_text("")
    assert [f["action"] for f in alex.sent if f.get("type") == "action"][-2:] == ["next", "not_yet"]

    # A pause on top keeps Alex's tap; after it, Sam's tap moves both of them on.
    alex.button("Continue").click()
    expect(moving_on(sam)).to_contain_text("Alex is ready to move on")
    sam.page.locator("#pause-btn").click()
    for person in (alex, sam):
        expect(person.title()).to_have_text("Taking a pause")
        person.button("I'm ready to continue").click()
    expect(moving_on(alex)).to_have_text("Waiting for Sam…")
    expect(alex.title()).to_have_text("Arriving")
    sam.button("Continue").click()
    for person in (alex, sam):
        expect(person.title()).to_have_text("Breathe together")
    assert alex.errors == [] and sam.errors == []


def test_alex_is_asked_before_a_new_device_continues_as_sam(server, partners):
    code, alex, sam = partners(SHORT)
    alex.button("Begin together").click()
    expect(alex.title()).to_have_text("Arriving")

    knock(server, code, "b", "knock-one")
    catch_up(alex, sam)
    dialog = alex.page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_accessible_name(
        "Someone wants to continue as Sam on a new device. Is that Sam?"
    )
    expect(alex.page.locator("#knock-question")).to_be_focused()
    # Sam's own screen is never asked about Sam.
    expect(sam.page.locator("#knock")).to_be_hidden()
    assert all(state["knock"] is None for state in sam.states())

    # Alex is not sure, and says no with the keyboard alone.
    alex.page.keyboard.press("Tab")
    alex.page.keyboard.press("Tab")
    expect(alex.button("No")).to_be_focused()
    alex.page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(alex.page.locator("#knock-note")).to_have_text(
        "Thank you. Nobody new was let in; Sam's place stays as it is."
    )
    let_in = [f for f in alex.sent if f.get("action") == "let_in"]
    assert let_in[-1]["args"] == {"id": "knock-one", "answer": "no"}
    assert alex.states()[-1]["knock"]["answer"] == "no"

    # A second knock, while Alex is typing a word: the field keeps its focus; Alex says yes.
    alex.page.get_by_label("One word for it").click()
    knock(server, code, "b", "knock-two")
    catch_up(alex)
    expect(dialog).to_be_visible()
    expect(alex.page.get_by_label("One word for it")).to_be_focused()
    alex.button("Yes, let them in").click()
    expect(dialog).to_be_hidden()
    let_in = [f for f in alex.sent if f.get("action") == "let_in"]
    assert let_in[-1]["args"] == {"id": "knock-two", "answer": "yes"}
    assert alex.errors == [] and sam.errors == []


def test_dana_is_asked_too_and_her_answer_closes_sam_s_question(
    server, new_page, counselor, create_session
):
    dana_name = counselor("dana")
    code = create_session(SHORT, counselor=dana_name)
    dana, alex, sam = (Person(new_page(), name) for name in ("Dana", "Alex", "Sam"))
    sign_in(dana.page, server, dana_name)
    dana.page.goto(f"{server.url}/s/{code}/")
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    expect(dana.page.locator("#presence")).to_contain_text("Sam is here")

    knock(server, code, "a", "dana-knock")
    catch_up(dana, sam)
    question = "Someone wants to continue as Alex on a new device. Is that Alex?"
    for person in (dana, sam):
        expect(person.page.get_by_role("alertdialog")).to_have_accessible_name(question)
    expect(dana.page.locator("#knock-question")).to_be_focused()
    dana.button("Yes, let them in").click()
    expect(dana.page.locator("#knock-note")).to_have_text(
        "Thank you. Alex can carry on from the new device."
    )
    catch_up(sam)
    expect(sam.page.locator("#knock")).to_be_hidden()
    expect(sam.page.locator("#knock-note")).to_have_text("Alex can carry on from a new device.")
    for person in (dana, alex, sam):
        assert person.errors == [], person.errors


def test_escape_twice_leaves_the_room_for_a_neutral_page(server, partners):
    code, alex, sam = partners(SHORT)
    page = alex.page
    page.route("https://www.bbc.com/**", lambda route: route.fulfill(body="<title>Weather</title>"))
    alex.button("Begin together").click()
    expect(alex.title()).to_have_text("Arriving")
    expect(page.locator("#keys")).to_contain_text("Esc twice leaves quickly")

    # Once is not enough (Escape is pressed for many reasons); twice, even mid-word, is.
    page.get_by_label("One word for it").fill("tired")
    page.keyboard.press("Escape")
    page.wait_for_timeout(1600)  # longer than the moment that makes two presses a pair
    assert page.url == f"{server.url}/s/{code}/"
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)


def test_the_pause_screen_and_the_summary_have_the_quick_exit_too(server, partners):
    code, alex, sam = partners(SHORT)
    for person in (alex, sam):
        person.page.route(
            "https://www.bbc.com/**", lambda route: route.fulfill(body="<title>Weather</title>")
        )
    alex.button("Begin together").click()
    sam.page.locator("#pause-btn").click()
    expect(sam.title()).to_have_text("Taking a pause")
    sam.page.get_by_role("button", name="Leave quickly").click()
    sam.page.wait_for_url(NEUTRAL)

    alex.page.goto(f"{server.url}/s/{code}/summary/")
    exit_button = alex.page.get_by_role("button", name="Leave quickly")
    expect(exit_button).to_have_accessible_description(
        "Opens a neutral website in place of this page, and Back won't return here."
        " You can also press Escape twice."
    )
    alex.page.keyboard.press("Escape")
    alex.page.keyboard.press("Escape")
    alex.page.wait_for_url(NEUTRAL)


def test_p_pauses_from_anywhere_in_the_room_but_types_in_the_word_field(partners):
    code, alex, sam = partners(SHORT)
    alex.button("Begin together").click()
    page = alex.page
    expect(alex.title()).to_have_text("Arriving")
    pause = page.get_by_role("button", name="Pause", exact=True)
    expect(pause).to_have_attribute("aria-keyshortcuts", "P Alt+P")
    expect(pause).to_have_accessible_description(
        "Stops the session for both of you until you're both ready again."
        " Shortcut: press P, or Alt+P while typing."
    )

    # In the word field, P is a letter.
    word = page.get_by_label("One word for it")
    word.click()
    page.keyboard.type("peaceful")
    expect(word).to_have_value("peaceful")
    page.wait_for_timeout(300)
    assert alex.status() == "active"

    # Alt+P pauses even there.
    page.keyboard.press("Alt+P")
    expect(sam.title()).to_have_text("Taking a pause")
    for person in (alex, sam):
        person.button("I'm ready to continue").click()
    for person in (alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "active")

    # Elsewhere, P alone is enough (here from the radio buttons of the ladder).
    page.get_by_label("On edge").check()
    page.keyboard.press("p")
    expect(sam.page.locator("#room")).to_have_attribute("data-status", "paused")
    expect(sam.page.locator("#pause-line")).to_have_text(
        "Alex asked for a pause. This time is for you too."
    )
    # On the pause screen P does nothing more (there is no second pause to ask for).
    page.keyboard.press("p")
    page.wait_for_timeout(300)
    assert [f.get("action") for f in alex.sent].count("pause") == 2
    assert alex.errors == [] and sam.errors == []


def test_a_step_marked_either_moves_on_at_one_tap_and_the_next_waits_for_both(partners):
    code, alex, sam = partners(EITHER)
    alex.button("Begin together").click()
    expect(sam.page.locator("#turn")).to_have_text(
        "When you're both ready, either of you can move on."
    )
    alex.button("Continue").click()
    for person in (alex, sam):
        expect(person.title()).to_have_text("Together")
    expect(sam.page.locator("#turn")).to_have_text(
        "Take your time. You'll move on together once you've both said you're ready."
    )
    sam.button("Continue").click()
    expect(moving_on(sam)).to_have_text("Waiting for Alex…")
    expect(moving_on(alex)).to_have_text("Sam is ready to move on. Take the time you need.")
    alex.button("Continue").click()
    for person in (alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "completed")
    assert alex.errors == [] and sam.errors == []
