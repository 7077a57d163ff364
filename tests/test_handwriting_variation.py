"""Handwriting that varies like a hand: measured from the PDF itself, glyph by glyph."""

import hashlib
import importlib
import io
import json
import math
import statistics
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass

import pdfplumber
import pytest
from conftest import MM_PER_POINT, PROJECT, pdf_shows, pdf_text
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1

from letterhouse.letters.letter import validate_mapping
from letterhouse.render.hands import HANDS, STATIC_FONTS, written_font_file
from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.provenance import read_provenance

STORY = (
    "We went deeper into the trees, seeing the geese settle on the green between the reeds, "
    "and we kept on talking until the evening came in over the water.\n\n"
    "Do you remember the summer we mended the boat? Every morning a little more, and every "
    "evening a little less of it was left to mend, until one day it simply floated.\n\n"
    "I have never been good at saying these things out loud, so I am writing them down instead, "
    "slowly, in my own hand, the way my mother used to write to me when I was away.\n\n"
    "Nothing much is new here. The kettle still whistles, the cat still sleeps in the sun, and "
    "the garden is running wild again, which is how we both like it best."
)
VARIATION_TEMPLATE = "---\ntitle: Variation\nfields:\n  - name: story\n    type: text\n---\n{{ story }}\n"
LETTER = {"sender_name": "Sam Okafor", "recipient_name": "Chris Lindqvist", "story": STORY,
          "hand": "caveat", "ink": "midnight", "paper": "white", "page_size": "A4", "date": "2026-02-14"}
FLAT_BOTTOMED = "imnruvwxz"  # letters that sit on the baseline with no descender and no overshoot


@pytest.fixture
def write(app, templates_dir):
    """Write the variation letter through the library door: write(realism=..., seed=...) -> PDF bytes."""
    (templates_dir / "variation.jinja").write_text(VARIATION_TEMPLATE)

    def write_pdf(**values):
        with app.app_context():
            template = app.extensions["letterhouse.letters.catalog"].get("variation")
            letter, errors = validate_mapping(template, {**LETTER, **values})
            assert errors == {}
            return write_letter_pdf(letter).pdf
    return write_pdf


@dataclass(frozen=True)
class DrawnGlyph:
    text: str
    glyph: int  # the glyph id in the embedded font (WeasyPrint keeps the font's own ids)
    font: str
    size: float  # in points, as drawn
    origin_y: float  # where its baseline starts, in points from the bottom of the page
    bottom_mm: float  # the bottom of its ink, in mm from the top of the page


class GlyphRecorder(PDFLayoutAnalyzer):
    """A pdfminer device that keeps every glyph a page draws, with the font and matrix it is drawn with."""

    def __init__(self, manager):
        super().__init__(manager)
        self.drawn = []

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        self.drawn.append((font, cid, matrix, fontsize))
        return super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)


def drawn_glyphs(pdf, page_number=0):
    """Return every glyph drawn on a page, with where the bottom of its ink really falls."""
    manager, fonts = PDFResourceManager(), {}
    recorder = GlyphRecorder(manager)
    page = list(PDFPage.get_pages(io.BytesIO(pdf)))[page_number]
    PDFPageInterpreter(manager, recorder).process_page(page)
    glyphs = []
    for font, cid, (a, b, _c, d, _e, f), size in recorder.drawn:
        ink = ink_box(fonts, font, cid)
        if ink is None:
            continue
        x, y = (ink[0] + ink[2]) / 2 * size, ink[1] * size  # the middle of the ink's bottom edge
        glyphs.append(DrawnGlyph(text_of(font, cid), cid, font.fontname.split("+")[-1], size * math.hypot(a, b),
                                 f, (page.mediabox[3] - (b * x + d * y + f)) * MM_PER_POINT))
    return glyphs


def text_of(font, glyph):
    try:
        return font.to_unichr(glyph)
    except Exception:  # noqa: BLE001 -- pdfminer raises its own for a glyph with no text
        return ""


def ink_box(fonts, font, glyph):
    """Return a glyph's ink box in ems, read from the font program embedded in the PDF (None if blank)."""
    if id(font) not in fonts:
        embedded = TTFont(io.BytesIO(resolve1(font.descriptor["FontFile2"]).get_data()))
        fonts[id(font)] = (embedded.getGlyphSet(), embedded.getGlyphOrder(), embedded["head"].unitsPerEm)
    glyph_set, order, units = fonts[id(font)]
    pen = BoundsPen(glyph_set)
    glyph_set[order[glyph]].draw(pen)
    return pen.bounds and tuple(value / units for value in pen.bounds)


def body_glyphs(glyphs):
    """Return the glyphs of the letter's body: those near the most common size (paragraphs vary a little)."""
    sizes = [round(glyph.size, 1) for glyph in glyphs]
    body = max(set(sizes), key=sizes.count)
    return [glyph for glyph in glyphs if abs(glyph.size - body) < 0.08 * body]


