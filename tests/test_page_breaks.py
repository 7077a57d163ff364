"""A page break never strands the closing: it goes over with the last lines of the last paragraph."""

import functools
import io

import pdfplumber
import pytest
from conftest import BUNDLED_TEMPLATES, without_spaces

from letterhouse.letters.catalog import load_template
from letterhouse.letters.letter import validate_mapping
from letterhouse.render.letter_pdf import write_letter_pdf

TEMPLATE = BUNDLED_TEMPLATES / "blank-page.jinja"
LIMITS = {"string": 200, "text": 4000}
# Slow as a whole: the tests share the renders of up to 60 letters (page_texts), and whichever runs
# first pays for them all, so their measured times say nothing of the file's cost.
pytestmark = pytest.mark.slow


@functools.cache
def page_texts(count, between):
    """Return the text of each page of a letter of `count` one-line sentences, `between` parting them."""
    words = between.join(f"Line number {number} of the letter." for number in range(1, count + 1))
    template = load_template(TEMPLATE, LIMITS)
    letter, errors = validate_mapping(template, {"sender_name": "Rosa Delgado", "recipient_name": "Tom Hargreaves",
                                                 "words": words, "closing": "Yours ever,"})
    assert errors == {}
    with pdfplumber.open(io.BytesIO(write_letter_pdf(letter).pdf)) as document:
        return tuple(without_spaces(page.extract_text() or "") for page in document.pages)


def page_of(texts, phrase):
    """Return the index of the page a phrase is on (spaces ignored)."""
    return next(index for index, text in enumerate(texts) if without_spaces(phrase) in text)


def letters_around_the_first_page_break(between):
    """Return (count, page texts) for letters that just spill onto a second page, and a few more lines."""
    found = []
    for count in range(5, 60):
        texts = page_texts(count, between)
        if len(texts) > 1 or found:
            found.append((count, texts))
        if len(found) == 6:
            return found
    raise AssertionError("no letter reached a second page")


@pytest.mark.parametrize("between", ["\n", "\n\n"], ids=["lines of one paragraph", "one-line paragraphs"])
def test_the_closing_is_on_the_page_of_the_last_lines(between):
    for count, texts in letters_around_the_first_page_break(between):
        last_line = page_of(texts, f"Line number {count} of the letter.")
        closing, signed = page_of(texts, "Yours ever,"), page_of(texts, "Rosa Delgado")
        assert closing == signed == last_line, f"{count} lines: the closing went over without the letter"
        if between == "\n":  # two lines of the paragraph at least go over with it: no widow
            assert without_spaces(f"Line number {count - 1} of the letter.") in texts[last_line]


def test_a_paragraph_never_leaves_one_line_behind():
    """No orphan: the first line of the spilling paragraph never sits alone at the foot of page one."""
    for count, texts in letters_around_the_first_page_break("\n"):
        if len(texts) > 1:
            on_first = texts[0].count(without_spaces("of the letter."))
            assert on_first != 1 and count - on_first != 1, f"{count} lines: {on_first} on page one"
