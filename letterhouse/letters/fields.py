"""Letter fields: the common fields every letter has, and the plain WTForms form built from a template's fields."""

import keyword
from dataclasses import dataclass

from wtforms import Form, validators
from wtforms import fields as wtf

import letterhouse.letters.clock as clock
from letterhouse.letters.blank import is_blank, is_blank_text
from letterhouse.letters.field_types import FIELD_TYPES, NULL_REFUSAL
from letterhouse.letters.styles import (
    DEFAULT_REALISM,
    ENVELOPE_CHOICES,
    HANDS,
    INKS,
    NO_ENVELOPE,
    PAGE_SIZES,
    PAPERS,
    REALISM,
    SAME_HAND,
    registry_choices,
)

FIELD_KEYS = ("name", "label", "type", "required", "default", "help", "placeholder",
              "max_length", "min", "max", "choices")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a letter, as declared in a template file or built in."""

    name: str
    label: str
    type: str = "string"
    required: bool = False
    default: object = None
    help: str = ""
    placeholder: str = ""
    max_length: int | None = None
    min: int | None = None
    max: int | None = None
    choices: tuple = ()  # ((value, label), ...)
    group: str = "letter"  # the fieldset it is shown in: sender, recipient, letter, details, style, words
    line: int = 0  # where it is declared in its template file
    asked_only_if_used: bool = False  # the form shows it only to templates whose body reads it


OWN_WORDS = "letter_text"  # the one name of the letter as the person edited it: form field, JSON key, CSV column

COMMON_FIELDS = (
    FieldSpec("sender_name", "Your name", required=True, group="sender",
              help="How you sign and how the letter knows you."),
    FieldSpec("sender_address", "Your address", type="text", max_length=300, group="sender",
              help="Optional; written at the top right, one line per line."),
    FieldSpec("recipient_name", "Their name", required=True, group="recipient"),
    FieldSpec("recipient_address", "Their address", type="text", max_length=300, group="recipient",
              help="Optional; for formal letters and envelopes."),
    FieldSpec("date", "Date", type="date", group="details", default=clock.today,
              help="Defaults to today."),
    FieldSpec("place", "Written from", group="details", placeholder="Lisbon",
              help="Optional; a town shown beside the date."),
    FieldSpec("salutation", "Greeting", group="details",
              help="Leave empty for “Dear” and their name as a letter writer says it: “Dear Aunt May,”."),
    FieldSpec("closing", "Closing", group="details", placeholder="With love,"),
    FieldSpec("signature", "Your signature", group="details", help="Leave empty to sign with your name."),
    FieldSpec("postscript", "P.S. (optional)", type="text", max_length=600, group="details",
              help="Written after your signature, as people do; “P.S.” is added for you."),
    # Shown under "From you" (its group); after the others, so the columns of a spreadsheet keep their order.
    FieldSpec("we", "Written by two or more of us", type="boolean", default=False, group="sender",
              asked_only_if_used=True,
              help="For a couple or a family (“Maya & Luis”): the letter says we, us and our, not I, me and my."),
    # The whole letter as the person edited it (wording.py); last, for the same reason.
    FieldSpec(OWN_WORDS, "The letter in your words", type="text", max_length=10_000, group="words",
              help="Optional; the whole letter as plain text, a blank line between paragraphs, printed as you "
                   "write it. Leave it empty for the template’s words."),
)

STYLE_FIELDS = (
    FieldSpec("hand", "Handwriting", type="choice", default="caveat", group="style",
              choices=registry_choices(HANDS)),
    FieldSpec("ink", "Ink", type="choice", default="midnight", group="style",
              choices=registry_choices(INKS)),
    FieldSpec("paper", "Paper", type="choice", default="cream", group="style",
              choices=registry_choices(PAPERS)),
    FieldSpec("page_size", "Page size", type="choice", default="A4", group="style",
              choices=registry_choices(PAGE_SIZES)),
    FieldSpec("realism", "Realism", type="choice", default=DEFAULT_REALISM, group="style",
              choices=registry_choices(REALISM),
              help="How much the writing lives: letters that differ, lines that wander, pen pressure."),
    FieldSpec("signature_hand", "Signature handwriting", type="choice", default=SAME_HAND, group="style",
              choices=((SAME_HAND, "In the same hand"), *registry_choices(HANDS))),
    FieldSpec("envelope", "Envelope", type="choice", default=NO_ENVELOPE, group="style",
              choices=ENVELOPE_CHOICES, help="Adds a last page to print on an envelope, addressed in the same hand."),
    FieldSpec("archival", "Archival PDF", type="boolean", default=False, group="style",
              help="PDF/A, for keeping for years, and tagged so that screen readers can read it aloud."),
)

# What the web layer's form (flask_wtf.FlaskForm mixed in) adds to a LetterForm: no field may take these names.
WEB_FORM_NAMES = frozenset({"Meta", "csrf_token", "hidden_tag", "is_submitted", "validate_on_submit"})
# "metadata" is a studio's own references beside a letter's fields in JSON (batch/studio_metadata.py), never printed.
BUILT_IN_NAMES = frozenset(spec.name for spec in COMMON_FIELDS + STYLE_FIELDS) | {"seed", "csrf_token", "metadata"}


def name_problem(name):
    """Return why `name` cannot name a template field, or None when it can."""
    if not isinstance(name, str) or not name.isidentifier() or name != name.lower():
        return f"field name {name!r} must be a lowercase identifier like 'shared_memory'"
    if name.startswith("_") or keyword.iskeyword(name) or name in {"true", "false", "none"}:
        return f"field name {name!r} is reserved"
    if name in BUILT_IN_NAMES:
        return f"field name {name!r} is a common field every letter already has"
    if hasattr(LetterForm, name) or name in WEB_FORM_NAMES:
        return f"field name {name!r} clashes with the form's own attribute {name!r}"
    return None


def make_form_field(spec, limits):
    """Return an unbound WTForms field for one FieldSpec."""
    field_class, checks, kwargs = FIELD_TYPES[spec.type].form_field(spec, limits)
    if spec.required and spec.type != "boolean":
        checks.insert(0, FilledIn(message=f"Please fill in {spec.label.lower()}."))
    elif spec.type in ("integer", "date"):
        checks.insert(0, validators.Optional())
    render_kw = {"placeholder": spec.placeholder} if spec.placeholder else {}
    if spec.required:
        render_kw["required"] = True
    return field_class(spec.label, checks, default=spec.default, description=spec.help,
                       render_kw=render_kw or None, **kwargs)


class FilledIn(validators.InputRequired):
    """InputRequired that counts any value that came in, a JSON 0 too: only nothing or blank text is empty."""

    def __call__(self, form, field):
        if field.raw_data and field.raw_data[0] is not None and not is_blank(str(field.raw_data[0])):
            return
        field.errors[:] = []
        raise validators.StopValidation(self.message)


SEED_MAX = 2**32 - 1
SEED_REFUSAL = f"The seed must be a whole number from 0 to {SEED_MAX}"


def read_seed(value, source="text"):
    """Return the seed given, or None when none is (blank); never wrapped or replaced.

    :param source: "text" (a form, a CSV cell: digits 0-9) or "json" (a JSON integer)
    :raise ValueError: naming the range, for anything else
    """
    if source == "text" and (value is None or is_blank_text(value)):
        return None
    if source == "json" and value is None:
        raise ValueError(NULL_REFUSAL.format(label="Seed"))
    try:
        seed = FIELD_TYPES["integer"].read(value, source)
    except ValueError:
        seed = None
    if not isinstance(seed, int) or not 0 <= seed <= SEED_MAX:
        raise ValueError(SEED_REFUSAL + (" (a JSON integer)." if source == "json" else "."))
    return seed


class SeedField(wtf.HiddenField):
    """The seed a letter is written with, kept in the page: a whole number in range, or empty for the words' own."""

    def pre_validate(self, form):
        try:
            read_seed(self.data)
        except ValueError as error:
            raise validators.StopValidation(str(error)) from None


