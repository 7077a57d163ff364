"""The pen pass: every glyph written afresh, the real text kept underneath, measured on the page itself."""

import io
import math
import re
from collections import defaultdict
from itertools import combinations

import numpy
import pdfplumber
import pypdfium2
import pytest
from conftest import PROJECT, pdf_text
from PIL import Image
from pypdf import PdfReader

import letterhouse.render.letter_pdf as letter_pdf_module
import letterhouse.render.pen.outlines as pen_outlines
from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.styles import HANDS
from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.pen.warps import Warp
from letterhouse.render.realism_measure import measure_pdf

STORY = (
    "I went down to the harbour in the morning and the boats were all in. The tide was out and the "
    "gulls were on the mud, and the men were mending the nets on the wall as they always do. "
    "I sat on the steps and watched the light come over the water, and I thought of you and of the "
    "summer we spent there, and of the house with the blue door at the end of the lane.\n\n"
    "In the afternoon it rained, so I read by the window and the kettle sang on the stove. "
    "It is the kind of day that we both like best, and I wished that you were here with me to see it. "
    "The garden is wild again and the cat sleeps in the sun, and the apples are nearly ready to pick."
)
TEMPLATE = "---\ntitle: Pen\nfields:\n  - name: story\n    type: text\n---\n{{ story }}\n"
LETTER = {"sender_name": "Sam Okafor", "recipient_name": "Chris Lindqvist", "story": STORY, "hand": "caveat",
          "ink": "midnight", "paper": "white", "page_size": "A4", "date": "2026-02-14", "seed": "1501"}
DPI = 150
GAP_EMS = 0.15  # the least blank between two words, from ink to ink: any less and they read as one
CLONE = 0.90  # two instances of a word this alike, after alignment, are one word printed twice


@pytest.fixture
def write(app, templates_dir):
    """Write the pen's letter through the library door: write(realism=..., hand=...) -> PDF bytes."""
    (templates_dir / "pen.jinja").write_text(TEMPLATE)

    def write_pdf(**values):
        with app.app_context():
            template = app.extensions["letterhouse.letters.catalog"].get("pen")
            letter, errors = validate_mapping(template, {**LETTER, **values})
            assert errors == {}
            return write_letter_pdf(letter).pdf
    return write_pdf


@pytest.fixture
def write_without_pen(write, monkeypatch):
    """The same door with the pen lifted: WeasyPrint's own drawing of the same letter."""
    def write_pdf(**values):
        with monkeypatch.context() as patch:
            patch.setattr(letter_pdf_module, "letter_pen", lambda values, seed: None)
            return write(**values)
    return write_pdf


# What the pen leaves alone

@pytest.mark.parametrize("realism", ["natural", "hurried"])
def test_the_text_of_a_penned_letter_is_exactly_the_text_written(write, write_without_pen, realism):
    penned, plain = write(realism=realism), write_without_pen(realism=realism)
    assert penned != plain
    assert pdf_text(penned) == pdf_text(plain)
    assert "the house with the blue door" in pdf_text(penned)


def test_a_penned_letter_is_the_same_pdf_to_the_byte_and_another_seed_writes_it_afresh(write):
    assert write(realism="hurried") == write(realism="hurried")
    assert write(realism="hurried", seed="1502") != write(realism="hurried")


def test_a_neat_letter_is_drawn_by_the_face_itself(write):
    page = PdfReader(io.BytesIO(write(realism="neat"))).pages[0]
    assert not glyph_forms(page)
    assert b"3 Tr" not in page.get_contents().get_data()


def test_the_real_text_is_kept_invisible_under_the_pen(write):
    page = PdfReader(io.BytesIO(write(realism="natural"))).pages[0]
    content = page.get_contents().get_data()
    assert b"3 Tr" in content
    assert len(re.findall(rb"/G\d+ Do", content)) > 500  # one drawing per written glyph
    assert len(glyph_forms(page)) >= 12 * 10  # the common letters each in a dozen shapes


