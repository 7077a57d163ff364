"""In a real browser: a letter half-written is never lost, and leaving it asks first."""

from .browsing import expect, focused, wait_for_new_preview

DRAFT_KEY = "letterhouse:draft:anniversary"


def start_a_letter(page, site):
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label("Their name").fill("Chris Lindqvist")
    page.get_by_label("A memory you share").fill("Zoë's first snow,\nand the sledge")
    page.get_by_label("Sepia").check()
    page.wait_for_function("key => (localStorage.getItem(key) || '').includes('sledge')", arg=DRAFT_KEY)


def test_a_draft_is_offered_after_a_reload_and_comes_back_whole(page, site):
    start_a_letter(page, site)
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()

    offer = page.get_by_role("region", name="Saved draft")
    expect(offer).to_contain_text("You have a draft of this letter to Chris Lindqvist, saved in this browser")
    offer.get_by_role("button", name="Restore my draft").click()
    expect(offer).to_contain_text("Your draft is back, just as you left it.")
    assert focused(page)["text"] == "Your draft is back, just as you left it."  # focus not lost with the button
    expect(page.get_by_label("Your name")).to_have_value("Sam Okafor")
    expect(page.get_by_label("Their name")).to_have_value("Chris Lindqvist")
    expect(page.get_by_label("A memory you share")).to_have_value("Zoë's first snow,\nand the sledge")
    expect(page.get_by_label("Sepia")).to_be_checked()
    page.get_by_label("Years together").fill("3")
    wait_for_new_preview(page)  # the restored draft is a letter again


def test_a_discarded_draft_is_gone_for_good(page, site):
    start_a_letter(page, site)
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.get_by_role("button", name="Discard it").click()
    expect(page.get_by_role("region", name="Saved draft")).to_contain_text("The draft is gone")
    assert page.evaluate("key => localStorage.getItem(key)", DRAFT_KEY) is None
    page.reload()
    expect(page.get_by_role("region", name="Saved draft")).to_be_hidden()
    expect(page.get_by_label("Your name")).to_have_value("")


def test_typing_while_an_old_draft_waits_does_not_overwrite_it(page, site):
    start_a_letter(page, site)
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.get_by_label("Your name").fill("Somebody else")
    page.wait_for_timeout(800)  # longer than the autosave's pause
    assert "sledge" in page.evaluate("key => localStorage.getItem(key)", DRAFT_KEY)


def test_leaving_with_changes_asks_first_and_staying_keeps_them(page, site):
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Your name").fill("Sam Okafor")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="All letters").click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url == site("/letters/anniversary")
    expect(page.get_by_label("Your name")).to_have_value("Sam Okafor")


def test_an_untouched_form_and_a_sent_one_leave_without_a_question(page, site):
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.goto(site("/letters/anniversary"))
    page.get_by_role("link", name="All letters").click()
    expect(page).to_have_url(site("/"))
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label("Their name").fill("Chris Lindqvist")
    page.get_by_label("Years together").fill("12")
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter to Chris Lindqvist")
    assert asked == []
