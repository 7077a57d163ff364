"""In a real browser: axe-core finds nothing serious or critical on any page, at phone and desktop widths."""

import pytest

from .browsing import DESKTOP, PHONE, serious_accessibility_violations, wait_for_images

BROKEN = "---\ntitle: Oops\nfields:\n  - name: x\n    type: nope\n---\n{{ x }}\n"


def the_form_refused(page, site):
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Years together").fill("400")
    page.get_by_role("button", name="Preview the letter").click()
    page.wait_for_selector("[data-error-summary]")


def the_preview(page, site):
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label("Their name").fill("Chris Lindqvist")
    page.get_by_label("Years together").fill("12")
    page.get_by_role("button", name="Preview the letter").click()
    page.wait_for_selector("text=Your letter to Chris Lindqvist")


def the_words(page, site):
    the_preview(page, site)
    page.get_by_role("button", name="Edit the words").click()
    page.wait_for_selector("text=The words of your letter to Chris Lindqvist")


def the_choice_after_a_detail_changed(page, site):
    the_words(page, site)
    words = page.get_by_label("The letter in your words")
    words.fill(words.input_value().replace("Dear Chris,", "Dearest Chris,"))
    page.get_by_role("button", name="Back to the details").click()
    page.get_by_label("Their name").fill("Alex Kim")
    page.get_by_role("button", name="Preview the letter").click()
    page.wait_for_selector("[data-words-choice]:not([hidden])")
    page.wait_for_selector("[data-live-pages][aria-busy=false]:not(.is-stale) img")  # not faded while it updates


def the_form_with_a_draft_and_a_live_preview(page, site):
    page.goto(site("/letters/anniversary"))
    page.get_by_label("Your name").fill("Sam Okafor")
    page.wait_for_function("() => localStorage.length > 0")
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.get_by_role("button", name="Restore my draft").wait_for()


def the_batch_checked_with_its_letters_pictured(page, site):
    page.goto(site("/letters/anniversary/many"))
    page.get_by_label("CSV file").set_input_files(files=[{
        "name": "rows.csv", "mimeType": "text/csv",
        "buffer": b"sender_name,recipient_name,years,date\nSam,Chris,12,14/02/2026\nSam,Alex,x,\nSam,Kim,3,\n"}])
    page.get_by_role("button", name="Check the rows").click()
    page.get_by_label("See the letter on row").fill("3")
    page.get_by_role("button", name="Show it").click()
    page.wait_for_selector("text=Row 3 has problems")


def the_unavailable_letter(page, site):
    (site.templates / "oops.jinja").write_text(BROKEN)
    page.goto(site("/letters/oops"))


PAGES = {
    "gallery": lambda page, site: page.goto(site("/")),
    "gallery-search": lambda page, site: page.goto(site("/?q=thank")),
    "form": lambda page, site: page.goto(site("/letters/anniversary")),
    "form-refused": the_form_refused,
    "form-draft": the_form_with_a_draft_and_a_live_preview,
    "preview": the_preview,
    "words": the_words,
    "words-choice": the_choice_after_a_detail_changed,
    "unavailable": the_unavailable_letter,
    "not-found": lambda page, site: page.goto(site("/letters/no-such-letter")),
    "many-letters": lambda page, site: page.goto(site("/letters/anniversary/many")),
    "many-letters-checked": the_batch_checked_with_its_letters_pictured,
}


# Known and reported, in a page this suite does not own: strict, so it fails loudly once mended.
KNOWN = {}


def cases():
    for name in PAGES:
        for viewport_name, viewport in [("phone", PHONE), ("desktop", DESKTOP)]:
            reason = KNOWN.get((name, viewport_name))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            yield pytest.param(name, viewport, id=f"{name}-{viewport_name}", marks=marks)


@pytest.mark.parametrize("name, viewport", list(cases()))
def test_no_serious_accessibility_problems(new_page, site, name, viewport):
    page = new_page(viewport=viewport, bypass_csp=True)  # axe is injected as a script of its own
    try:
        PAGES[name](page, site)
        wait_for_images(page)
        assert serious_accessibility_violations(page) == []
    finally:
        (site.templates / "oops.jinja").unlink(missing_ok=True)
