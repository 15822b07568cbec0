"""Two small things people noticed in the room (issue 18, item 7).

The check-in's intensity starts with no value: an untouched slider says "not set" (to a
screen reader too), sends no intensity, and both screens show that answer without
"of 10"; a moved one can be taken back to no value. And when a flooding break's time is
up, the pause screen says so gently at that moment on the server clock, with the soft
sound and the short vibration only for the person who turned them on.
"""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import SHORT

# Runs before any page script: records the vibrations asked for and the tones started,
# instead of buzzing or sounding on the test machine.
CUES = """
(() => {
  window.__vibrations = [];
  Object.defineProperty(navigator, "vibrate", {
    configurable: true,
    value: (pattern) => { window.__vibrations.push(pattern); return true; },
  });
  window.__tones = [];
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  const create = Ctx.prototype.createOscillator;
  Ctx.prototype.createOscillator = function () {
    const osc = create.call(this);
    const start = osc.start.bind(osc);
    osc.start = (when) => { window.__tones.push(osc.frequency.value); start(when); };
    return osc;
  };
})();
"""

BREAK_OVER_AFTER_MS = 6000
BREAK_OVER = "Your break's time is up. There's no rush — carry on when you both feel ready."


def break_ends_soon(page) -> None:
    """Every state frame this page receives has its flooding break end a few seconds in."""

    def route(ws):
        server = ws.connect_to_server()

        def from_server(message):
            frame = json.loads(message)
            pause = frame.get("state", {}).get("pause") if frame.get("type") == "state" else None
            if pause and pause.get("break_ends_at"):
                pause["break_ends_at"] = pause["since"] + BREAK_OVER_AFTER_MS
            ws.send(json.dumps(frame))

        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/ws/sessions/"), route)


def answer_card(person, who: str):
    """The check-in answer card headed `who` on this person's screen."""
    return person.page.locator("#checkin-answers .answer").filter(
        has=person.page.locator(".answer-who", has_text=re.compile(f"^{who}$"))
    )


def test_an_untouched_intensity_is_sent_as_none_and_read_without_a_number(partners):
    """Alex leaves the slider alone: it says "not set" (its aria-valuetext too), the
    checkin action carries no intensity, and both screens read Alex's answer without
    "of 10". Sam moves it by keyboard, takes it back with "Leave it unset", and sets it
    again: Sam's answer keeps its number."""
    _, alex, sam = partners(SHORT)
    alex.button("Begin together").click()
    expect(alex.title()).to_have_text("Arriving")

    slider = alex.page.get_by_role("slider", name=re.compile("^How strongly"))
    expect(alex.page.locator("#intensity-out")).to_have_text("not set")
    expect(slider).to_have_attribute("aria-valuetext", "not set")
    expect(alex.button("Leave it unset")).to_be_hidden()
    alex.page.get_by_label("Safe and connected").check()
    alex.button("Share how I am").click()
    expect(alex.page.locator("#checkin-wait")).to_contain_text("Waiting for Sam to check in")
    sent = [f for f in alex.sent if f.get("type") == "action" and f.get("action") == "checkin"]
    assert sent and "intensity" not in sent[-1]["args"], sent

    # Sam, by keyboard: one step right sets it; "Leave it unset" takes it back.
    sam_slider = sam.page.get_by_role("slider", name=re.compile("^How strongly"))
    sam.page.get_by_label("On edge").check()
    sam_slider.focus()
    sam_slider.press("ArrowRight")
    expect(sam.page.locator("#intensity-out")).to_have_text("6")
    expect(sam_slider).not_to_have_attribute("aria-valuetext", re.compile("."))
    sam.button("Leave it unset").click()
    expect(sam.page.locator("#intensity-out")).to_have_text("not set")
    expect(sam_slider).to_have_attribute("aria-valuetext", "not set")
    expect(sam_slider).to_be_focused()
    expect(sam.button("Leave it unset")).to_be_hidden()
    sam_slider.press("ArrowLeft")
    expect(sam.page.locator("#intensity-out")).to_have_text("4")
    sam.button("Share how I am").click()

    for person in (alex, sam):
        mine = "You" if person is alex else "Alex"
        expect(answer_card(person, mine).locator(".answer-what")).to_have_text("Safe and connected")
        theirs = "Sam" if person is alex else "You"
        expect(answer_card(person, theirs).locator(".answer-what")).to_have_text("On edge, 4 of 10")
    answers = alex.states()[-1]["checkins"]["0"]
    assert answers["a"].get("intensity") is None
    assert answers["b"]["intensity"] == 4


