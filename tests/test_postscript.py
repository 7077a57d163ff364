"""A P.S. on any letter: written after the signature, "P.S." once, as text however it is typed."""

import re

import pytest
from conftest import BUNDLED_TEMPLATES, pdf_text, without_spaces

from letterhouse.letters.catalog import load_template
from letterhouse.letters.fields import COMMON_FIELDS
from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.wording import postscript_lines
from letterhouse.render.compose import compose_letter_html


def written(letters, values, slug="anniversary"):
    """Return the text of the PDF a person downloads after previewing these values."""
    preview = letters.submit(slug, values)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    pdf = letters.download(slug, preview.get_data(as_text=True))
    assert pdf.mimetype == "application/pdf"
    return pdf_text(pdf.data)


def test_every_letter_asks_for_an_optional_postscript():
    spec = next(spec for spec in COMMON_FIELDS if spec.name == "postscript")
    assert (spec.label, spec.type, spec.required) == ("P.S. (optional)", "text", False)


def test_the_form_asks_for_a_postscript_after_the_signature(letters):
    html = letters.open_form("thank-you")
    assert 'name="postscript"' in html and "P.S. (optional)" in html
    assert html.index('name="signature"') < html.index('name="postscript"')


def test_the_postscript_is_written_after_the_signature(letters, anniversary_values):
    text = written(letters, {**anniversary_values, "postscript": "The tickets are in the blue drawer."})
    flat = without_spaces(text)
    signed = flat.rindex(without_spaces("Sam Okafor"))
    assert flat.endswith(without_spaces("P.S. The tickets are in the blue drawer."))
    assert signed < flat.index(without_spaces("P.S."))


def test_a_postscript_that_starts_with_its_own_ps_is_not_doubled(letters, anniversary_values):
    text = written(letters, {**anniversary_values, "postscript": "P.S. Bring the umbrella."})
    assert without_spaces(text).endswith(without_spaces("P.S. Bring the umbrella."))
    assert text.count("P.S.") == 1


@pytest.mark.parametrize("typed, first_line", [
    ("Bring the umbrella.", "P.S. Bring the umbrella."),
    ("P.S. Bring the umbrella.", "P.S. Bring the umbrella."),
    ("PS: bring the umbrella.", "PS: bring the umbrella."),
    ("p.s. bring the umbrella", "p.s. bring the umbrella"),
    ("P.P.S. And the dog.", "P.P.S. And the dog."),
    ("Psalm 23 was lovely.", "P.S. Psalm 23 was lovely."),
    ("Please call.", "P.S. Please call."),
    ("  \n  Call me.\r\n\r\nSoon.", "P.S. Call me."),
])
def test_ps_is_put_in_front_only_when_the_person_did_not_write_it(typed, first_line):
    assert postscript_lines(typed)[0] == first_line


@pytest.mark.parametrize("empty", ["", "   ", "\r\n\r\n"])
def test_an_empty_postscript_writes_nothing(letters, anniversary_values, empty):
    text = written(letters, {**anniversary_values, "postscript": empty})
    assert "P.S" not in text
    assert without_spaces(text).endswith(without_spaces("Sam Okafor"))
    assert postscript_lines(empty) == []


def test_a_hostile_postscript_is_printed_as_typed(letters, anniversary_values):
    hostile = "<b>bold</b> {{ 7*7 }} {% if true %}x{% endif %} &amp; <script>alert(1)</script>"
    text = written(letters, {**anniversary_values, "postscript": hostile})
    assert without_spaces(text).endswith(without_spaces("P.S. " + hostile))
    assert "49" not in text


def test_the_postscript_is_escaped_in_the_letters_html(anniversary_values):
    template = load_template(BUNDLED_TEMPLATES / "anniversary.jinja", {"string": 200, "text": 4000})
    letter, errors = validate_mapping(template, {**anniversary_values, "postscript": "<i>hi</i>\nsecond line"})
    assert errors == {}
    html = compose_letter_html(letter)
    postscript = re.search(r'<p class="postscript">(.*?)</p>', html, re.S).group(1)
    assert "<i>" not in postscript and "&lt;i&gt;hi&lt;/i&gt;" in postscript
    assert postscript.count("<br>") == 1
    assert html.index('class="signature"') < html.index('class="postscript"')


def test_a_postscript_over_its_limit_is_refused_not_cut(letters, anniversary_values):
    response = letters.submit("anniversary", {**anniversary_values, "postscript": "x" * 601})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "can be at most 600 characters" in html
    assert "x" * 601 in html  # kept in the form for the person to shorten


def test_a_postscript_leaves_the_words_of_the_letter_as_they_were(anniversary_values):
    template = load_template(BUNDLED_TEMPLATES / "anniversary.jinja", {"string": 200, "text": 4000})
    seeds = {validate_mapping(template, {**anniversary_values, **extra})[0].seed
             for extra in ({}, {"postscript": ""}, {"postscript": "The tickets are in the blue drawer."})}
    assert len(seeds) == 1
