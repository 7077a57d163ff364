"""What a spreadsheet cell or JSON value may hold for a field: boolean words, value checks, column hints.

Moved here unchanged from merge.py; the letters layer's FieldType table is to own all of it.
"""

BOOLEAN_WORDS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def value_problem(template, name, value):
    """Return why a plain value cannot be typed into its field, or None."""
    spec = template.form_class.specs.get(name)
    if isinstance(value, (list, dict)):
        return "Must be text, a number, true or false; not a list or an object."
    is_boolean = spec is not None and spec.type == "boolean"
    if is_boolean and not isinstance(value, bool) and str(value).strip().lower() not in BOOLEAN_WORDS:
        return f"{spec.label} must be yes or no (or true/false, 1/0)."
    return None


def column_hint(spec, limits):
    """Return what a cell of this field should hold, e.g. 'a whole number from 1 to 90; required'."""
    kind = {
        "string": f"text, at most {spec.max_length or limits.get('string')} characters",
        "text": f"text, at most {spec.max_length or limits.get('text')} characters, may run over lines",
        "integer": "a whole number" + number_range(spec),
        "date": "a date like 2026-02-14",
        "choice": "one of " + ", ".join(value for value, _ in spec.choices),
        "boolean": "yes or no",
    }.get(spec.type, spec.type)
    if spec.required:
        return f"{kind}; required"
    if callable(spec.default):
        return f"{kind}; empty for today" if spec.type == "date" else f"{kind}; optional"
    if spec.default in (None, ""):
        return f"{kind}; optional"
    return f"{kind}; empty for “{spec.default}”"


def number_range(spec):
    if spec.min is not None and spec.max is not None:
        return f" from {spec.min} to {spec.max}"
    if spec.min is not None or spec.max is not None:
        return f" of at least {spec.min}" if spec.min is not None else f" of at most {spec.max}"
    return ""
