"""The main pages at phone and desktop widths; `make screenshots` writes them to docs/screenshots/."""

import pytest

from .browsing import DESKTOP, PHONE, screenshot, wait_for_new_preview

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def fill_a_letter(page):
    page.get_by_label("Your name").fill("Tomás Herrera")
    page.get_by_label("Their name").fill("Zoë Herrera")
    page.get_by_label("Years together").fill("25")
    page.get_by_label("A memory you share").fill(
        "the night the car broke down outside Lyon and we ate a whole bag of peaches on the verge")
    page.get_by_label("Date", exact=True).fill("2026-06-21")  # the same picture every day


@VIEWPORTS
def test_screenshots_of_the_gallery(new_page, site, viewport):
    page = new_page(viewport=viewport)
    page.goto(site("/"))
    screenshot(page, "gallery")


@VIEWPORTS
def test_screenshots_of_a_letter_being_written_and_previewed(new_page, site, viewport):
    page = new_page(viewport=viewport)
    page.goto(site("/letters/anniversary"))
    fill_a_letter(page)
    wait_for_new_preview(page)
    screenshot(page, "form")
    page.get_by_role("button", name="Preview the letter").click()
    page.wait_for_selector("text=Your letter to Zoë Herrera")
    screenshot(page, "preview")


@VIEWPORTS
def test_screenshots_of_a_form_sent_back_with_errors(new_page, site, viewport):
    page = new_page(viewport=viewport)
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Years together").fill("400")
    page.on("dialog", lambda dialog: dialog.accept())
    page.evaluate("() => localStorage.clear()")
    page.get_by_role("button", name="Preview the letter").click()
    page.wait_for_selector("[data-error-summary]")
    screenshot(page, "form-errors")


@VIEWPORTS
def test_screenshots_of_the_words_being_edited(new_page, site, viewport):
    page = new_page(viewport=viewport)
    page.goto(site("/letters/anniversary"))
    page.evaluate("() => localStorage.clear()")
    fill_a_letter(page)
    page.get_by_role("button", name="Preview the letter").click()
    page.get_by_role("button", name="Edit the words").click()
    words = page.get_by_label("The letter in your words")
    paragraphs = words.input_value().split("\n\n")
    paragraphs[1] = "Twenty-five years, and you still laugh at my joke about the ferry to Lisbon."
    words.fill("\n\n".join(paragraphs))
    words.evaluate("(box) => { box.blur(); box.scrollTop = 0; }")
    screenshot(page, "words")
    page.get_by_role("button", name="Preview again").click()
    page.get_by_role("button", name="Edit", exact=True).click()
    page.get_by_label("Their name").fill("Zoë Herrera-Lind")
    page.get_by_role("button", name="Preview the letter").click()
    page.wait_for_selector("[data-words-choice]:not([hidden])")
    screenshot(page, "words-choice")
