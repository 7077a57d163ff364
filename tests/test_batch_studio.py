"""A studio's batch: dates as its people type them, one style for every letter, its own columns in a manifest."""

import csv
import io
import re
import time
import zipfile

import pytest
from conftest import letterhouse_app, pdf_fonts, pdf_text
from pypdf import PdfReader
from test_api import ApiClient
from test_batch_web import Studio

from letterhouse.batch.checking import check_rows
from letterhouse.batch.dates import DAY_FIRST, MONTH_FIRST, read_date
from letterhouse.batch.options import read_batch_options
from letterhouse.batch.rows import read_rows
from letterhouse.batch.writing import write_batch

HEADER = "sender_name,recipient_name,years,date"


@pytest.fixture
def app(tmp_path, templates_dir):
    return letterhouse_app(tmp_path, templates_dir, BATCH_WORKERS=1)


@pytest.fixture
def studio(client):
    return Studio(client)


@pytest.fixture
def api(client):
    return ApiClient(client)


@pytest.fixture
def template(app):
    with app.app_context():
        yield app.extensions["letterhouse.letters.catalog"].get("anniversary")


def checked(template, text, kind="csv", **choices):
    options, errors = read_batch_options(template, **choices)
    assert errors == {}
    return check_rows(template, read_rows(text.encode(), kind), options=options)


def problems_of(check):
    return [str(problem) for problem in check.problems]


# --- dates as people type them ---

@pytest.mark.parametrize("typed, order", [
    ("14/02/2026", DAY_FIRST), ("14.02.2026", DAY_FIRST), ("2/14/2026", MONTH_FIRST), ("02-14-2026", MONTH_FIRST),
    ("14 February 2026", ""), ("14 Feb 2026", ""), ("14th of February, 2026", ""), ("February 14, 2026", ""),
    ("feb. 14 2026", ""), ("2026-02-14", ""), ("  14  February   2026 ", MONTH_FIRST), ("14/2/2026", ""),
])
def test_a_date_is_read_as_its_writer_meant_it(typed, order):
    assert read_date(typed, order) == "2026-02-14"


@pytest.mark.parametrize("typed, order, message", [
    ("03/04/2026", "", "“03/04/2026” could be 3 April 2026 (day first) or 4 March 2026 (month first): "
                       "choose how this file's dates are written"),
    ("2/14/2026", DAY_FIRST, "“2/14/2026” is not a date, as this file's dates are read day first "
                             "(day/month/year): there is no month 14."),
    ("14/02/2026", MONTH_FIRST, "there is no month 14"),
    ("31/02/2026", DAY_FIRST, "“31/02/2026” is not a date, as this file's dates are read day first "
                              "(day/month/year): February 2026 has 28 days."),
    ("29 February 2026", "", "February 2026 has 28 days."),
    ("14/02/26", DAY_FIRST, "write the year in full, like 2026"),
    ("14 Febuary 2026", "", "“Febuary” is not the name of a month in English"),
    ("next Tuesday", DAY_FIRST, "“next Tuesday” is not a date this file can read: write it like 14 February 2026 "
                                "or 2026-02-14, or 14/02/2026."),
    ("40/40/2026", "", "“40/40/2026” is not a day in the calendar."),
])
def test_a_date_that_is_ambiguous_or_impossible_is_refused_saying_why(typed, order, message):
    with pytest.raises(ValueError) as refusal:
        read_date(typed, order)
    assert message in str(refusal.value)


def test_the_order_chosen_once_reads_every_date_of_the_file_and_the_letters_are_dated_so(template):
    check = checked(template, f"{HEADER}\nSam,Chris,12,03/04/2026\nSam,Alex,3,14/02/2026\nSam,Kim,3,\n",
                    date_order=DAY_FIRST)
    assert check.problems == []
    dates = [item.letter.values["date"].isoformat() for item in check.letters]
    assert dates == ["2026-04-03", "2026-02-14", "2026-06-15"]  # an empty cell is still today


