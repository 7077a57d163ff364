"""A letter's words: the template's for given details, or the person's own text; as parts and as plain text.

Either way a letter is a greeting, paragraphs, a closing and signature, and perhaps a P.S. The template
writes them from the details; a person who edits the words writes them as plain text, a blank line
between paragraphs, and that text is the letter: printed as typed (escaped, never run as template code).
"""

import hashlib
import json
import re
from dataclasses import dataclass

from letterhouse.letters.fields import OWN_WORDS, STYLE_FIELDS
from letterhouse.letters.names import greeting_name
from letterhouse.letters.problems import LetterBodyFailed, LetterRefused, Problem
from letterhouse.letters.sandbox import SEED_VARIABLE
from letterhouse.letters.sandbox_limits import render_bounded

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
SPACES = re.compile(r"[ \t\u00a0]{2,}")
# A detail typed with its own full stop, dropped into a sentence that has one: "Lyon.." -> "Lyon."
DOUBLED_STOP = re.compile(r"(?<!\.)([.!?])\.(?!\.)")
# A postscript that already starts "P.S.", "PS:", "P.P.S." or "ps" keeps its own; any other gets "P.S." before it.
POSTSCRIPT_MARK = re.compile(r"(?:p\.?\s?)+s(?:\.|\b)", re.IGNORECASE)
# In a person's text, the first block is the greeting and the last the closing and signature when they
# look like one: a single short line, and a few short lines. Whatever the guess, every word is printed.
GREETING_MAX = 100
SIGN_OFF_MAX_LINES = 3
SIGN_OFF_LINE_MAX = 100
TEMPLATE_FRAME = "<template>"  # the file name Jinja gives frames of a body compiled from a string


@dataclass(frozen=True)
class Words:
    """The words of a letter, in the parts the page lays out differently."""

    salutation: str
    paragraphs: tuple  # of tuples of lines: a blank line parts paragraphs, a newline parts lines
    closing: tuple  # its lines; none when the letter has no closing
    signature: str
    postscript: tuple  # its lines, the first starting "P.S."; none when there is none


def letter_words(letter):
    """Return the letter's words: the person's own text when they wrote one, else the template's."""
    own = (letter.values.get(OWN_WORDS) or "").strip()
    return words_from_text(own) if own else template_words(letter)


def template_words(letter):
    """Return the words the template writes for the letter's details (any edited text left aside)."""
    values = letter.values
    return Words(
        salutation=values["salutation"] or f"Dear {greeting_name(values['recipient_name'])},",
        paragraphs=tuple(tuple(lines) for lines in body_paragraphs(render_body(letter))),
        closing=tuple(line for line in [values["closing"]] if line.strip()),
        signature=values["signature"] or values["sender_name"],
        postscript=tuple(postscript_lines(values.get("postscript"))),
    )


def is_the_templates_own(letter):
    """Return whether the letter's own text is just the template's words for its details, as if never edited."""
    own = (letter.values.get(OWN_WORDS) or "").strip()
    return not own or words_from_text(own) == template_words(letter)


def template_text(letter):
    """Return the letter's text as the template writes it for these details, to be edited as plain text."""
    return words_as_text(template_words(letter))


def words_as_text(words):
    """Return words as plain text the way the letter shows them: a blank line between paragraphs."""
    blocks = [[words.salutation], *words.paragraphs, [*words.closing, words.signature], words.postscript]
    return "\n\n".join("\n".join(lines) for lines in blocks if any(line.strip() for line in lines))


def words_from_text(text):
    """Return a person's text as a letter's words, every word kept and none of it read as code."""
    blocks = own_paragraphs(text)
    postscript = []
    while len(blocks) > 1 and POSTSCRIPT_MARK.match(blocks[-1][0]):
        postscript = [*blocks.pop(), *postscript]
    salutation = ""
    if len(blocks) > 1 and len(blocks[0]) == 1 and len(blocks[0][0]) <= GREETING_MAX:
        salutation = blocks.pop(0)[0]
    closing, signature = (), ""
    if len(blocks) > 1 and looks_signed_off(blocks[-1]):
        *closing, signature = blocks.pop()
    return Words(salutation, tuple(tuple(lines) for lines in blocks), tuple(closing), signature, tuple(postscript))


def looks_signed_off(lines):
    """Return whether a last block reads as a closing and signature: a few short lines."""
    return len(lines) <= SIGN_OFF_MAX_LINES and all(len(line) <= SIGN_OFF_LINE_MAX for line in lines)


def own_paragraphs(text):
    """Return a person's text as paragraphs of lines, as typed: only blank lines and outer spaces go."""
    paragraphs = []
    for chunk in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [SPACES.sub(" ", line).strip() for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append(lines)
    return paragraphs


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


def postscript_lines(text):
    """Return the lines of a postscript as written after the signature, starting "P.S.", or [] when there is none."""
    lines = [SPACES.sub(" ", line).strip() for line in (text or "").replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if lines and not POSTSCRIPT_MARK.match(lines[0]):
        lines[0] = f"P.S. {lines[0]}"
    return lines


def render_body(letter):
    """Return the template body run over the letter's values, as plain text.

    :raise LetterBodyFailed: when the body's own code fails (a sandbox refusal, a division
        by zero, a limit of sandbox_limits.py, the time limit), pointing at the line of the
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


def details_fingerprint(values, specs):
    """Return a short record of the details the template's words depend on, to tell later which changed.

    `specs` are the letter's FieldSpecs by name; style fields and the edited text itself are left out.
    """
    return ";".join(f"{name}={digest(values.get(name))}" for name in wording_field_names(specs))


def changed_details(fingerprint, values, specs):
    """Return the names of the details changed since `fingerprint` was taken; every one if it cannot be read."""
    recorded = dict(part.partition("=")[::2] for part in (fingerprint or "").split(";") if "=" in part)
    return [name for name in wording_field_names(specs) if recorded.get(name) != digest(values.get(name))]


NOT_IN_THE_WORDS = frozenset(spec.name for spec in STYLE_FIELDS) | {OWN_WORDS}


def wording_field_names(specs):
    """Return the names of the fields the template's words may use: all but style and the edited text."""
    return [name for name in specs if name not in NOT_IN_THE_WORDS]


def digest(value):
    """Return a short, stable digest of one value."""
    return hashlib.sha256(json.dumps(value, default=str).encode()).hexdigest()[:10]
