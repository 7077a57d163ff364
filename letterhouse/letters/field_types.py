"""Field types: one FieldType record per type a template may declare, and the one table of them.

Adding a field type is adding one record to FIELD_TYPES: its form field, JSON Schema, spreadsheet
hint, empty value, the JSON types it takes, and how it reads a typed-in text (form, CSV cell) or a
JSON value. Every value is read once, by `FieldType.read`, from what came in; the form then checks typed values.
"""

import datetime
import math
import re
from dataclasses import dataclass
from typing import Callable

from wtforms import fields as wtf
from wtforms import validators
from wtforms.fields.choices import SelectChoice

from letterhouse.letters.blank import is_blank, is_blank_text

# The one set of words a yes/no field reads, from a form, a CSV cell, a command line or a query string.
BOOLEAN_WORDS = {"yes": True, "y": True, "true": True, "on": True, "1": True,
                 "no": False, "n": False, "false": False, "off": False, "0": False}
# JSON has no "unset": a field left out takes its default, so null is refused rather than guessed at.
NULL_REFUSAL = "{label}: null is not a value; leave the field out for its default, or give a value."


@dataclass(frozen=True)
class FieldType:
    """Everything Letterhouse knows about one type of field."""

    name: str
    form_field: Callable  # (spec, limits) -> (WTForms field class, validators, kwargs)
    json_schema: Callable  # (spec, limits) -> the JSON Schema of a value, as a JSON client writes it
    cell_hint: Callable  # (spec, limits) -> what a spreadsheet cell of this field holds
    from_text: Callable  # text typed into a form or a CSV cell -> typed value; ValueError("{label} ...")
    from_value: Callable  # a JSON or YAML value of one of json_types -> typed value; ValueError("is not ...")
    json_types: frozenset  # the JSON types (JSON Schema's names) a JSON value of this field may have
    expects: str  # what a JSON value must be, for the refusal of any other: "text (a JSON string)"
    empty: object = ""  # the value of a field left empty, when it has no default

    def read(self, value, source):
        """Return the typed value of what came in, read once; blank text is returned as it is, to the form's rules.

        `source` is "text" for what a person typed (a form, a CSV cell, the command line's --set),
        read as people write it ("12", "yes"); or "json" for a JSON value, which must be one of the
        JSON types the field takes: 12 for a number, true for yes/no, a string for text or a date.
        A value that is not text (the batch's own style, already typed) is read as JSON.

        :raise ValueError: "{label} must be ..." when the value cannot be read
        """
        if source == "text" and isinstance(value, str):
            return value if is_blank(value) else self.from_text(value)
        if json_type(value) not in self.json_types:
            raise ValueError(self.type_refusal(value))
        if is_blank_text(value):
            return value  # "" for a field written as a string: left empty, like an empty cell
        try:
            return self.from_value(value)
        except ValueError as error:
            raise ValueError(f"{{label}} {error}.") from None

    def type_refusal(self, value):
        """Return why a JSON value of the wrong type is refused, naming the type expected ("{label}" unfilled)."""
        if value is None:
            return NULL_REFUSAL
        return f"{{label}} must be {self.expects}, not {described(value)}."

    def default_problem(self, default, choices=()):
        """Return what is wrong with a template's default for a field of this type, or None."""
        if isinstance(default, (list, dict)):
            return "must be a single value, not a list or mapping"
        if self.name == "choice" and str(default) not in {value for value, _ in choices}:
            return "is not one of the choices"
        try:
            self.from_value(default)
        except ValueError as error:
            return str(error)
        return None


