"""The studio at a shell: `letterhouse render`, `batch` and `fields` on files of its own."""

import json
import os
import subprocess
import sys
import zipfile

import click
import pytest
from click.testing import CliRunner
from conftest import pdf_page_count, pdf_shows, pdf_text

from letterhouse.cli import cli

GUESTS_CSV = ('sender_name,recipient_name,years,memory\r\n'
              'Sam Okafor,Chris Lindqvist,12,"the night the car broke down\r\noutside Lyon"\r\n'
              'Sam Okafor,"Alex ""Al"" Kim",3,\r\n')


@pytest.fixture
def run(command_line, tmp_path, monkeypatch):
    """Run a letterhouse command in tmp_path with the test app's settings; return click's result."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args):
        return command_line(*args, catch_exceptions=False)

    return invoke


@pytest.fixture
def guests(tmp_path):
    path = tmp_path / "guests.csv"
    path.write_bytes(("\ufeff" + GUESTS_CSV).encode())  # as Excel saves "CSV UTF-8"
    return path


def test_render_writes_a_letter_from_a_json_file_and_set_values(run, tmp_path):
    (tmp_path / "chris.json").write_text(json.dumps({"sender_name": "Sam", "recipient_name": "Chris Lindqvist",
                                                     "years": 12, "memory": "the night in Lyon"}))
    result = run("render", "anniversary", "--data", "chris.json", "--set", "memory=the peaches on the verge",
                 "-o", "chris.pdf")
    assert result.exit_code == 0, result.output
    text = pdf_text((tmp_path / "chris.pdf").read_bytes())
    assert "Dear Chris," in text and pdf_shows(text, "the peaches on the verge") and "Lyon" not in text
    assert "Wrote chris.pdf (1 page)." in result.stdout


def test_render_without_an_output_names_the_file_after_the_recipient(run, tmp_path):
    result = run("render", "anniversary", "--set", "sender_name=Sam", "--set", "recipient_name=Zoë Ann",
                 "--set", "years=3")
    assert result.exit_code == 0, result.output
    assert "Dear Zoë," in pdf_text((tmp_path / "anniversary-to-zoe.pdf").read_bytes())


def test_render_names_every_field_that_does_not_fit_and_writes_nothing(run, tmp_path):
    result = run("render", "anniversary", "--set", "sender_name=Sam", "--set", "years=twelve",
                 "--set", "memroy=Lyon", "-o", "x.pdf")
    assert result.exit_code == 1
    assert "years: Years together must be a whole number, like 12." in result.stderr
    assert "recipient_name: Please fill in their name." in result.stderr
    assert "memroy: There is no field called “memroy”. Did you mean “memory”?" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("args, message", [
    (("render", "no-such-letter", "--set", "a=b"), "There is no template called “no-such-letter”"),
    (("render", "anniversary", "--set", "years"), "should look like FIELD=VALUE"),
    (("batch", "no-such-letter", "guests.csv", "-o", "x.zip"), "There is no template called “no-such-letter”"),
])
def test_a_wrong_command_says_what_is_wrong(run, guests, args, message):
    result = run(*args)
    assert result.exit_code != 0 and message in result.output


def test_batch_to_a_zip_writes_one_pdf_per_row_from_an_excel_csv(run, guests, tmp_path):
    result = run("batch", "anniversary", "guests.csv", "-o", "letters.zip", "--jobs", "1")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "letters.zip") as archive:
        assert archive.namelist() == ["0001-anniversary-to-chris.pdf", "0002-anniversary-to-alex.pdf", "manifest.csv"]
        first = pdf_text(archive.read("0001-anniversary-to-chris.pdf"))
    assert "the night the car broke down outside Lyon" in first  # the cell over two lines, whole
    assert "Wrote 2 letters (2 pages) to letters.zip" in result.stdout


def test_batch_to_one_pdf_for_duplex_printing(run, guests, tmp_path):
    result = run("batch", "anniversary", "guests.csv", "-o", "letters.pdf", "--jobs", "1", "--duplex")
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / "letters.pdf").read_bytes()
    assert pdf_page_count(pdf) == 4 and "Dear Chris," in pdf_text(pdf) and "Dear Alex" in pdf_text(pdf)


def test_batch_to_a_directory(run, guests, tmp_path):
    result = run("batch", "anniversary", "guests.csv", "-o", "letters", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "letters").iterdir()) == [
        "0001-anniversary-to-chris.pdf", "0002-anniversary-to-alex.pdf", "manifest.csv"]


def test_batch_from_a_json_array(run, tmp_path):
    (tmp_path / "rows.json").write_text(json.dumps([{"sender_name": "Sam", "recipient_name": "Kim", "years": 5}]))
    result = run("batch", "anniversary", "rows.json", "-o", "letters.zip", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert zipfile.ZipFile(tmp_path / "letters.zip").namelist() == ["0001-anniversary-to-kim.pdf", "manifest.csv"]


def test_batch_with_a_bad_row_reports_it_by_spreadsheet_row_and_writes_nothing(run, tmp_path):
    (tmp_path / "rows.csv").write_text("sender_name,recipient_name,years\nSam,Chris,12\nSam,Alex,twelve\n")
    result = run("batch", "anniversary", "rows.csv", "-o", "letters.zip")
    assert result.exit_code == 1
    assert "row 3, years: Years together must be a whole number, like 12." in result.stderr
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "letters.zip").exists()


def test_batch_with_a_misspelt_column_names_it_and_writes_nothing(run, tmp_path):
    (tmp_path / "rows.csv").write_text("sender_name,recipient_name,years,memroy\nSam,Chris,12,Lyon\n")
    result = run("batch", "anniversary", "rows.csv", "-o", "letters.zip")
    assert result.exit_code == 1
    assert "row 1, memroy: There is no field called “memroy”. Did you mean “memory”?" in result.stderr
    assert not (tmp_path / "letters.zip").exists()


def test_skip_invalid_writes_the_good_rows_and_lists_the_others_beside_the_output(run, tmp_path):
    (tmp_path / "rows.csv").write_text("sender_name,recipient_name,years\nSam,Chris,12\nSam,Alex,twelve\n"
                                       "Sam,Kim,3\n")
    result = run("batch", "anniversary", "rows.csv", "-o", "letters.zip", "--skip-invalid", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert zipfile.ZipFile(tmp_path / "letters.zip").namelist() == [
        "0001-anniversary-to-chris.pdf", "0003-anniversary-to-kim.pdf", "manifest.csv"]
    assert (tmp_path / "letters-errors.csv").read_text().splitlines() == [
        "row,field,message", '3,years,"Years together must be a whole number, like 12."']


def test_batch_reports_progress_as_plain_lines_when_not_on_a_terminal(run, guests):
    result = run("batch", "anniversary", "guests.csv", "-o", "letters.zip", "--jobs", "1")
    lines = [line for line in result.stderr.splitlines() if "letters (" in line]
    assert lines[-1].startswith("2/2 letters (100%), ") and "letters/s" in lines[-1]
    assert "\r" not in result.stderr


def test_a_file_that_is_not_utf8_is_refused_with_advice(run, tmp_path):
    (tmp_path / "rows.csv").write_bytes("sender_name,recipient_name,years\nSam,Zoë,3\n".encode("latin-1"))
    result = run("batch", "anniversary", "rows.csv", "-o", "letters.zip")
    assert result.exit_code == 1 and "CSV UTF-8" in result.stderr


def test_fields_lists_each_field_with_what_to_write(run):
    result = run("fields", "anniversary")
    assert result.exit_code == 0
    years = next(line for line in result.stdout.splitlines() if line.startswith("years "))
    assert "Years together" in years and "a whole number from 1 to 90; required" in years
    assert "one of married, partners" in result.stdout


def test_fields_csv_is_a_header_row_that_batch_accepts_back(run, tmp_path):
    header = run("fields", "anniversary", "--csv").stdout
    assert header.startswith("sender_name,sender_address,recipient_name,") and header.count("\n") == 1
    blank = {name: "" for name in header.strip().split(",")}
    row = {**blank, "sender_name": "Sam", "recipient_name": "Chris", "years": "12"}
    (tmp_path / "filled.csv").write_text(header + ",".join(row.values()) + "\n")
    result = run("batch", "anniversary", "filled.csv", "-o", "letters.zip", "--jobs", "1")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", ["render", "batch", "fields"])
def test_every_command_explains_itself_with_an_example(run, command):
    help_text = run(command, "--help").stdout
    assert "Example:" in help_text and f"letterhouse {command} " in help_text


def test_on_a_terminal_progress_is_a_bar_with_rate_and_time_left(capsys):
    from letterhouse.cli import ProgressReport

    progress = ProgressReport(10, "letters", on_terminal=True)
    progress.started -= 5  # five seconds in
    progress.update(5, 10)
    shown = capsys.readouterr().err
    assert shown.startswith("\r[############------------] 5/10 letters (50%), 1.0 letters/s, 0:05 left")


@pytest.mark.parametrize("command", ["render", "batch", "fields"])
def test_every_command_is_in_the_readmes_table(command):
    from conftest import PROJECT

    assert f"| `letterhouse {command} " in (PROJECT / "README.md").read_text()


READ_ONLY_RUN = """
import sys
from letterhouse.cli import cli
for args in (["fields", "thank-you"], ["templates", "list"]):
    cli(args, standalone_mode=False)
