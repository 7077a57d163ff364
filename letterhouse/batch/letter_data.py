"""One mapping of plain data -> a Letter, for the API, the CLI and every row of a batch."""

import difflib
import functools

from letterhouse.batch.studio_metadata import METADATA, split_metadata
from letterhouse.letters.letter import validate_mapping


def known_fields(template):
    """Return the names a row or JSON object may use for this template's letter."""
    return (*template.form_class.specs, "seed")


def unknown_field_errors(template, names):
    """Return {name: [message]} for every name the template has no field for."""
    known = known_fields(template)
    return {name: [unknown_field_message(name, known)] for name in names if name not in known}


@functools.lru_cache(maxsize=4096)  # rows of a JSON batch repeat the same unknown keys
def unknown_field_message(name, known):
    """Return a message for a name that is not a field, suggesting the nearest one."""
    if not str(name).strip():
        return "This value has no field name (an empty column heading, or an empty key), but has something in it."
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f" Did you mean “{close[0]}”?" if close else " Remove it, or rename it to one of the template's fields."
    return f"There is no field called “{name}”.{hint}"


def letter_from_object(template, mapping, typed_names=()):
    """Return (Letter or None, errors) for JSON data that may name only the template's fields (API, CLI, JSON rows).

    Each value must be of the JSON type its field takes (12 for a number, true for yes/no, a string for text
    and ISO dates); "" is a text field left empty, and null is refused. A `metadata` member is the studio's own
    (studio_metadata.py): checked here, never part of the letter.

    :param typed_names: names whose values a person typed as text (the command line's --set)
    """
    mapping, _, metadata_errors = split_metadata(mapping)
    unknown = unknown_field_errors(template, mapping)
    known = {k: v for k, v in mapping.items() if k not in unknown}
    letter, errors = validate_mapping(template, known, "json", typed_names)
    errors = {**unknown, **errors, **({METADATA: metadata_errors} if metadata_errors else {})}
    return (None if errors else letter), errors
