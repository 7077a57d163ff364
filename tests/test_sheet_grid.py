"""No two letters share one grid: each sheet is begun a little further in or out, its lines a little apart."""

import io
import statistics

import pdfplumber
from conftest import BUNDLED_TEMPLATES

from letterhouse.letters.catalog import load_template
from letterhouse.letters.letter import validate_mapping
from letterhouse.render.letter_pdf import write_letter_pdf

WORDS = "\n\n".join(["I have been thinking of you all week, and of the long walk we took by the river "
                     "in the spring, when the light was low and gold over the water."] * 4)
SEEDS = (1, 2, 3, 4, 5)
MM = 72 / 25.4  # points in a millimetre


def page_of(seed, realism="natural", paper="cream"):
    """Return the first page of the same words written with this seed, as pdfplumber reads it."""
    template = load_template(BUNDLED_TEMPLATES / "blank-page.jinja", {"string": 200, "text": 4000})
    letter, errors = validate_mapping(template, {"sender_name": "Rosa Delgado", "recipient_name": "Tom Hargreaves",
                                                 "words": WORDS, "paper": paper, "realism": realism, "seed": seed})
    assert errors == {}
    return pdfplumber.open(io.BytesIO(write_letter_pdf(letter).pdf)).pages[0]


def left_edge(page):
    """Return where the body's lines begin: the leftmost letter on the page."""
    return min(char["x0"] for char in page.chars if char["text"].strip())


def baselines(page):
    """Return each written line's baseline, top to bottom (the median of its letters')."""
    ys = sorted(char["bottom"] for char in page.chars if char["text"].strip())
    lines = [[ys[0]]]
    for y in ys[1:]:
        (lines[-1].append(y) if y - lines[-1][-1] < 8 else lines.append([y]))
    return [statistics.median(line) for line in lines if len(line) > 10]


def test_the_left_margin_is_not_the_same_on_every_letter():
    edges = [left_edge(page_of(seed)) for seed in SEEDS]
    assert max(edges) - min(edges) > 1.4 * MM, edges


def test_the_same_letter_sits_in_the_same_place_again():
    assert left_edge(page_of(3)) == left_edge(page_of(3))


def test_a_neat_letter_keeps_the_layouts_grid():
    edges = [left_edge(page_of(seed, "neat")) for seed in SEEDS]
    assert max(edges) - min(edges) < 0.5 * MM, edges


def test_on_ruled_paper_the_lines_stay_on_their_rules():
    pages = [baselines(page_of(seed, paper="ruled")) for seed in SEEDS]
    for line in range(1, 6):
        heights = [page[line] for page in pages]
        assert max(heights) - min(heights) < 1.0 * MM, (line, heights)
