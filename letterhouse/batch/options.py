"""What a studio chooses once for a whole rows file: how its dates read, its own columns, one style for all letters.

The site's upload form, the API's query string and the command line's options all come here
as plain words, and are checked here, so that each door refuses the same things in the same words.
"""

import functools
from dataclasses import dataclass

from letterhouse.batch.dates import DATE_ORDERS
from letterhouse.batch.rows import MAX_COLUMNS
from letterhouse.letters.blank import is_blank, is_blank_text
from letterhouse.letters.fields import build_form_class
from letterhouse.letters.letter import ReadValues, read_values


@dataclass(frozen=True)
class BatchOptions:
    """A batch's choices: the order of numbers-only dates, the columns that are the studio's own, the batch's style."""

    date_order: str = ""  # "", dates.DAY_FIRST or dates.MONTH_FIRST
    own_columns: tuple = ()  # carried into manifest.csv, never printed
    style: tuple = ()  # ((style field, typed value), ...): every letter's, unless its row says otherwise

    def as_dict(self):
        """Return the options as JSON-ready data, to keep with a job."""
        return {"date_order": self.date_order, "own_columns": list(self.own_columns),
                "style": [list(pair) for pair in self.style]}

    @classmethod
    def from_dict(cls, data):
        """Return the options kept by as_dict (an empty or missing record: no options)."""
        data = data or {}
        return cls(date_order=data.get("date_order", ""), own_columns=tuple(data.get("own_columns", ())),
                   style=tuple(tuple(pair) for pair in data.get("style", ())))


NO_OPTIONS = BatchOptions()


def read_batch_options(template, date_order="", own_columns="", style=None):
    """Return (BatchOptions, {option: [messages]}) from plain words, as a form, a query string or a command gives them.

    :param own_columns: column names separated by commas, like "order_id, ref"
    :param style: {style field: text}, e.g. {"hand": "kalam"}; fields not given keep the template's defaults
    """
    errors = {}
    date_order = (date_order or "").strip().lower()
    if date_order and date_order not in DATE_ORDERS:
        errors["date_order"] = [f"The date order must be one of {', '.join(DATE_ORDERS)} (or left empty)."]
    columns, column_errors = read_own_columns(template, own_columns)
    chosen, style_errors = read_batch_style(template, style or {})
    errors.update({**({"own_columns": column_errors} if column_errors else {}), **style_errors})
    return BatchOptions(date_order, columns, tuple(chosen.items())), errors


def options_message(errors, labels=None):
    """Return an option's problems as one message, each after the option's label (or its name)."""
    labels = labels or {}
    return " ".join(f"{labels.get(name, name)}: {message}" for name, messages in errors.items() for message in messages)


def read_own_columns(template, text):
    """Return (column names, [messages]) for the columns a studio marks as its own."""
    names = tuple(dict.fromkeys(name.strip() for name in (text or "").split(",") if name.strip()))
    fields = template.form_class.specs
    problems = [f"“{name}” is a field of this letter, and fields are printed; "
                "your own columns are carried into manifest.csv and never printed. Rename the column."
                for name in names if name in fields or name == "seed"]
    if len(names) > MAX_COLUMNS:
        problems.append(f"At most {MAX_COLUMNS} columns can be your own.")
    return names, problems


def style_form_class(template):
    """Return the plain form of the template's style fields: the single letter's pickers, for a whole batch."""
    return style_form_for(template.form_class)


@functools.lru_cache(maxsize=256)  # one per template version, like the letter's own form class
def style_form_for(form_class):
    specs = [spec for spec in form_class.specs.values() if spec.group == "style"]
    return build_form_class(f"{form_class.__name__}_style", specs, {})


def read_batch_style(template, mapping, source="text"):
    """Return ({style field: typed value}, {field: [messages]}) for the style chosen for a whole batch.

    Values are read and checked exactly as the letter's own form reads them; only fields given are returned.
    """
    form_class = style_form_class(template)
    given = {name: value for name, value in mapping.items()
             if name in form_class.specs and value is not None and not is_blank(str(value))}
    values, unreadable = read_values(form_class.specs, given, source)
    form = form_class(formdata=ReadValues(values))
    form.validate()
    errors = {name: messages for name, messages in {**form.errors, **unreadable}.items() if name in given}
    errors.update({name: [f"There is no style called “{name}”; the styles are {', '.join(form_class.specs)}."]
                   for name in mapping if name not in form_class.specs})
    return {name: form[name].data for name in given if name not in errors}, errors


def with_batch_style(values, style):
    """Return a row's values over the batch's style: a cell with something in it wins."""
    values = dict(values)
    for name, value in style:  # a JSON null is not an empty cell but a mistake: it stays, to be refused
        if name not in values or is_blank_text(values[name]):
            values[name] = value
    return values