def test_a_bad_date_names_its_row_and_column_and_the_others_still_read(template):
    check = checked(template, f"{HEADER}\nSam,Chris,12,14 February 2026\nSam,Alex,3,31/02/2026\n"
                              "Sam,Kim,3,03/04/2026\n")
    assert problems_of(check) == [
        "row 3, date: “31/02/2026” is not a day in the calendar.",
        "row 4, date: “03/04/2026” could be 3 April 2026 (day first) or 4 March 2026 (month first): "
        "choose how this file's dates are written, or write the month's name, like 14 February 2026.",
    ]
    assert [item.row.number for item in check.letters] == [2]


def test_json_rows_are_written_by_programs_and_take_iso_dates_only(template):
    check = checked(template, '[{"sender_name": "Sam", "recipient_name": "Chris", "years": 2, "date": "2026-02-14"},'
                              ' {"sender_name": "Sam", "recipient_name": "Alex", "years": 2, "date": "2/14/2026"}]',
                    kind="json", date_order=MONTH_FIRST)
    assert [item.letter.values["date"].isoformat() for item in check.letters] == ["2026-02-14"]
    assert problems_of(check) == ["row 2, date: Date is not a date like 2026-02-14."]


def test_a_date_outside_the_letter_years_is_still_refused(template):
    check = checked(template, f"{HEADER}\nSam,Chris,12,14 February 0999\n")
    assert problems_of(check) == ["row 2, date: Date must be a date between the years 1000 and 2999, "
                                  "like 2026-02-14."]


def test_the_pdf_is_dated_as_the_cell_was_typed(template, tmp_path):
    check = checked(template, f"{HEADER}\nSam,Chris,12,2/14/2026\n", date_order=MONTH_FIRST)
    write_batch(check, tmp_path / "letters.zip", jobs=1)
    with zipfile.ZipFile(tmp_path / "letters.zip") as archive:
        assert "14 February 2026" in pdf_text(archive.read("0001-anniversary-to-chris.pdf"))


# --- one style for the whole batch ---

def fonts_by_file(archive):
    return {name: pdf_fonts(archive.read(name)) for name in archive.namelist() if name.endswith(".pdf")}


def test_one_hand_for_the_whole_batch_and_a_column_still_wins_for_its_row(template, tmp_path):
    check = checked(template, "sender_name,recipient_name,years,hand\nSam,Chris,12,\nSam,Alex,3,great-vibes\n",
                    style={"hand": "kalam", "ink": "sepia"})
    assert [(item.letter.values["hand"], item.letter.values["ink"]) for item in check.letters] == [
        ("kalam", "sepia"), ("great-vibes", "sepia")]
    write_batch(check, tmp_path / "letters.zip", jobs=1)
    with zipfile.ZipFile(tmp_path / "letters.zip") as archive:
        fonts = fonts_by_file(archive)
    assert fonts == {"0001-anniversary-to-chris.pdf": {"Kalam"}, "0002-anniversary-to-alex.pdf": {"Great-Vibes"}}


def test_a_style_that_is_not_a_choice_lists_the_choices(template):
    options, errors = read_batch_options(template, style={"ink": "purple", "hue": "red"})
    assert errors == {
        "ink": ["Not a valid choice. “purple” is not one of them. Choose one of: midnight, royal-blue, black, "
                "sepia, green-black, burgundy, violet."],
        "hue": ["There is no style called “hue”; the styles are hand, ink, paper, page_size, realism, "
                "signature_hand, envelope, archival."],
    }


def test_a_row_whose_choice_is_not_one_lists_the_choices_by_row_and_column(template):
    check = checked(template, "sender_name,recipient_name,years,paper\nSam,Chris,12,parchment\n")
    assert problems_of(check) == ["row 2, paper: Not a valid choice. “parchment” is not one of them. "
                                  "Choose one of: white, cream, ruled, aged, letterhead."]


