"""A studio's own references on a letter, a batch row or a batch: a small JSON object carried along, never printed.

Metadata is a flat JSON object of at most MAX_MEMBERS members, each named in 1 to MAX_NAME_LENGTH characters
and holding text of at most MAX_TEXT_LENGTH characters, a number, true, false or null: references (an order
number, a customer id), not documents. METADATA_SCHEMA says the same as JSON Schema, for the API's document.
"""

import math

from letterhouse.batch.rows import strict_json_loads
from letterhouse.letters.field_types import described

METADATA = "metadata"  # the member of a letter's JSON object and of a JSON row; the batch's query parameter
MAX_MEMBERS = 50
MAX_NAME_LENGTH = 40
MAX_TEXT_LENGTH = 500
SCALARS = (str, int, float, bool, type(None))
METADATA_SCHEMA = {
    "type": "object", "maxProperties": MAX_MEMBERS,
    "propertyNames": {"minLength": 1, "maxLength": MAX_NAME_LENGTH},
    "additionalProperties": {"type": ["string", "number", "boolean", "null"], "maxLength": MAX_TEXT_LENGTH},
    "description": "The studio's own references, carried with the letter into the batch's status, manifest and "
                   f"callback and never printed: at most {MAX_MEMBERS} members, each text of at most "
                   f"{MAX_TEXT_LENGTH} characters, a number, true, false or null.",
}


def read_metadata(value):
    """Return (the metadata object, [messages]): the object if it is metadata as METADATA_SCHEMA says, or why not."""
    if not isinstance(value, dict):
        return {}, [f"metadata must be a JSON object, like {{\"order_id\": \"A-1042\"}}, not {described(value)}; "
                    "it is carried with the letter and never printed."]
    if len(value) > MAX_MEMBERS:
        return {}, [f"metadata may have at most {MAX_MEMBERS} members; this has {len(value)}."]
    messages = [message for name, item in value.items() if (message := member_problem(name, item))]
    return ({}, messages) if messages else (value, [])


def member_problem(name, value):
    """Return what is wrong with one member of metadata, or ""."""
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        return f"Each name in metadata must be 1 to {MAX_NAME_LENGTH} characters; “{name[:60]}” has {len(name)}."
    if not isinstance(value, SCALARS):
        return (f"metadata's “{name}” must be text, a number, true, false or null, not {described(value)}: "
                "keep references here, not documents.")
    if isinstance(value, float) and not math.isfinite(value):
        return f"metadata's “{name}” is {described(value)}; write it as text."
    if isinstance(value, str) and len(value) > MAX_TEXT_LENGTH:
        return f"metadata's “{name}” may be at most {MAX_TEXT_LENGTH} characters; it has {len(value)}."
    return ""


def metadata_from_text(text):
    """Return (the metadata object, [messages]) from JSON text, as a query string gives it."""
    try:
        value = strict_json_loads(text)
    except (ValueError, RecursionError):
        return {}, ["metadata must be a JSON object written as JSON text, like {\"campaign\": \"spring\"}."]
    return read_metadata(value)


def split_metadata(mapping):
    """Return (the mapping without its metadata member, the metadata object, [messages])."""
    if METADATA not in mapping:
        return mapping, {}, []
    values = {name: value for name, value in mapping.items() if name != METADATA}
    metadata, messages = read_metadata(mapping[METADATA])
    return values, metadata, messages
