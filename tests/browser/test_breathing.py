"""Breathing in step on two phones whose clocks disagree, and a pacer anyone can calm."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import BREATHE_SYNC

TOLERANCE_MS = 50
SHIFT_MS = 5000

# Runs before any page script: keeps the real clock reachable for the test, then
# (on the shifted phone) moves both clocks a page can read five seconds ahead.
CLOCK = """
(() => {
  const realOrigin = performance.timeOrigin;
  window.__realNow = () => realOrigin + performance.now();
  const shift = %d;
  if (shift) {
    const realDateNow = Date.now.bind(Date);
    Date.now = () => realDateNow() + shift;
    Object.defineProperty(performance, "timeOrigin", {
      get: () => realOrigin + shift, configurable: true,
    });
  }
  // One record per animation frame in which the pacer redrew: its estimate of
  // server time, the phase it showed, and the real time it did so.
  window.__frames = [];
  document.addEventListener("DOMContentLoaded", () => {
    const pacer = document.getElementById("pacer");
    if (!pacer) return;
    new MutationObserver(() => {
      window.__frames.push({
        server: Number(pacer.dataset.serverMs),
        phase: pacer.dataset.phase,
        real: window.__realNow(),
      });
    }).observe(pacer, { attributes: true, attributeFilter: ["data-server-ms"] });
  });
})();
"""

PHASES = ("inhale", "hold_in", "exhale", "hold_out")


def phase_at(schedule: dict, server_ms: float) -> str:
    """The server's schedule, read independently of the page's code."""
    lengths = [schedule["pattern"][name] * 1000 for name in PHASES]
    cycle = sum(lengths)
    t = server_ms - schedule["start"]
    if t < 0:
        return "lead_in"
    if t >= cycle * schedule["cycles"]:
        return "done"
    t %= cycle
    for name, length in zip(PHASES, lengths, strict=True):
        if t < length:
            return name
        t -= length
    return "done"


def check_records(records: list[dict], schedule: dict) -> set[str]:
    """Every frame's server estimate is within 50 ms of true time, and its phase is right."""
    assert len(records) > 100, f"only {len(records)} animation frames recorded"
    for record in records:
        real = record["real"]
        assert abs(record["server"] - real) <= TOLERANCE_MS, record
        nearby = {phase_at(schedule, real + d) for d in (-TOLERANCE_MS, 0, TOLERANCE_MS)}
        assert record["phase"] in nearby, (record, nearby)
    return {r["phase"] for r in records}


def test_two_phones_breathe_in_step_even_when_one_clock_is_five_seconds_off(partners):
    code, alex, sam = partners(
        BREATHE_SYNC, alex_init_script=CLOCK % 0, sam_init_script=CLOCK % SHIFT_MS
    )
    shift = sam.page.evaluate("Date.now() - window.__realNow()")
    assert abs(shift - SHIFT_MS) < 20, f"the clock shift did not take effect ({shift} ms)"
    assert (
        abs(
            sam.page.evaluate("performance.timeOrigin + performance.now() - __realNow()") - SHIFT_MS
        )
        < 20
    )

    alex.button("Begin together").click()
    for person in (alex, sam):
        expect(person.title()).to_have_text("You've finished", timeout=40_000)

    schedule = next(s["breathing"] for s in alex.states() if s["breathing"])
    for person in (alex, sam):
        records = person.page.evaluate("window.__frames")
        shown = check_records([r for r in records if r["phase"] != "done"], schedule)
        assert {"lead_in", *PHASES} <= shown
    assert alex.errors == [] and sam.errors == []


def test_the_pacer_can_be_stilled_and_respects_reduced_motion(partners):
    code, alex, sam = partners(BREATHE_SYNC, reduced_motion="reduce")
    alex.button("Begin together").click()
    pacer = alex.page.locator("#pacer")
    circle = pacer.locator(".pacer-circle")
    expect(pacer).to_have_attribute("data-phase", "inhale", timeout=8000)
    # Reduced motion: the circle does not grow, it brightens; the words carry the phase.
    assert circle.evaluate("el => el.style.transform") == ""
    expect(alex.page.locator("#pacer-word")).to_have_text("Breathe in")
    expect(pacer).to_have_attribute("data-phase", "hold_in", timeout=5000)
    expect(alex.page.locator("#pacer-word")).to_have_text("Hold gently")

    stop = alex.button("Stop the animation")
    stop.click()
    expect(alex.page.get_by_role("button", name="Start the animation again")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(pacer).to_have_class("pacer is-still")
    # Still: no movement at all, but the words and the count go on.
    assert circle.evaluate("el => el.style.opacity") == ""
    expect(pacer).to_have_attribute("data-phase", "exhale", timeout=5000)
    expect(alex.page.locator("#pacer-word")).to_have_text("Breathe out")
    # The choice is remembered on this phone.
    alex.page.reload()
    expect(alex.page.get_by_role("button", name="Start the animation again")).to_be_visible()