def json_type(value):
    """Return the JSON Schema type of a value read from JSON: 12 and 12.0 are "integer", 1.5 is "number"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    kinds = ((float, "number"), (str, "string"), ((list, tuple), "array"), (dict, "object"))
    return next((kind for python_type, kind in kinds if isinstance(value, python_type)), type(value).__name__)


def described(value):
    """Return a JSON value as a refusal names it: "true", "a number", "a list"."""
    kind = json_type(value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "number" and not math.isfinite(value):
        return "a number too large to be read"
    return {"integer": "a number", "number": "a number with a fraction", "string": "a string", "array": "a list",
            "object": "an object"}.get(kind, kind)


class ParsedOnceMixin:
    """A field read by its FieldType: unreadable input gets one plain message, not a parse error plus a range error."""

    type_name = ""

    def process_formdata(self, valuelist):
        if valuelist and not isinstance(valuelist[0], str):
            self.data = valuelist[0]  # already read by its FieldType (validate_mapping): not read again
            return
        if not valuelist or is_blank(valuelist[0]):
            self.data = None  # left empty: Optional or InputRequired decides, not the parser
            return
        try:
            self.data = FIELD_TYPES[self.type_name].from_text(str(valuelist[0]))
        except ValueError as error:
            self.data = None
            raise ValueError(str(error).format(label=self.label.text)) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise validators.StopValidation()
        super().pre_validate(form)


class WholeNumberField(ParsedOnceMixin, wtf.IntegerField):
    type_name = "integer"


class CalendarDateField(ParsedOnceMixin, wtf.DateField):
    type_name = "date"


class YesNoField(ParsedOnceMixin, wtf.BooleanField):
    type_name = "boolean"


class ChoiceField(wtf.SelectField):
    """A select whose refusal lists the values it takes: "Not a valid choice" alone leaves a person guessing."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except validators.ValidationError:
            values = [choice.value for choice in self.iter_choices()]
            raise validators.ValidationError(choice_refusal(self.data, values)) from None


def choice_refusal(value, values):
    """Return why a value is not one of the values a choice takes, listing them."""
    text = "" if value is None else str(value)
    given = f"“{text[:40]}{'…' if len(text) > 40 else ''}” is not one of them. " if not is_blank(text) else ""
    return f"Not a valid choice. {given}Choose one of: {', '.join(values)}."


# Reading text and plain values.

def same_text(text):
    return text


def same_value(value):
    return value


WHOLE_NUMBER = re.compile(r"-?[0-9]+")  # ASCII digits only: int() would also read "١٢" and "１２"


def whole_number_from_text(text):
    text = text.strip()
    if WHOLE_NUMBER.fullmatch(text):
        return int(text)
    if any(char.isdigit() and not char.isascii() for char in text):
        raise ValueError("{label} must be a whole number written with the digits 0 to 9, like 12.")
    raise ValueError("{label} must be a whole number, like 12.")


def whole_number_from_value(value):
    if json_type(value) != "integer":
        raise ValueError("is not a whole number")
    return int(value)


# The years a letter may be dated in: a year typed with a digit too many or too few is a mistake, not a date.
FIRST_YEAR, LAST_YEAR = 1000, 2999
LETTER_YEARS = "^[12][0-9]{3}-"  # the years FIRST_YEAR to LAST_YEAR, as JSON Schema can say it of an ISO date


def within_letter_years(date, refusal, example=""):
    """Return the date if a letter may be dated in its year, else raise `refusal` naming the years."""
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValueError(f"{refusal} the years {FIRST_YEAR} and {LAST_YEAR}{example}")
    return date


TYPED_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")  # a date box's own 2026-02-14, or a person's 2026-2-14
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # what JSON Schema's "date" format means, and nothing else


def date_from_text(text):
    try:
        if not TYPED_DATE.fullmatch(text.strip()):
            raise ValueError
        date = datetime.datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError("{label} must be a date, like 2026-02-14.") from None
    return within_letter_years(date, "{label} must be a date between", ", like 2026-02-14.")


def date_from_value(value):
    try:
        if not ISO_DATE.fullmatch(str(value)):
            raise ValueError
        date = datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError("is not a date like 2026-02-14") from None
    return within_letter_years(date, "is not a date between")


def yes_no_from_text(text):
    word = text.strip().lower()
    if word not in BOOLEAN_WORDS:
        raise ValueError("{label} must be yes or no (or true/false, 1/0).")
    return BOOLEAN_WORDS[word]


def yes_no_from_value(value):
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


# Form fields: spec -> (field class, validators, kwargs).

