"""Both themes, light and dark, read well everywhere, and the footer's choice is kept.

axe-core (from npm: package.json, installed by `make test`) checks every main screen
against WCAG 2 A/AA, colour contrast included, once with the device asking for light
and once for dark. The footer's "Theme" select overrides the device, is remembered by
this browser across a reload, and is on <html> before the page's body exists.
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHORT, Person, sign_in
from tests.browser.workshop_support import (
    console_button,
    create_workshop,
    join_by_word,
    seated,
    start_couple,
    tile,
)
from tests.support.servers import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
THEMES = ("light", "dark")
LIGHT_GROUND = "rgb(246, 244, 239)"  # stay.css --bg, light
DARK_GROUND = "rgb(22, 28, 30)"  # stay.css --bg, dark
GROUNDS = {"light": LIGHT_GROUND, "dark": DARK_GROUND}

# On every page, what <html data-theme> said when <body> first appeared (before any paint).
FIRST_BODY = """
window.__themeAtBody = "unseen";
new MutationObserver((changes, observer) => {
  if (!document.body) return;
  window.__themeAtBody = document.documentElement.getAttribute("data-theme") || "";
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""

RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "),
      why: (n.any.concat(n.all, n.none)[0] || {}).message || n.failureSummary,
    })),
  }));
}"""


@pytest.fixture
def axe_script():
    """axe-core's source, injected into every page of a context; skips when npm never ran."""
    if not AXE.exists():
        if os.environ.get("CI"):
            # CI installs npm and axe-core (.ci/run, make test): missing there is a failure.
            pytest.fail("axe-core is missing under CI: `npm ci` did not install it")
        pytest.skip(
            "axe-core is not installed (node_modules/axe-core): `make test` installs it with"
            " npm ci when npm is on this machine (apt-get install npm)"
        )
    return AXE.read_text()


def problems_in_both_themes(page, where: str) -> list[str]:
    """Every axe violation on this screen, as the device asks for light and then for dark.

    One readable line per failing element: where, which theme, the rule, the element and
    axe's own reason (for contrast: both colours and the ratio).
    """
    found = []
    try:
        for theme in THEMES:
            page.emulate_media(color_scheme=theme)
            assert ground(page) == GROUNDS[theme], f"{where}: not in the {theme} theme"
            for violation in page.evaluate(RUN_AXE):
                for node in violation["nodes"]:
                    found.append(
                        f"{where} [{theme}] {violation['id']} ({violation['help']}): "
                        f"{node['target']}: {node['why']}"
                    )
    finally:
        page.emulate_media(color_scheme="light")
    return found


def report(problems: list[str]) -> str:
    return f"{len(problems)} accessibility violation(s):\n" + "\n".join(problems)


