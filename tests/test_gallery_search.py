"""The gallery's search finds letters by what they are for: keywords, occasion and description, not only titles."""

import re

import pytest

from letterhouse.letters.front_matter import parse_front_matter

CARD = re.compile(r'<li class="card" data-search-text="[^"]*"( hidden)?>.*?href="/letters/([a-z0-9-]+)"', re.S)

# A search word -> letters it must find, and letters it must not.
WHAT_LETTERS_ARE_FOR = {
    "christmas": ({"holiday-letter", "thank-you"}, {"condolence", "apology"}),
    "wedding": ({"anniversary", "love-letter", "thank-you"}, {"condolence", "get-well"}),
    "sorry": ({"apology"}, {"birthday", "love-letter"}),
    "grief": ({"condolence"}, {"love-letter", "birthday"}),
    "funeral": ({"condolence"}, {"birthday", "love-letter", "anniversary"}),
    "valentine": ({"love-letter", "anniversary"}, {"condolence", "apology", "reference"}),
    "mum": ({"birthday", "thank-you"}, {"reference", "condolence"}),
    "dad": ({"birthday", "thank-you"}, {"reference", "condolence"}),
}


def shown(client, query):
    """Return the slugs of the letters the gallery shows for a search, through the page itself."""
    response = client.get("/", query_string={"q": query})
    assert response.status_code == 200
    return {slug for hidden, slug in CARD.findall(response.get_data(as_text=True)) if not hidden}


@pytest.mark.parametrize("word", list(WHAT_LETTERS_ARE_FOR))
def test_a_search_for_what_a_letter_is_for_finds_the_letters_that_fit(client, word):
    wanted, unwanted = WHAT_LETTERS_ARE_FOR[word]
    found = shown(client, word)
    assert wanted <= found, f"{word!r} did not find {wanted - found}"
    assert not found & unwanted, f"{word!r} found {found & unwanted}"


def test_the_page_shows_every_letter_without_a_search(client):
    everything = shown(client, "")
    assert {"condolence", "love-letter", "thank-you"} <= everything
    assert shown(client, "valentine") < everything


def test_keywords_are_searched_but_shown_nowhere(client, templates_dir):
    (templates_dir / "postcard.jinja").write_text(
        "---\ntitle: A postcard\noccasion: holiday\nkeywords: [zanzibar, seaside]\n---\nWish you were here.\n")
    assert shown(client, "Zanzibar") == {"postcard"}
    html = client.get("/letters/postcard").get_data(as_text=True)
    assert "zanzibar" not in html.casefold()


def test_the_search_reads_the_description_and_the_occasion(client, templates_dir):
    (templates_dir / "postcard.jinja").write_text(
        "---\ntitle: A postcard\ndescription: Sent from a lighthouse.\noccasion: voyage\n---\nWish you were here.\n")
    assert shown(client, "lighthouse") == {"postcard"}
    assert shown(client, "voyage") == {"postcard"}


@pytest.mark.parametrize("keywords", ["wedding", "[1, 2]", "{a: b}", "[[nested]]"])
def test_keywords_must_be_a_list_of_words(keywords):
    text = f"---\ntitle: A postcard\nkeywords: {keywords}\n---\nWish you were here.\n"
    problems = parse_front_matter("postcard.jinja", text)[4]
    assert [(p.line, p.message) for p in problems] == [
        (3, "keywords must be a list of words, like [wedding, mum, dad]")]


def test_a_list_of_keywords_is_accepted():
    text = "---\ntitle: A postcard\nkeywords: [wedding, mother's day]\n---\nWish you were here.\n"
    assert parse_front_matter("postcard.jinja", text)[4] == []
