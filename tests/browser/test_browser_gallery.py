"""In a real browser: the gallery's shelves, its search box, and a picture of every letter."""

from .browsing import expect, wait_for_images

POSTCARD = "---\ntitle: A postcard\noccasion: holiday\ndescription: Wish you were here.\n---\nWish you were here.\n"


def visible_titles(page):
    return page.locator(".card:visible h3").all_inner_texts()


def test_every_letter_is_on_a_shelf_for_its_occasion_with_a_picture_of_its_example(page, site):
    page.goto(site("/"))
    thanks = page.get_by_role("region", name="Thank you")
    expect(thanks.get_by_role("link", name="A thank-you to a teacher")).to_be_visible()
    expect(page.get_by_role("region", name="Anniversaries").get_by_role("link")).to_have_text(["An anniversary letter"])
    wait_for_images(page, ".thumb img")
    examples = sorted(path.stem for path in (site.templates / "examples").glob("*.json"))
    pictured = sorted(src.split("/")[-2] for src in page.locator(".thumb img").evaluate_all(
        "images => images.map(image => image.src)"))
    assert pictured == examples


def test_a_letter_without_an_example_gets_a_drawn_card_not_a_broken_picture(page, site):
    path = site.templates / "postcard.jinja"
    path.write_text(POSTCARD)
    try:
        page.goto(site("/"))
        card = page.locator(".card", has=page.get_by_role("link", name="A postcard"))
        expect(card.locator(".thumb-placeholder")).to_be_visible()
        expect(card.locator("img")).to_have_count(0)
        assert page.request.get(site("/letters/postcard/thumbnail.png")).status == 404
    finally:
        path.unlink()


def test_the_search_box_narrows_the_shelves_as_you_type(page, site):
    page.goto(site("/"))
    total = page.locator(".card").count()
    page.get_by_label("Find a letter").fill("teacher")
    expect(page.locator(".card:visible")).to_have_count(1)
    assert visible_titles(page) == ["A thank-you to a teacher"]
    expect(page.get_by_role("region", name="Love")).to_be_hidden()
    expect(page.get_by_role("status")).to_have_text("1 letter matches “teacher”.")
    assert page.url.endswith("/?q=teacher")  # a reload or a shared link keeps the search

    page.get_by_label("Find a letter").fill("no such occasion")
    expect(page.get_by_text("No letter matches that yet.")).to_be_visible()
    page.get_by_label("Find a letter").fill("")
    expect(page.locator(".card:visible")).to_have_count(total)


def test_searching_works_without_javascript(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site("/"))
    page.get_by_label("Find a letter").fill("birthday")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(site("/?q=birthday"))
    # the thank-you letter is for birthday presents too (its keywords say so)
    assert sorted(visible_titles(page)) == ["A birthday letter", "A milestone birthday letter", "A thank-you letter"]
    expect(page.get_by_text("3 letters match “birthday”.")).to_be_visible()
