"""Hands, inks, papers, envelopes and archival PDFs, checked in the PDF a person downloads."""

import io
import statistics

import numpy as np
import pdfplumber
import pypdfium2
import pytest
from conftest import MM_PER_POINT, pdf_fonts, pdf_page_count, pdf_page_sizes_mm, pdf_text
from pypdf import PdfReader

from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.styles import PAPERS
from letterhouse.render.compose import compose_letter_html
from letterhouse.render.hands import HANDS, INKS, STATIC_FONTS, font_info, hand_scripts, x_height
from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.stationery import ENVELOPES, LETTERHEAD_MARGIN_MM, MONOGRAM_HAND, monogram

ADDRESS = "14 Harbour Row\nFalmouth TR11 3AB\nUnited Kingdom"
SENDER_ADDRESS = "3 Rue des Lilas\n69002 Lyon\nFrance"


def make_letter(app, **values):
    """Return the anniversary Letter for these values, which must be valid."""
    with app.app_context():
        template = app.extensions["letterhouse.letters.catalog"].get("anniversary")
        letter, errors = validate_mapping(template, {"sender_name": "Sam Okafor", "recipient_name": "Chris Lindqvist",
                                                     "years": "12", "paper": "white", **values})
    assert errors == {}
    return letter


def letter_pdf(app, **values):
    return write_letter_pdf(make_letter(app, **values)).pdf


def page_image(pdf, page=0, dpi=50):
    """Return one page as an RGB PIL image."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[page].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()


def pixels(image):
    """Return an RGB image's pixels as (r, g, b) tuples, row by row."""
    data = image.convert("RGB").tobytes()
    return [tuple(data[i:i + 3]) for i in range(0, len(data), 3)]


def pdf_family(family):
    return family.replace(" ", "-")


def written_in(pdf, *families):
    """Return whether every font the PDF draws with is one of these families (any weight)."""
    return all(any(font.startswith(pdf_family(f)) for f in families) for font in pdf_fonts(pdf))


# Hands

def test_there_are_eight_hands_or_more_each_with_its_licence_name_and_scripts():
    assert len(HANDS) >= 8
    for hand in HANDS.values():
        info = font_info(hand.font_file)
        assert (STATIC_FONTS / hand.font_file).with_name(info["licence"]).is_file()
        assert hand.label.startswith(hand.family) and len(hand.label) > len(hand.family) + 5
        assert "latin" in hand_scripts(hand) and tuple(info["scripts"]) == hand_scripts(hand)


def test_every_hand_writes_at_about_the_same_size():
    x_heights_mm = {key: x_height(h.font_file) * h.size_pt * 25.4 / 72 for key, h in HANDS.items()}
    assert all(2.1 <= mm <= 2.9 for mm in x_heights_mm.values()), x_heights_mm


@pytest.mark.parametrize("hand", list(HANDS))
def test_a_letter_is_written_in_each_hand(app, hand):
    pdf = letter_pdf(app, hand=hand)
    assert written_in(pdf, HANDS[hand].family)
    assert "Dear Chris," in pdf_text(pdf)


# Inks

