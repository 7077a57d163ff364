"""A studio's mail merge: rows read as a spreadsheet shows them, every row checked first, letters out in order."""

import datetime
import io
import json
import time
import zipfile

import pytest
from conftest import pdf_text
from pypdf import PdfReader

from letterhouse.batch.checking import RowProblem, check_rows
from letterhouse.batch.job_records import JobStore
from letterhouse.batch.rows import RowsError, read_rows
from letterhouse.batch.spreadsheets import problems_csv
from letterhouse.batch.writing import write_batch

NOTE_TEMPLATE = """---
title: A short note
description: A note whose length the writer decides.
occasion: other
fields:
  - name: note
    label: The note
    type: text
    required: true
    max_length: 4000
  - name: with_love
    label: Send love
    type: boolean
---
{{ note }}
{% if with_love %}

With all my love, always.
{% endif %}
"""
LONG_NOTE = "\n\n".join(f"Paragraph {n} of a note that goes on, and on, and on a little further." for n in range(1, 26))


@pytest.fixture
def template(app):
    with app.app_context():
        yield app.extensions["letterhouse.letters.catalog"].get("anniversary")


@pytest.fixture
def note(app, templates_dir):
    (templates_dir / "note.jinja").write_text(NOTE_TEMPLATE)
    with app.app_context():
        yield app.extensions["letterhouse.letters.catalog"].get("note")


def csv_rows(text, bom=False):
    return read_rows((("\ufeff" if bom else "") + text).encode(), "csv")


def texts_in_zip(path):
    with zipfile.ZipFile(path) as archive:
        return {name: pdf_text(archive.read(name)) for name in archive.namelist() if name.endswith(".pdf")}


def page_texts(pdf):
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


# --- reading rows ---

def test_excel_csv_with_bom_quotes_and_cells_over_two_lines_reads_as_the_spreadsheet_shows_it():
    text = ('sender_name,recipient_name,years,memory\r\n'
            'Sam,"Lindqvist, Chris",12,"the night the car\r\nbroke down"\r\n'
            'Sam,"Alex ""Al"" Kim",3,\r\n')
    rows = csv_rows(text, bom=True).rows
    assert [row.number for row in rows] == [2, 3]
    assert rows[0].values == {"sender_name": "Sam", "recipient_name": "Lindqvist, Chris", "years": "12",
                              "memory": "the night the car\r\nbroke down"}
    assert rows[1].values["recipient_name"] == 'Alex "Al" Kim'


def test_blank_rows_are_skipped_but_later_rows_keep_their_spreadsheet_numbers():
    rows = csv_rows("sender_name,recipient_name\nSam,Chris\n,\n\nSam,Alex\n").rows
    assert [(row.ordinal, row.number) for row in rows] == [(1, 2), (2, 5)]


def test_a_semicolon_csv_from_a_european_excel_is_read():
    rows = csv_rows("sender_name;recipient_name;years\nSam;Chris;12\n").rows
    assert rows[0].values == {"sender_name": "Sam", "recipient_name": "Chris", "years": "12"}


@pytest.mark.parametrize("data, message", [
    ("sender_name\nZo\xeb\n".encode("latin-1"), "not UTF-8"),
    (b"sender_name,recipient_name\n", "no letters"),
    (b"", "first row must name the fields"),
])
def test_a_file_that_cannot_be_read_says_why(data, message):
    with pytest.raises(RowsError, match=message):
        read_rows(data, "csv")


def test_json_rows_are_numbered_from_one_and_keep_their_types():
    rows = read_rows(json.dumps([{"recipient_name": "Chris", "years": 12, "with_love": True}]).encode(), "json")
    assert rows.rows[0].number == 1
    assert rows.rows[0].values["years"] == 12 and rows.rows[0].values["with_love"] is True


def test_more_rows_than_allowed_are_refused():
    with pytest.raises(RowsError, match="at most 2"):
        read_rows(b"recipient_name\nA\nB\nC\n", "csv", max_rows=2)


