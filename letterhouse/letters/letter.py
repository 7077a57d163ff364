"""A letter: a template plus validated values and a seed; and the one way to turn it into a PDF."""

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from letterhouse.render.compose import compose_letter_html
from letterhouse.config import setting_default
from letterhouse.letters.fields import STYLE_FIELDS
from letterhouse.render.realism import letter_css
from letterhouse.render.pdf import get_renderer, time_limit
from letterhouse.render.stationery import NO_ENVELOPE
from letterhouse.letters.sandbox import first_name


@dataclass(frozen=True)
class Letter:
    template: object  # LetterTemplate
    values: dict
    seed: int


STYLE_NAMES = frozenset(spec.name for spec in STYLE_FIELDS)


def derived_seed(template, values, defaulted=()):
    """Return the seed the same words always get: same words, same letter, whatever the style or the day."""
    payload = json.dumps([template.slug, wording_values(values, defaulted)], sort_keys=True, default=str)
    return int.from_bytes(hashlib.sha256(payload.encode()).digest()[:4], "big")


def wording_values(values, defaulted=()):
    """Return the values the words depend on: no style, and a value left to its default (today) as empty."""
    return {name: "" if name in defaulted else value for name, value in values.items() if name not in STYLE_NAMES}


def defaulted_names(form):
    """Return the fields left empty whose default is worked out when asked, like the date (today)."""
    return {name for name, spec in form.specs.items()
            if callable(spec.default) and not "".join(form[name].raw_data or ()).strip()}


def parse_seed(raw):
    """Return a seed typed into a hidden field, or None if it is not a plain number."""
    raw = str(raw or "").strip()
    return int(raw) % 2**32 if raw.isdigit() and len(raw) <= 12 else None


def letter_from_form(template, form):
    """Return the Letter a validated form describes."""
    values = form.letter_values()
    seed = parse_seed(form.seed.data)
    if seed is None:
        seed = derived_seed(template, values, defaulted_names(form))
    return Letter(template, values, seed)


def validate_mapping(template, mapping):
    """Return (Letter or None, {field: [messages]}) for plain data such as a JSON object or CSV row."""
    formdata = MultiDict({key: as_form_text(value) for key, value in mapping.items()})
    form = template.form_class(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        return None, form.errors
    return letter_from_form(template, form), {}


def as_form_text(value):
    """Return a JSON value as the text a person would have typed into the form."""
    if isinstance(value, bool):
        return "true" if value else ""
    return "" if value is None else str(value)


def write_letter_pdf(letter, max_pages=None, seconds=None):
    """Return the letter rendered as a PDF (a RenderedPdf with its page count).

    :raise LetterTooLong: past max_pages, or (LetterTooSlow) slower than the time limit,
        which defaults to the RENDER_TIME_LIMIT setting's default (each door passes the
        setting it was given) and covers the whole letter: its
        template's body as well as the layout.
    """
    values = letter.values
    seconds = setting_default("RENDER_TIME_LIMIT") if seconds is None else seconds
    renderer = get_renderer()  # started outside the limit: the first letter of a process is not slower
    with time_limit(seconds):
        html = compose_letter_html(letter)
        return renderer.render(html, values["page_size"], values["paper"], values["hand"], max_pages, None,
                               archival=bool(values.get("archival")), extra_pages=envelope_pages(values),
                               letter_css=letter_css(values, letter.seed))


def envelope_pages(values):
    """Return how many pages after the letter are its envelope (0 or 1)."""
    return 0 if values.get("envelope", NO_ENVELOPE) == NO_ENVELOPE else 1


def ascii_slug(text):
    """Return text as a lowercase ASCII slug: 'Zoë Ann' -> 'zoe-ann'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def letter_filename(letter):
    """Return a download name like 'anniversary-to-chris.pdf'."""
    recipient = ascii_slug(first_name(letter.values["recipient_name"])) or "you"
    return f"{letter.template.slug}-to-{recipient}.pdf"
