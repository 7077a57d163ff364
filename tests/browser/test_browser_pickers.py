"""In a real browser: hand, ink and paper are chosen by sight, from samples the renderer drew."""

import pytest

from letterhouse.letters.styles import PAPERS
from letterhouse.render.hands import HANDS, INKS

from .browsing import expect, wait_for_images


@pytest.mark.parametrize("kind, registry", [("hand", HANDS), ("ink", INKS), ("paper", PAPERS)])
def test_every_choice_has_its_own_sample(page, site, kind, registry):
    page.goto(site("/letters/anniversary"))
    samples = page.locator(f"#{kind} .choice img")
    expect(samples).to_have_count(len(registry))
    wait_for_images(page, f"#{kind} .choice img")
    sources = samples.evaluate_all("images => images.map(image => image.src)")
    pictures = {page.request.get(source).body() for source in sources}
    assert len(pictures) == len(registry)  # no two choices look the same


def test_clicking_a_sample_chooses_it(page, site):
    page.goto(site("/letters/anniversary"))
    page.locator("#hand .choice", has_text="Dancing Script").locator("img").click()
    expect(page.get_by_label("Dancing Script")).to_be_checked()
    expect(page.get_by_label("Caveat")).not_to_be_checked()