def test_the_single_letter_form_lists_the_choices_too(letters, anniversary_values):
    response = letters.submit("anniversary", {**anniversary_values, "ink": "purple"})
    assert response.status_code == 422
    assert "Choose one of: midnight, royal-blue, black, sepia" in response.get_data(as_text=True)


# --- the same choices at every door ---

def test_on_the_site_a_studio_chooses_month_first_and_a_hand_and_gets_letters_so_dated_and_written(studio, client):
    page = studio.open_page()
    assert 'name="date_order" value="month-first"' in page and 'id="hand-kalam"' in page
    assert "a date like 14 February 2026 or 2026-02-14 (or 14/02/2026, in the order chosen for the file)" in page
    uploaded = studio.upload(f"{HEADER}\nSam,Chris,12,2/14/2026\n".encode(), date_order="month-first", hand="kalam")
    job_url = uploaded.headers["Location"]
    assert "problem" not in client.get(job_url).get_data(as_text=True)
    studio.start(job_url, output="pdf")
    studio.wait(job_url)
    pdf = client.get(f"{job_url}/letters").data
    assert "14 February 2026" in pdf_text(pdf) and pdf_fonts(pdf) == {"Kalam"}


def test_on_the_site_an_ambiguous_date_is_shown_by_row_and_column(studio, client):
    job_url = studio.upload(f"{HEADER}\nSam,Chris,12,03/04/2026\n".encode()).headers["Location"]
    page = client.get(job_url).get_data(as_text=True)
    assert "<td>2</td><td>Date <code>date</code></td><td>“03/04/2026” could be 3 April 2026 (day first)" in page


def test_on_the_site_a_choice_that_is_not_offered_is_refused_with_the_choices(studio):
    refused = studio.upload(f"{HEADER}\nSam,Chris,12,\n".encode(), ink="purple", date_order="sideways")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Ink: Not a valid choice. “purple” is not one of them. Choose one of: midnight, royal-blue" in page
    assert "How dates are written: The date order must be one of day-first, month-first" in page


def test_the_api_takes_the_date_order_and_a_style_in_its_query(api):
    started = api.post("/api/v1/templates/anniversary/batches?output=pdf&date_order=day-first&hand=kalam",
                       data=f"{HEADER}\nSam,Chris,12,14/02/2026\n".encode(), content_type="text/csv")
    assert started.status_code == 201, started.get_json()
    status = api.finished(started.get_json()["status_url"])
    pdf = api.get(status["result_url"]).data
    assert "14 February 2026" in pdf_text(pdf) and pdf_fonts(pdf) == {"Kalam"}


def test_the_api_refuses_a_style_that_is_not_a_choice_listing_them(api):
    refused = api.post("/api/v1/templates/anniversary/batches?paper=parchment", json=[{"sender_name": "Sam"}])
    assert refused.status_code == 400
    assert refused.get_json()["detail"] == ("paper: Not a valid choice. “parchment” is not one of them. "
                                             "Choose one of: white, cream, ruled, aged, letterhead.")


def test_the_command_line_takes_the_date_order_and_styles(command_line, tmp_path):
    (tmp_path / "rows.csv").write_text(f"{HEADER}\nSam,Chris,12,2/14/2026\n")
    out = tmp_path / "letters.pdf"
    result = command_line("batch", "anniversary", tmp_path / "rows.csv", "-o", out, "--jobs", "1",
                          "--date-order", "month-first", "--style", "hand=kalam", "--style", "ink=sepia")
    assert result.exit_code == 0, result.output
    assert "14 February 2026" in pdf_text(out.read_bytes()) and pdf_fonts(out.read_bytes()) == {"Kalam"}


