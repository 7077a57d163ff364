"""A studio's own references on a letter, a batch row or a batch: a small JSON object carried along, never printed."""

import json

from letterhouse.batch.rows import strict_json_loads
from letterhouse.letters.field_types import described

METADATA = "metadata"  # the member of a letter's JSON object and of a JSON row; the batch's query parameter
MAX_METADATA_BYTES = 4096  # as compact UTF-8 JSON: references, not documents


def metadata_size(value):
    """Return how many bytes a JSON value takes as compact UTF-8 JSON."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def read_metadata(value):
    """Return (the metadata object, [messages]): a JSON object of at most MAX_METADATA_BYTES, or why it is not one."""
    if not isinstance(value, dict):
        return {}, [f"metadata must be a JSON object, like {{\"order_id\": \"A-1042\"}}, not {described(value)}; "
                    "it is carried with the letter and never printed."]
    size = metadata_size(value)
    if size > MAX_METADATA_BYTES:
        return {}, [f"metadata may take at most {MAX_METADATA_BYTES} bytes as compact JSON; this takes {size}. "
                    "Keep references here (an order number, a customer id), not documents."]
    return value, []


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
