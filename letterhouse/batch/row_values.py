"""What a spreadsheet cell or JSON value may hold for a field: the shape a value must have, and column hints.

What each field type reads and how it describes itself is the FieldType table's (letters/field_types.py).
"""

from letterhouse.letters.field_types import FIELD_TYPES


def value_problem(value):
    """Return why a plain value cannot be typed into its field, or None."""
    if isinstance(value, (list, dict)):
        return "Must be text, a number, true or false; not a list or an object."
    return None  # the rest is the field type's to read, in the form


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
