"""What Dana, Alex and Sam do with their hands in the two-weeks walk (`test_couple_weeks.py`).

Every step goes through the pages, as a person would: Dana adds the couple, gives them
practice and starts sessions from the couple's page; Alex and Sam come in through their
standing link, answer the CSI-4 and take part in the room; practice runs with no
counselor, so the couple walks every step of the short test protocol themselves. The
screenshot script (`make_screenshots.shoot_couple`) builds its couple with the same
helpers, so the picture shows what the test walked through.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import SHORT, Person

DESK = {"width": 1280, "height": 900}
PRACTICE_TITLE = "Short practice"
WHO_HEADING = "Which of you is this?"
NAME_FIELD = "What name should your partner see?"

# The CSI-4 choices, one label per item (in order). Totals: the sum of the choices' places.
ALEX_WEEK_1 = ("Fairly unhappy", "Almost completely true", "Somewhat", "Mostly")  # 1+4+2+3 = 10
SAM_WEEK_1 = ("Very happy", "Completely true", "Almost completely", "Completely")  # 4+5+4+5 = 18
ALEX_WEEK_2 = ("Happy", "Almost completely true", "Mostly", "Almost completely")  # 3+4+3+4 = 14
SAM_WEEK_2 = ("Extremely happy", "Completely true", "Completely", "Completely")  # 5+5+5+5 = 20


def traces_of(text: str, words: tuple[str, ...]) -> list[str]:
    """Which of `words` appear in `text` (case-sensitive: "Completely true" is not
    "Almost completely true")."""
    return [word for word in words if word in text]


# --- Dana, on the couple's page -----------------------------------------------------------


def add_couple(page: Page, server, *, note: str = "") -> str:
    """From her dashboard to a new couple "Alex"/"Sam" with the CSI-4 on; their standing link."""
    page.get_by_role("navigation", name="Counselor").get_by_role("link", name="Couples").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Couples")
    page.get_by_role("link", name="Add a couple").click()
    page.get_by_label("First partner").fill("Alex")
    page.get_by_label("Second partner").fill("Sam")
    if note:
        page.get_by_label("Private note (optional)").fill(note)
    page.get_by_label("Ask each partner the CSI-4 privately before a hosted session").check()
    page.get_by_role("button", name="Add the couple").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex and Sam")
    expect(page.locator(".meta").first).to_contain_text("CSI-4 before hosted sessions: on")
    link = page.get_by_label("Link for Alex and Sam").input_value()
    assert re.fullmatch(rf"{re.escape(server.url)}/c/[^/]+/", link), link
    expect(page.locator("#standing-link .qr svg")).to_be_visible()
    return link


def give_practice(page: Page, times: int = 3, note: str = "after dinner works well") -> None:
    page.get_by_label("Practice", exact=True).select_option(SHORT)
    page.get_by_label("How many times a week").fill(str(times))
    page.get_by_label("A word for the couple (optional)").fill(note)
    page.get_by_role("button", name="Give this practice").click()
    expect(page.locator("#practice-current")).to_contain_text(
        f"{PRACTICE_TITLE}, {times} times a week: done 0 of {times} this week"
    )


def start_hosted(dana: Person, couple_url: str) -> str:
    """Dana starts a hosted session from the couple's page and opens her host view; its code."""
    page = dana.page
    page.goto(couple_url)
    page.locator("#start-session").get_by_label("Protocol").select_option(SHORT)
    page.get_by_role("button", name="Start a session with Alex and Sam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share this session")
    page.get_by_role("link", name="Open the host view").click()
    page.wait_for_selector("#room[data-version]")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def skip_to_closing(dana: Person) -> None:
    """Dana's "Skip this step" until the closing check-in, one step per click.

    Each click waits for the step line ("Step 3 of 7: …") to change: only her skip moves a
    hosted room on, so nothing is left in flight to land after the loop reads the line
    (the room's version also moves with a late check-in or a presence change).
    """
    line = dana.page.locator("#progress-text")
    while not (before := line.text_content() or "").endswith(": Closing check-in"):
        dana.page.locator("#host-panel").get_by_role("button", name="Skip this step").click()
        expect(line).not_to_have_text(before)


def close_hosted(dana: Person, alex: Person, sam: Person, words: tuple[str, str]) -> None:
    """From wherever the room is: Dana skips to the closing check-in, both answer, she ends it."""
    skip_to_closing(dana)
    alex.check_in("Safe and connected", 7, words[0])
    sam.check_in("Safe and connected", 6, words[1])
    expect(dana.page.locator("#checkin-wait")).to_contain_text("Alex and Sam have both checked in")
    dana.button("Move on").click()
    for person in (dana, alex, sam):
        expect(person.page.locator("#room")).to_have_attribute("data-status", "completed")


# --- Alex and Sam, through their standing link ----------------------------------------------


def now_is_good(page: Page, button: str) -> None:
    """The private question comes first, every time; `button` shows only after "yes"."""
    expect(page.locator("#private-check")).to_contain_text(
        "Is now a safe and good time for you to do this together?"
    )
    expect(page.get_by_role("button", name=button)).to_be_hidden()
    page.get_by_role("button", name="Yes, now is good").click()
    expect(page.get_by_role("button", name=button)).to_be_focused()