def ground(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_home_and_the_way_into_a_room_read_well_in_both_themes(server, new_page, axe_script):
    """Home, the created page (link and QR code), the private check and the name form."""
    page = new_page(init_script=axe_script)
    problems = []
    page.goto(f"{server.url}/")
    problems += problems_in_both_themes(page, "home")
    page.locator("li.protocol", has_text="Short practice").get_by_role(
        "button", name="Start this one"
    ).click()
    page.get_by_role("link", name="Join on this device").wait_for()
    problems += problems_in_both_themes(page, "created")
    page.get_by_role("link", name="Join on this device").click()
    page.get_by_role("button", name="Yes, now is good").wait_for()
    problems += problems_in_both_themes(page, "private check")
    page.get_by_role("button", name="Yes, now is good").click()
    page.get_by_label("What name should your partner see?").wait_for()
    problems += problems_in_both_themes(page, "join form")
    assert not problems, report(problems)


def test_the_room_reads_well_in_both_themes_from_waiting_to_the_pause(
    server, new_page, create_session, axe_script
):
    """Waiting alone and together, a check-in before and after answering, breathing, a turn,
    a pause (for the one who asked and the other), ending, and the summary."""
    code = create_session(SHORT)
    alex = Person(new_page(init_script=axe_script), "Alex")
    sam = Person(new_page(init_script=axe_script), "Sam")
    problems = []
    alex.join(f"{server.url}/j/{code}/")
    expect(alex.page.locator("#room")).to_have_attribute("data-status", "waiting")
    problems += problems_in_both_themes(alex.page, "room, waiting alone")
    sam.join(f"{server.url}/j/{code}/")
    expect(alex.page.locator("#presence")).to_contain_text("Sam is here")
    problems += problems_in_both_themes(alex.page, "room, both here")

    alex.button("Begin together").click()
    expect(alex.title()).to_have_text("Arriving")
    problems += problems_in_both_themes(alex.page, "check-in")
    alex.check_in("Safe and connected", 3, "rested")
    sam.check_in("On edge", 6, "tired")
    expect(sam.page.locator("#checkin-answers")).to_contain_text("Safe and connected")
    problems += problems_in_both_themes(sam.page, "check-in answered")

    for person in (alex, sam):
        person.button("Continue").click()
    expect(alex.title()).to_have_text("Breathe together")
    expect(alex.page.locator("#pacer")).to_have_attribute("data-phase", "inhale", timeout=8000)
    problems += problems_in_both_themes(alex.page, "breathing")

    expect(alex.title()).to_have_text("Share an appreciation", timeout=20_000)
    problems += problems_in_both_themes(alex.page, "speaking turn")
    sam.button("It's too much — I need a longer break").click()
    expect(alex.title()).to_have_text("Taking a pause")
    alex.button("I'm ready to continue").click()
    expect(sam.title()).to_have_text("Taking a pause")
    problems += problems_in_both_themes(alex.page, "pause, ready")
    problems += problems_in_both_themes(sam.page, "pause, asked for it")

    sam.button("I'm ready to continue").click()
    expect(alex.page.locator("#room")).to_have_attribute("data-status", "active")
    alex.button("End session").click()
    expect(alex.page.get_by_text("End the session for both of you?")).to_be_visible()
    problems += problems_in_both_themes(alex.page, "ending, asked first")
    alex.button("Yes, end it").click()
    expect(alex.title()).to_have_text("The session has ended")
    problems += problems_in_both_themes(alex.page, "ended, the summary")
    assert not problems, report(problems)


def test_the_counselor_s_pages_read_well_in_both_themes(server, new_page, counselor, axe_script):
    """The sign-in, Dana's dashboard, the share page of a new session and her desk."""
    dana = Person(new_page(init_script=axe_script), "Dana")
    dana.page.set_viewport_size({"width": 1280, "height": 800})
    name = counselor("dana")
    dana.page.goto(f"{server.url}/counselor/login/")
    problems = problems_in_both_themes(dana.page, "sign-in")
    sign_in(dana.page, server, name)
    problems += problems_in_both_themes(dana.page, "dashboard")
    dana.page.get_by_label("Protocol").select_option(SHORT)
    dana.page.get_by_role("button", name="Create the session").click()
    expect(dana.page.get_by_role("heading", level=1)).to_have_text("Share this session")
    problems += problems_in_both_themes(dana.page, "share")
    dana.page.get_by_role("link", name="Open the host view").click()
    dana.page.wait_for_selector("#room[data-version]")
    expect(dana.page.locator("#host-panel")).to_be_visible()
    problems += problems_in_both_themes(dana.page, "desk")
    assert not problems, report(problems)


def test_a_workshop_reads_well_in_both_themes(server, new_page, counselor, axe_script):
    """The console with a paused room that raised a hand, and a partner's pairing card."""
    dana = Person(new_page(init_script=axe_script), "Dana")
    console = dana.page
    console.set_viewport_size({"width": 1280, "height": 900})
    sign_in(console, server, counselor("dana"))
    door = create_workshop(console, title="Evening for two", couples=4)
    problems = problems_in_both_themes(console, "console, empty")

    alex = Person(new_page(init_script=axe_script), "Alex")
    sam = Person(new_page(init_script=axe_script), "Sam")
    word = start_couple(alex, door)
    problems += problems_in_both_themes(alex.page, "workshop room, pairing card")
    join_by_word(sam, door, word)
    seated(alex, sam)
    console_button(console, "Start all rooms").click()
    expect(sam.title()).to_have_text("Before you begin")
    sam.button("Ask for help").click()
    alex.page.locator("#pause-btn").click()
    alex_and_sam = tile(console, "Alex and Sam")
    expect(alex_and_sam.get_by_text("Hand raised", exact=True)).to_be_visible()
    expect(alex_and_sam.locator(".tile-line")).to_contain_text("paused")
    problems += problems_in_both_themes(console, "console, paused with a hand raised")
    problems += problems_in_both_themes(sam.page, "workshop room, paused")
    assert not problems, report(problems)


BAR = 'meta[name="theme-color"]'


def test_the_footer_choice_overrides_the_device_and_is_kept_across_a_reload(server, new_page):
    """Dark chosen on a light device stays dark after a reload, from before the first paint;
    light chosen on a dark device stays light; "Follow this device" follows the device."""
    page = new_page(init_script=FIRST_BODY)
    blocked = []
    page.on(
        "console",
        lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(f"{server.url}/")
    choice = page.get_by_label("Theme", exact=True)
    expect(choice).to_be_visible()
    expect(choice).to_have_value("")
    assert ground(page) == LIGHT_GROUND

    choice.select_option("dark")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert ground(page) == DARK_GROUND
    page.reload()
    expect(page.get_by_label("Theme", exact=True)).to_have_value("dark")
    assert page.evaluate("window.__themeAtBody") == "dark"
    assert ground(page) == DARK_GROUND
    # The phone's browser bar is dark too, whatever the device prefers.
    assert set(page.eval_on_selector_all(BAR, "ms => ms.map(m => m.content)")) == {"#161c1e"}

    page.emulate_media(color_scheme="dark")
    page.get_by_label("Theme", exact=True).select_option("light")
    assert ground(page) == LIGHT_GROUND
    page.reload()
    assert page.evaluate("window.__themeAtBody") == "light"
    expect(page.get_by_label("Theme", exact=True)).to_have_value("light")
    assert ground(page) == LIGHT_GROUND

    page.get_by_label("Theme", exact=True).select_option("")
    expect(page.locator("html")).not_to_have_attribute("data-theme", "light")
    # Following the device again: each bar colour for its own preference.
    assert page.eval_on_selector_all(BAR, "ms => ms.map(m => m.content)") == ["#1d5c63", "#161c1e"]
    assert ground(page) == DARK_GROUND
    page.emulate_media(color_scheme="light")
    assert ground(page) == LIGHT_GROUND
    assert page.evaluate("localStorage.getItem('stay-theme')") is None
    assert blocked == []


def test_the_theme_choice_is_a_labelled_keyboard_control(server, new_page, axe_script):
    """Reached by Tab, changed with the arrow keys, named "Theme", its value announced;
    a dark page chosen this way on a light device passes axe too."""
    page = new_page(init_script=axe_script)
    page.goto(f"{server.url}/")
    choice = page.get_by_role("combobox", name="Theme")
    expect(choice).to_be_visible()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "theme-choice":
            break
    expect(choice).to_be_focused()
    page.keyboard.press("ArrowDown")  # "Light"
    page.keyboard.press("ArrowDown")  # "Dark"
    expect(choice).to_have_value("dark")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(choice.locator("option:checked")).to_have_text("Dark")
    violations = page.evaluate(RUN_AXE)
    assert violations == [], report(
        [
            f"home [dark by choice] {v['id']}: {n['target']}: {n['why']}"
            for v in violations
            for n in v["nodes"]
        ]
    )
