"""In a real browser: many letters from one spreadsheet, from the letter's form to a ZIP of PDFs."""

import csv
import zipfile

from .browsing import expect, pdf_text

ROWS = [
    {"sender_name": "Ana Sousa", "recipient_name": "Ben Hall", "what": "the blue teapot"},
    {"sender_name": "Ana Sousa", "recipient_name": "Chloé Martin", "what": "the lift to the station"},
]


def rows_csv(path):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(ROWS)
    return path


def test_a_spreadsheet_becomes_a_zip_of_letters(page, site, tmp_path):
    page.goto(site("/letters/thank-you"))
    page.get_by_role("link", name="Many letters, from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Many letters")
    with page.expect_download() as header_info:
        page.get_by_role("link", name="Download the CSV header").click()
    header = open(header_info.value.path(), encoding="utf-8-sig").readline()
    assert header.startswith("sender_name,")

    page.get_by_label("CSV file").set_input_files(str(rows_csv(tmp_path / "thanks.csv")))
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_role("heading", name="2 rows read")).to_be_visible()
    page.get_by_role("button", name="Write 2 letters").click()

    expect(page.get_by_role("heading", name="Your letters are ready")).to_be_visible(timeout=120_000)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download").click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        texts = [pdf_text(archive.read(name)) for name in sorted(archive.namelist()) if name.endswith(".pdf")]
    assert len(texts) == 2
    assert any("Ben" in text and "the blue teapot" in text for text in texts)
    assert any("Chloé" in text and "the lift to the station" in text for text in texts)
