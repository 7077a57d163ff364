"""A studio's batch: dates as its people type them, one style for every letter, its own columns in a manifest."""

import zipfile

import pytest
from conftest import pdf_fonts, pdf_text
from test_api import ApiClient
from test_batch_web import Studio

from letterhouse import create_app
from letterhouse.batch.checking import check_rows
from letterhouse.batch.dates import DAY_FIRST, MONTH_FIRST, read_date
from letterhouse.batch.options import read_batch_options
from letterhouse.batch.rows import read_rows
from letterhouse.batch.writing import write_batch

HEADER = "sender_name,recipient_name,years,date"


@pytest.fixture
def app(tmp_path, templates_dir):
    return create_app({"TESTING": True, "SECRET_KEY": "test-only-secret", "TEMPLATES": str(templates_dir),
                       "INSTANCE_PATH": str(tmp_path / "instance"), "BATCH_JOBS": 1})


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


def test_json_rows_take_the_same_dates(template):
    check = checked(template, '[{"sender_name": "Sam", "recipient_name": "Chris", "years": 2, '
                              '"date": "2/14/2026"}]', kind="json", date_order=MONTH_FIRST)
    assert check.letters[0].letter.values["date"].isoformat() == "2026-02-14"


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
    started = api.post("/api/v1/batches/anniversary?output=pdf&date_order=day-first&hand=kalam",
                       data=f"{HEADER}\nSam,Chris,12,14/02/2026\n".encode(), content_type="text/csv")
    assert started.status_code == 202, started.get_json()
    status = api.finished(started.get_json()["status_url"])
    pdf = api.get(status["result_url"]).data
    assert "14 February 2026" in pdf_text(pdf) and pdf_fonts(pdf) == {"Kalam"}


def test_the_api_refuses_a_style_that_is_not_a_choice_listing_them(api):
    refused = api.post("/api/v1/batches/anniversary?paper=parchment", json=[{"sender_name": "Sam"}])
    assert refused.status_code == 400
    assert refused.get_json()["message"] == ("paper: Not a valid choice. “parchment” is not one of them. "
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