@pytest.mark.parametrize("hand", sorted(HANDS))
def test_every_hand_is_written_by_the_pen_where_its_text_is(write, hand):
    pdf = write(realism="natural", hand=hand)
    assert "the house with the blue door" in pdf_text(pdf)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert glyph_forms(page)
    words = page_words(pdf)
    darkness = page_darkness(pdf)
    inked = [word for word in words if ink_of(darkness, word).max() > 0.3]
    assert len(inked) >= 0.97 * len(words)  # ink where every word is (the rest: commas and dots)


def test_chinese_japanese_and_korean_are_drawn_by_their_own_faces(write):
    pdf = write(realism="natural", story="海边的早晨 and 朝の港 and 바다의 아침")
    assert "海边的早晨" in pdf_text(pdf) and "바다의 아침" in pdf_text(pdf)
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    assert b"0 Tr" in content and b"3 Tr" in content  # the CJK runs drawn as they are, the Latin by the pen


def test_an_archival_penned_letter_is_still_tagged_and_readable(write):
    pdf = write(realism="natural", archival="true")
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert "the house with the blue door" in pdf_text(pdf)


# What the pen changes, measured on the page

@pytest.mark.parametrize("hand", ["caveat", "kalam", "patrick-hand", "dancing-script", "marck-script"])
def test_repeated_words_are_written_afresh_not_cloned(write, hand):
    """Words written three times or more: most pairs of their writings are far from alike.

    The issue's goal is no pair at all at 0.90 or more; the pen is not there yet (see the README's
    table: a few to a third of the pairs in the print hands), so this holds it to what it reaches.
    Stronger warps and slants reach further but cost legibility (an l read as an e, words that look
    set in another style), which a reader notices first. Without the pen most pairs are clones.
    """
    likeness_of_pairs = [value for pairs in repeated_word_likeness(write(realism="natural", hand=hand)).values()
                         for value in pairs]
    assert len(likeness_of_pairs) >= 200
    assert numpy.median(likeness_of_pairs) < 0.89
    assert numpy.mean(numpy.array(likeness_of_pairs) >= CLONE) < 0.45
    assert max(likeness_of_pairs) < 0.99


def test_without_the_pen_repeated_words_are_clones(write_without_pen):
    """The measure itself: the same letter drawn by the face alone has cloned words (the test above can fail)."""
    likeness_of_pairs = [value for pairs in repeated_word_likeness(write_without_pen(realism="natural")).values()
                         for value in pairs]
    assert max(likeness_of_pairs) > 0.99  # the same glyphs in the same places
    assert numpy.mean(numpy.array(likeness_of_pairs) >= CLONE) > 0.3


@pytest.mark.parametrize("hand", ["kalam", "patrick-hand"])
def test_a_print_hand_s_repeated_words_are_seldom_alike(write, tmp_path, hand):
    """In a print hand, whose letters each move on their own, few pairs of a word's writings are clones.

    Measured as `letterhouse realism` measures a page: each word written three times or more, every
    pair of its writings compared after aligning their place, size and angle. A word written again
    takes other shapes letter by letter, each letter's own move is spread over its writings, and a
    short word's gaps vary more: one pair in twenty or thirty still matches at 0.90 (two in five before).
    """
    path = tmp_path / "letter.pdf"
    path.write_bytes(write(realism="natural", hand=hand))
    figures = measure_pdf(path)["repeated_words"]
    assert figures["pairs"] >= 200
    assert figures["pairs_at_or_above"] / figures["pairs"] < 0.08
    assert figures["median"] < 0.82


def test_the_ink_of_a_word_is_not_one_flat_colour(write, write_without_pen):
    spread = {pen: statistics_of_ink(pdf) for pen, pdf in
              (("pen", write(realism="natural")), ("plain", write_without_pen(realism="natural")))}
    assert spread["pen"]["iqr"] > 2 * spread["plain"]["iqr"], spread
    assert spread["pen"]["colours"] > 3 * spread["plain"]["colours"], spread


