"""What a spreadsheet cell may hold for a field, in words: the column hints of `letterhouse fields`.

What each field type reads, and which JSON types it takes, is the FieldType table's (letters/field_types.py).
"""

from letterhouse.letters.field_types import FIELD_TYPES


def column_hint(spec, limits):
    """Return what a cell of this field should hold, e.g. 'a whole number from 1 to 90; required'."""
    kind = FIELD_TYPES[spec.type].cell_hint(spec, limits)
    if spec.required:
        return f"{kind}; required"
    if callable(spec.default):
        return f"{kind}; empty for today" if spec.type == "date" else f"{kind}; optional"
    if spec.default in (None, ""):
        return f"{kind}; optional"
    return f"{kind}; empty for “{spec.default}”"