def test_the_break_over_line_comes_at_its_time_with_only_the_chosen_cues(partners):
    """Alex's break ends six seconds in (the snapshot's break_ends_at, rewritten): the
    pause screen shows the server's break_over_line then, says it politely, and plays
    the soft tone and vibration Alex turned on. Sam's twenty minutes are not up: no line,
    no cue. Alex's choices stay on this device across a reload."""
    _, alex, sam = partners(SHORT, alex_init_script=CUES, sam_init_script=CUES)
    break_ends_soon(alex.page)
    alex.page.reload()
    alex.page.wait_for_selector("#room[data-version]")
    alex.button("Begin together").click()
    expect(alex.title()).to_have_text("Arriving")
    alex.page.get_by_role("button", name="It's too much — I need a longer break").click()
    expect(alex.title()).to_have_text("Taking a pause")

    note = alex.page.locator("#break .break-over")
    expect(note).to_be_hidden()
    # The countdown keeps to the same end as the over-line (break_ends_at, not a guess).
    expect(alex.page.locator("#break-timer")).to_have_text(re.compile(r"^0:0\d left$"))
    alex.page.get_by_label("Gentle sound when a break's time is up").check()
    alex.page.get_by_label("Vibrate when a break's time is up").check()
    assert alex.page.evaluate("window.__tones.length + window.__vibrations.length") == 0

    expect(note).to_have_text(BREAK_OVER, timeout=BREAK_OVER_AFTER_MS + 4000)
    expect(note).to_be_visible()
    # Time's up is said once, by the server's line: the countdown says nothing of its own.
    expect(alex.page.locator("#break-timer")).to_have_text("")
    expect(alex.page.locator("#break .break-timer")).to_be_hidden()
    # (The frames Person records are the server's own, before the rewrite.)
    ends = alex.states()[-1]["pause"]["since"] + BREAK_OVER_AFTER_MS
    shown_at = alex.page.evaluate("window.stayRoom.clock.serverNow()")
    assert shown_at >= ends, (shown_at, ends)
    expect(alex.page.locator("#live")).to_contain_text(BREAK_OVER)
    alex.page.wait_for_function("window.__tones.length >= 2")
    assert alex.page.evaluate("window.__tones") == [330, 262]
    assert alex.page.evaluate("window.__vibrations") == [[60, 120, 60]]

    # Sam's break runs on (twenty minutes): nothing said, nothing sounded.
    expect(sam.title()).to_have_text("Taking a pause")
    expect(sam.page.locator("#break-timer")).to_contain_text(re.compile(r"^(20:00|19:\d\d) left$"))
    expect(sam.page.locator("#break .break-over")).to_be_hidden()
    assert sam.page.evaluate("window.__tones.length + window.__vibrations.length") == 0
    expect(sam.page.get_by_label("Gentle sound when a break's time is up")).not_to_be_checked()

    # Reopened after the moment: the line is there, but not called out again.
    alex.page.reload()
    alex.page.wait_for_selector("#room[data-version]")
    expect(alex.page.locator("#break .break-over")).to_have_text(BREAK_OVER)
    expect(alex.page.locator("#break .break-timer")).to_be_hidden()
    expect(alex.page.get_by_label("Gentle sound when a break's time is up")).to_be_checked()
    expect(alex.page.get_by_label("Vibrate when a break's time is up")).to_be_checked()
    assert alex.page.evaluate("window.__tones.length + window.__vibrations.length") == 0