print("web app built" if "letterhouse.web.app" in sys.modules else "no web app")
"""


def test_reading_templates_builds_no_web_app_and_writes_no_instance_folder(tmp_path):
    instance = tmp_path / "instance"
    environment = {**os.environ, "LETTERHOUSE_INSTANCE_PATH": str(instance)}
    environment.pop("LETTERHOUSE_SECRET_KEY", None)
    fresh = tmp_path / "elsewhere"
    fresh.mkdir()
    result = subprocess.run([sys.executable, "-c", READ_ONLY_RUN], cwd=fresh, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "sender_name " in result.stdout and "anniversary " in result.stdout
    assert result.stdout.rstrip().endswith("no web app")
    assert not instance.exists() and list(fresh.iterdir()) == []


def test_a_command_takes_its_settings_from_the_environment(monkeypatch, templates_dir, tmp_path):
    (templates_dir / "anniversary.jinja").rename(templates_dir / "our-anniversary.jinja")
    monkeypatch.setenv("LETTERHOUSE_TEMPLATES", str(templates_dir))
    listed = CliRunner().invoke(cli, ["templates", "list"]).stdout
    assert "our-anniversary" in listed.split()


def test_every_command_is_listed_in_the_readme():
    from conftest import PROJECT

    readme = (PROJECT / "README.md").read_text()
    names = [name for name, command in cli.commands.items() if not isinstance(command, click.Group)]
    names += [f"{group} {name}" for group, command in cli.commands.items() if isinstance(command, click.Group)
              for name in command.commands]
    assert [name for name in names if f"| `letterhouse {name}" not in readme] == []
