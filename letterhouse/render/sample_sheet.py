"""The sample sheet: one letter written in every hand on every paper, as a PDF and as pictures."""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from PIL import Image

from letterhouse.letters.catalog import example_values
from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.styles import PAPERS
from letterhouse.render.hands import HANDS
from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.raster import PDFIUM_LOCK

SAMPLE_DATE = datetime.date(2026, 2, 14)  # fixed, so the sheet is the same every time it is made
THUMBNAIL_WIDTH = 300  # pixels, per letter on the contact sheet


class SampleError(ValueError):
    """The sample letter cannot be written: its example data does not fit its template."""


@dataclass(frozen=True)
class SampleSheet:
    pdf: Path  # every sample letter, one after another
    contact_sheet: Path  # first pages side by side: a row per hand, a column per paper
    pages: tuple  # one PNG per hand and paper, the letter's first page


def sample_values(template, hand, paper, ink=None):
    """Return the template's example data (or a plain letter's) written in this hand on this paper."""
    example = example_values(template)
    values = dict(example or {"sender_name": "Sam Okafor", "recipient_name": "Chris Lindqvist"})
    values.update(hand=hand, paper=paper, date=SAMPLE_DATE.isoformat(), envelope="none")
    if ink:
        values["ink"] = ink
    return values


def sample_pdf(template, hand, paper, ink=None):
    """Return the PDF of the sample letter in one hand on one paper.

    :raise SampleError: when the template's example data does not make a letter
    """
    letter, errors = validate_mapping(template, sample_values(template, hand, paper, ink), "json")
    if errors:
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        raise SampleError(f"The example letter for “{template.slug}” does not fit its template: {problems}")
    return write_letter_pdf(letter).pdf


def write_sample_sheet(template, outdir, hands=(), papers=(), ink=None, dpi=150):
    """Write the sample letter in every hand (rows) on every paper (columns) into outdir.

    Writes sample-sheet.pdf, contact-sheet.png and one <hand>-<paper>.png per pair, the
    first page at `dpi`; returns the SampleSheet naming them.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    hands, papers = list(hands or HANDS), list(papers or PAPERS)
    pdfs, pages = [], []
    for hand in hands:
        for paper in papers:
            pdfs.append(sample_pdf(template, hand, paper, ink))
            pages.append(outdir / f"{hand}-{paper}.png")
            pages[-1].write_bytes(first_page_png(pdfs[-1], dpi))
    sheet = SampleSheet(outdir / "sample-sheet.pdf", outdir / "contact-sheet.png", tuple(pages))
    sheet.pdf.write_bytes(joined_pdfs(pdfs))
    contact_sheet(pages, len(papers)).save(sheet.contact_sheet, optimize=True)
    return sheet


def joined_pdfs(pdfs):
    """Return one PDF holding every page of these PDFs, in order."""
    with PDFIUM_LOCK:
        joined = pypdfium2.PdfDocument.new()
        for pdf in pdfs:
            joined.import_pages(pypdfium2.PdfDocument(pdf))
        buffer = io.BytesIO()
        joined.save(buffer)
        joined.close()
    return buffer.getvalue()


def first_page_png(pdf, dpi):
    """Return the first page of a PDF as PNG bytes at `dpi` dots per inch."""
    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            image = document[0].render(scale=dpi / 72).to_pil()
        finally:
            document.close()
    return png_bytes(image)


def contact_sheet(paths, columns):
    """Return the pictures as one image, `columns` to a row, each shrunk to THUMBNAIL_WIDTH."""
    thumbnails = []
    for path in paths:
        image = Image.open(path).convert("RGB")
        thumbnails.append(image.resize((THUMBNAIL_WIDTH, round(image.height * THUMBNAIL_WIDTH / image.width))))
    cell_height = max(t.height for t in thumbnails)
    rows = -(-len(thumbnails) // columns)
    sheet = Image.new("RGB", (columns * THUMBNAIL_WIDTH, rows * cell_height), "white")
    for index, thumbnail in enumerate(thumbnails):
        sheet.paste(thumbnail, ((index % columns) * THUMBNAIL_WIDTH, (index // columns) * cell_height))
    return sheet


def png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)  # optimize=True is far slower for little gain
    return buffer.getvalue()