def test_the_command_line_refuses_a_style_it_does_not_know(command_line, tmp_path):
    (tmp_path / "rows.csv").write_text(f"{HEADER}\nSam,Chris,12,\n")
    result = command_line("batch", "anniversary", tmp_path / "rows.csv", "-o", tmp_path / "x.zip",
                          "--style", "ink=purple", "--style", "colour=red")
    assert result.exit_code == 1
    assert "ink: Not a valid choice. “purple” is not one of them." in result.output
    assert "colour: There is no style called “colour”" in result.output
    assert not (tmp_path / "x.zip").exists()


# --- manifest.csv ---

ORDERS = ("order_id,sender_name,recipient_name,years,ref\n"
          "A-1001,Sam,Chris Lindqvist,12,SECRET-REF-1\n"
          "A-1002,Sam,Alex Kim,twelve,SECRET-REF-2\n"
          "=HYPERLINK(\"http://evil\"),Sam,=Kim Park,3,SECRET-REF-3\n")


def manifest_rows(data):
    assert data.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_zip_carries_a_manifest_with_the_studios_own_columns_which_are_never_printed(template, tmp_path):
    check = checked(template, ORDERS, own_columns="order_id, ref")
    assert problems_of(check) == ["row 3, years: Years together must be a whole number, like 12."]
    write_batch(check, tmp_path / "letters.zip", jobs=1)
    with zipfile.ZipFile(tmp_path / "letters.zip") as archive:
        assert archive.namelist() == ["0001-anniversary-to-chris.pdf", "0003-anniversary-to-kim.pdf", "manifest.csv"]
        assert manifest_rows(archive.read("manifest.csv")) == [
            ["row", "file", "recipient", "pages", "order_id", "ref"],
            ["2", "0001-anniversary-to-chris.pdf", "Chris Lindqvist", "1", "A-1001", "SECRET-REF-1"],
            ["4", "0003-anniversary-to-kim.pdf", "'=Kim Park", "1", "'=HYPERLINK(\"http://evil\")", "SECRET-REF-3"],
        ]
        letters = [pdf_text(archive.read(name)) for name in archive.namelist() if name.endswith(".pdf")]
    assert "Dear Chris," in letters[0]
    assert not any(secret in text for text in letters for secret in ("A-1001", "SECRET-REF", "HYPERLINK"))


def test_an_unmarked_extra_column_is_still_a_problem_and_a_marked_one_that_is_missing_too(template):
    assert problems_of(checked(template, ORDERS, own_columns="order_id")) == [
        "row 1, ref: There is no field called “ref”. Remove it, or rename it to one of the template's fields. "
        "If the column is yours, like an order number, mark it as one of your own columns: it is then carried "
        "into manifest.csv and never printed.",
        "row 3, years: Years together must be a whole number, like 12."]
    assert problems_of(checked(template, ORDERS, own_columns="order_id,ref,invoice"))[0] == (
        "row 1, invoice: You marked “invoice” as your own column, but the file has no such column.")


def test_a_field_cannot_be_marked_as_the_studios_own(template):
    options, errors = read_batch_options(template, own_columns="order_id,recipient_name")
    assert errors == {"own_columns": ["“recipient_name” is a field of this letter, and fields are printed; your own "
                                      "columns are carried into manifest.csv and never printed. Rename the column."]}


def test_one_pdf_carries_its_manifest_as_an_attachment_saying_where_each_letter_starts(template, tmp_path):
    rows = ('[{"order_id": 17, "sender_name": "Sam", "recipient_name": "Chris", "years": 2},'
            ' {"order_id": "B-18", "sender_name": "Sam", "recipient_name": "Alex", "years": 3}]')
    check = checked(template, rows, kind="json", own_columns="order_id")
    write_batch(check, tmp_path / "letters.pdf", jobs=1, duplex=True)
    reader = PdfReader(tmp_path / "letters.pdf")
    assert list(reader.attachments) == ["manifest.csv"]
    assert manifest_rows(reader.attachments["manifest.csv"][0]) == [
        ["row", "file", "recipient", "pages", "first_page", "order_id"],
        ["1", "0001-anniversary-to-chris.pdf", "Chris", "1", "1", "17"],
        ["2", "0002-anniversary-to-alex.pdf", "Alex", "1", "3", "B-18"],  # page 2 is the blank back
    ]
    assert "B-18" not in pdf_text((tmp_path / "letters.pdf").read_bytes())


