"""The letter in the writer's own words: the template's text to start from, and their edit printed as they wrote it."""

import pytest
from conftest import ANNIVERSARY, BUNDLED_TEMPLATES, pdf_fonts, pdf_shows, pdf_text, without_spaces

from letterhouse.letters.catalog import example_values, load_template
from letterhouse.letters.fields import COMMON_FIELDS
from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.wording import (
    Words,
    changed_details,
    details_fingerprint,
    template_text,
    template_words,
    words_from_text,
)
from letterhouse.render.compose import compose_letter_html
from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.provenance import read_provenance

LIMITS = {"string": 200, "text": 4000}
TEMPLATES = sorted(BUNDLED_TEMPLATES.glob("*.jinja"))
TEMPLATES_SENTENCE = "I wanted to mark it with more than a card"
MY_SENTENCE = "Twelve years, and you still laugh at the same bad joke about the ferry."


def template(slug="anniversary"):
    return load_template(BUNDLED_TEMPLATES / f"{slug}.jinja", LIMITS)


def letter_of(values, slug="anniversary"):
    letter, errors = validate_mapping(template(slug), values)
    assert errors == {}
    return letter


def edited(text):
    """Return Chris's anniversary letter with the words Sam wrote instead of the template's."""
    return letter_of({**ANNIVERSARY, "letter_text": text})


def sams_edit():
    """Return the template's text for Chris with its second paragraph rewritten, as a person edits it."""
    paragraphs = template_text(letter_of(ANNIVERSARY)).split("\n\n")
    paragraphs[1] = MY_SENTENCE
    return "\n\n".join(paragraphs)


def test_every_letter_takes_an_optional_text_in_the_writers_own_words():
    spec = next(spec for spec in COMMON_FIELDS if spec.name == "letter_text")
    assert (spec.type, spec.required, spec.max_length) == ("text", False, 10_000)


def test_the_text_to_edit_is_the_letter_as_the_template_wrote_it_for_these_details():
    letter = letter_of(ANNIVERSARY)
    text = template_text(letter)
    blocks = text.split("\n\n")
    assert blocks[0] == "Dear Chris,"
    assert blocks[-1].splitlines()[-1] == "Sam Okafor"
    assert "the night the car broke down outside Lyon" in text
    assert len(blocks) == len(template_words(letter).paragraphs) + 2  # greeting, paragraphs, closing and signature


def test_the_text_carries_the_greeting_closing_signature_and_postscript_typed_in_the_form():
    text = template_text(letter_of({**ANNIVERSARY, "salutation": "My dearest Chris,", "closing": "Yours ever,",
                                    "signature": "Sammy", "postscript": "Bring the umbrella."}))
    blocks = text.split("\n\n")
    assert blocks[0] == "My dearest Chris,"
    assert blocks[-2:] == ["Yours ever,\nSammy", "P.S. Bring the umbrella."]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.stem)
def test_the_templates_text_left_as_it_is_prints_the_very_same_letter(path):
    loaded = load_template(path, LIMITS)
    letter, errors = validate_mapping(loaded, example_values(loaded))
    assert errors == {}
    unedited, _ = validate_mapping(loaded, {**example_values(loaded), "letter_text": template_text(letter)})
    assert words_from_text(template_text(letter)) == template_words(letter)
    assert compose_letter_html(unedited) == compose_letter_html(letter)


def test_the_pdf_shows_the_edited_sentence_and_not_the_templates():
    assert pdf_shows(write_letter_pdf(letter_of(ANNIVERSARY)).pdf, TEMPLATES_SENTENCE)
    pdf = write_letter_pdf(edited(sams_edit())).pdf
    assert pdf_shows(pdf, MY_SENTENCE)
    assert not pdf_shows(pdf, TEMPLATES_SENTENCE)
    assert pdf_shows(pdf, "Dear Chris,") and pdf_shows(pdf, "Sam Okafor")


def test_editing_the_words_keeps_the_seed_so_the_hand_and_ink_are_the_same():
    template_letter, own = letter_of(ANNIVERSARY), edited(sams_edit())
    assert own.seed == template_letter.seed
    template_pdf, own_pdf = write_letter_pdf(template_letter).pdf, write_letter_pdf(own).pdf
    assert read_provenance(own_pdf).seed == read_provenance(template_pdf).seed == template_letter.seed
    assert pdf_fonts(own_pdf) == pdf_fonts(template_pdf)
    assert compose_letter_html(own).split("<body")[0] == compose_letter_html(template_letter).split("<body")[0]


