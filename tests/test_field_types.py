"""A letter's values are checked by the letter domain alone: no web app, one record per field type."""

import dataclasses
import datetime

import flask
import pytest

from letterhouse.letters.blank import is_blank
from letterhouse.letters.catalog import load_template
from letterhouse.letters.field_types import BOOLEAN_WORDS, FIELD_TYPES, json_type
from letterhouse.letters.fields import FieldSpec
from letterhouse.letters.letter import validate_mapping

LIMITS = {"string": 200, "text": 4000}
NOTE = """---
title: A note
fields:
  - name: note
    type: text
    required: true
  - name: with_love
    label: Send love
    type: boolean
  - name: years
    label: Years together
    type: integer
    min: 1
    max: 90
---
{{ note }}{% if with_love %} With love.{% endif %} {{ years }}
"""


@pytest.fixture
def note(tmp_path):
    path = tmp_path / "note.jinja"
    path.write_text(NOTE, encoding="utf-8")
    return load_template(path, LIMITS)


def test_a_letter_is_checked_without_any_web_app(note):
    assert not flask.has_app_context()
    letter, errors = validate_mapping(note, {"sender_name": "Sam", "recipient_name": "Chris", "note": "Hi",
                                             "with_love": True, "years": 12, "date": "2026-02-14"})
    assert errors == {}
    assert letter.values["with_love"] is True and letter.values["years"] == 12
    assert letter.values["date"] == datetime.date(2026, 2, 14)


def test_a_wrong_value_is_told_plainly_without_any_web_app(note):
    _, errors = validate_mapping(note, {"sender_name": "Sam", "recipient_name": "Chris", "note": "Hi",
                                        "years": "twelve", "with_love": "maybe"}, source="text")
    assert errors == {"years": ["Years together must be a whole number, like 12."],
                      "with_love": ["Send love must be yes or no (or true/false, 1/0)."]}


@pytest.mark.parametrize("word", [*BOOLEAN_WORDS, *(word.upper() for word in BOOLEAN_WORDS)])
def test_every_boolean_word_reads_the_same_from_a_form_and_a_csv_cell(note, word):
    letter, errors = validate_mapping(note, {"sender_name": "Sam", "recipient_name": "Chris", "note": "Hi",
                                             "with_love": word}, source="text")
    assert errors == {} and letter.values["with_love"] is BOOLEAN_WORDS[word.lower()]


@pytest.mark.parametrize("kind", list(FIELD_TYPES))
def test_every_field_type_is_one_record_with_every_part(kind):
    field_type = FIELD_TYPES[kind]
    spec = FieldSpec("x", "X", type=kind, choices=(("a", "A"),))
    field_class, checks, kwargs = field_type.form_field(spec, LIMITS)
    assert field_type.name == kind and field_class and isinstance(checks, list) and isinstance(kwargs, dict)
    assert "type" in field_type.json_schema(spec, LIMITS)
    assert field_type.cell_hint(spec, LIMITS)
    assert field_type.default_problem(["a list"]) == "must be a single value, not a list or mapping"


@pytest.mark.parametrize("kind", list(FIELD_TYPES))
def test_the_json_type_a_field_type_publishes_is_the_one_it_takes(kind):
    spec = FieldSpec("x", "X", type=kind, choices=(("a", "A"),))
    assert {FIELD_TYPES[kind].json_schema(spec, LIMITS)["type"]} == FIELD_TYPES[kind].json_types


@pytest.mark.parametrize("value, kind", [(12, "integer"), (12.0, "integer"), (1.5, "number"), (float("inf"), "number"),
                                         (True, "boolean"), ("12", "string"), (None, "null"), ([], "array")])
def test_a_json_value_has_the_type_json_schema_gives_it(value, kind):
    assert json_type(value) == kind


@pytest.mark.parametrize("text, blank", [("", True), ("  \t\n", True), ("\u00a0\u2003\u3000", True),
                                         ("\u200b\u200c\u200d\u2060\ufeff", True), ("\u3164\u2800", True),
                                         (".", False), ("\u200bA", False), ("\u0301", False), ("０", False)])
def test_blank_is_text_that_shows_nothing(text, blank):
    assert is_blank(text) is blank


@pytest.mark.parametrize("kind, default, problem", [
    ("integer", "12", "is not a whole number"),
    ("integer", True, "is not a whole number"),
    ("boolean", "yes", "must be true or false"),
    ("date", "2026-02-30", "is not a date like 2026-02-14"),
    ("choice", "b", "is not one of the choices"),
    ("integer", 12, None),
    ("date", datetime.date(2026, 2, 14), None),
])
def test_a_templates_default_is_checked_by_its_field_type(kind, default, problem):
    assert FIELD_TYPES[kind].default_problem(default, (("a", "A"),)) == problem


