"""A batch's one PDF is joined as letters arrive: every page, in order, each letter bookmarked, memory flat."""

import gc
import tracemalloc

import pdfplumber
import pytest
from conftest import BUNDLED_TEMPLATES, pdf_text
from pypdf import PdfReader

from letterhouse.batch.letter_data import letter_from_object
from letterhouse.batch.outputs import OUTPUT_KINDS
from letterhouse.batch.pool import RenderedLetter
from letterhouse.config import load_settings
from letterhouse.letters.catalog import catalog_from_config
from letterhouse.render.letter_pdf import write_letter_pdf

LONG = "\n\n".join(f"Paragraph {n}, which goes on about the summer we spent by the sea." for n in range(1, 30))


@pytest.fixture(scope="module")
def letters():
    """Two rendered letters: Chris's of one page, Alex's of more."""
    template = catalog_from_config(load_settings({"TEMPLATES": str(BUNDLED_TEMPLATES)})).usable_template("blank-page")
    written = []
    for ordinal, (name, words) in enumerate([("Chris Lindqvist", "A short note."), ("Alex Kim", LONG)], 1):
        letter, errors = letter_from_object(template, {"sender_name": "Sam", "recipient_name": name, "words": words})
        assert not errors
        rendered = write_letter_pdf(letter, max_pages=12)
        written.append(RenderedLetter(ordinal, ordinal + 1, f"{ordinal:04d}-to-{name.split()[0].lower()}.pdf",
                                      rendered.pdf, rendered.page_count))
    return written


def test_letters_are_joined_in_order_with_a_bookmark_each_and_duplex_padding(letters, tmp_path):
    chris, alex = letters
    assert alex.page_count > 1
    output = OUTPUT_KINDS["pdf"].writer(tmp_path / "letters.pdf", duplex=True)
    for rendered in (chris, alex, chris):
        output.add(rendered)
    output.close()
    reader = PdfReader(tmp_path / "letters.pdf")
    padded = [count + count % 2 for count in (chris.page_count, alex.page_count, chris.page_count)]
    assert len(reader.pages) == sum(padded)
    assert [item.title for item in reader.outline] == ["0001-to-chris", "0002-to-alex", "0001-to-chris"]
    assert [reader.get_destination_page_number(item) for item in reader.outline] == [0, padded[0], sum(padded[:2])]
    assert "Dear Chris," in pdf_text((tmp_path / "letters.pdf").read_bytes())
    with pdfplumber.open(tmp_path / "letters.pdf") as document:
        assert "Dear Alex," in document.pages[padded[0]].extract_text()
        assert document.pages[padded[0] - 1].extract_text() == ""  # the blank back of Chris's letter


def test_memory_stays_flat_however_many_letters_are_joined(letters, tmp_path):
    output = OUTPUT_KINDS["pdf"].writer(tmp_path / "many.pdf")
    tracemalloc.start()
    held = []
    for count in range(1, 201):
        output.add(letters[0])
        if count in (20, 200):
            gc.collect()  # each letter's reader is a cycle of objects, freed in the next collection
            held.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()
    output.close()
    assert held[1] - held[0] < 180 * 1024  # under 1 KB a letter (where its objects are, a bookmark), not its 20 KB
    assert len(PdfReader(tmp_path / "many.pdf").pages) == 200 * letters[0].page_count
