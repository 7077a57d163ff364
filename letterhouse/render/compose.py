"""Letter data -> letter HTML: the letter's words (the template's or the person's own), laid out."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup, escape

from letterhouse.letters.sandbox import long_date
from letterhouse.letters.styles import NO_ENVELOPE, PAPERS
from letterhouse.letters.wording import letter_words, words_as_text
from letterhouse.render.glyph_coverage import is_japanese, written_runs
from letterhouse.render.hands import all_faces
from letterhouse.render.provenance import provenance_meta
from letterhouse.render.realism import letter_looks
from letterhouse.render.stationery import monogram

LAYOUT = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "letter_layout"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@pass_context
def written(context, text):
    """Return text as escaped HTML in the letter's hand, runs it cannot write in a face that can.

    Characters no bundled face can write are left out (coverage.py warns about them first).
    """
    parts = []
    for run in written_runs(str(text), context["hand"], context["japanese"]):
        if run.face is None:
            parts.append(escape(run.text))
        else:
            lang = all_faces()[run.face].lang
            parts.append(Markup('<span class="in-{}"{}>{}</span>').format(
                run.face, Markup(' lang="{}"').format(lang) if lang else "", run.text))
    return Markup("").join(parts)


LAYOUT.filters["written"] = written


def address_lines(address):
    """Return the non-empty lines of an address as typed."""
    return [line.strip() for line in (address or "").splitlines() if line.strip()]


def compose_letter_html(letter):
    """Return the whole letter as an HTML page; every piece of text in it is escaped."""
    values = letter.values
    words = letter_words(letter)
    return LAYOUT.get_template("letter.html").render(
        lang="en",
        title=f"{letter.template.title} to {values['recipient_name']}",
        author=values["sender_name"],
        keywords=f"letterhouse, {letter.template.slug}, seed {letter.seed}",
        provenance=provenance_meta(letter),
        created=f"{values['date'].isoformat()}T00:00:00Z",
        hand=values["hand"], ink=values["ink"], paper=values["paper"],
        sender_address=address_lines(values["sender_address"]),
        recipient_address=address_lines(values["recipient_address"]),
        place=values["place"],
        date=long_date(values["date"]),
        words=words,
        looks=letter_looks(values, letter.seed),
        **stationery_context(values),
        japanese=is_japanese([words_as_text(words), *(value for value in values.values() if isinstance(value, str))]),
    )


def stationery_context(values):
    """Return what the layout needs for a letterhead and an envelope: names, monogram, envelope size."""
    envelope = values.get("envelope") or NO_ENVELOPE
    sender_address = address_lines(values["sender_address"])
    return {
        "monogram": monogram(values["sender_name"]) if PAPERS[values["paper"]].letterhead else "",
        "envelope": None if envelope == NO_ENVELOPE else envelope,
        "envelope_from": addressed(values["sender_name"], sender_address) if sender_address else [],
        "envelope_to": addressed(values["recipient_name"], address_lines(values["recipient_address"])),
    }


def addressed(name, lines):
    """Return an address block: the name, then the address as typed (which may already start with it)."""
    if lines and lines[0].casefold() == name.strip().casefold():
        return lines
    return [name.strip(), *lines]
