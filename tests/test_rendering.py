"""Letters look like letters: pages flow and are numbered, limits are kept, rules sit under the writing."""

import io
import subprocess

import pdfplumber
import pytest
from conftest import MM_PER_POINT, pdf_page_count, pdf_text
from PIL import Image

from letterhouse.letters.styles import PAGE_SIZES
from letterhouse.letters.wording import body_paragraphs
from letterhouse.render.hands import HANDS

LONG_MEMORY = " ".join(["We walked along the harbour wall and talked about everything and nothing."] * 40)


def test_blank_lines_part_paragraphs_and_newlines_part_lines():
    text = "Roses are red,\nviolets are blue.\n\n\n  Second   paragraph. \n\n"
    assert body_paragraphs(text) == [["Roses are red,", "violets are blue."], ["Second paragraph."]]


def test_a_long_letter_flows_onto_numbered_pages(letters, anniversary_values, app):
    values = {**anniversary_values, "memory": LONG_MEMORY[:390]}
    app.config["TEXT_MAX_LENGTH"] = 4000
    (app.extensions["letterhouse.letters.catalog"].directories[0] / "long.jinja").write_text(
        "---\ntitle: Long\nfields:\n  - name: story\n    type: text\n---\n{{ story }}\n\n{{ story }}\n\n{{ story }}\n")
    preview = letters.submit("long", {**values, "story": LONG_MEMORY[:3900]}).get_data(as_text=True)
    pdf = letters.download("long", preview).data
    assert pdf_page_count(pdf) >= 2
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        footers = [page.crop((0, page.height - 60, page.width, page.height)).extract_text() or ""
                   for page in document.pages]
    assert "1" not in footers[0]
    assert "2" in footers[1]


def test_a_letter_past_the_page_limit_is_refused_with_a_clear_message(letters, anniversary_values, app):
    app.config["MAX_PAGES"] = 1
    (app.extensions["letterhouse.letters.catalog"].directories[0] / "long.jinja").write_text(
        "---\ntitle: Long\nfields:\n  - name: story\n    type: text\n---\n{{ story }}\n\n{{ story }}\n")
    response = letters.submit("long", {**anniversary_values, "story": LONG_MEMORY[:3900]})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This letter would run to" in html and "the limit is 1." in html
    assert "We walked along the harbour wall" in html  # nothing typed is lost


def rule_positions_mm(pdf, page_number=0, dpi=254):
    """Return the heights (mm from the top) of the light blue rules printed on a page.

    Poppler rasterises repeated patterns exactly (pdfium snaps each tile to whole pixels,
    which makes rules drift in the image though not on paper).
    """
    page = str(page_number + 1)
    png = subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", page, "-l", page, "-"],
                         input=pdf, capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels, (width, height) = image.load(), image.size

    def is_rule(x, y):
        red, _, blue = pixels[x, y]
        return blue - red > 20 and red > 120  # light and bluish: a rule, not midnight ink

    rows = [y for y in range(height) if sum(is_rule(x, y) for x in range(0, width, 8)) > width / 8 * 0.3]
    groups = []
    for y in rows:
        if groups and y - groups[-1][-1] <= 2:
            groups[-1].append(y)
        else:
            groups.append([y])
    return [(sum(g) / len(g) + 0.5) * 25.4 / dpi for g in groups]


def baselines_mm(pdf, page_number=0):
    """Return the baseline heights (mm from the top) of the body text's lines on a page."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[page_number]
        body_size = max((round(c["size"], 1) for c in page.chars), key=[round(c["size"], 1) for c in page.chars].count)
        return sorted({round((page.height - c["matrix"][5]) * MM_PER_POINT, 1)
                       for c in page.chars if round(c["size"], 1) == body_size})


# A neat hand writes on its rules; a natural one tilts its lines a little (realism.py), and keeps
# within a pen's width of them.
@pytest.mark.parametrize("realism, tolerance_mm", [("neat", 0.5), ("natural", 0.8)])
@pytest.mark.parametrize("hand", list(HANDS))
@pytest.mark.parametrize("page_size", list(PAGE_SIZES))
def test_ruled_paper_rules_lie_under_the_writing(letters, anniversary_values, hand, page_size, realism, tolerance_mm):
    values = {**anniversary_values, "paper": "ruled", "hand": hand, "page_size": page_size, "realism": realism}
    pdf = letters.download("anniversary", letters.submit("anniversary", values).get_data(as_text=True)).data
    for page_number in range(pdf_page_count(pdf)):
        rules, baselines = rule_positions_mm(pdf, page_number), baselines_mm(pdf, page_number)
        assert len(baselines) >= (2 if page_number == 0 else 1)  # a last page may hold just the closing
        for baseline in baselines:
            assert min(abs(rule - baseline) for rule in rules) < tolerance_mm, (baseline, rules)


def test_plain_paper_has_no_rules(letters, anniversary_values):
    pdf = letters.download("anniversary", letters.submit("anniversary", anniversary_values).get_data(as_text=True)).data
    assert rule_positions_mm(pdf) == []


@pytest.mark.parametrize("paper", ["white", "cream", "ruled"])
@pytest.mark.parametrize("ink", ["midnight", "black", "sepia"])
def test_every_paper_and_ink_renders_the_letter(letters, anniversary_values, paper, ink):
    preview = letters.submit("anniversary", {**anniversary_values, "paper": paper, "ink": ink})
    assert preview.status_code == 200
    text = pdf_text(letters.download("anniversary", preview.get_data(as_text=True)).data)
    assert "Dear Chris," in text


def test_a_letter_slower_than_the_time_limit_is_refused(app):
    from letterhouse.letters.letter import validate_mapping
    from letterhouse.render.letter_pdf import write_letter_pdf
    from letterhouse.render.pdf import LetterTooSlow

    template = app.extensions["letterhouse.letters.catalog"].get("anniversary")
    with app.app_context():
        letter, _ = validate_mapping(template, {"sender_name": "Sam", "recipient_name": "Chris", "years": 3,
                                                "memory": LONG_MEMORY[:400]})
    with pytest.raises(LetterTooSlow, match="took more than 0.001 seconds"):
        write_letter_pdf(letter, seconds=0.001)
    assert write_letter_pdf(letter, seconds=30).page_count >= 1