def lines_of(glyphs):
    """Return glyphs cut into lines, in the order they are drawn: a jump of 3 mm starts a new line."""
    lines = []
    for glyph in glyphs:
        if lines and abs(lines[-1][-1].origin_y - glyph.origin_y) * MM_PER_POINT < 3:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    return lines


def same_letter_spread_mm(pdf):
    """Return how far apart, on average, the same letter sits on the same line (mm, ink bottoms)."""
    spreads = []
    for line in lines_of(body_glyphs(drawn_glyphs(pdf))):
        bottoms = defaultdict(list)
        for glyph in line:
            if glyph.text in FLAT_BOTTOMED:
                bottoms[glyph.text].append(glyph.bottom_mm)
        spreads += [max(b) - min(b) for b in bottoms.values() if len(b) >= 2]
    return statistics.mean(spreads)


def shapes_per_letter(pdf):
    """Return {letter: the set of glyphs it is drawn with} over the body of the first page."""
    shapes = defaultdict(set)
    for glyph in body_glyphs(drawn_glyphs(pdf)):
        shapes[glyph.text].add(glyph.glyph)
    return shapes


@pytest.mark.parametrize("hand", ["caveat", "homemade-apple", "dancing-script", "kalam"])
def test_a_repeated_letter_is_drawn_in_more_shapes_than_the_face_has(write, hand):
    natural, neat = (shapes_per_letter(write(hand=hand, realism=level)) for level in ("natural", "neat"))
    for letter in "aeinorst":
        assert len(natural[letter]) >= max(3, len(neat[letter]) + 2), (letter, natural[letter], neat[letter])


def outlines(glyph_set, names):
    """Return the outlines of glyphs, components drawn in place, as comparable values."""
    drawn = set()
    for name in names:
        pen = DecomposingRecordingPen(glyph_set)
        glyph_set[name].draw(pen)
        drawn.add(repr(pen.value))
    return drawn


def drawn_outlines(pdf):
    """Return the outline of every glyph a PDF's first page draws, read from its embedded fonts."""
    manager = PDFResourceManager()
    recorder = GlyphRecorder(manager)
    PDFPageInterpreter(manager, recorder).process_page(next(PDFPage.get_pages(io.BytesIO(pdf))))
    fonts, drawn = {}, set()
    for font, glyph, _, _ in recorder.drawn:
        if id(font) not in fonts:
            fonts[id(font)] = TTFont(io.BytesIO(resolve1(font.descriptor["FontFile2"]).get_data()))
        embedded = fonts[id(font)]
        drawn |= outlines(embedded.getGlyphSet(), [embedded.getGlyphOrder()[glyph]])
    return drawn


@pytest.mark.parametrize("realism, only_the_face", [("neat", True), ("natural", False)])
def test_neat_writes_every_letter_as_the_face_itself_draws_it(write, realism, only_the_face):
    face = TTFont(STATIC_FONTS / HANDS["caveat"].font_file)
    drawn = drawn_outlines(write(realism=realism))
    assert (drawn <= outlines(face.getGlyphSet(), face.getGlyphOrder())) is only_the_face


def test_words_wander_about_their_line_and_more_so_when_hurried(write):
    spread = {level: same_letter_spread_mm(write(realism=level, seed="1")) for level in ("neat", "natural", "hurried")}
    assert spread["neat"] < 0.2, spread  # the face's own alternates differ a little; nothing else moves
    assert spread["natural"] > max(0.25, 2 * spread["neat"]), spread
    assert spread["hurried"] > 1.3 * spread["natural"], spread


def test_the_text_in_the_pdf_is_the_text_written_accents_and_all(write):
    story = "Zoë and Ægir met in Łódź over a naïve café crème; Příliš žluťoučký kůň, Ğüneş, Привет."
    text = pdf_text(write(story=story, realism="hurried"))
    assert pdf_shows(text, story)
    assert "Dear Chris," in text and "Sam Okafor" in text


def test_the_same_letter_is_the_same_pdf_to_the_byte(write):
    assert write(seed="42") == write(seed="42")


def test_write_it_again_writes_the_same_words_in_a_new_hand(letters, anniversary_values):
    preview = letters.submit("anniversary", anniversary_values).get_data(as_text=True)
    again = letters.submit("anniversary", anniversary_values, action="rewrite").get_data(as_text=True)
    first, second = letters.download("anniversary", preview).data, letters.download("anniversary", again).data
    assert first == letters.download("anniversary", preview).data
    assert first != second
    assert read_provenance(first).seed != read_provenance(second).seed
    drawn = [[(glyph.text, glyph.glyph) for glyph in body_glyphs(drawn_glyphs(pdf))] for pdf in (first, second)]
    assert drawn[0] != drawn[1]