class LetterForm(Form):
    """Base of every template's form; knows its FieldSpecs by name. Plain WTForms: the web layer adds CSRF."""

    seed = SeedField()
    specs = {}

    def validate(self, extra_validators=None):
        """Check each field, then the rules that involve two fields at once."""
        valid = super().validate(extra_validators)
        for check in LETTER_CHECKS:
            valid = check(self) and valid
        return valid

    def letter_values(self):
        """Return the validated values by field name: text left empty is "", a cleared date is its default."""
        return {name: empty_as(spec, self[name].data) for name, spec in self.specs.items()}


def envelope_has_an_address(form):
    """Return False, with a message on their address, for an envelope with nowhere to send it."""
    if "envelope" not in form or form.envelope.data in (None, "", NO_ENVELOPE):
        return True
    if "recipient_address" not in form or (form.recipient_address.data or "").strip():
        return True
    form.recipient_address.errors = [*form.recipient_address.errors,
                                     "An envelope needs their address: write it here, one line per line."]
    return False


# Rules that involve more than one field: each takes the form, adds its messages, returns validity.
LETTER_CHECKS = (envelope_has_an_address,)


def empty_as(spec, value):
    """Return a field's value with emptiness made uniform for templates to test with `{% if %}`: blank text is empty."""
    if value is not None and not is_blank_text(value):
        return value
    if callable(spec.default):
        return spec.default()
    return FIELD_TYPES[spec.type].empty


def build_form_class(slug, specs, limits):
    """Return a LetterForm subclass with one field per spec, in order."""
    attrs = {spec.name: make_form_field(spec, limits) for spec in specs}
    attrs["specs"] = {spec.name: spec for spec in specs}
    return type(f"LetterForm_{slug.replace('-', '_')}", (LetterForm,), attrs)


def with_defaults(spec, defaults):
    """Return spec with the template's default for it, if the template gives one."""
    if spec.name not in defaults:
        return spec
    return FieldSpec(**{**spec.__dict__, "default": defaults[spec.name]})

