"""A Letter -> its PDF: the one way a letter is written out, within the render time limit."""

from letterhouse.config import setting_default
from letterhouse.letters.letter import envelope_pages
from letterhouse.render.compose import compose_letter_html
from letterhouse.render.pdf import get_renderer, time_limit
from letterhouse.render.pen import letter_pen
from letterhouse.render.realism import letter_css


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
                               letter_css=letter_css(values, letter.seed), finisher=letter_pen(values, letter.seed))

