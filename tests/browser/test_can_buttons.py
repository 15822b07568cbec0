"""The room's buttons follow the server's ``can``: the page keeps no rule of its own.

Three ways of showing it in real Chromium windows: each person's visible action buttons equal
their snapshot's ``can`` at every moment of a session (a couple, then a counselor's room);
a ``can`` rewritten on its way to the page moves the buttons with it, whatever the role, while
the server still refuses what it refuses; and the flooding break shows the minutes the server
sends rather than a number kept in the page.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHORT, Person, sign_in

# On every page: the latest `can` the room rendered (the page announces each state after
# drawing it), and which actions the person is offered on screen right now.
BUTTONS = """
window.__stayCan = null;
document.addEventListener("stay:state", (event) => {
  window.__stayCan = event.detail.state.can;
});
window.__stayShown = () => {
  const seen = (el) => Boolean(el) && el.checkVisibility();
  const shown = new Set();
  for (const el of document.querySelectorAll("#room [data-act]")) {
    // "Yes, end it" sits in the confirmation that "End session" opens.
    if (el.dataset.act !== "end" && seen(el)) shown.add(el.dataset.act);
  }
  if (seen(document.getElementById("pause-btn"))) shown.add("pause");
  if (seen(document.getElementById("end-ask"))) shown.add("end");
  if (seen(document.getElementById("checkin-form"))) shown.add("checkin");
  if (seen(document.getElementById("knock"))) shown.add("let_in");
  // The counselor's desk: her message form, and "Resume for both" wherever it sits.
  if (seen(document.getElementById("desk-message-form"))) shown.add("say");
  for (const el of document.querySelectorAll('#room [data-desk="resume"]')) {
    if (seen(el)) shown.add("resume");
  }
  return [...shown].sort();
};
window.__stayButtons = () => ({
  can: window.__stayCan === null ? null : [...window.__stayCan].sort(),
  shown: window.__stayShown(),
  flooded: (document.getElementById("flooded-btn") || {}).hidden === false,
});
"""


def offered(person: Person, *expected: str) -> None:
    """Wait until the room has rendered a state whose ``can`` is ``expected``, then check the
    buttons on screen are exactly those (and the flooding pause goes with the pause)."""
    want = sorted(expected)
    try:
        person.page.wait_for_function(
            "(want) => { const b = window.__stayButtons();"
            " return b.can !== null && b.can.join() === want.join()"
            " && b.shown.join() === want.join() && b.flooded === want.includes('pause'); }",
            arg=want,
            timeout=20_000,  # the breathing step ends by itself, after about ten seconds
        )
    except Exception:
        got = person.page.evaluate("window.__stayButtons()")
        pytest.fail(f"{person.name}: wanted can and buttons {want}, page has {got}")


def person(new_page, name: str, init_script: str = "") -> Person:
    return Person(new_page(init_script=BUTTONS + init_script), name)


def test_each_partners_buttons_are_their_can_through_a_session(server, new_page, create_session):
    code = create_session(SHORT)
    alex, sam = person(new_page, "Alex"), person(new_page, "Sam")
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    for partner in (alex, sam):
        offered(partner, "start", "end")

    alex.button("Begin together").click()
    for partner in (alex, sam):
        offered(partner, "checkin", "pause", "end")
    alex.check_in("Safe and connected", 3)
    offered(alex, "pause", "end")
    offered(sam, "checkin", "pause", "end")
    sam.check_in("On edge", 5)
    for partner in (alex, sam):
        offered(partner, "next", "pause", "end")

    # Alex says ready to move on: "Not yet" takes the place of "Continue".
    alex.button("Continue").click()
    offered(alex, "not_yet", "pause", "end")
    offered(sam, "next", "pause", "end")

    alex.page.locator("#pause-btn").click()
    for partner in (alex, sam):
        offered(partner, "ready", "end")
    alex.button("I'm ready to continue").click()
    offered(alex, "end")
    sam.button("I'm ready to continue").click()
    offered(alex, "not_yet", "pause", "end")

    sam.button("Continue").click()
    for partner in (alex, sam):
        offered(partner, "sit_out", "pause", "end")
    sam.button("I'll sit this one out").click()
    offered(sam, "pause", "end")
    offered(alex, "sit_out", "pause", "end")

    # The breathing ends by itself; Alex has the floor.
    offered(alex, "done", "pause", "end")
    offered(sam, "pause", "end")
    alex.button("I'm done speaking").click()
    offered(sam, "done", "pause", "end")
    offered(alex, "pause", "end")
    sam.button("I've said what I heard").click()
    offered(alex, "answer", "pause", "end")
    offered(sam, "pause", "end")
    expect(alex.button("Not quite")).to_be_visible()

    alex.page.locator("#end-ask").click()
    alex.page.get_by_role("button", name="Yes, end it").click()
    for partner in (alex, sam):
        offered(partner)
        assert not partner.errors, partner.errors


def test_the_counselors_buttons_are_her_can_and_she_may_call_a_longer_break(
    server, new_page, counselor, create_session
):
    dana_name = counselor("dana")
    code = create_session(SHORT, counselor=dana_name)
    dana = person(new_page, "Dana")
    alex, sam = person(new_page, "Alex"), person(new_page, "Sam")
    sign_in(dana.page, server, dana_name)
    dana.page.goto(f"{server.url}/s/{code}/")
    dana.page.wait_for_selector("#room[data-version]")
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    offered(dana, "start", "end", "say")
    for partner in (alex, sam):
        offered(partner, "end")  # in a hosted session the counselor begins

    dana.button("Begin together").click()
    offered(dana, "skip", "pause", "end", "say")  # no "Back one step" on the first step
    offered(alex, "checkin", "pause", "end")
    dana.button("Skip this step").click()
    offered(dana, "skip", "back", "pause", "end", "say")

    # The engine takes a flooding pause from the counselor too, so her page offers it; the
    # words say she called a longer break for the couple, not that she is flooded.
    dana.page.get_by_role("button", name="Call a longer break (flooding)").click()
    # Both partners are here, so she may also resume for both (after a confirmation).
    offered(dana, "end", "say", "resume")
    for partner in (alex, sam):
        offered(partner, "ready", "end")
        expect(partner.page.locator("#break")).to_be_visible()
        expect(partner.page.locator("#pause-line")).to_have_text(
            "Your counselor called a longer break."
        )
        expect(partner.page.locator("#break-note")).to_contain_text(
            "A break of at least 20 minutes gives you both time to settle."
        )
    expect(dana.page.locator("#pause-line")).to_have_text(
        "You called a longer break for Alex and Sam."
    )
    expect(dana.page.locator("#break-note")).to_have_text(
        "A break of at least 20 minutes gives Alex and Sam time to settle."
        " The room carries on once they have both said they're ready."
    )
    expect(dana.page.locator("#screen-pause")).not_to_contain_text("flooded")
    assert alex.states()[-1]["pause"]["reason"] == "flooding"
    for someone in (dana, alex, sam):
        assert not someone.errors, someone.errors


def rewrite_state_frames(page, change) -> None:
    """Let ``change(state)`` alter every state frame the room's socket receives."""

    def route(ws):
        server = ws.connect_to_server()

        def from_server(message):
            frame = json.loads(message)
            if frame.get("type") == "state":
                change(frame["state"])
            ws.send(json.dumps(frame))

        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/ws/sessions/"), route)


