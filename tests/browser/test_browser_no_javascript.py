"""In a browser with JavaScript switched off, every page still does its job: the preview comes on submit."""

from .browsing import expect, pdf_of, pdf_text


def test_a_letter_is_checked_written_and_downloaded_without_javascript(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site("/letters/thank-you"))
    expect(page.locator("[data-live-preview]")).to_be_hidden()
    page.get_by_label("Your name").fill("Ana Sousa")
    page.get_by_label("Their name").fill("Ben Hall")
    page.get_by_role("button", name="Preview the letter").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    summary.get_by_role("link").first.click()
    expect(page).to_have_url(site("/letters/thank-you#what"))
    page.get_by_label("What you are thanking them for").fill("the blue teapot")
    expect(page.get_by_label("Their name")).to_have_value("Ben Hall")  # kept by the server, not a script
    page.get_by_role("button", name="Preview the letter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter to Ben Hall")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    text = pdf_text(pdf_of(download_info.value))
    assert "the blue teapot" in text and "Ana Sousa" in text


def test_the_pickers_are_plain_radio_buttons_without_javascript(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Sepia").check()
    expect(page.get_by_label("Sepia")).to_be_checked()
    expect(page.get_by_label("Midnight blue")).not_to_be_checked()
