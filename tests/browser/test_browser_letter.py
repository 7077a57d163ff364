"""In a real browser: pick a letter, fill it in, watch it change, edit it, download it; make mistakes and mend them."""

from .browsing import expect, live_page_sources, pdf_fonts, pdf_of, pdf_text, wait_for_new_preview
from .conftest import PageProblems

TYPED = {
    "Your name": "Sam Okafor",
    "Their name": "Chris Lindqvist",
    "Years together": "12",
    "A memory you share": "the night the car broke down outside Lyon",
}


def fill(page, values):
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


def test_a_letter_from_the_gallery_to_the_pdf(page, site):
    page.goto(site("/"))
    page.get_by_role("link", name="An anniversary letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("An anniversary letter")
    fill(page, TYPED)

    first = wait_for_new_preview(page)
    expect(page.locator("[data-page-count]")).to_have_text("Your letter runs to 1 page of A4.")
    page.get_by_label("Something small you love about them").fill("hum when you are concentrating")
    second = wait_for_new_preview(page, before=first)
    assert second != first
    page.get_by_label("Kalam").check()
    wait_for_new_preview(page, before=second)

    page.get_by_role("button", name="Preview the letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter to Chris Lindqvist")
    expect(page.get_by_role("img", name="Page 1 of your letter to Chris Lindqvist")).to_be_visible()

    page.get_by_role("button", name="Edit", exact=True).click()
    for label, value in TYPED.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    expect(page.get_by_label("Something small you love about them")).to_have_value("hum when you are concentrating")
    expect(page.get_by_label("Kalam")).to_be_checked()

    page.get_by_role("button", name="Preview the letter").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "anniversary-to-chris.pdf"
    pdf = pdf_of(download)
    text = pdf_text(pdf)
    assert "Dear Chris," in text
    assert "the night the car broke down outside Lyon" in text
    assert "hum when you are concentrating" in text
    assert any("Kalam" in font for font in pdf_fonts(pdf))


def test_the_live_preview_says_what_it_is_waiting_for(page, site):
    page.goto(site("/letters/anniversary"))
    placeholder = page.locator("[data-live-pages] .live-placeholder")
    expect(placeholder).to_have_text("Your letter appears here once “Your name”, “Their name” "
                                     "and “Years together” are filled in.")
    fill(page, TYPED)
    wait_for_new_preview(page)
    expect(placeholder).to_have_count(0)


def test_errors_are_named_beside_their_fields_and_mended_in_place(page, site):
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Their name").fill("Chris")
    page.get_by_label("Years together").fill("400")
    page.get_by_role("button", name="Preview the letter").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Please fill in your name.")
    expect(summary).to_contain_text("Years together must be between 1 and 90.")
    expect(page.locator("#sender_name-error")).to_have_text("Please fill in your name.")
    expect(page.locator("#years-error")).to_have_text("Years together must be between 1 and 90.")
    expect(page.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#sender_name")).to_be_focused()  # the first field named, not the top of the page

    summary.get_by_role("link", name="Years together must be between 1 and 90.").click()
    expect(page.locator("#years")).to_be_focused()
    page.get_by_label("Years together").fill("12")
    page.keyboard.press("Tab")
    expect(page.locator("#years-error")).to_have_count(0)  # mended without sending the form
    expect(summary.get_by_role("link", name="Years together must be between 1 and 90.")).to_have_count(0)

    page.get_by_label("Your name").fill("Sam")
    page.keyboard.press("Tab")
    expect(summary).to_have_count(0)
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter to Chris")


def test_a_field_gets_the_servers_own_message_as_soon_as_it_is_left(page, site):
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Years together").fill("0")
    page.keyboard.press("Tab")
    expect(page.locator("#years-error")).to_have_text("Years together must be between 1 and 90.")
    expect(page.locator("#sender_name-error")).to_have_count(0)  # not yet visited: no scolding


def test_choosing_a_longer_page_shows_in_the_page_count(page, site):
    page.goto(site("/letters/anniversary"))
    fill(page, TYPED)
    first = wait_for_new_preview(page)
    page.get_by_label("Page size").select_option("A5")
    pages = wait_for_new_preview(page, before=first)
    count = len(pages)
    expect(page.locator("[data-page-count]")).to_have_text(
        f"Your letter runs to {count} page{'s' if count > 1 else ''} of A5.")
    assert live_page_sources(page) == pages


def test_a_page_open_too_long_pauses_the_live_preview_and_says_so(new_page, site):
    page = new_page()
    problems = PageProblems(page)
    page.goto(site("/letters/anniversary"))
    fill(page, TYPED)
    wait_for_new_preview(page)
    page.context.clear_cookies()  # the session, and the CSRF secret in it, is gone: the page's token has expired
    page.get_by_label("A memory you share").fill("the ferry to Tangier")
    status = page.locator("[data-live-status]")
    expect(status).to_contain_text("the live preview has paused")
    expect(status).to_have_class("live-status is-problem")
    assert problems.messages == [f"400 for fetch {site('/letters/anniversary/preview.json')}"]  # that one only
