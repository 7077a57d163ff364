"""A letter from two or more people ("Maya & Luis") says we, us and our; a letter from one says I, as before."""

import dataclasses
import itertools
import json
import re

import pytest
from conftest import BUNDLED_TEMPLATES, pdf_text

from letterhouse.letters.catalog import load_template
from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.wording import render_body
from letterhouse.render.template_report import example_path

LIMITS = {"string": 200, "text": 4000}
TOGETHER = ("thank-you", "new-baby", "holiday-letter", "condolence", "get-well", "graduation", "birthday",
            "farewell-retirement", "thank-you-help", "milestone-birthday", "new-job")
SINGULAR = re.compile(r"\b(?:I|me|my|mine|myself)\b", re.IGNORECASE)
PLURAL = re.compile(r"\b(?:we|us|our|ours|ourselves)\b", re.IGNORECASE)
SEEDS = (0, 1, 2, 3)


def details(slug, **changes):
    """Return the template and its example's values, every detail a plain noun, so any I is the template's."""
    template = load_template(BUNDLED_TEMPLATES / f"{slug}.jinja", LIMITS)
    example = json.loads(example_path(template.path).read_text(encoding="utf-8"))
    plain = {spec.name: "the lake" for spec in template.fields if spec.type in ("string", "text")}
    return template, {**example, **plain, **changes}


def bodies(template, values):
    """Return the body written for every combination of the template's choices and every seed."""
    choices = [spec for spec in template.fields if spec.type == "choice"]
    for picked in itertools.product(*[[value for value, _ in spec.choices] for spec in choices]):
        letter, errors = validate_mapping(template, {**values, **dict(zip([s.name for s in choices], picked))})
        assert errors == {}
        for seed in SEEDS:
            yield render_body(dataclasses.replace(letter, seed=seed))


@pytest.mark.parametrize("slug", TOGETHER)
def test_a_letter_written_together_never_says_i_me_or_my(slug):
    template, values = details(slug, sender_name="Maya & Luis", we=True)
    singular = {word for body in bodies(template, values) for word in SINGULAR.findall(body)}
    assert singular == set()


@pytest.mark.parametrize("slug", TOGETHER)
def test_a_letter_from_one_person_still_says_i(slug):
    template, values = details(slug)
    assert all(SINGULAR.search(body) for body in bodies(template, values))


@pytest.mark.parametrize("slug", TOGETHER)
def test_the_pdf_of_a_letter_from_maya_and_luis_says_we(letters, slug):
    _, values = details(slug, sender_name="Maya & Luis", recipient_name="Aunt May", we="y")
    values = {name: value for name, value in values.items() if not isinstance(value, bool) or value}
    preview = letters.submit(slug, values)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    text = pdf_text(letters.download(slug, preview.get_data(as_text=True)).data)
    assert "Dear Aunt May," in text and "Maya & Luis" in text
    assert PLURAL.search(text.split("Dear Aunt May,", 1)[1])
    assert SINGULAR.findall(text) == []


def test_the_form_asks_whether_two_or_more_are_writing(letters):
    form = letters.open_form("thank-you")
    assert "Written by two or more of us" in form and 'name="we"' in form


@pytest.mark.parametrize("slug", ["anniversary", "love-letter", "blank-page"])
def test_a_letter_whose_words_never_change_for_two_does_not_ask(letters, slug):
    form = letters.open_form(slug)
    assert "Written by two or more of us" not in form and 'name="we"' not in form
