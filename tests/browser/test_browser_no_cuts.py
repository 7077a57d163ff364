"""In a real browser: nothing typed is cut, a date the browser cannot read is an error, and a phone sees it all."""

import pytest

from .browsing import PHONE, expect, wait_for_new_preview

MEMORY = ("the summer we painted the boat and it rained on every coat, " * 7)[:403]
DRAFT_KEY = "letterhouse:draft:anniversary"


def test_a_memory_past_its_limit_is_kept_whole_counted_and_refused_beside_the_field(page, site):
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label("Their name").fill("Chris Lindqvist")
    page.get_by_label("Years together").fill("12")
    memory = page.get_by_label("A memory you share")
    memory.fill(MEMORY[:395])
    count = page.locator("#memory-count")
    expect(count).to_have_text("395 of 400")
    memory.press_sequentially(MEMORY[395:])  # typed, key by key, past the limit

    assert memory.input_value() == MEMORY
    expect(count).to_have_text("403 of 400")
    error = page.locator("#memory-error")
    expect(error).to_contain_text("A memory you share can be at most 400 characters: it has 403")
    assert "memory-error" in memory.get_attribute("aria-describedby")

    page.get_by_role("button", name="Preview the letter").click()
    expect(page.locator("#memory-error")).to_contain_text("A memory you share can be at most 400 characters")
    expect(page.get_by_label("A memory you share")).to_have_value(MEMORY)
    expect(page.locator("#memory-count")).to_have_text("403 of 400")

    memory.press("Control+End")
    for _ in range(3):
        memory.press("Backspace")
    expect(page.locator("#memory-count")).to_have_text("400 of 400")
    wait_for_new_preview(page)  # 400 is within the limit: the letter is made again
    expect(page.locator("#memory-error")).to_have_count(0)


def test_the_count_shows_only_near_the_limit(page, site):
    page.goto(site("/letters/anniversary"))
    memory = page.get_by_label("A memory you share")
    memory.fill("x" * 319)
    expect(page.locator("#memory-count")).to_have_count(0)
    memory.press_sequentially("x")
    expect(page.locator("#memory-count")).to_have_text("320 of 400")


def type_an_impossible_date(date):
    """Type 31 February 2026 key by key into the date picker, in whichever order this Chromium shows it.

    Return the input's [value, validity.badInput] afterwards.
    """
    for keys in ("02312026", "31022026"):  # month first (en-US), then day first (en-GB)
        date.fill("")
        date.click(position={"x": 14, "y": 20})  # on the first part of the date
        date.press_sequentially(keys)
        state = date.evaluate("input => [input.value, input.validity.badInput]")
        if state[1]:
            break
    return state


def leave_the_date(page):
    """Tab on until the focus has left the date picker (its parts and its calendar button take a Tab each)."""
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") != "date":
            return
    raise AssertionError("the focus never left the date")


def test_a_date_the_browser_cannot_read_is_an_error_not_today(page, site):
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label("Their name").fill("Chris Lindqvist")
    date = page.get_by_label("Date", exact=True)
    assert type_an_impossible_date(date) == ["", True]  # shown as typed, sent empty: it must not mean today
    leave_the_date(page)
    expect(page.locator("#date-error")).to_contain_text("Date is not a date on the calendar")
    expect(page.locator("[data-live-pages]")).to_contain_text("Your letter appears here once “Date” is put right")

    page.get_by_role("button", name="Preview the letter").click()
    expect(page).to_have_url(site("/letters/anniversary"))
    expect(page.get_by_role("heading", name="Anniversary", exact=False)).to_be_visible()
    expect(page.locator("#date")).to_be_focused()
    expect(page.locator("#date-error")).to_be_visible()

    date.fill("2026-02-14")
    expect(page.locator("#date-error")).to_have_count(0)


def test_a_year_typed_with_a_digit_too_many_is_an_error_in_the_browser_and_on_the_server(page, site):
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label("Their name").fill("Chris Lindqvist")
    date = page.get_by_label("Date", exact=True)
    date.fill("22026-02-14")
    expect(page.locator("#date-error")).to_have_text(
        "Date must be a date between the years 1000 and 2999: the year reads 22026.")
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.locator("#date-error")).to_contain_text("Date must be a date between the years 1000 and 2999")
    expect(page.get_by_label("Date", exact=True)).to_have_value("22026-02-14")


@pytest.mark.parametrize("slug", ["anniversary", "condolence", "reference", "holiday-letter"])
def test_on_a_phone_the_form_fits_the_screen(page, site, slug):
    page.set_viewport_size(PHONE)
    page.goto(site(f"/letters/{slug}"))
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label("Their name").fill("Chris Lindqvist")
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_a_saved_draft_is_offered_in_sight_after_a_reload(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label("Their name").fill("Chris Lindqvist")
    page.get_by_label("A memory you share").fill("the sledge")
    page.wait_for_function("key => (localStorage.getItem(key) || '').includes('sledge')", arg=DRAFT_KEY)
    page.get_by_role("button", name="Preview the letter").scroll_into_view_if_needed()
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()

    offer = page.get_by_role("region", name="Saved draft")
    expect(offer).to_contain_text("You have a draft of this letter to Chris Lindqvist")
    page.wait_for_timeout(500)  # the browser puts back where the page was scrolled
    assert page.evaluate("window.scrollY") > 800  # still far down the form, where the person was
    expect(offer).to_be_in_viewport()
    expect(offer.get_by_role("button", name="Restore my draft")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
