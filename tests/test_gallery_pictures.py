"""The gallery's shelves and search, a thumbnail of each example letter, and the pickers' samples."""

import io
import json
import re

import pytest
from PIL import Image

from letterhouse.letters.styles import PAPERS
from letterhouse.render.hands import HANDS, INKS
from letterhouse.render.picker_samples import SAMPLE_SIZE

POSTCARD = "---\ntitle: A postcard\noccasion: holiday\n---\nWish you were here.\n"


def png(response):
    assert response.status_code == 200 and response.mimetype == "image/png"
    return Image.open(io.BytesIO(response.data)).convert("RGB")


def ink_share(image):
    """Return the share of an image's pixels dark enough to be writing."""
    grey = image.convert("L")
    return sum(grey.histogram()[:160]) / (grey.width * grey.height)


def card(html, title):
    """Return the <li> of the gallery card for a title."""
    return re.search(r'<li class="card"[^>]*>(?:(?!</li>).)*' + re.escape(title) + r".*?</li>", html, re.S).group(0)


def test_letters_stand_on_shelves_for_their_occasions(client):
    html = client.get("/").get_data(as_text=True)
    thanks = re.search(r'<h2 id="shelf-\d+">Thank you</h2>(.*?)</section>', html, re.S).group(1)
    assert "A thank-you to a teacher" in thanks and "A thank-you letter" in thanks
    assert "An anniversary letter" not in thanks
    assert html.index(">Love</h2>") < html.index(">Thank you</h2>")


def test_a_search_without_javascript_shows_only_what_matches(client):
    html = client.get("/?q=Teacher").get_data(as_text=True)
    assert "1 letter matches “Teacher”." in html
    assert " hidden" not in card(html, "A thank-you to a teacher").split(">", 1)[0]
    assert " hidden" in card(html, "An anniversary letter").split(">", 1)[0]


def test_a_search_that_finds_nothing_says_so(client):
    html = client.get("/?q=zebra").get_data(as_text=True)
    no_match = re.search(r'<p class="no-match" data-no-match([^>]*)>', html).group(1)
    assert "hidden" not in no_match


def test_every_example_letter_is_pictured_by_its_first_page(client, templates_dir):
    html = client.get("/").get_data(as_text=True)
    for example in (templates_dir / "examples").glob("*.json"):
        assert f'src="/letters/{example.stem}/thumbnail.png"' in html
    picture = png(client.get("/letters/anniversary/thumbnail.png"))
    assert picture.width == 360 and 1.3 < picture.height / picture.width < 1.5  # an A4 page
    assert ink_share(picture) > 0.005  # written on, not blank


def test_a_thumbnail_is_kept_until_its_example_changes(client, templates_dir):
    first = client.get("/letters/anniversary/thumbnail.png")
    assert client.get("/letters/anniversary/thumbnail.png", headers={"If-None-Match": first.headers["ETag"]}
                      ).status_code == 304
    example = templates_dir / "examples" / "anniversary.json"
    data = json.loads(example.read_text())
    example.write_text(json.dumps({**data, "recipient_name": "Someone Else Entirely", "paper": "white"}))
    second = client.get("/letters/anniversary/thumbnail.png")
    assert second.headers["ETag"] != first.headers["ETag"]


@pytest.mark.parametrize("example", [None, "{not json", '{"sender_name": ""}'], ids=["none", "unreadable", "invalid"])
def test_a_letter_without_a_usable_example_gets_a_drawn_card(client, templates_dir, example):
    (templates_dir / "postcard.jinja").write_text(POSTCARD)
    if example is not None:
        (templates_dir / "examples" / "postcard.json").write_text(example)
    html = client.get("/").get_data(as_text=True)
    postcard = card(html, "A postcard")
    assert "thumb-placeholder" in postcard and "<img" not in postcard
    assert client.get("/letters/postcard/thumbnail.png").status_code == 404


@pytest.mark.parametrize("kind, registry", [("hand", HANDS), ("ink", INKS), ("paper", PAPERS)])
def test_each_choice_has_a_sample_of_its_own(client, kind, registry):
    pictures = {key: png(client.get(f"/samples/{kind}/{key}.png")) for key in registry}
    assert {picture.size for picture in pictures.values()} == {SAMPLE_SIZE}
    assert all(ink_share(picture) > 0.01 for picture in pictures.values())  # words are written on it
    assert len({picture.tobytes() for picture in pictures.values()}) == len(registry)


def test_the_form_shows_each_hand_with_its_sample(letters):
    html = letters.open_form("anniversary")
    for key in HANDS:
        assert re.search(rf'id="hand-{key}" value="{key}".*?src="/samples/hand/{key}.png"', html, re.S)


@pytest.mark.parametrize("path", ["/samples/hand/no-such-hand.png", "/samples/glitter/caveat.png"])
def test_an_unknown_sample_is_a_404(client, path):
    assert client.get(path).status_code == 404