# --- checking every row first ---

def test_every_problem_names_its_spreadsheet_row_and_field(template):
    check = check_rows(template, csv_rows("sender_name,recipient_name,years\n"
                                          "Sam,Chris,12\nSam,Alex,twelve\nSam,,400\n"))
    assert check.problems == [
        RowProblem(3, "years", "Years together must be a whole number, like 12."),
        RowProblem(4, "recipient_name", "Please fill in their name."),
        RowProblem(4, "years", "Years together must be between 1 and 90."),
    ]
    assert [item.row.number for item in check.letters] == [2]
    assert str(check.problems[0]) == "row 3, years: Years together must be a whole number, like 12."


def test_a_misspelt_column_is_reported_once_with_the_field_it_resembles_and_nothing_is_made(template):
    check = check_rows(template, csv_rows("sender_name,recipient_name,years,memroy\n"
                                          "Sam,Chris,12,the night in Lyon\nSam,Alex,3,\n"))
    assert check.problems == [
        RowProblem(1, "memroy", "There is no field called “memroy”. Did you mean “memory”?")]
    assert check.letters == []


def test_an_unknown_key_in_a_json_row_is_reported_at_that_row(template):
    rows = read_rows(json.dumps([{"sender_name": "Sam", "recipient_name": "Chris", "years": 2, "colour": "red"}])
                     .encode(), "json")
    [problem] = check_rows(template, rows).problems
    assert (problem.row, problem.field) == (1, "colour")


def test_a_repeated_column_is_a_problem(template):
    check = check_rows(template, csv_rows("sender_name,recipient_name,years,years\nSam,Chris,12,13\n"))
    assert RowProblem(1, "years", "The column “years” appears more than once.") in check.problems


def test_an_empty_cell_takes_the_templates_default(template):
    check = check_rows(template, csv_rows("sender_name,recipient_name,years,closing,hand\nSam,Chris,12,,\n"))
    values = check.letters[0].letter.values
    assert values["closing"] == "All my love," and values["hand"] == "caveat"


@pytest.mark.parametrize("word, expected", [("yes", True), ("Yes", True), ("true", True), ("1", True),
                                            ("no", False), ("false", False), ("0", False), ("", False)])
def test_a_csv_boolean_may_be_yes_no_true_false_1_or_0(note, word, expected):
    check = check_rows(note, csv_rows(f"sender_name,recipient_name,note,with_love\nSam,Chris,Hello,{word}\n"))
    assert check.problems == []
    assert check.letters[0].letter.values["with_love"] is expected


def test_any_other_boolean_word_is_refused_rather_than_guessed(note):
    check = check_rows(note, csv_rows("sender_name,recipient_name,note,with_love\nSam,Chris,Hello,maybe\n"))
    assert check.problems == [RowProblem(2, "with_love", "Send love must be yes or no (or true/false, 1/0).")]


def test_json_numbers_booleans_and_iso_dates_are_accepted(note, template):
    rows = read_rows(json.dumps([{"sender_name": "Sam", "recipient_name": "Chris", "years": 12,
                                  "date": "2026-02-14"}]).encode(), "json")
    letter = check_rows(template, rows).letters[0].letter
    assert letter.values["years"] == 12 and letter.values["date"].isoformat() == "2026-02-14"
    rows = read_rows(json.dumps([{"sender_name": "Sam", "recipient_name": "Chris", "note": "Hi",
                                  "with_love": True}]).encode(), "json")
    assert check_rows(note, rows).letters[0].letter.values["with_love"] is True


def test_problems_csv_has_row_field_and_message():
    text = problems_csv([RowProblem(3, "years", "Years together must be a whole number, like 12.")])
    assert text.splitlines() == ["row,field,message", '3,years,"Years together must be a whole number, like 12."']


# --- writing the letters ---