def text_length(spec, limits):
    return validators.Length(max=spec.max_length or limits[spec.type],
                             message=f"{spec.label} can be at most %(max)d characters.")


def one_character_line_breaks(value):
    """Return text with each line break as one character: a browser sends a text box's breaks as CR LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def string_field(spec, limits):
    return wtf.StringField, [text_length(spec, limits)], {"filters": [one_character_line_breaks]}


def text_field(spec, limits):
    return wtf.TextAreaField, [text_length(spec, limits)], {"filters": [one_character_line_breaks]}


def integer_field(spec, limits):
    checks = []
    if spec.min is not None or spec.max is not None:
        checks.append(validators.NumberRange(spec.min, spec.max, message=range_message(spec)))
    return WholeNumberField, checks, {}


def range_message(spec):
    if spec.min is not None and spec.max is not None:
        return f"{spec.label} must be between {spec.min} and {spec.max}."
    if spec.min is not None:
        return f"{spec.label} must be at least {spec.min}."
    return f"{spec.label} must be at most {spec.max}."


def date_field(spec, limits):
    return CalendarDateField, [], {}


def choice_field(spec, limits):
    choices = [SelectChoice(value, label) for value, label in spec.choices]
    return ChoiceField, [], {"choices": choices, "validate_choice": True}


def boolean_field(spec, limits):
    return YesNoField, [], {}


# JSON Schema: how a JSON client writes the field.

def text_schema(spec, limits):
    return {"type": "string", "maxLength": spec.max_length or limits.get(spec.type, 0) or None}


def integer_schema(spec, limits):
    return {"type": "integer", "minimum": spec.min, "maximum": spec.max}


def date_schema(spec, limits):
    return {"type": "string", "format": "date", "pattern": LETTER_YEARS}


def choice_schema(spec, limits):
    return {"type": "string", "enum": [value for value, _ in spec.choices],
            "oneOf": [{"const": value, "title": label} for value, label in spec.choices]}


def boolean_schema(spec, limits):
    return {"type": "boolean"}


# Spreadsheet hints: what to type in a cell.

def string_hint(spec, limits):
    return f"text, at most {spec.max_length or limits.get('string')} characters"


def text_hint(spec, limits):
    return f"text, at most {spec.max_length or limits.get('text')} characters, may run over lines"


def integer_hint(spec, limits):
    if spec.min is not None and spec.max is not None:
        return f"a whole number from {spec.min} to {spec.max}"
    if spec.min is not None:
        return f"a whole number of at least {spec.min}"
    if spec.max is not None:
        return f"a whole number of at most {spec.max}"
    return "a whole number"


def date_hint(spec, limits):
    return "a date like 14 February 2026 or 2026-02-14 (or 14/02/2026, in the order chosen for the file)"


def choice_hint(spec, limits):
    return "one of " + ", ".join(value for value, _ in spec.choices)


def boolean_hint(spec, limits):
    return "yes or no"


TEXT = frozenset({"string"})
FIELD_TYPES = {
    "string": FieldType("string", string_field, text_schema, string_hint, same_text, same_value,
                        json_types=TEXT, expects="text (a JSON string)"),
    "text": FieldType("text", text_field, text_schema, text_hint, same_text, same_value,
                      json_types=TEXT, expects="text (a JSON string)"),
    "integer": FieldType("integer", integer_field, integer_schema, integer_hint,
                         whole_number_from_text, whole_number_from_value, json_types=frozenset({"integer"}),
                         expects="a whole number (a JSON integer, like 12)", empty=None),
    "date": FieldType("date", date_field, date_schema, date_hint, date_from_text, date_from_value,
                      json_types=TEXT, expects="a date (a JSON string, like \"2026-02-14\")"),
    "choice": FieldType("choice", choice_field, choice_schema, choice_hint, same_text, same_value,
                        json_types=TEXT, expects="one of its choices (a JSON string)"),
    "boolean": FieldType("boolean", boolean_field, boolean_schema, boolean_hint,
                         yes_no_from_text, yes_no_from_value, json_types=frozenset({"boolean"}),
                         expects="true or false (a JSON boolean)", empty=False),
}
