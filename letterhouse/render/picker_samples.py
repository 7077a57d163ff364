"""Small pictures of each hand, ink and paper for the form's pickers, drawn by the real renderer."""

import functools
import io

from markupsafe import escape
from PIL import Image, ImageChops

from letterhouse.letters.fields import STYLE_FIELDS
from letterhouse.letters.styles import PAPERS
from letterhouse.render.hands import HANDS, INKS
from letterhouse.render.pdf import get_renderer
from letterhouse.render.raster import pdf_page_images
from letterhouse.render.stationery import LETTERHEAD_MARGIN_MM, monogram

PICKERS = {"hand": HANDS, "ink": INKS, "paper": PAPERS}
DEFAULT_STYLE = {spec.name: spec.default for spec in STYLE_FIELDS if spec.name in PICKERS}
SAMPLE_WORDS = "Dear Ada, with love"
SAMPLE_SENDER = "Ada Lovelace"  # whose monogram heads the letterhead sample
SAMPLE_PAGE = ("A5", 148)  # page size key and its width in mm
PX_PER_MM = 8  # drawn larger than shown, then scaled down: fine strokes stay smooth
SAMPLE_SIZE = (396, 132)  # pixels; shown at half that, so it stays sharp on a fine screen
SAMPLE_MM = (66, 22)  # the patch of paper a paper sample shows
PAPER_CROP_MM = (24, 19, 90, 41)  # left, top, right, bottom: a patch of paper with the first line on it
MARGIN_MM = 2.5  # paper left around the words

# Only registry keys and our own words reach this page, never anything a person typed.
# The letterhead's markup is the layout's (letterhouse/render/letter_layout/letter.html).
SAMPLE_HTML = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sample</title></head>'
               '<body class="hand-{hand} ink-{ink} paper-{paper}">{letterhead}<p>{words}</p></body></html>')
LETTERHEAD_HTML = '<div class="letterhead"><span class="monogram">{initials}</span></div>'


def sample_style(kind, key):
    """Return the hand, ink and paper a sample of one choice is drawn with.

    A hand or an ink is shown on white paper so that only it differs; a paper is shown
    with the default hand and ink written on it.
    """
    style = dict(DEFAULT_STYLE, paper="white") if kind != "paper" else dict(DEFAULT_STYLE)
    style[kind] = key
    return style


def is_sample(kind, key):
    """Return whether a kind and key name a choice the pickers offer."""
    return key in PICKERS.get(kind, {})


@functools.cache
def sample_png(kind, key):
    """Return a PNG of a few words in one hand, ink or paper, cut from a real rendered page."""
    style = sample_style(kind, key)
    page_size, width_mm = SAMPLE_PAGE
    pdf = get_renderer().render(sample_html(style), page_size, style["paper"], style["hand"]).pdf
    page = Image.open(io.BytesIO(pdf_page_images(pdf, width_mm * PX_PER_MM)[0])).convert("RGB")
    box = paper_box(PAPERS[style["paper"]]) if kind == "paper" else words_box(page)
    buffer = io.BytesIO()
    page.crop(box).resize(SAMPLE_SIZE, Image.LANCZOS).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def sample_html(style):
    """Return the page a sample is cut from: a few words, under a monogram on letterhead paper."""
    words = getattr(HANDS[style["hand"]], "sample", SAMPLE_WORDS)
    letterhead = PAPERS[style["paper"]].letterhead
    head = LETTERHEAD_HTML.format(initials=escape(monogram(SAMPLE_SENDER))) if letterhead else ""
    return SAMPLE_HTML.format(words=escape(words), letterhead=head, **style)


def paper_box(paper):
    """Return the patch of a page that shows a paper: its first line, or a letterhead's monogram."""
    if not paper.letterhead:
        return tuple(mm * PX_PER_MM for mm in PAPER_CROP_MM)
    centre_x, centre_y = SAMPLE_PAGE[1] / 2, LETTERHEAD_MARGIN_MM / 2
    width, height = SAMPLE_MM
    return tuple(round(mm * PX_PER_MM) for mm in (centre_x - width / 2, centre_y - height / 2,
                                                  centre_x + width / 2, centre_y + height / 2))


def words_box(page):
    """Return a box around the writing on a plain page, widened to the sample's shape."""
    paper = Image.new("RGB", page.size, page.getpixel((2, 2)))
    left, top, right, bottom = ImageChops.difference(page, paper).getbbox() or (0, 0, *page.size)
    margin = MARGIN_MM * PX_PER_MM
    width, height = right - left + 2 * margin, bottom - top + 2 * margin
    aspect = SAMPLE_SIZE[0] / SAMPLE_SIZE[1]
    width, height = max(width, height * aspect), max(height, width / aspect)
    centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
    return tuple(round(v) for v in (centre_x - width / 2, centre_y - height / 2,
                                    centre_x + width / 2, centre_y + height / 2))
