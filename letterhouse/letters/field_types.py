"""Field types: one FieldType record per type a template may declare, and the one table of them.

Adding a field type is adding one record to FIELD_TYPES: its form field, JSON Schema, spreadsheet
hint, empty value, and how it reads a typed-in text (form, CSV cell) or a plain value (JSON, YAML).
Every value is read once, by `FieldType.read`, from what came in; the form then checks typed values.
"""

import datetime
from dataclasses import dataclass
from typing import Callable

from wtforms import fields as wtf
from wtforms import validators
from wtforms.fields.choices import SelectChoice

# The one set of words a yes/no field reads, from a form, a CSV cell, a command line or a query string.
BOOLEAN_WORDS = {"yes": True, "y": True, "true": True, "on": True, "1": True,
                 "no": False, "n": False, "false": False, "off": False, "0": False}


@dataclass(frozen=True)
class FieldType:
    """Everything Letterhouse knows about one type of field."""

    name: str
    form_field: Callable  # (spec, limits) -> (WTForms field class, validators, kwargs)
    json_schema: Callable  # (spec, limits) -> the JSON Schema of a value, as a JSON client writes it
    cell_hint: Callable  # (spec, limits) -> what a spreadsheet cell of this field holds
    from_text: Callable  # text typed into a form or a CSV cell -> typed value; ValueError("{label} ...")
    from_value: Callable  # a JSON or YAML value -> typed value; ValueError("is not ...")
    empty: object = ""  # the value of a field left empty, when it has no default
    json_kinds: tuple = ()  # the Python types of a JSON value written as itself, not as text (true, 12)

    def read(self, value, source):
        """Return the typed value of what came in, read once; blank text is returned as it is, to the form's rules.

        `source` is "json" (JSON or YAML types) or "text" (a CSV cell, a form). A JSON string is text
        either way. A JSON value the type does not take as it is (12 for a text field, true for a
        number) is read from its text, as a person would have typed it.

        :raise ValueError: "{label} must be ..." when the value cannot be read
        """
        if source == "json" and isinstance(value, self.json_kinds):
            try:
                return self.from_value(value)
            except ValueError:
                pass  # read below from its text, so that the API accepts what it always has
        text = as_text(value)
        return text if not text.strip() else self.from_text(text)

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


class ParsedOnceMixin:
    """A field read by its FieldType: unreadable input gets one plain message, not a parse error plus a range error."""

    type_name = ""

    def process_formdata(self, valuelist):
        if valuelist and not isinstance(valuelist[0], str):
            self.data = valuelist[0]  # already read by its FieldType (validate_mapping): not read again
            return
        if not valuelist or not valuelist[0].strip():
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
    given = f"“{text[:40]}{'…' if len(text) > 40 else ''}” is not one of them. " if text.strip() else ""
    return f"Not a valid choice. {given}Choose one of: {', '.join(values)}."


# Reading text and plain values.

def as_text(value):
    """Return a plain value as the text a person would have typed for it: true is "true", false and null are empty."""
    if isinstance(value, bool):
        return "true" if value else ""
    return "" if value is None else str(value)


def same_text(text):
    return text


def same_value(value):
    return value


def whole_number_from_text(text):
    try:
        return int(text)
    except ValueError:
        raise ValueError("{label} must be a whole number, like 12.") from None


def whole_number_from_value(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("is not a whole number")
    return value


# The years a letter may be dated in: a year typed with a digit too many or too few is a mistake, not a date.
FIRST_YEAR, LAST_YEAR = 1000, 2999


def within_letter_years(date, refusal, example=""):
    """Return the date if a letter may be dated in its year, else raise `refusal` naming the years."""
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValueError(f"{refusal} the years {FIRST_YEAR} and {LAST_YEAR}{example}")
    return date


def date_from_text(text):
    try:
        date = datetime.datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError("{label} must be a date, like 2026-02-14.") from None
    return within_letter_years(date, "{label} must be a date between", ", like 2026-02-14.")


def date_from_value(value):
    try:
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
    return {"type": "string", "format": "date"}


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


FIELD_TYPES = {
    "string": FieldType("string", string_field, text_schema, string_hint, same_text, same_value),
    "text": FieldType("text", text_field, text_schema, text_hint, same_text, same_value),
    "integer": FieldType("integer", integer_field, integer_schema, integer_hint,
                         whole_number_from_text, whole_number_from_value, empty=None, json_kinds=(int,)),
    "date": FieldType("date", date_field, date_schema, date_hint, date_from_text, date_from_value),
    "choice": FieldType("choice", choice_field, choice_schema, choice_hint, same_text, same_value),
    "boolean": FieldType("boolean", boolean_field, boolean_schema, boolean_hint,
                         yes_no_from_text, yes_no_from_value, empty=False, json_kinds=(bool,)),
}