def test_a_deleted_paragraph_is_gone_and_an_added_one_is_there():
    paragraphs = template_text(letter_of(ANNIVERSARY)).split("\n\n")
    deleted = paragraphs[2]
    text = "\n\n".join([*paragraphs[:2], *paragraphs[3:-1], "One more thing: the ferry.", paragraphs[-1]])
    pdf = write_letter_pdf(edited(text)).pdf
    assert not pdf_shows(pdf, deleted)
    assert pdf_shows(pdf, "One more thing: the ferry.")


def test_markup_and_template_code_in_the_text_are_printed_as_written():
    hostile = "<b>bold</b> {{ 7*7 }} {% if true %}x{% endif %} &amp; <script>alert(1)</script>"
    letter = edited(f"Dear Chris,\n\n{hostile}\n\nLove,\nSam")
    html = compose_letter_html(letter)
    assert "<b>" not in html and "<script>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    text = pdf_text(write_letter_pdf(letter).pdf)
    assert without_spaces(hostile) in without_spaces(text)
    assert "49" not in text


def test_a_text_over_ten_thousand_characters_is_refused_naming_the_field():
    letter, errors = validate_mapping(template(), {**ANNIVERSARY, "letter_text": "x" * 10_001})
    assert letter is None
    assert list(errors) == ["letter_text"]
    assert "10000" in errors["letter_text"][0].replace(",", "")
    assert validate_mapping(template(), {**ANNIVERSARY, "letter_text": "x" * 10_000})[1] == {}


def test_an_empty_text_means_the_templates_words():
    for empty in ("", "  \r\n \r\n"):
        assert compose_letter_html(edited(empty)) == compose_letter_html(letter_of(ANNIVERSARY))


@pytest.mark.parametrize("text, words", [
    ("Dear Chris,\n\nThank you.\n\nLove,\nSam",
     Words("Dear Chris,", (("Thank you.",),), ("Love,",), "Sam", ())),
    ("Dear Chris,\r\n\r\nThank you.\r\n \r\nSam\r\n\r\nP.S. The umbrella.\r\n\r\nP.P.S. And the dog.",
     Words("Dear Chris,", (("Thank you.",),), (), "Sam", ("P.S. The umbrella.", "P.P.S. And the dog."))),
    ("Roses are red,\nviolets are blue.\n\nWith love,\nalways,\nSam",
     Words("", (("Roses are red,", "violets are blue."),), ("With love,", "always,"), "Sam", ())),
    ("Just one paragraph, no greeting and no name.",
     Words("", (("Just one paragraph, no greeting and no name.",),), (), "", ())),
    ("Dear Chris,\n\nI wrote so much.\n" + "It goes on and on. " * 10,
     Words("Dear Chris,", (("I wrote so much.", ("It goes on and on. " * 10).strip()),), (), "", ())),
])
def test_the_greeting_sign_off_and_postscript_are_found_in_the_text_as_a_person_writes_it(text, words):
    assert words_from_text(text) == words


def test_every_word_of_a_text_is_kept_whatever_its_shape():
    text = "Chris —\n\nline one\nline two\n\n\n\nP.S. first\n\nlast words here"
    words = words_from_text(text)
    kept = [words.salutation, *(line for lines in words.paragraphs for line in lines), *words.closing,
            words.signature, *words.postscript]
    assert without_spaces("".join(kept)) == without_spaces(text)


def test_a_changed_detail_is_named_and_a_style_change_is_not():
    specs = template().form_class.specs
    before = letter_of(ANNIVERSARY).values
    fingerprint = details_fingerprint(before, specs)
    assert changed_details(fingerprint, before, specs) == []
    assert changed_details(fingerprint, {**before, "ink": "black", "hand": "kalam", "letter_text": "Hi"}, specs) == []
    assert changed_details(fingerprint, {**before, "recipient_name": "Alex"}, specs) == ["recipient_name"]
    assert changed_details(fingerprint, {**before, "postscript": "Bring cake."}, specs) == ["postscript"]
    assert set(changed_details("not a fingerprint", before, specs)) >= {"sender_name", "recipient_name"}
