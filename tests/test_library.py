"""Every shipped letter passes its check, writes each detail it is given, and reads cleanly with details left out."""

import dataclasses
import functools
import itertools
import json
import re

import pytest
from conftest import BUNDLED_TEMPLATES, pdf_shows, pdf_text

from letterhouse import create_app
from letterhouse.letters.catalog import load_template
from letterhouse.letters.fields import COMMON_FIELDS
from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.wording import body_paragraphs, render_body
from letterhouse.render.template_report import check_file, example_path

LIMITS = {"string": 200, "text": 4000}
SHIPPED = sorted(BUNDLED_TEMPLATES.glob("*.jinja"))
SEEDS = (0, 1, 2, 3)  # enough to reach every phrasing of a two- or three-way {% choose %} most of the time
OPTIONAL_COMMON = [spec for spec in COMMON_FIELDS if not spec.required and spec.type in ("string", "text")]
# The layout writes these verbatim; recipient_name appears only as a first name in the greeting.
WRITTEN_COMMON = ("sender_address", "recipient_address", "place", "salutation", "closing", "signature")
DANGLING = {
    "a space before punctuation": re.compile(r"\s[,;:!?]|\s\.(?!\.\.)"),
    "a double space": re.compile(r"\S {2,}\S"),
    "empty brackets": re.compile(r"\(\s*\)"),
    "an empty value written out": re.compile(r"\b(?:None|False)\b"),
    "a sentence ending on a joining word": re.compile(r"\b(?:and|with|or)\s*[,.;:!?]", re.IGNORECASE),
    "punctuation with nothing between": re.compile(r"[,;:]\s*[,.;:!?]|,\s*,"),
    "a sentence starting with punctuation": re.compile(r"^[,.;:!?]"),
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """The bundled templates as the site reads them, with each file checked once."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-only-secret", "TEMPLATES": str(BUNDLED_TEMPLATES),
                      "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance"))})
    with app.app_context():
        yield Library(app.config["MAX_PAGES"])


class Library:
    """Checks and example letters of the shipped templates, each worked out once per test run."""

    def __init__(self, max_pages):
        self.max_pages = max_pages
        self._checks = {}
        self._bodies = {}

    def check(self, path):
        if path not in self._checks:
            self._checks[path] = check_file(path, LIMITS, self.max_pages)
        return self._checks[path]

    def example(self, path):
        return json.loads(example_path(path).read_text(encoding="utf-8"))

    def body(self, template, values, seed):
        """Return the letter's body as composed paragraphs for these values and a fixed seed."""
        key = (template.slug, json.dumps(values, sort_keys=True), seed)
        if key not in self._bodies:
            letter, errors = validate_mapping(template, values)
            assert errors == {}, errors
            self._bodies[key] = body_paragraphs(render_body(dataclasses.replace(letter, seed=seed)))
        return self._bodies[key]


@functools.cache
def shipped(path):
    """Return a shipped template, parsed and compiled once per test run."""
    return load_template(path, LIMITS)


def choice_fields():
    """Return (template path, field name) for every choice field a shipped template declares."""
    return [(path, spec.name) for path in SHIPPED
            for spec in shipped(path).fields if spec.type == "choice"]


def optional_fields(template):
    """Return the fields a person may leave empty: the template's own, then the common ones."""
    own = [spec for spec in template.fields if not spec.required and spec.type != "choice"]
    return own + OPTIONAL_COMMON


def emptied(values, specs):
    """Return values with each field of specs left empty, as a person leaving it blank would.

    A number or date is left out rather than sent as "": the form still refuses an empty
    optional number (see test_an_optional_number_left_empty_on_the_form_is_accepted).
    """
    values = {**values, **{spec.name: False if spec.type == "boolean" else "" for spec in specs}}
    return {name: value for name, value in values.items()
            if not (value == "" and name in {spec.name for spec in specs if spec.type in ("integer", "date")})}


def sentences(paragraphs):
    """Return the sentences of a composed body, in order."""
    return [sentence for paragraph in paragraphs for line in paragraph for sentence in SENTENCE_END.split(line)]


def dangling_words(paragraphs, full_paragraphs):
    """Return each sentence that shows a detail was left out, with what gives it away.

    A sentence the full letter writes too is the author's own prose ("there is nobody I
    would rather disagree with."), not a gap.
    """
    written_in_full = set(sentences(full_paragraphs))
    return [f"{reason}: {sentence!r}" for sentence in sentences(paragraphs) if sentence not in written_in_full
            for reason, pattern in DANGLING.items() if pattern.search(sentence)]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_template_passes_its_check_without_a_warning(library, path):
    check = library.check(path)
    assert [str(problem) for problem in check.problems] == []
    assert check.pdf is not None


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_detail_of_the_example_is_written_in_its_letter(library, path):
    template, example = shipped(path), library.example(path)
    text = pdf_text(library.check(path).pdf)
    names = [spec.name for spec in template.fields if spec.type in ("string", "text")] + list(WRITTEN_COMMON)
    if not example.get("signature"):
        names.append("sender_name")  # signed with the sender's name
    missing = [name for name in names if example.get(name) and not pdf_shows(text, example[name])]
    assert missing == [], f"not in the PDF: {[(name, example[name]) for name in missing]}"


@pytest.mark.parametrize("path, name", choice_fields(), ids=lambda x: getattr(x, "stem", x))
def test_each_choice_writes_a_different_letter(library, path, name):
    template, example = shipped(path), library.example(path)
    spec = next(spec for spec in template.fields if spec.name == name)
    same = []
    for others in other_choices(template, spec):  # whatever the tone, the relationship must show
        for seed in SEEDS:
            bodies = {value: library.body(template, {**example, **others, name: value}, seed)
                      for value, _ in spec.choices}
            same += [(others, seed, a, b) for a in bodies for b in bodies if a < b and bodies[a] == bodies[b]]
    assert same == [], f"with these other choices and seed, two values of {name} write the same letter"


def other_choices(template, spec):
    """Return every combination of values of the template's other choice fields, as dicts."""
    others = [other for other in template.fields if other.type == "choice" and other is not spec]
    combinations = itertools.product(*[[value for value, _ in other.choices] for other in others])
    return [dict(zip([other.name for other in others], values, strict=True)) for values in combinations]


def left_out_cases(template, example):
    """Return {case: (the full values, the same with details left out)}: all at once, and each singly.

    All at once is tried with every value of each choice field, so every tone and relationship
    is read with nothing optional to lean on.
    """
    optional = optional_fields(template)
    bases = {"": example} | {f", {spec.name}={value}": {**example, spec.name: value}
                             for spec in template.fields if spec.type == "choice" for value, _ in spec.choices}
    cases = {f"all left out{suffix}": (base, emptied(base, optional)) for suffix, base in bases.items()}
    return cases | {f"{spec.name} left out": (example, emptied(example, [spec])) for spec in optional}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_details_left_out_leave_no_dangling_words(library, path):
    template, example = shipped(path), library.example(path)
    found = []
    for case, (full, values) in left_out_cases(template, example).items():
        for seed in SEEDS:
            body, full_body = library.body(template, values, seed), library.body(template, full, seed)
            found += [f"{case}, seed {seed}: {word}" for word in dangling_words(body, full_body)]
            if len(body) > len(full_body):
                found.append(f"{case}, seed {seed}: an empty detail split a paragraph in two")
    assert found == []


def test_a_letter_that_leaves_gaps_is_caught(library, tmp_path):
    """The checks above can fail: a careless template trips each of them."""
    path = tmp_path / "careless.jinja"
    path.write_text("---\ntitle: Careless\nfields:\n  - name: memory\n  - name: years\n    type: integer\n---\n"
                    "I remember {{ memory }}, the sea ({{ memory }}) and {{ memory }}.\n{{ memory }}\n"
                    "It has been {{ years }} years.\n")
    template = load_template(path, LIMITS)
    example = {"sender_name": "Ana", "recipient_name": "Jo", "memory": "Lyon", "years": 3}
    full, values = left_out_cases(template, example)["all left out"]
    body, full_body = library.body(template, values, 0), library.body(template, full, 0)
    reasons = {word.split(":")[0] for word in dangling_words(body, full_body)}
    assert reasons == {"a space before punctuation", "empty brackets", "an empty value written out",
                       "a sentence ending on a joining word"}
    assert len(body) > len(full_body)  # the empty middle line parted the paragraph


def test_an_optional_number_left_empty_on_the_form_is_accepted(library):
    template = load_template(BUNDLED_TEMPLATES / "reconnection.jinja", LIMITS)
    values = {**library.example(BUNDLED_TEMPLATES / "reconnection.jinja"), "years_apart": ""}
    assert validate_mapping(template, values)[1] == {}