def test_each_line_has_its_own_place_and_the_paragraph_gap_is_not_whole_lines(write, write_without_pen):
    penned, plain = (line_starts(pdf) for pdf in (write(realism="natural"), write_without_pen(realism="natural")))
    gaps = numpy.diff([y for _, y in penned])
    plain_gaps = numpy.diff([y for _, y in plain])
    assert numpy.std(plain_gaps[plain_gaps < 1.4 * numpy.median(plain_gaps)]) < 0.2  # the computer's grid, in pt
    line_gaps = gaps[gaps < 1.4 * numpy.median(gaps)]
    assert numpy.std(line_gaps) > 0.5  # a few tenths of a millimetre, line by line
    paragraph = gaps[gaps >= 1.4 * numpy.median(gaps)] / numpy.median(line_gaps)
    assert all(abs(ratio - round(ratio)) > 0.01 for ratio in paragraph)
    assert margin_steps(penned) > 2 * margin_steps(plain) + 0.1  # the margin creeps, line by line


@pytest.mark.parametrize("hand", ["caveat", "kalam", "homemade-apple"])
def test_words_never_run_together(write, hand):
    pdf = write(realism="hurried", hand=hand)
    darkness, scale = page_darkness(pdf), DPI / 72
    lines = defaultdict(list)
    for word in page_words(pdf):
        lines[round(word["baseline"])].append(word)
    short = {}
    for words in lines.values():
        size, baseline = words[0]["size"], words[0]["baseline"]
        # the letters whole, ascenders and descenders too, along the whole line
        top, bottom = (int((baseline + k * size) * scale) for k in (-0.7, 0.25))
        left, right = int((words[0]["x0"] - size) * scale), int((words[-1]["x1"] + size) * scale)
        gaps = blank_runs(darkness[top:bottom, left:right].max(axis=0) < 0.2)
        wide_gaps = [gap for gap in gaps if gap >= GAP_EMS * size * scale]
        if len(wide_gaps) < len(words) - 1:
            short[" ".join(word["text"] for word in words)] = len(wide_gaps)
    assert short == {}


def test_the_pen_reads_each_face_once_however_many_letters_it_writes(write):
    write(seed="1")
    faces = len(pen_outlines._FONTS)
    for seed in ("2", "3", "4"):
        write(seed=seed, story=STORY[: 200 * int(seed)])  # each letter uses other glyphs: another subset
    assert len(pen_outlines._FONTS) == faces


@pytest.mark.parametrize("signature_hand", ["same", "great-vibes"])
def test_the_signature_is_written_in_shapes_of_its_own_not_the_bodys_made_larger(write, signature_hand):
    page = PdfReader(io.BytesIO(write(realism="natural", signature_hand=signature_hand))).pages[0]
    drawn = re.findall(rb"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) [-\d.]+ [-\d.]+ cm [^Q]*?/(G\d+) Do",
                       page.get_contents().get_data())
    sizes = [math.sqrt(abs(float(a) * float(d) - float(b) * float(c))) for a, b, c, d, _ in drawn]
    body = numpy.median(sizes)
    # the signature is written about 1.45 times larger; a letter's own size moves it by a tenth or so
    signature = {form for (*_, form), size in zip(drawn, sizes) if size > 1.24 * body}
    written = {form for (*_, form), size in zip(drawn, sizes) if size < 1.15 * body}
    assert len(signature) >= 8  # "Sam Okafor": nine letters drawn
    assert signature.isdisjoint(written)


def test_the_date_and_the_closing_sit_a_little_differently_on_every_letter(write):
    dates, closings = [], []
    for seed in ("5", "6", "7", "8"):
        words = page_words(write(realism="natural", seed=seed))
        dates.append(next(word["x1"] for word in words if word["text"] == "2026"))
        signature = next(i for i, word in enumerate(words) if word["text"] == "Sam")
        closings.append(words[signature - 1]["x0"] if words[signature - 1]["baseline"] < words[signature]["baseline"]
                        else words[signature - 2]["x0"])
    mm = 72 / 25.4
    assert max(dates) - min(dates) > 1.5 * mm  # set by hand, not to the same point on every letter
    assert max(closings) - min(closings) > 3 * mm