def ink_of(image, paper=(255, 255, 253)):
    """Return the key of the ink whose colour, laid thick or thin on the paper, the strokes show.

    Ink may be translucent (pen pressure), so each ink is a line of colours from the ink
    itself to the paper; the strokes' core colour is matched to the nearest line.
    """
    dark = sorted((p for p in pixels(image) if sum(p) < 400), key=sum)
    core = dark[:max(1, len(dark) // 4)]  # the middle of the strokes, not their antialiased edges
    mean = [statistics.mean(p[i] for p in core) for i in range(3)]
    return min(INKS, key=lambda key: distance_to_segment(mean, rgb(INKS[key].color), paper))


def distance_to_segment(point, start, end):
    """Return the distance from a colour to the nearest colour between start and end."""
    span = [b - a for a, b in zip(start, end)]
    t = sum((p - a) * d for p, a, d in zip(point, start, span)) / sum(d * d for d in span)
    nearest = [a + max(0.0, min(1.0, t)) * d for a, d in zip(start, span)]
    return sum((p - n) ** 2 for p, n in zip(point, nearest)) ** 0.5


def rgb(css_color):
    return tuple(int(part) for part in css_color.removeprefix("rgb(").removesuffix(")").split())


def test_there_are_five_inks_or_more():
    assert len(INKS) >= 5


@pytest.mark.parametrize("ink", list(INKS))
def test_the_letter_is_written_in_the_chosen_ink(app, ink):
    assert ink_of(page_image(letter_pdf(app, ink=ink), dpi=150)) == ink


# Papers

def margin_pixels(image):
    """Return the pixels of the left margin, where nothing is written."""
    width, height = image.size
    return pixels(image.crop((0, height // 4, width // 10, height * 3 // 4)))


def test_the_five_papers_are_there():
    assert {"white", "cream", "ruled", "aged", "letterhead"} <= set(PAPERS)


@pytest.mark.parametrize("paper", list(PAPERS))
def test_a_letter_is_written_on_each_paper(app, paper):
    pdf = letter_pdf(app, paper=paper)
    assert "Dear Chris," in pdf_text(pdf)
    assert written_in(pdf, HANDS["caveat"].family, HANDS[MONOGRAM_HAND].family)  # the monogram's face


def test_white_paper_is_plain_and_cream_laid_paper_has_a_texture(app):
    white = [sum(p) / 3 for p in margin_pixels(page_image(letter_pdf(app, paper="white"), dpi=100))]
    cream = [sum(p) / 3 for p in margin_pixels(page_image(letter_pdf(app, paper="cream"), dpi=100))]
    assert statistics.pstdev(white) < 0.5
    assert 1 < statistics.pstdev(cream) < 8  # visible up close, never louder than the writing


def repeat_share(paper, shift, axis):
    """Return the share of paper pixels that the same pixels `shift` px further along an axis repeat exactly."""
    here, there = (paper[:-shift], paper[shift:]) if axis == 0 else (paper[:, :-shift], paper[:, shift:])
    both = ~np.isnan(here) & ~np.isnan(there)
    return float((here[both] == there[both]).mean())


@pytest.mark.parametrize("paper_key", ["cream", "aged"])
def test_textured_paper_does_not_repeat_at_any_period_on_the_page(app, paper_key):
    """A tile's grain repeating every few centimetres is a tell: shifted by any period, little of the paper matches."""
    page = np.asarray(page_image(letter_pdf(app, paper=paper_key), dpi=150).convert("L"), dtype=float)
    lower = page[800:1600, 100:1150]  # 135 x 175 mm of the sheet, much of it below the writing
    paper = np.where(lower > np.median(lower) - 30, lower, np.nan)  # the writing left out
    worst = max(repeat_share(paper, shift, axis) for axis in (0, 1) for shift in range(40, 520))
    assert worst < 0.3, f"{worst:.0%} of the paper repeats at some period"


@pytest.mark.parametrize("paper_key", ["cream", "aged"])
def test_two_letters_on_textured_paper_are_not_written_on_the_same_sheet(app, paper_key):
    """Five letters on pixel-identical paper gave them away: each letter's sheet is cut from its own place."""
    sheets = [np.asarray(page_image(letter_pdf(app, paper=paper_key, seed=seed), dpi=50).convert("L"), dtype=float)
              for seed in ("3", "11")]
    bottom = [sheet[-25:-5, 10:-10] for sheet in sheets]  # a strip below any writing
    assert np.mean(np.abs(bottom[0] - bottom[1]) > 1) > 0.5  # most of it differs


def test_aged_paper_is_warm_uneven_and_foxed(app):
    image = page_image(letter_pdf(app, paper="aged"), dpi=100)
    margin = margin_pixels(image)
    assert statistics.mean(r - b for r, g, b in margin) > 30  # warm
    assert statistics.pstdev(sum(p) / 3 for p in margin) > 2  # uneven
    page = pixels(image)
    tone = statistics.mean(sum(p) / 3 for p in page)
    spots = [p for p in page if sum(p) / 3 < tone - 25 and p[0] - p[2] > 40]  # rust-brown, not blue ink
    assert len(spots) > 20


def test_letterhead_paper_carries_the_senders_monogram_at_the_head_of_the_first_page(app):
    pdf = letter_pdf(app, paper="letterhead", sender_name="Marguerite Zöllner")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        head = [c for c in page.chars if c["bottom"] * MM_PER_POINT < LETTERHEAD_MARGIN_MM]  # in the top margin
    assert "".join(c["text"] for c in head) == "MZ"
    assert all(c["fontname"].split("+")[-1].startswith(pdf_family(HANDS[MONOGRAM_HAND].family)) for c in head)


@pytest.mark.parametrize("name, initials", [
    ("Sam Okafor", "SO"), ("marguerite van der Zöllner", "MZ"), ("Zoë", "Z"), ("李小龙", "李"),
    ("سامي أحمد", "س"), ("  ", ""), ("(Sam) 'Okafor'", "SO"),
])
def test_the_monogram_is_made_of_the_names_initials(name, initials):
    assert monogram(name) == initials


def test_the_monogram_is_text_in_the_page_never_markup(app):
    letter = make_letter(app, paper="letterhead", sender_name='<script>x</script> "Okafor"')
    with app.app_context():
        html = compose_letter_html(letter)
    assert "<script" not in html
    assert '<span class="monogram">&lt;O</span>' in html or '<span class="monogram">SO</span>' in html


def test_ruled_paper_has_a_red_margin_line_left_of_the_writing(app):
    image = page_image(letter_pdf(app, paper="ruled"), dpi=100)
    width, height = image.size
    row = [image.getpixel((x, height // 2)) for x in range(width // 2)]
    red = [x for x, (r, g, b) in enumerate(row) if r - b > 60]
    assert red and max(red) * 25.4 / 100 < 28  # before the writing starts at the left margin


# Envelopes

@pytest.mark.parametrize("envelope", list(ENVELOPES))
def test_an_envelope_page_follows_the_letter_in_its_own_size(app, envelope):
    pdf = letter_pdf(app, envelope=envelope, recipient_address=ADDRESS, sender_address=SENDER_ADDRESS)
    sizes = pdf_page_sizes_mm(pdf)
    size = ENVELOPES[envelope]
    assert sizes[-1] == (round(size.width_mm), round(size.height_mm))
    assert all(page == (210, 297) for page in sizes[:-1])
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[-1]
        lines = (page.extract_text() or "").splitlines()
        fonts = {c["fontname"].split("+")[-1] for c in page.chars}
    hand = pdf_family(HANDS["caveat"].family)
    assert lines == ["Sam Okafor", "3 Rue des Lilas", "69002 Lyon", "France",
                     "Chris Lindqvist", "14 Harbour Row", "Falmouth TR11 3AB", "United Kingdom"]
    assert all(font.startswith(hand) for font in fonts)  # in the letter's hand


def test_the_envelope_is_addressed_where_a_post_office_looks(app):
    pdf = letter_pdf(app, envelope="DL", recipient_address=ADDRESS, sender_address=SENDER_ADDRESS)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[-1]
        width, height = page.width, page.height
        words = {w["text"]: w for w in page.extract_words()}
    to, return_address = words["Falmouth"], words["Lyon"]
    assert to["x0"] > width * 0.4 and to["top"] > height * 0.45  # the lower right
    assert height - words["Kingdom"]["bottom"] > 15 / MM_PER_POINT  # clear of the barcode strip
    assert return_address["x0"] < width * 0.3 and return_address["bottom"] < height * 0.45  # the top left
    image = page_image(pdf, page=pdf_page_count(pdf) - 1, dpi=100)
    stamp_corner = image.crop((image.width - 130, 0, image.width, 140))
    assert any(120 < sum(p) / 3 < 200 for p in pixels(stamp_corner))  # the stamp box's dashed edge


def test_an_address_that_starts_with_their_name_is_not_written_twice(app):
    pdf = letter_pdf(app, envelope="C5", recipient_address="Chris Lindqvist\n" + ADDRESS)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        envelope_text = document.pages[-1].extract_text()
    assert envelope_text.count("Chris Lindqvist") == 1


def test_an_envelope_needs_their_address(letters, anniversary_values):
    response = letters.submit("anniversary", {**anniversary_values, "envelope": "DL", "recipient_address": " "})
    assert response.status_code == 422
    assert "An envelope needs their address" in response.get_data(as_text=True)


def test_an_envelope_without_an_address_is_refused_by_field_for_every_door(app):
    with app.app_context():
        template = app.extensions["letterhouse.letters.catalog"].get("anniversary")
        letter, errors = validate_mapping(template, {"sender_name": "Sam", "recipient_name": "Chris", "years": "3",
                                                     "envelope": "US10"})
    assert letter is None
    assert list(errors) == ["recipient_address"]


def test_the_envelope_does_not_count_towards_the_page_limit(letters, anniversary_values, app):
    app.config["MAX_PAGES"] = 1
    values = {**anniversary_values, "envelope": "DL", "recipient_address": ADDRESS}
    pdf = letters.download("anniversary", letters.submit("anniversary", values).get_data(as_text=True)).data
    assert pdf_page_sizes_mm(pdf) == [(210, 297), (220, 110)]


def test_no_envelope_means_no_envelope_page(app):
    assert pdf_page_sizes_mm(letter_pdf(app, recipient_address=ADDRESS)) == [(210, 297)]


# Archival PDFs

def test_an_archival_letter_is_pdf_a_3b_and_tagged_for_screen_readers(app):
    pdf = letter_pdf(app, archival="true")
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root and "/OutputIntents" in root
    assert "Dear Chris," in pdf_text(pdf)


def test_an_everyday_letter_is_not_marked_archival(app):
    root = PdfReader(io.BytesIO(letter_pdf(app))).trailer["/Root"]
    assert "/StructTreeRoot" not in root and "/Metadata" not in root


# The sample sheet

def test_the_sample_sheet_shows_every_chosen_hand_on_every_chosen_paper(command_line, tmp_path):
    result = command_line("samples", tmp_path, "--hand", "caveat", "--hand", "kalam",
                          "--paper", "white", "--paper", "aged", "--dpi", "40")
    assert result.exit_code == 0, result.output
    pictures = sorted(p.name for p in tmp_path.glob("*-*.png"))
    assert pictures == ["caveat-aged.png", "caveat-white.png", "contact-sheet.png", "kalam-aged.png",
                        "kalam-white.png"]
    pdf = (tmp_path / "sample-sheet.pdf").read_bytes()
    assert written_in(pdf, HANDS["caveat"].family, HANDS["kalam"].family) and len(pdf_fonts(pdf)) == 2
    assert pdf_text(pdf).count("Dear ") == 4
