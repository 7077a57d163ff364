"""Letter data -> letter HTML: run the template's body, cut it into paragraphs, lay it out."""

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup, escape

from letterhouse.letters.names import greeting_name
from letterhouse.letters.problems import LetterBodyFailed, LetterRefused, Problem
from letterhouse.letters.sandbox import SEED_VARIABLE, long_date
from letterhouse.letters.sandbox_limits import render_bounded
from letterhouse.letters.styles import NO_ENVELOPE, PAPERS
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
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
SPACES = re.compile(r"[ \t\u00a0]{2,}")
# A detail typed with its own full stop, dropped into a sentence that has one: "Lyon.." -> "Lyon."
DOUBLED_STOP = re.compile(r"(?<!\.)([.!?])\.(?!\.)")


def body_paragraphs(text):
    """Return prose as paragraphs of lines: a blank line parts paragraphs, a newline parts lines.

    Paragraphs that come out empty (a false {% if %}) vanish; runs of spaces left by an
    empty optional detail fold to one.
    """
    paragraphs = []
    for chunk in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")):
        lines = [DOUBLED_STOP.sub(r"\1", SPACES.sub(" ", line)).strip() for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append(lines)
    return paragraphs


# A postscript that already starts "P.S.", "PS:", "P.P.S." or "ps" keeps its own; any other gets "P.S." before it.
POSTSCRIPT_MARK = re.compile(r"(?:p\.?\s?)+s(?:\.|\b)", re.IGNORECASE)


def postscript_lines(text):
    """Return the lines of a postscript as written after the signature, starting "P.S.", or [] when there is none."""
    lines = [SPACES.sub(" ", line).strip() for line in (text or "").replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if lines and not POSTSCRIPT_MARK.match(lines[0]):
        lines[0] = f"P.S. {lines[0]}"
    return lines


def address_lines(address):
    """Return the non-empty lines of an address as typed."""
    return [line.strip() for line in (address or "").splitlines() if line.strip()]


TEMPLATE_FRAME = "<template>"  # the file name Jinja gives frames of a body compiled from a string


def render_body(letter):
    """Return the template body run over the letter's values, as plain text.

    :raise LetterBodyFailed: when the body's own code fails (a sandbox refusal, a division
        by zero, a limit of template_limits.py, the time limit), pointing at the line of the
        template file where it did. The file is named as the catalog names it, never by its path.
    """
    context = dict(letter.values, **{SEED_VARIABLE: letter.seed})
    template = letter.template
    try:
        return render_bounded(template.body, context)
    except LetterRefused:  # the whole letter's time limit ran out here: said as for any slow letter
        raise
    except Exception as error:
        line = failing_line(error) or 1
        raise LetterBodyFailed(Problem(template.name or template.path.name, line, str(error))) from error


def failing_line(error):
    """Return the line of the template where a render error was raised, or None."""
    line, trace = None, error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == TEMPLATE_FRAME:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def compose_letter_html(letter):
    """Return the whole letter as an HTML page; every piece of text in it is escaped."""
    values = letter.values
    body = render_body(letter)
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
        salutation=values["salutation"] or f"Dear {greeting_name(values['recipient_name'])},",
        paragraphs=body_paragraphs(body),
        looks=letter_looks(values, letter.seed),
        closing=values["closing"],
        signature=values["signature"] or values["sender_name"],
        postscript=postscript_lines(values.get("postscript")),
        **stationery_context(values),
        japanese=is_japanese([body, *(value for value in values.values() if isinstance(value, str))]),
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