def test_a_rewritten_can_moves_the_buttons_and_the_server_still_decides(
    server, new_page, create_session
):
    code = create_session(SHORT)
    alex, sam = person(new_page, "Alex"), person(new_page, "Sam")

    def for_alex(state):
        # No pause and no "Continue" for Alex; a counselor's skip instead.
        can = [action for action in state["can"] if action not in ("pause", "next")]
        state["can"] = can + ["skip"] if state["status"] == "active" else can

    rewrite_state_frames(alex.page, for_alex)
    alex.join(f"{server.url}/j/{code}/")
    sam.join(f"{server.url}/j/{code}/")
    alex.button("Begin together").click()
    alex.check_in("Safe and connected", 3)
    sam.check_in("On edge", 5)

    offered(sam, "next", "pause", "end")
    offered(alex, "skip", "end")
    expect(alex.page.locator("#pause-btn")).to_be_hidden()
    expect(alex.page.locator("#flooded-btn")).to_be_hidden()
    alex.page.locator("#title").press("p")  # the shortcut pauses only through the button
    assert alex.status() == "active"

    # The page shows what `can` says; the server still refuses a partner's skip.
    alex.button("Skip this step").click()
    expect(alex.page.locator("#error")).to_have_text("Only the counselor can do that.")
    assert sam.status() == "active"
    expect(sam.title()).to_have_text("Arriving")


def test_the_flooding_break_says_the_minutes_the_server_sends(server, partners):
    """A room set up with another break than twenty minutes says so, and not "20": the
    timer counts the server's minutes and the note is the server's own words."""
    _, alex, sam = partners(SHORT)

    def five_minutes_long_ago(state):
        pause = state.get("pause")
        if pause and pause["reason"] == "flooding":
            pause["suggest_break_minutes"] = 5
            pause["since"] -= 6 * 60_000
            pause["break_ends_at"] = pause["since"] + 5 * 60_000
            pause["break_note"] = pause["break_note"].replace("20 minutes", "5 minutes")

    rewrite_state_frames(alex.page, five_minutes_long_ago)
    alex.page.reload()
    alex.page.wait_for_selector("#room[data-version]")
    alex.button("Begin together").click()
    alex.page.get_by_role("button", name="It's too much — I need a longer break").click()

    expect(alex.page.locator("#break")).to_contain_text("A break of at least 5 minutes")
    # Its time is up: the server's over-line says so, once; the countdown says nothing more.
    expect(alex.page.locator("#break .break-over")).to_have_text(
        "Your break's time is up. There's no rush — carry on when you both feel ready."
    )
    expect(alex.page.locator("#break-timer")).to_have_text("")
    expect(alex.page.locator("#break .break-timer")).to_be_hidden()
    # Sam's page shows the room's own setting, the default of twenty minutes.
    expect(sam.page.locator("#break")).to_contain_text(
        "Feeling flooded is a body's signal, not anyone's failure."
        " A break of at least 20 minutes lets it settle, for both of you."
    )
    expect(sam.page.locator("#break-timer")).to_contain_text(re.compile(r"^(20:00|19:\d\d) left$"))
