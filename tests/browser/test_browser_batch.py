"""In a real browser: many letters from one spreadsheet, from the letter's form to a ZIP of PDFs."""

import csv
import os
import zipfile

from .browsing import PHONE, expect, pdf_text

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


ORDERS = ("order_id,sender_name,recipient_name,years,date\n"
          + "".join(f"A-{n},Ana Sousa,Guest {n},{n},{n}/02/2026\n" for n in range(1, 7)))


def test_a_studio_chooses_its_dates_pen_and_own_columns_and_sees_any_letter_before_it_runs(page, site, tmp_path):
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    page.goto(site("/letters/anniversary/many"))
    page.get_by_label("CSV file").set_input_files(str(tmp_path / "orders.csv"))
    page.get_by_label("Day first").check()
    page.get_by_label("Your own columns").fill("order_id")
    page.get_by_text("Pen and paper for every letter").click()
    page.locator("#hand-kalam").check()
    page.get_by_role("button", name="Check the rows").click()

    expect(page.get_by_role("heading", name="6 rows read")).to_be_visible()
    expect(page.get_by_role("img", name="Page 1 of the letter to Guest 3 (row 4)")).to_be_visible()
    page.get_by_label("See the letter on row").fill("7")
    page.get_by_role("button", name="Show it").click()
    expect(page.get_by_role("heading", name="Row 7: to Guest 6")).to_be_visible()
    expect(page.get_by_role("img", name="Page 1 of the letter to Guest 6 (row 7)")).to_be_visible()

    page.get_by_role("button", name="Write 6 letters").click()
    expect(page.get_by_role("heading", name="Your letters are ready")).to_be_visible(timeout=120_000)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download").click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        manifest = list(csv.reader(archive.read("manifest.csv").decode("utf-8-sig").splitlines()))
        last = pdf_text(archive.read("0006-anniversary-to-guest.pdf"))
    assert manifest[0] == ["row", "file", "recipient", "pages", "order_id"] and manifest[6][4] == "A-6"
    assert "6 February 2026" in last and "A-6" not in last


def test_on_a_phone_the_studio_choices_and_the_pictured_letters_fit_the_screen(page, site, tmp_path):
    page.set_viewport_size(PHONE)
    page.goto(site("/letters/anniversary/many"))
    page.get_by_text("Pen and paper for every letter").click()
    expect(page.locator("#hand-kalam")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if os.environ.get("LETTERHOUSE_LOOK"):
        page.screenshot(path=os.environ["LETTERHOUSE_LOOK"] + "-upload.png", full_page=True)
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(tmp_path / "orders.csv"))
    page.get_by_label("Day first").check()
    page.get_by_label("Your own columns").fill("order_id")
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_role("img", name="Page 1 of the letter to Guest 1 (row 2)")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if os.environ.get("LETTERHOUSE_LOOK"):
        page.screenshot(path=os.environ["LETTERHOUSE_LOOK"] + "-checked.png", full_page=True)
