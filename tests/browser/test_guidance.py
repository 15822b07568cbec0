"""Each screen says what is happening and what comes next, found by walking daily-checkin."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import SHORT


def test_sam_always_knows_where_things_stand_and_what_to_do_next(partners):
    code, alex, sam = partners(SHORT)
    alex.button("Begin together").click()

    # Alex answers first: Sam learns that, without seeing the answer or being hurried.
    alex.check_in("On edge", 6)
    expect(sam.page.locator("#checkin-wait")).to_have_text(
        "Alex has checked in. You'll see both answers once you've shared yours — take your time."
    )
    expect(sam.page.locator("#checkin-answers")).to_be_hidden()
    sam.check_in("Safe and connected", 3)
    sam.button("Continue").click()
    expect(alex.page.locator("#moving-on")).to_have_text(
        "Sam is ready to move on. Take the time you need."
    )
    alex.button("Continue").click()

    # Sitting the breathing out changes the invitation instead of repeating it.
    expect(sam.title()).to_have_text("Breathe together")
    sam.button("I'll sit this one out").click()
    expect(sam.page.locator("#turn")).to_have_text(
        "You're sitting this one out. Breathe along any time if you change your mind."
    )
    expect(alex.page.locator("#turn")).to_contain_text("You can sit this one out")

    # "Not quite": both screens say this is a second go, not the same screen again.
    expect(alex.title()).to_have_text("Share an appreciation", timeout=20_000)
    alex.button("I'm done speaking").click()
    expect(sam.page.locator("#turn")).to_contain_text("Tell Alex what you heard")
    sam.button("I've said what I heard").click()
    alex.button("Not quite").click()
    expect(sam.page.locator("#turn")).to_have_text(
        "Alex would like to add something. Listen, then tell Alex again what you heard."
    )
    expect(alex.page.locator("#turn")).to_have_text(
        "Tell Sam what was missing or what else there is. Then Sam will say back what they heard."
    )
    expect(sam.page.locator("#live")).to_contain_text("Alex would like to add something")
    sam.button("I've said what I heard").click()
    alex.button("Yes, that's it").click()
    expect(sam.page.locator("#turn")).to_contain_text("Tell Alex what makes sense")
    sam.button("I've said what makes sense").click()

    # Empathy ends with the question that lets Alex correct it.
    expect(sam.page.locator("#turn")).to_have_text(
        "Imagine how this feels for Alex, say it, then ask: “Is that how it feels?”"
    )
    assert alex.errors == [] and sam.errors == []


def test_the_summary_fits_a_320_pixel_phone(partners):
    code, alex, sam = partners(SHORT)
    alex.page.set_viewport_size({"width": 320, "height": 640})
    alex.button("Begin together").click()
    alex.check_in("Safe and connected", 3, "rested")
    sam.check_in("Shut down", 6, "faraway")
    alex.button("End session").click()
    alex.button("Yes, end it").click()
    summary = alex.page.locator("#summary")
    expect(summary).to_contain_text("Shut down, 6 of 10")
    sideways = alex.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways == 0, f"the summary scrolls sideways by {sideways} px at 320 px"
    # A heading may wrap between words ("Arriving (skipped by your counselor)"), never inside one.
    split = alex.page.evaluate(
        """[...document.querySelectorAll('#summary th')].flatMap((th) => {
             const broken = [];
             const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
             for (let node = walker.nextNode(); node; node = walker.nextNode()) {
               for (const match of node.data.matchAll(/\\S+/g)) {
                 const range = document.createRange();
                 range.setStart(node, match.index);
                 range.setEnd(node, match.index + match[0].length);
                 if (range.getClientRects().length > 1) broken.push(match[0]);
               }
             }
             return broken;
           })"""
    )
    assert split == [], f"words in headings broken across lines: {split}"