def test_a_directory_gets_its_manifest_beside_the_letters(template, tmp_path):
    write_batch(checked(template, "sender_name,recipient_name,years\nSam,Chris,12\n"), tmp_path / "out", jobs=1)
    assert manifest_rows((tmp_path / "out" / "manifest.csv").read_bytes()) == [
        ["row", "file", "recipient", "pages"], ["2", "0001-anniversary-to-chris.pdf", "Chris", "1"]]


def test_on_the_site_own_columns_reach_the_manifest_of_the_download(studio, client):
    uploaded = studio.upload(ORDERS.encode(), own_columns="order_id,ref")
    job_url = uploaded.headers["Location"]
    studio.start(job_url, output="zip", skip_invalid="1")
    studio.wait(job_url)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{job_url}/letters").data))
    assert [row[4:] for row in manifest_rows(archive.read("manifest.csv"))] == [
        ["order_id", "ref"], ["A-1001", "SECRET-REF-1"], ["'=HYPERLINK(\"http://evil\")", "SECRET-REF-3"]]
    assert "manifest.csv" in client.get(job_url).get_data(as_text=True)


def test_the_api_and_the_command_line_take_own_columns(api, command_line, tmp_path):
    started = api.post("/api/v1/templates/anniversary/batches?own_columns=order_id&skip_invalid=true",
                       data=ORDERS.replace(",ref", "").replace(",SECRET-REF-1", "").replace(",SECRET-REF-2", "")
                       .replace(",SECRET-REF-3", "").encode(), content_type="text/csv")
    assert started.status_code == 201, started.get_json()
    archive = zipfile.ZipFile(io.BytesIO(api.get(api.finished(started.get_json()["status_url"])["result_url"]).data))
    assert manifest_rows(archive.read("manifest.csv"))[1][4] == "A-1001"

    (tmp_path / "orders.csv").write_text(ORDERS)
    result = command_line("batch", "anniversary", tmp_path / "orders.csv", "-o", tmp_path / "o.zip", "--jobs", "1",
                          "--own-columns", "order_id,ref", "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert manifest_rows(zipfile.ZipFile(tmp_path / "o.zip").read("manifest.csv"))[1][4:] == ["A-1001", "SECRET-REF-1"]


# --- seeing the letters before the batch runs ---

GUESTS = "sender_name,recipient_name,years,memory\n" + "".join(
    f"Sam Okafor,Guest {n},{n if n != 4 else 'four'},the summer of 20{n:02d}\n" for n in range(1, 8))


def pictured(page):
    """Return {row: [page image data: URIs]} of the letters a check page pictures."""
    found = re.findall(r'<img src="(data:image/png;base64,[^"]+)" alt="Page \d+ of the letter to [^"]+ \(row (\d+)\)"',
                       page)
    rows = {}
    for uri, row in found:
        rows.setdefault(int(row), []).append(uri)
    return rows


def test_the_check_page_pictures_the_first_three_letters_as_the_preview_does(studio, client, letters):
    job_url = studio.upload(GUESTS.encode(), ink="sepia").headers["Location"]
    page = client.get(job_url).get_data(as_text=True)
    assert list(pictured(page)) == [2, 3, 4]
    assert "Row 2: to Guest 1" in page and "0001-anniversary-to-guest.pdf" in page
    one_letter = letters.submit("anniversary", {"sender_name": "Sam Okafor", "recipient_name": "Guest 1",
                                                "years": "1", "memory": "the summer of 2001", "ink": "sepia"})
    assert pictured(page)[2] == re.findall(r'<img src="(data:image/png;base64,[^"]+)"',
                                           one_letter.get_data(as_text=True))


def test_a_person_picks_any_row_to_see_its_letter_before_pressing_start(studio, client):
    job_url = studio.upload(GUESTS.encode()).headers["Location"]
    page = client.get(f"{job_url}?row=7").get_data(as_text=True)
    assert list(pictured(page)) == [7, 2, 3, 4] and "Row 7: to Guest 6" in page
    assert 'value="7"' in page and "Write 6 letters" in page  # and Start is still there
    assert "Row 5 has problems, listed below, so it has no letter yet." in client.get(
        f"{job_url}?row=5").get_data(as_text=True)
    assert "There is no letter on row 40: the letters are on rows 2 to 8." in client.get(
        f"{job_url}?row=40").get_data(as_text=True)
    assert "Type a row number as your spreadsheet shows it, like 5." in client.get(
        f"{job_url}?row=two").get_data(as_text=True)


def test_once_the_batch_has_run_its_letters_are_no_longer_pictured(studio, client):
    job_url = studio.upload(b"sender_name,recipient_name,years\nSam,Chris,12\n").headers["Location"]
    studio.start(job_url, output="zip")
    studio.wait(job_url)
    assert pictured(client.get(f"{job_url}?row=2").get_data(as_text=True)) == {}


def test_the_form_for_the_mended_file_keeps_the_choices_made_for_the_batch(studio, client):
    job_url = studio.upload(ORDERS.encode(), date_order="day-first", own_columns="order_id", hand="kalam",
                            ink="sepia").headers["Location"]
    page = client.get(job_url).get_data(as_text=True)
    assert "Upload the mended file" in page
    assert re.search(r'id="date-order-day-first" name="date_order" value="day-first" checked', page)
    assert 'name="own_columns" value="order_id"' in page
    assert re.search(r'id="hand-kalam" value="kalam"\s+checked', page)
    assert "Dates in numbers alone are read day first." in page
    assert "Your own columns, carried into manifest.csv and never printed: order_id." in page
    assert "Every letter, unless its row says otherwise: handwriting: Kalam, ink: Sepia." in page
    assert '<details class="batch-style" open>' in page


# --- the choices stay with the batch ---

NOTE = """---
title: A short note
description: A note.
occasion: other
fields:
  - name: note
    label: The note
    type: text
    required: true
---
{{ note }} {{ date|long_date }}
"""


def wait_for(store, job, timeout=60):
    deadline = time.monotonic() + timeout
    while store.get(job.id).state not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
    return store.get(job.id)


@pytest.mark.parametrize("template_changed", [False, True])
def test_a_batch_keeps_its_choices_from_upload_to_letters_even_when_its_rows_are_checked_again(
        app, templates_dir, template_changed):
    (templates_dir / "note.jinja").write_text(NOTE)
    store = app.extensions["letterhouse.batch.jobs"]
    data = b"ref,sender_name,recipient_name,note,date\nR-9,Sam,Chris,Hello,03/04/2026\n"
    with app.app_context():
        note = app.extensions["letterhouse.letters.catalog"].get("note")
        job = store.create("note", data, "csv", checked(note, data.decode(), date_order=DAY_FIRST,
                                                        own_columns="ref", style={"hand": "kalam"}))
        if template_changed:  # the stored letters are not used: the rows are read and checked again
            (templates_dir / "note.jinja").write_text(NOTE.replace("{{ note }}", "{{ note }}!"))
            note = app.extensions["letterhouse.letters.catalog"].get("note")
        assert store.start(job)
    done = wait_for(store, job)
    assert done.state == "done", done.message
    with zipfile.ZipFile(store.result_path(done)) as archive:
        letter = archive.read("0001-note-to-chris.pdf")
        assert manifest_rows(archive.read("manifest.csv"))[1] == ["2", "0001-note-to-chris.pdf", "Chris", "1", "R-9"]
    assert "3 April 2026" in pdf_text(letter) and pdf_fonts(letter) == {"Kalam"}
    assert ("Hello!" in pdf_text(letter)) is template_changed
