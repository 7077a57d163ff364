"""In a real browser: edit the words of a letter, preview and download it; change a detail and choose what happens."""

from conftest import pdf_shows

from .browsing import expect, pdf_of, wait_for_new_preview

TYPED = {
    "Your name": "Sam Okafor",
    "Their name": "Chris Lindqvist",
    "Years together": "12",
    "A memory you share": "the night the car broke down outside Lyon",
}
MY_SENTENCE = "Twelve years, and you still laugh at the same bad joke about the ferry."


def previewed(page, site):
    """Fill in the anniversary letter and press Preview; return on the preview page."""
    page.goto(site("/letters/anniversary"))
    page.evaluate("() => localStorage.clear()")
    for label, value in TYPED.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter to Chris Lindqvist")


def edit_the_words(page):
    """From the preview, open the words and put my sentence in place of the first paragraph; return the text."""
    page.get_by_role("button", name="Edit the words").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The words of your letter to Chris Lindqvist")
    words = page.get_by_label("The letter in your words")
    template_text = words.input_value()
    paragraphs = template_text.split("\n\n")
    paragraphs[1] = MY_SENTENCE
    words.fill("\n\n".join(paragraphs))
    return template_text


def words_on_the_preview(page):
    """Open "Read the words of your letter" on the preview page and return what it says."""
    page.get_by_text("Read the words of your letter").click()
    return page.locator(".letter-words-text").inner_text()


def test_edit_the_words_preview_again_and_download(page, site):
    previewed(page, site)
    template_text = edit_the_words(page)
    assert template_text.startswith("Dear Chris,\n\n") and template_text.endswith("Sam Okafor")
    page.get_by_role("button", name="Preview again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter to Chris Lindqvist")
    assert MY_SENTENCE in words_on_the_preview(page)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    pdf = pdf_of(download_info.value)
    assert pdf_shows(pdf, MY_SENTENCE) and pdf_shows(pdf, "Dear Chris,")
    assert not pdf_shows(pdf, template_text.split("\n\n")[1])


def test_changing_a_detail_after_editing_offers_to_keep_my_words_or_rewrite(page, site):
    previewed(page, site)
    edit_the_words(page)
    page.get_by_role("button", name="Preview again").click()
    page.get_by_role("button", name="Edit", exact=True).click()
    expect(page.get_by_label("The letter in your words")).to_be_visible()
    assert MY_SENTENCE in page.get_by_label("The letter in your words").input_value()

    # The live preview notices the change and asks, before anything is pressed.
    choice = page.locator("[data-words-choice]")
    wait_for_new_preview(page)
    page.get_by_label("Their name").fill("Alex Kim")
    expect(choice).to_be_visible()
    expect(choice).to_contain_text("Since then you changed “Their name”.")
    page.get_by_role("button", name="Keep my words").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter to Alex Kim")
    assert MY_SENTENCE in words_on_the_preview(page)

    # Pressing Preview after another change asks on the page itself; rewriting starts from the template.
    page.get_by_role("button", name="Edit", exact=True).click()
    page.get_by_label("Their name").fill("Robin Park")
    page.get_by_role("button", name="Preview the letter").click()
    expect(choice).to_be_visible()
    assert MY_SENTENCE in page.get_by_label("The letter in your words").input_value()  # nothing lost yet
    page.get_by_role("button", name="Rewrite it from the template").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter to Robin Park")
    words = words_on_the_preview(page)
    assert words.startswith("Dear Robin,") and MY_SENTENCE not in words


def test_a_draft_keeps_the_words_i_was_editing(page, site):
    previewed(page, site)
    edit_the_words(page)
    page.wait_for_function("(sentence) => Object.values(localStorage).some((d) => d.includes(sentence))",
                           arg=MY_SENTENCE)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(site("/letters/anniversary"))
    page.get_by_role("button", name="Restore my draft").click()
    words = page.get_by_label("The letter in your words")
    expect(words).to_be_visible()
    assert MY_SENTENCE in words.input_value()