NOTE_VALUES = {"sender_name": "Sam", "recipient_name": "Chris", "note": "Hi"}


def spy_on_readers(monkeypatch, kind):
    """Replace a field type's two readers with ones that record what they read, and return the records."""
    read = {"text": [], "value": []}
    field_type = FIELD_TYPES[kind]

    def from_text(text):
        read["text"].append(text)
        return field_type.from_text(text)

    def from_value(value):
        read["value"].append(value)
        return field_type.from_value(value)

    monkeypatch.setitem(FIELD_TYPES, kind, dataclasses.replace(field_type, from_text=from_text, from_value=from_value))
    return read


@pytest.mark.parametrize("kind, name, value, typed", [
    ("integer", "years", 12, 12),
    ("boolean", "with_love", True, True),
    ("boolean", "with_love", False, False),
])
def test_a_json_value_reaches_the_letter_read_once_by_its_type_with_no_text_in_between(note, monkeypatch,
                                                                                       kind, name, value, typed):
    read = spy_on_readers(monkeypatch, kind)
    letter, errors = validate_mapping(note, {**NOTE_VALUES, name: value}, source="json")
    assert errors == {} and letter.values[name] is typed
    assert read == {"text": [], "value": [value]}


@pytest.mark.parametrize("kind, name, text, typed", [
    ("integer", "years", "12", 12),
    ("boolean", "with_love", "no", False),
    ("date", "date", "2026-02-14", datetime.date(2026, 2, 14)),
    ("text", "note", "Hi", "Hi"),
])
def test_a_csv_cell_reaches_the_letter_read_once_from_its_text(note, monkeypatch, kind, name, text, typed):
    read = spy_on_readers(monkeypatch, kind)
    letter, errors = validate_mapping(note, {**NOTE_VALUES, name: text}, source="text")
    assert errors == {} and letter.values[name] == typed
    assert read == {"text": [text], "value": []}


def test_a_json_value_of_a_type_its_field_does_not_take_is_refused_never_read_from_its_text(note, monkeypatch):
    read = spy_on_readers(monkeypatch, "integer")
    for value, given in [("12", "a string"), (True, "true")]:
        _, errors = validate_mapping(note, {**NOTE_VALUES, "years": value}, source="json")
        assert errors == {"years": [f"Years together must be a whole number (a JSON integer, like 12), not {given}."]}
    assert read == {"text": [], "value": []}


def test_a_value_that_cannot_be_read_is_told_once_in_the_forms_order(note):
    _, errors = validate_mapping(note, {"sender_name": "Sam", "with_love": "maybe", "years": 12.5}, source="json")
    assert list(errors) == ["recipient_name", "note", "with_love", "years"]
    assert errors["years"] == ["Years together must be a whole number (a JSON integer, like 12), "
                               "not a number with a fraction."]
    assert errors["with_love"] == ["Send love must be true or false (a JSON boolean), not a string."]


def test_a_number_read_from_json_is_checked_as_a_number(note):
    _, errors = validate_mapping(note, {**NOTE_VALUES, "years": 0}, source="json")
    assert errors == {"years": ["Years together must be between 1 and 90."]}
    letter, errors = validate_mapping(note, {**NOTE_VALUES, "years": 90}, source="json")
    assert errors == {} and letter.values["years"] == 90


def test_a_date_left_empty_is_today_and_seeds_the_same_from_json_and_from_text(note):
    from_json, _ = validate_mapping(note, {**NOTE_VALUES, "years": 3, "with_love": False}, "json")
    from_text, _ = validate_mapping(note, {**NOTE_VALUES, "years": "3", "with_love": "no", "date": ""}, "text")
    assert from_json.values == from_text.values and from_json.seed == from_text.seed


@pytest.mark.parametrize("source", ["json", "text"])
def test_a_value_left_out_takes_the_templates_own_default(app, source):
    """new-baby says first_child defaults to yes: a row or object that leaves it out means yes, not no."""
    template = app.extensions["letterhouse.letters.catalog"].get("new-baby")
    given = {"sender_name": "Ada", "recipient_name": "Grace", "little_one": "Tom"}
    letter, errors = validate_mapping(template, {k: v for k, v in given.items() if k in template.form_class.specs},
                                      source)
    assert errors == {}
    assert letter.values["first_child"] is True
    assert letter.values["you_are"] == "friend"