REWRITE_SCRIPT = """
import json
import sys
from letterhouse import create_app
from letterhouse.letters.letter import validate_mapping
from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.provenance import read_provenance

pdf_path, templates, values = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
made = read_provenance(open(pdf_path, "rb").read())
app = create_app({"SECRET_KEY": "another-process", "TEMPLATES": templates})
with app.app_context():
    template = app.extensions["letterhouse.letters.catalog"].get(made.template)
    assert template.digest == made.template_sha256, "the template file has changed since"
    letter, errors = validate_mapping(template, {**values, "seed": str(made.seed)})
    sys.stdout.buffer.write(write_letter_pdf(letter).pdf)
"""


def test_a_letter_is_written_again_to_the_byte_from_its_metadata(letters, anniversary_values, templates_dir,
                                                                  tmp_path):
    again = letters.submit("anniversary", anniversary_values, action="rewrite").get_data(as_text=True)
    pdf = letters.download("anniversary", again).data
    made = read_provenance(pdf)
    assert (made.title, made.author, made.template) == ("An anniversary letter to Chris Lindqvist",
                                                         "Sam Okafor", "anniversary")
    assert made.template_sha256 == hashlib.sha256((templates_dir / "anniversary.jinja").read_bytes()).hexdigest()
    (tmp_path / "letter.pdf").write_bytes(pdf)
    rewritten = subprocess.run(
        [sys.executable, "-c", REWRITE_SCRIPT, str(tmp_path / "letter.pdf"), str(templates_dir),
         json.dumps(anniversary_values)], capture_output=True, check=True, cwd=PROJECT).stdout
    assert rewritten == pdf


def signature_and_body(pdf):
    """Return (signature chars, body chars) of the first page: the signature is the largest writing."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = [char for char in document.pages[0].chars if char["text"].strip()]
    largest = max(char["size"] for char in chars)
    return ([char for char in chars if char["size"] > 0.95 * largest],
            [char for char in chars if char["size"] < 0.8 * largest])


def letter_gaps_em(chars):
    """Return the space left between neighbouring letters of a word, in ems (a word's gap is wider)."""
    gaps = []
    for left, right in zip(chars, chars[1:]):
        step = math.dist(left["matrix"][4:], right["matrix"][4:])
        gap = (step - left["adv"] * math.hypot(*left["matrix"][:2])) / left["size"]
        if abs(gap) < WORD_GAP_EM:
            gaps.append(gap)
    return gaps


WORD_GAP_EM = 0.15


def test_the_signature_is_written_larger_and_flung_uphill_its_letters_not_spaced_out(write):
    signature, body = signature_and_body(write(sender_name="Lou Fairweather", seed="3"))
    assert "".join(char["text"] for char in signature) == "LouFairweather"
    assert statistics.median(c["size"] for c in signature) > 1.3 * statistics.median(c["size"] for c in body)
    turn = math.degrees(math.atan2(signature[0]["matrix"][1], signature[0]["matrix"][0]))
    assert abs(turn) > 1  # flung a little uphill, not set square like the body
    # written fast, its letters run as close as the body's or closer: never "L o u" set letter-spaced
    assert statistics.median(letter_gaps_em(signature)) <= statistics.median(letter_gaps_em(body)) + 0.002


def test_the_signature_can_be_written_in_another_hand(write):
    signature, body = signature_and_body(write(signature_hand="great-vibes"))
    assert {char["fontname"].split("+")[-1] for char in signature} == {"Great-Vibes"}
    assert {char["fontname"].split("+")[-1] for char in body} == {"Caveat"}


@pytest.fixture
def bake_hands(monkeypatch):
    """The font baking tool, tools/bake_hands.py."""
    monkeypatch.syspath_prepend(str(PROJECT / "tools"))
    return importlib.import_module("bake_hands")


@pytest.mark.parametrize("hand", list(HANDS))
def test_every_hand_has_its_varied_font_baked_from_the_face_as_it_is(bake_hands, hand):
    face = HANDS[hand].font_file
    assert written_font_file(face) != face, "run: python tools/bake_hands.py --all (then commit the fonts)"
    note = TTFont(STATIC_FONTS / written_font_file(face))["name"].getDebugName(5)
    face_sha256 = hashlib.sha256((STATIC_FONTS / face).read_bytes()).hexdigest()
    assert f"v{bake_hands.BAKE_VERSION} from sha256:{face_sha256}" in note, \
        "the face or the recipe changed: run python tools/bake_hands.py --all"


def test_baking_gives_the_same_bytes_every_time(bake_hands):
    face = HANDS["nothing-you-could-do"].font_file
    assert bake_hands.bake(STATIC_FONTS / face) == (STATIC_FONTS / written_font_file(face)).read_bytes()