@pytest.mark.parametrize("hand", sorted(HANDS))
def test_no_shape_of_a_tall_letter_is_cut_down_to_a_short_one(hand):
    """An l whose loop shrank to the height of an e read as one: "place" as "peace", "call" as "cale"."""
    font = (PROJECT / "static" / "fonts" / HANDS[hand].font_file).read_bytes()
    outlines = pen_outlines.FontOutlines(font)
    cmap = outlines.font.getBestCmap()
    for letter in "lbdhk":
        glyph = outlines.font.getGlyphID(cmap[ord(letter)])
        top = outlines.outline(glyph).points[:, 1].max()
        for number in range(pen_outlines.VARIANTS):
            for warp, kept in ((Warp(1.2), 0.88), (Warp(1.2, joined=True), 0.88), (Warp(1.68, joined=True), 0.85)):
                random = pen_outlines.variant_random(outlines.seed, glyph, number, warp)
                moved = warp.displace(outlines.outline(glyph), random)
                assert moved[:, 1].max() > kept * top, f"{letter} variant {number} in {warp}"


# Reading the page

def blank_runs(flags):
    """Return the lengths of the runs of True between the first and the last False (the gaps inside the ink)."""
    inked = numpy.flatnonzero(~flags)
    runs, current = [], 0
    for flag in flags[inked.min():inked.max()] if len(inked) else ():
        if flag:
            current += 1
        elif current:
            runs.append(current)
            current = 0
    return runs


def glyph_forms(page):
    """Return the names of the glyph variants (Form XObjects) a page may draw."""
    xobjects = page["/Resources"].get("/XObject", {})
    return [name for name in xobjects if re.fullmatch(r"/G\d+", name)]


def page_words(pdf, page=0):
    """Return the words of the text layer, each with its baseline and size (pdfplumber's, in points)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        sheet = document.pages[page]
        words = sheet.extract_words(use_text_flow=True, return_chars=True)
        height = float(sheet.height)
    for word in words:
        char = word["chars"][0]
        word["baseline"], word["size"] = height - char["matrix"][5], char["size"]
    return words


def page_darkness(pdf, page=0):
    """Return the page drawn at DPI as darkness: 0 for the paper, 1 for black."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        grey = numpy.asarray(document[page].render(scale=DPI / 72).to_pil().convert("L"), dtype=float)
    finally:
        document.close()
    paper = numpy.percentile(grey, 90)
    return numpy.clip((paper - grey) / paper, 0, 1)


def ink_of(darkness, word, pad=0.12):
    """Return the darkness where a word is written: its box along the line, an em above and below its baseline."""
    scale, size = DPI / 72, word["size"]
    left, right = (word["x0"] - pad * size) * scale, (word["x1"] + pad * size) * scale
    top, bottom = (word["baseline"] - 0.95 * size) * scale, (word["baseline"] + 0.4 * size) * scale
    return darkness[max(int(top), 0):int(bottom) + 1, max(int(left), 0):int(right) + 1]


def repeated_word_likeness(pdf):
    """Return {word: [likeness of each pair of its instances]} for words written three or more times."""
    darkness = page_darkness(pdf)
    instances = defaultdict(list)
    for word in page_words(pdf):
        if len(word["text"]) >= 2 and word["text"].isalpha():
            instances[word["text"].lower()].append(numpy.clip(ink_of(darkness, word) - 0.1, 0, None))
    return {text: [likeness(first, second) for first, second in combinations(inks, 2)]
            for text, inks in instances.items() if len(inks) >= 3}


RADIUS = 14.0  # px: each word is scaled so its ink's RMS radius is this, then compared
TURNS, SCALES, SHIFTS = (-3, -1.5, 0, 1.5, 3), (0.94, 1.0, 1.06), range(-3, 4)


def likeness(first, second):
    """Return how alike two inks are once position, size and angle are taken away (normalised correlation).

    Each is centred on its ink, turned level by its moments and scaled to one radius, blurred by
    about a pixel; then the best correlation over a few more turns, scales and shifts is kept.
    """
    views = numpy.stack([aligned(second, turn, scale).ravel() for turn in TURNS for scale in SCALES])
    plain = aligned(first, 0, 1.0)
    shifted = numpy.stack([numpy.roll(plain, (dy, dx), axis=(0, 1)).ravel() for dy in SHIFTS for dx in SHIFTS])
    return float((shifted @ views.T).max())


