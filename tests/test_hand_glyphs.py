"""Every hand writes a pangram, digits and punctuation as typed: no typeset ligatures, no lost spaces, no tiny marks.

Measured on the PDF: its text as extracted, and its ink drawn at 200 dpi inside each character's box.
"""

import statistics

import numpy as np
import pdfplumber
import pypdfium2
import pytest
from PIL import Image, ImageDraw

from letterhouse.letters.styles import HANDS
from letterhouse.render.pdf import get_renderer

PANGRAM = "Sphinx of black quartz, judge my vow; the five boxing wizards jump quickly!"
DIGITS = "0 1 2 3 4 5 6 7 8 9"
PUNCTUATION = "Is it first? Yes: office, “quoted” (brackets) - 3:30 …"
DATE = "on 2 September"
APOSTROPHES = "I'd don't we're I’ve it’s"  # the typewriter's and the typographer's
DPI = 200
SCALE = DPI / 72


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Return a function: hand -> (chars with their boxes, the page's ink as a boolean array)."""
    renderer = get_renderer()
    folder = tmp_path_factory.mktemp("hands")
    cache = {}

    def write(hand):
        if hand not in cache:
            body = "".join(f"<p>{line}</p>" for line in (PANGRAM, DIGITS, PUNCTUATION, DATE))
            body += f"<p style='font-size: 28pt; margin-top: 2em'>{APOSTROPHES}</p>"  # large: a thin gap is pixels
            html = f'<html><body class="hand-{hand} ink-black">{body}</body></html>'
            path = folder / f"{hand}.pdf"
            path.write_bytes(renderer.render(html, "A4", "white", hand).pdf)
            with pdfplumber.open(path) as pdf:
                chars = [dict(char, page_height=pdf.pages[0].height) for char in pdf.pages[0].chars]
            document = pypdfium2.PdfDocument(str(path))
            grey = np.asarray(document[0].render(scale=SCALE).to_pil().convert("L"))
            document.close()
            cache[hand] = chars, grey < 200  # ink, even where a thin stroke is drawn grey
        return cache[hand]

    return write


def line_of(chars, first_text):
    """Return the characters of the line that starts with first_text, in order."""
    lines = {}
    for char in chars:
        lines.setdefault(round(char["top"]), []).append(char)
    for line in lines.values():
        text = "".join(char["text"] for char in sorted(line, key=lambda c: c["x0"]))
        if text.replace(" ", "").startswith(first_text.replace(" ", "")):
            return sorted(line, key=lambda c: c["x0"])
    raise AssertionError(f"no line starts with {first_text!r}")


def band(char, page_height):
    """Return the rows (px) a character's ink may take: from an em above its baseline to half an em below.

    From the baseline and size rather than the character's box: a face's declared ascent and descent
    (Homemade Apple's are 1.3 and 0.85 em) can put the box well off the ink.
    """
    baseline = page_height - char["matrix"][5]
    return int((baseline - 1.1 * char["size"]) * SCALE), int((baseline + 0.5 * char["size"]) * SCALE)


def ink_box(ink, char, page_height):
    """Return (top, bottom) in px of the ink within a character's advance."""
    top, bottom = band(char, page_height)
    rows = np.nonzero(ink[top:bottom, int(char["x0"] * SCALE):int(char["x1"] * SCALE)].any(axis=1))[0]
    return (top + rows[0], top + rows[-1] + 1) if len(rows) else None


# Typeset ligatures: what `liga` and `dlig` make, and the presentation forms. A joined hand's own
# contextual joins (Great Vibes' "th", Dancing Script's "or") are its handwriting and stay.
TYPESET = {"ff", "fi", "fl", "ffi", "ffl", "ft", "st", "ct"}


@pytest.mark.parametrize("hand", list(HANDS))
def test_the_text_is_the_text_typed_with_no_typeset_ligatures(written, hand):
    chars, _ = written(hand)
    glyphs = [char["text"] for char in chars]
    assert [text for text in glyphs if text in TYPESET or any(0xFB00 <= ord(c) <= 0xFB06 for c in text)] == []
    text = "".join(char["text"] for char in chars).replace(" ", "")
    for line in (PANGRAM, DIGITS, PUNCTUATION, DATE):
        assert line.replace(" ", "") in text


@pytest.mark.parametrize("hand", list(HANDS))
def test_no_digit_is_much_shorter_than_the_others(written, hand):
    chars, ink = written(hand)
    digits = [char for char in line_of(chars, DIGITS) if char["text"].isdigit()]
    boxes = {char["text"]: ink_box(ink, char, char["page_height"]) for char in digits}
    heights = {digit: bottom - top for digit, (top, bottom) in boxes.items()}
    usual = statistics.median(heights.values())
    assert {digit: round(height / usual, 2) for digit, height in heights.items() if height < 0.75 * usual} == {}


def ink_width(ink, char, page_height):
    """Return the width in px of the ink drawn within a character's advance."""
    top, bottom = band(char, page_height)
    columns = np.nonzero(ink[top:bottom, int(char["x0"] * SCALE):int(char["x1"] * SCALE)].any(axis=0))[0]
    return columns[-1] - columns[0] + 1


@pytest.mark.parametrize("hand", list(HANDS))
def test_a_question_mark_is_a_full_mark_not_a_tiny_hook(written, hand):
    """As tall as an exclamation mark, and its hook not a sliver (Indie Flower's was a third as wide as tall)."""
    chars, ink = written(hand)
    marks = {char["text"]: char for char in chars if char["text"] in "?!"}
    question, exclamation = (ink_box(ink, marks[mark], marks[mark]["page_height"]) for mark in "?!")
    height = question[1] - question[0]
    assert height >= 0.85 * (exclamation[1] - exclamation[0])
    assert ink_width(ink, marks["?"], marks["?"]["page_height"]) >= 0.33 * height


@pytest.mark.parametrize("hand", list(HANDS))
def test_a_space_before_a_date_s_month_stays_a_space(written, hand):
    """The ink of "September" starts clearly after the ink of the "2" before it (Homemade Apple's S swept under it)."""
    chars, ink = written(hand)
    line = line_of(chars, DATE)
    two = next(i for i in range(len(line) - 1, -1, -1) if line[i]["text"] == "2")
    capital = next(char for char in line[two + 1:] if char["text"] == "S")
    top, bottom = band(line[two], line[two]["page_height"])
    left, right = int(line[two]["x0"] * SCALE), int(capital["x1"] * SCALE)
    columns = ink[top:bottom, left:right].any(axis=0)
    inked = np.nonzero(columns)[0]
    gaps = np.diff(inked)  # runs of blank columns between inked ones
    widest_mm = (gaps.max() - 1) / SCALE * 25.4 / 72 if len(gaps) else 0
    assert widest_mm >= 0.6, f"the widest gap between '2' and 'S' is {widest_mm:.2f} mm"


@pytest.mark.parametrize("hand", list(HANDS))
def test_an_apostrophe_stands_clear_of_the_letters_beside_it(written, hand):
    """Its ink is a mark of its own, a little apart from its neighbours' (Homemade Apple's ran into the I and the t)."""
    chars, ink = written(hand)
    line = line_of(chars, APOSTROPHES)
    marks = [(index, char) for index, char in enumerate(line) if char["text"] in "'’"]
    assert len(marks) == 5
    gaps = {"".join(c["text"] for c in line[index - 1:index + 2]): apostrophe_gap(ink, char)
            for index, char in marks}
    assert {pair: round(gap, 3) for pair, gap in gaps.items() if gap < 0.01} == {}  # in ems: a clear pixel at least


def apostrophe_gap(ink, char):
    """Return the blank (ems) between an apostrophe's ink and the nearest other ink, 0 if it is part of a letter.

    Its ink is the small mark high on the line nearest its box: a face may draw it past its own advance.
    """
    em = char["size"] * SCALE
    baseline = (char["page_height"] - char["matrix"][5]) * SCALE
    top, left = int(baseline - 1.2 * em), int(char["x0"] * SCALE - em)
    crop = ink[top:int(baseline), left:int(char["x1"] * SCALE + em)]
    centre = (char["x0"] + char["x1"]) / 2 * SCALE - left
    high = [mark for mark in marks_near(crop, centre, em) if np.ptp(np.nonzero(mark.any(axis=1))[0]) < 0.5 * em
            and np.nonzero(mark.any(axis=1))[0][-1] < crop.shape[0] - 0.15 * em]
    if not high:
        return 0.0
    mark = min(high, key=lambda mark: abs(np.nonzero(mark.any(axis=0))[0].mean() - centre))
    others = np.argwhere(crop & ~mark)
    near = np.sqrt(((np.argwhere(mark)[:, None, :] - others[None, :, :]) ** 2).sum(axis=2)).min()
    return (near - 1) / em


def marks_near(crop, centre, em):
    """Return each separate piece of ink with a pixel near the column `centre`, in the top of the crop."""
    marks, start = [], int(centre - 0.3 * em)
    for row, column in np.argwhere(crop[:int(0.9 * em), start:int(centre + 0.4 * em)]):
        if not any(mark[row, start + column] for mark in marks):
            marks.append(component(crop, (start + column, row)))
    return marks


def component(mask, seed):
    """Return the mask of the ink joined to the seed pixel (x, y)."""
    image = Image.fromarray(mask.astype(np.uint8) * 255).copy()  # a copy: fromarray may share read-only memory
    ImageDraw.floodfill(image, seed, 128)
    return np.asarray(image) == 128
