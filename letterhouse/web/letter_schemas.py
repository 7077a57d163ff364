"""Each template's letter as JSON Schema: its fields' types, limits, choices, defaults and the rules between them."""

import functools
import re

from letterhouse.batch.studio_metadata import METADATA, METADATA_SCHEMA
from letterhouse.letters.blank import is_blank
from letterhouse.letters.field_types import FIELD_TYPES
from letterhouse.letters.fields import COMMON_FIELDS, OWN_WORDS
from letterhouse.letters.styles import NO_ENVELOPE

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_NAME = re.compile(r"[A-Za-z0-9._-]+")  # what an OpenAPI component's name (and a plain URL segment) may hold
SEED = {"title": "Seed", "type": "integer", "minimum": 0, "maximum": 2**32 - 1,
        "description": "Picks among the template's wordings; the same seed writes the same letter."}
BMP = range(0x10000)  # a pattern names characters as \uXXXX, which every regex dialect reads (JSON Schema's,
# Python's, pydantic's): characters beyond are left to the API, and are hardly ever blank


@functools.cache
def filled_in():
    """Return what required text must be as JSON Schema: at least one character that is not blank (letters.blank)."""
    blank = [code for code in BMP if not 0xD800 <= code <= 0xDFFF and is_blank(chr(code))]
    runs = []
    for code in blank:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    shown = "".join(f"\\u{first:04x}" + (f"-\\u{last:04x}" if last != first else "") for first, last in runs)
    return {"minLength": 1, "pattern": f"[^{shown}]"}


def field_schema(spec, limits):
    """Return the JSON Schema of one field, with its label, help and default; required text must be filled in."""
    schema = {"title": spec.label, **FIELD_TYPES[spec.type].json_schema(spec, limits)}
    if must_be_given(spec) and schema.get("type") == "string" and "enum" not in schema:
        schema.update(filled_in())
    elif not must_be_given(spec) and spec.type in ("choice", "date"):
        schema = or_empty(schema)
    if spec.help:
        schema["description"] = spec.help
    if spec.default not in (None, "") and not callable(spec.default):
        schema["default"] = spec.default
    return {key: value for key, value in schema.items() if value is not None}


def must_be_given(spec):
    """Return whether a letter's data must give a field: it is required and has no default to take its place."""
    return spec.required and (spec.default is None or spec.default == "")


def or_empty(schema):
    """Return a choice's or a date's schema taking "" too: left empty, the field takes its default (as in a form)."""
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], ""],
                "oneOf": [*schema["oneOf"], {"const": "", "title": "Its default"}]}
    kept = {key: schema.pop(key) for key in ("format", "pattern") if key in schema}
    return {**schema, "anyOf": [kept, {"maxLength": 0}]}


def template_schema(template):
    """Return the JSON Schema of a letter's data for one template."""
    properties = {spec.name: field_schema(spec, template.limits) for spec in template.all_fields}
    properties["seed"] = SEED
    properties[METADATA] = METADATA_SCHEMA
    schema = {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": template.title,
        "description": template.description,
        "type": "object",
        "properties": properties,
        "required": [spec.name for spec in template.all_fields if must_be_given(spec)],
        "additionalProperties": False,
    }
    return {**schema, **envelope_needs_an_address(template)}


def envelope_needs_an_address(template):
    """Return the rule of fields.envelope_has_an_address as if/then: an envelope needs their address, filled in."""
    specs = {spec.name: spec for spec in template.all_fields}
    if "envelope" not in specs or "recipient_address" not in specs:
        return {}
    chosen = {"properties": {"envelope": {"not": {"const": NO_ENVELOPE}}}}
    if specs["envelope"].default in (None, "", NO_ENVELOPE):
        chosen["required"] = ["envelope"]  # left out, it is the default: no envelope
    return {"if": chosen, "then": {"required": ["recipient_address"],
                                   "properties": {"recipient_address": filled_in()}}}


def letter_schema_name(slug):
    """Return the OpenAPI component name of a template's letter, like Letter_anniversary; None for an odd slug."""
    return f"Letter_{slug}" if SCHEMA_NAME.fullmatch(slug) else None


def letter_component(template):
    """Return a template's letter schema as it stands in the OpenAPI document (the document sets the dialect)."""
    return {key: value for key, value in template_schema(template).items() if key != "$schema"}


OWN_WORDS_PROPERTY = {
    **field_schema(next(spec for spec in COMMON_FIELDS if spec.name == OWN_WORDS), {}),
    "description": "Optional, on every template: the whole letter in the writer's own words, plain text with a "
                   "blank line between paragraphs (POST /letters/{slug}/text gives the template's words to start "
                   "from). It replaces the greeting, body, closing, signature and P.S., is printed as written "
                   "and never run as template code, and leaves the seed the one the other values give.",
}