def aligned(ink, turn, scale):
    """Return the ink in a square canvas: centred, levelled, sized, blurred and as a unit vector."""
    ys, xs = numpy.nonzero(ink)
    weight = ink[ys, xs]
    cx, cy = numpy.average(xs, weights=weight), numpy.average(ys, weights=weight)
    dx, dy = xs - cx, ys - cy
    mu20, mu02, mu11 = (numpy.average(v, weights=weight) for v in (dx * dx, dy * dy, dx * dy))
    angle = max(-0.26, min(0.26, 0.5 * math.atan2(2 * mu11, mu20 - mu02))) + math.radians(turn)
    zoom = RADIUS / math.sqrt(mu20 + mu02) * scale
    size = int(6 * RADIUS)
    cos, sin = math.cos(angle) / zoom, math.sin(angle) / zoom
    a, b, d, e = cos, -sin, sin, cos
    c, f = cx - (a + b) * size / 2, cy - (d + e) * size / 2
    canvas = numpy.asarray(Image.fromarray(ink.astype(numpy.float32), mode="F").transform(
        (size, size), Image.Transform.AFFINE, (a, b, c, d, e, f), resample=Image.Resampling.BILINEAR))
    for axis in (0, 1):  # a binomial blur, about a pixel
        canvas = sum(w * numpy.roll(canvas, s, axis=axis) for s, w in ((-2, 1), (-1, 4), (0, 6), (1, 4), (2, 1))) / 16
    canvas = canvas - canvas.mean()
    return canvas / (numpy.linalg.norm(canvas) or 1)


def statistics_of_ink(pdf):
    """Return the median spread of darkness within a word's ink, and how many colours the ink has."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        rgb = numpy.asarray(document[0].render(scale=DPI / 72).to_pil().convert("RGB"))
    finally:
        document.close()
    darkness = page_darkness(pdf)
    spreads = []
    for word in page_words(pdf):
        ink = ink_of(darkness, word, pad=0)
        core = stroke_centres(ink)
        if core.sum() >= 20:
            spreads.append(numpy.percentile(ink[core], 75) - numpy.percentile(ink[core], 25))
    colours = {tuple(pixel) for pixel in rgb[stroke_centres(darkness)].tolist()}
    return {"iqr": float(numpy.median(spreads)), "colours": len(colours)}


def stroke_centres(ink):
    """Return the pixels inside strokes: ink with ink all round (the edges are only paper showing through)."""
    inside = ink > 0.3
    centres = inside.copy()
    centres[1:, :] &= inside[:-1, :]
    centres[:-1, :] &= inside[1:, :]
    centres[:, 1:] &= inside[:, :-1]
    centres[:, :-1] &= inside[:, 1:]
    return centres


def margin_steps(starts):
    """Return the usual step of the left margin from one line to the next (points), indented lines left out."""
    lefts = [x for x, _ in starts]
    usual = numpy.median(lefts)
    kept = [x for x in lefts if abs(x - usual) < 5]
    return float(numpy.median(numpy.abs(numpy.diff(kept))))


def line_starts(pdf):
    """Return where each body line of the text layer starts: (x, baseline) of its first word, in points.

    The text layer lies where the pen wrote each line (writer.py moves it); the body is the words at
    the letter's usual size, and a line ends where the next word's baseline is half a size away.
    """
    words = page_words(pdf)
    usual = numpy.median([word["size"] for word in words])
    lines = []
    for word in sorted((w for w in words if abs(w["size"] - usual) < 0.1 * usual), key=lambda w: w["baseline"]):
        if lines and word["baseline"] - lines[-1][-1]["baseline"] < 0.5 * usual:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [min((word["x0"], word["baseline"]) for word in line) for line in lines]



def test_an_envelope_to_a_one_letter_name_is_written(write):
    """Found by schemathesis: a line of one word and no space (the envelope's "0") failed the pen (a 500)."""
    pdf = write(sender_name="0", recipient_name="0", recipient_address="0", story="0", envelope="C5")
    assert "0" in pdf_text(pdf) and len(PdfReader(io.BytesIO(pdf)).pages) == 2