def test_a_zip_holds_one_pdf_per_row_named_by_its_place_and_recipient(template, tmp_path):
    check = check_rows(template, csv_rows("sender_name,recipient_name,years\nSam,Chris Lindqvist,12\n"
                                          "Sam,Zoë Ann,3\n"))
    result = write_batch(check, tmp_path / "letters.zip", jobs=1)
    texts = texts_in_zip(tmp_path / "letters.zip")
    assert list(texts) == ["0001-anniversary-to-chris.pdf", "0002-anniversary-to-zoe.pdf"]
    assert "Dear Chris," in texts["0001-anniversary-to-chris.pdf"]
    assert "Dear Zoë," in texts["0002-anniversary-to-zoe.pdf"]
    assert (result.letters, result.problems) == (2, [])
    assert not (tmp_path / "letters.zip.part").exists()


def test_one_pdf_starts_every_letter_afresh_with_its_own_page_numbers(note, tmp_path):
    rows = json.dumps([{"sender_name": "Sam", "recipient_name": name, "note": LONG_NOTE} for name in ("Chris", "Alex")])
    check = check_rows(note, read_rows(rows.encode(), "json"))
    result = write_batch(check, tmp_path / "letters.pdf", jobs=1)
    pages = page_texts((tmp_path / "letters.pdf").read_bytes())
    per_letter = result.pages // 2
    assert per_letter >= 2 and len(pages) == result.pages
    second_letter = pages[per_letter:]
    assert "Dear Alex," in second_letter[0]
    assert "– 2 –" in second_letter[1]  # not "– 4 –": each letter counts its own pages
    assert "– " not in second_letter[0]  # a letter's first page carries no number


def test_duplex_pads_each_letter_to_an_even_number_of_pages(template, tmp_path):
    check = check_rows(template, csv_rows("sender_name,recipient_name,years\nSam,Chris,12\nSam,Alex,3\nSam,Kim,5\n"))
    result = write_batch(check, tmp_path / "letters.pdf", jobs=1, duplex=True)
    pages = page_texts((tmp_path / "letters.pdf").read_bytes())
    assert result.pages == 3 and len(pages) == 6
    assert ["Dear Chris" in pages[0], pages[1], "Dear Alex" in pages[2], pages[3]] == [True, "", True, ""]


def test_a_directory_gets_one_pdf_file_per_row(template, tmp_path):
    check = check_rows(template, csv_rows("sender_name,recipient_name,years\nSam,Chris,12\n"))
    write_batch(check, tmp_path / "out", jobs=1)
    [path] = (tmp_path / "out").glob("*.pdf")
    assert path.name == "0001-anniversary-to-chris.pdf" and "Dear Chris," in pdf_text(path.read_bytes())


def test_fifty_letters_on_two_workers_come_out_in_row_order(template, tmp_path):
    rows = [{"sender_name": "Sam", "recipient_name": f"Guest{n}", "years": n} for n in range(1, 51)]
    check = check_rows(template, read_rows(json.dumps(rows).encode(), "json"))
    seen = []
    result = write_batch(check, tmp_path / "letters.zip", jobs=2, on_progress=lambda done, total: seen.append(done))
    texts = texts_in_zip(tmp_path / "letters.zip")
    assert list(texts) == [f"{n:04d}-anniversary-to-guest{n}.pdf" for n in range(1, 51)]
    assert all(f"Dear Guest{n}," in texts[f"{n:04d}-anniversary-to-guest{n}.pdf"] for n in range(1, 51))
    assert seen == list(range(1, 51)) and result.letters == 50