def open_link_and_join(person: Person, link: str, *, first_time: bool) -> str:
    """The standing link's "Join the session"; the first time, "I'm <name>". Lands on the CSI-4.

    The second week this browser remembers who it is: no question, no name to type (the
    POST answers with a redirect, so the page that shows next is the measure's).
    """
    page = person.page
    page.goto(link)
    expect(page.get_by_role("heading", name="Your counselor has started a session")).to_be_visible()
    now_is_good(page, "Join the session")
    page.get_by_role("button", name="Join the session").click()
    if first_time:
        expect(page.get_by_role("heading", level=1)).to_have_text(WHO_HEADING)
        page.get_by_role("button", name=f"I'm {person.name}").click()
    page.wait_for_url("**/s/*/measure/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Four short questions first")
    return page.url.rstrip("/").split("/")[-2]


def answer_csi4(person: Person, choices: tuple[str, ...], other: str) -> None:
    """Four private answers; the page says the other partner never sees them."""
    page = person.page
    expect(page.locator(".lead")).to_contain_text(
        f"Only your counselor sees your answers — {other} never does."
    )
    # Nothing is chosen for them, whatever the other partner answered.
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)
    items = page.locator("fieldset.measure-item")
    for index, label in enumerate(choices):
        items.nth(index).get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/s/*/")
    page.wait_for_selector("#room[data-version]")


# --- Practice between sessions: the whole short protocol, no counselor -----------------------


def start_practice(starter: Person, joiner: Person, link: str) -> str:
    """`starter` presses Start on the standing link; `joiner` sees it there and joins."""
    starter.page.goto(link)
    expect(starter.page.get_by_role("heading", level=1)).to_have_text("Nothing right now")
    now_is_good(starter.page, f"Start {PRACTICE_TITLE}")
    starter.page.get_by_role("button", name=f"Start {PRACTICE_TITLE}").click()
    starter.page.wait_for_url("**/s/*/")
    starter.page.wait_for_selector("#room[data-version]")
    code = starter.page.url.rstrip("/").rsplit("/", 1)[-1]
    joiner.page.goto(link)
    running = joiner.page.locator(".standing-running")
    expect(running).to_contain_text(f"{starter.name} started {PRACTICE_TITLE}.")
    joiner.page.get_by_role("button", name="Yes, now is good").click()
    running.get_by_role("button", name="Join").click()
    joiner.page.wait_for_url(f"**/s/{code}/")
    joiner.page.wait_for_selector("#room[data-version]")
    for person in (starter, joiner):
        expect(person.page.locator("#presence")).to_contain_text(
            f"{(joiner if person is starter else starter).name} is here"
        )
    return code


def _both_continue(alex: Person, sam: Person) -> None:
    for person in (alex, sam):
        person.button("Continue").click()


def _speak_and_mirror(speaker: Person, listener: Person) -> None:
    expect(speaker.title()).to_have_text("Share an appreciation", timeout=20_000)
    expect(speaker.page.locator("#turn")).to_contain_text("You have the floor")
    speaker.button("I'm done speaking").click()
    expect(listener.title()).to_have_text("Mirror it back")
    starter = listener.page.locator("#starter")
    listener.button("I've said what I heard").click()
    expect(starter).to_have_text("Did I get it?")
    speaker.button("Yes, that's it").click()
    expect(starter).to_have_text("That makes sense, because…")
    listener.button("I've said what makes sense").click()
    expect(starter).to_have_text("I imagine you might feel…")
    listener.button("I've said how I imagine it feels").click()


def practise(alex: Person, sam: Person, words: dict[str, tuple[str, str]]) -> None:
    """Alex and Sam, seated, walk the short protocol to its end: `words` = first/last word each."""
    alex.button("Begin together").click()
    for person in (alex, sam):
        expect(person.title()).to_have_text("Arriving")
    alex.check_in("Safe and connected", 5, words["Alex"][0])
    sam.check_in("On edge", 4, words["Sam"][0])
    expect(alex.page.locator("#checkin-answers")).to_contain_text(words["Sam"][0])
    _both_continue(alex, sam)
    _speak_and_mirror(alex, sam)
    _speak_and_mirror(sam, alex)
    expect(alex.title()).to_have_text("Closing check-in")
    alex.check_in("Safe and connected", 3, words["Alex"][1])
    sam.check_in("Safe and connected", 2, words["Sam"][1])
    expect(sam.page.locator("#checkin-answers")).to_contain_text(words["Alex"][1])
    _both_continue(alex, sam)
    for person in (alex, sam):
        expect(person.title()).to_have_text("You've finished")
        expect(person.page.locator("#summary")).to_contain_text(words["Alex"][1])


def share_with_counselor(person: Person, other: str) -> None:
    """The finished room offers "Share this practice with our counselor"; the tick lands on
    the summary page, which says it stays private until both have ticked."""
    page = person.page
    offer = page.locator("#summary #share")
    expect(offer).to_contain_text(f"{other} isn't told what you chose.")
    offer.get_by_role("button", name="Share this practice with our counselor").click()
    page.wait_for_url("**/s/*/summary/")
    expect(page.locator("#share [role=status]")).to_have_text(
        re.compile(
            rf"You've chosen to share\. It's shared only if {other} chooses to as well\."
            r"|Shared with your counselor\..*"
        )
    )


def csi4_words(total: int) -> str:
    """How the counselor's page writes a total (`history.measure_words`)."""
    return f"{total} of 21" + (", below 13.5" if total < 13.5 else "")
