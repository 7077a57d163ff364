"""A letter from a blank page: the person's own words, paragraphs as they typed them, text and never markup."""

import re

from conftest import BUNDLED_TEMPLATES, pdf_fonts, pdf_shows, pdf_text

from letterhouse.letters.catalog import load_template
from letterhouse.letters.letter import validate_mapping
from letterhouse.render.compose import compose_letter_html
from letterhouse.render.template_report import check_file

LIMITS = {"string": 200, "text": 4000}
TEMPLATE = BUNDLED_TEMPLATES / "blank-page.jinja"
# As a browser posts a textarea: \r\n line ends, a "blank" line with a space on it, a line break within a paragraph.
WORDS = ("I found the photograph of us on the pier.\r\n\r\n"
         "Three things for the summer:\r\nthe coast path,\r\nchips on the pier.\r\n \r\n"
         "Come and stay.")
WHO = {"sender_name": "Rosa Delgado", "recipient_name": "Tom Hargreaves"}


def body_html(words, **values):
    """Return the <main> of the letter's HTML for these words."""
    template = load_template(TEMPLATE, LIMITS)
    letter, errors = validate_mapping(template, {**WHO, **values, "words": words})
    assert errors == {}
    return re.search(r'<main class="body">(.*?)</main>', compose_letter_html(letter), re.S).group(1)


def paragraphs(html):
    """Return the letter's paragraphs as lists of lines, read back from its HTML without markup."""
    found = re.findall(r"<p[^>]*>(.*?)</p>", html, re.S)
    return [[re.sub(r"<[^>]+>", "", line) for line in paragraph.split("<br>")] for paragraph in found]


def test_the_blank_page_passes_a_strict_check():
    check = check_file(TEMPLATE, LIMITS, 12)
    assert [str(problem) for problem in check.problems] == []
    assert check.pdf is not None


def test_blank_lines_part_paragraphs_and_a_newline_parts_lines():
    assert paragraphs(body_html(WORDS)) == [
        ["I found the photograph of us on the pier."],
        ["Three things for the summer:", "the coast path,", "chips on the pier."],
        ["Come and stay."],
    ]


def test_what_is_typed_is_never_markup_or_template_code():
    hostile = "<b>Bold</b> & <script>alert(1)</script>\n\n{{ 7*7 }} {% if true %}yes{% endif %} {# note #}"
    html = body_html(hostile)
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert paragraphs(html)[1] == ["{{ 7*7 }} {% if true %}yes{% endif %} {# note #}"]


def test_a_letter_from_a_blank_page_is_written_and_downloaded(letters):
    html = letters.open_form("blank-page")
    for name in ("sender_name", "recipient_name", "words", "salutation", "closing", "postscript", "hand", "ink",
                 "paper", "page_size", "envelope"):
        assert f'name="{name}"' in html, name
    preview = letters.submit("blank-page", {**WHO, "words": WORDS, "hand": "kalam", "closing": "Yours ever,",
                                            "salutation": "Dearest Tom,", "postscript": "Bring the photograph."})
    assert preview.status_code == 200, preview.get_data(as_text=True)
    pdf = letters.download("blank-page", preview.get_data(as_text=True))
    text = pdf_text(pdf.data)
    for phrase in ("Dearest Tom,", "I found the photograph of us on the pier.", "Three things for the summer:",
                   "the coast path, chips on the pier.", "Come and stay.", "Yours ever,", "Rosa Delgado",
                   "P.S. Bring the photograph."):
        assert pdf_shows(text, phrase), phrase
    assert any("Kalam" in font for font in pdf_fonts(pdf.data))


def test_the_letter_cannot_be_left_blank(letters):
    response = letters.submit("blank-page", {**WHO, "words": "  \r\n  "})
    assert response.status_code == 422
    assert "Please fill in your letter." in response.get_data(as_text=True)


def test_the_gallery_offers_a_blank_page(client):
    html = client.get("/?q=blank").get_data(as_text=True)
    assert '>In your own words</h2>' in html
    assert "A letter in your own words" in html and "1 letter matches" in html