def test_a_letter_too_long_is_reported_by_row_and_the_others_are_still_written(note, tmp_path):
    rows = [{"sender_name": "Sam", "recipient_name": "Chris", "note": "Short."},
            {"sender_name": "Sam", "recipient_name": "Alex", "note": LONG_NOTE}]
    check = check_rows(note, read_rows(json.dumps(rows).encode(), "json"))
    result = write_batch(check, tmp_path / "letters.zip", jobs=1, max_pages=1)
    [problem] = result.problems
    assert problem.row == 2 and "the limit is 1" in problem.message
    assert list(texts_in_zip(tmp_path / "letters.zip")) == ["0001-note-to-chris.pdf"]


def test_workers_write_the_checked_template_without_reading_its_file_again(note, templates_dir, tmp_path):
    check = check_rows(note, csv_rows("sender_name,recipient_name,note\nSam,Chris,Hello there\n"))
    (templates_dir / "note.jinja").write_text("not a template any more")
    result = write_batch(check, tmp_path / "letters.zip", jobs=1)
    assert result.problems == []
    assert "Hello there" in texts_in_zip(tmp_path / "letters.zip")["0001-note-to-chris.pdf"]


# --- jobs: records in the database, files in the results folder ---

def wait_for(store, job, timeout=60):
    deadline = time.monotonic() + timeout
    while store.get(job.id).state not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
    return store.get(job.id)


def checked_job(store, template, data=b"sender_name,recipient_name,years\nSam,Chris,12\n", owner="session:a"):
    return store.create(template.slug, data, "csv", check_rows(template, read_rows(data, "csv")), owner=owner)


def test_a_finished_job_is_still_there_after_a_restart_and_removed_when_old(app, template):
    store = app.extensions["letterhouse.batch.jobs"]
    job = checked_job(store, template)
    assert store.start(job)
    wait_for(store, job)
    restarted = JobStore(store.engine, store.root, retention_hours=24)
    finished = restarted.get(job.id)
    assert finished.state == "done" and finished.letters == 1
    assert finished.created <= finished.started <= finished.finished < finished.expires
    assert "Dear Chris," in texts_in_zip(restarted.result_path(finished))["0001-anniversary-to-chris.pdf"]
    assert not restarted.rows_path(finished).exists()  # the personal rows go once the letters exist
    restarted.remove_expired(now=finished.finished + datetime.timedelta(hours=23))
    assert restarted.get(job.id) is not None
    restarted.remove_expired(now=finished.finished + datetime.timedelta(hours=25))
    assert restarted.get(job.id) is None and not restarted.folder(job.id).exists()


def test_a_batch_starts_once_however_often_start_is_pressed(app, template):
    store = app.extensions["letterhouse.batch.jobs"]
    job = checked_job(store, template)
    twin = store.get(job.id)  # a second request that read the job before the first one started it
    assert store.start(job) is True
    assert store.start(twin) is False
    assert wait_for(store, job).letters == 1


def test_rows_are_checked_again_when_the_batch_starts(app, note, templates_dir):
    store = app.extensions["letterhouse.batch.jobs"]
    job = checked_job(store, note, b"sender_name,recipient_name,note\nSam,Chris,Hello\n")
    (templates_dir / "note.jinja").write_text(NOTE_TEMPLATE.replace(
        "fields:\n", "fields:\n  - name: greeting\n    label: Greeting word\n    required: true\n", 1))
    assert store.start(job)
    failed = wait_for(store, job)
    assert failed.state == "failed" and "template changed" in failed.message
    assert failed.problems == [[2, "greeting", "Please fill in greeting word."]]


def test_a_started_batch_writes_the_letters_checked_on_upload_without_checking_its_rows_again(
        app, template, monkeypatch):
    store = app.extensions["letterhouse.batch.jobs"]
    job = checked_job(store, template)
    def checked_again(*args, **kwargs):
        raise AssertionError("the rows were checked twice")

    monkeypatch.setattr("letterhouse.batch.job_runner.check_rows", checked_again)
    assert store.start(job)
    done = wait_for(store, job)
    assert (done.state, done.letters) == ("done", 1)
    assert not store.letters_path(done).exists()  # the letters' values are personal, like the rows
