"""The letters checking made, kept as JSON until they are written: their values typed, dates marked as dates."""

import datetime
import json

DATE_KEY = "$date"  # marks a date among stored letter values; no field name can start with "$"


def letters_json(letters):
    """Return checked RowLetters as JSON: [ordinal, row, typed values, seed, own columns] each, dates marked."""
    return json.dumps([[item.row.ordinal, item.row.number, item.letter.values, item.letter.seed, item.own]
                       for item in letters], default=marked_date)


def marked_date(value):
    if type(value) is datetime.date:
        return {DATE_KEY: value.isoformat()}
    raise TypeError(f"A letter value of type {type(value).__name__} cannot be stored.")


def typed_value(item):
    """Return a stored JSON object as it was: a marked date as a date."""
    return datetime.date.fromisoformat(item[DATE_KEY]) if set(item) == {DATE_KEY} else item
