"""A letter: a template plus validated values and a seed; how plain data becomes one, and its file name."""

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from letterhouse.letters.blank import is_blank, is_blank_text
from letterhouse.letters.field_types import FIELD_TYPES
from letterhouse.letters.fields import OWN_WORDS, STYLE_FIELDS, read_seed
from letterhouse.letters.names import greeting_name
from letterhouse.letters.styles import NO_ENVELOPE


@dataclass(frozen=True)
class Letter:
    template: object  # LetterTemplate
    values: dict
    seed: int


STYLE_NAMES = frozenset(spec.name for spec in STYLE_FIELDS)
# Typed by the person, never written by the template: a P.S., or the whole letter in their own words.
# Typing or changing them leaves the seed, and so the template's wording and the hand's strokes, as they were.
NOT_IN_THE_SEED = frozenset({"postscript", OWN_WORDS})


def derived_seed(template, values, defaulted=()):
    """Return the seed the same words always get: same words, same letter, whatever the style or the day."""
    payload = json.dumps([template.slug, wording_values(values, defaulted)], sort_keys=True, default=str)
    return int.from_bytes(hashlib.sha256(payload.encode()).digest()[:4], "big")


def wording_values(values, defaulted=()):
    """Return the values the words depend on: no style, and a value left to its default (today) as empty."""
    return {name: "" if name in defaulted else value for name, value in values.items()
            if name not in STYLE_NAMES | NOT_IN_THE_SEED}


def defaulted_names(form):
    """Return the fields left empty whose default is worked out when asked, like the date (today)."""
    return {name for name, spec in form.specs.items()
            if callable(spec.default) and is_blank("".join(str(value) for value in form[name].raw_data or ()))}


def letter_from_form(template, form):
    """Return the Letter a validated form describes."""
    values = form.letter_values()
    seed = read_seed(form.seed.data)
    if seed is None:
        seed = derived_seed(template, values, defaulted_names(form))
    return Letter(template, values, seed)


def validate_mapping(template, mapping, source="text", typed_names=()):
    """Return (Letter or None, {field: [messages]}) for plain data: a JSON object (source "json") or a CSV row ("text").

    Each value is read once, by its field type, from what came in; the form checks the typed values.
    Blank text is a field left empty: it takes the template's default, or is "Please fill in" when required.

    :param source: "text" reads strings as a person types them ("12", "yes") and other values as already typed
        (12, True); "json" takes each value only in its field's JSON type (12, true), as the JSON doors must
    :param typed_names: names whose values a person typed as text, among JSON values (the command line's --set)
    """
    values, unreadable = read_values(template.form_class.specs, mapping, source, typed_names)
    given = {name: value for name, value in values.items() if not is_blank_text(value)}
    form = template.form_class(formdata=ReadValues({**given_defaults(template.form_class.specs), **given}))
    if not form.validate() or unreadable:
        return None, in_form_order(form, {**form.errors, **unreadable})
    return letter_from_form(template, form), {}


def read_values(specs, mapping, source, typed_names=()):
    """Return ({name: typed value}, {name: [message]} for each value its field type, or the seed, cannot read)."""
    values, unreadable = {}, {}
    for name, value in mapping.items():
        read_as = "text" if name in typed_names else source
        try:
            if name in specs:
                values[name] = FIELD_TYPES[specs[name].type].read(value, read_as)
            elif name == "seed":
                values[name] = read_seed(value, read_as)
        except ValueError as error:
            unreadable[name] = [str(error).format(label=specs[name].label) if name in specs else str(error)]
    return values, unreadable


def given_defaults(specs):
    """Return the template's own defaults, typed.

    WTForms reads a field missing from submitted data as empty (a yes/no field as no), so a value
    left out is given its default here; a default worked out when asked (today) stays the form's.
    """
    return {name: spec.default for name, spec in specs.items()
            if spec.default is not None and not callable(spec.default)}


def in_form_order(form, errors):
    """Return errors by field, in the order the form shows its fields."""
    return {field.name: errors[field.name] for field in form if field.name in errors}


class ReadValues(dict):
    """Values already read by their field types, handed to WTForms the way it takes a submitted form."""

    def getlist(self, name):
        return [self[name]] if name in self else []


def envelope_pages(values):
    """Return how many pages after the letter are its envelope (0 or 1)."""
    return 0 if values.get("envelope", NO_ENVELOPE) == NO_ENVELOPE else 1


def name_slug(text):
    """Return a name as a lowercase slug in its own script: 'Zoë Ann' -> 'zoe-ann', 'Анна' -> 'анна'.

    Accents come off Latin letters only (a file name people can type); other scripts keep every mark.
    """
    kept = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", "".join(kept)).lower()).strip("-")


def letter_filename(letter):
    """Return a download name like 'anniversary-to-chris.pdf', named as the greeting names them: '…-to-aunt-may.pdf'."""
    recipient = name_slug(greeting_name(letter.values["recipient_name"])) or "you"
    return f"{letter.template.slug}-to-{recipient}.pdf"
