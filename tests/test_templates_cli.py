"""An author at the command line: check names each mistake at its line, new writes a starter, list shows the library."""

import json
import logging
from pathlib import Path

import pytest

import letterhouse.render.template_report as template_report

GOLDEN = Path(__file__).parent / "golden"
SUMMARY = "template(s):"


@pytest.fixture
def runner(command_line):
    return command_line


def templates_command(runner, *args):
    return runner("templates", *args)


def reported(result, directory):
    """Return the problem lines a command printed, with paths made relative to directory."""
    return [line.replace(f"{directory}/", "") for line in result.output.splitlines() if SUMMARY not in line]


@pytest.mark.parametrize("path", sorted((GOLDEN / "check").glob("*.jinja")), ids=lambda p: p.stem)
def test_check_reports_each_mistake_with_the_example_at_its_line(runner, path):
    expected = path.with_suffix(".expected").read_text().splitlines()
    result = templates_command(runner, "check", path)
    assert reported(result, path.parent) == expected
    has_error = any(": warning: " not in line for line in expected)
    assert result.exit_code == (1 if has_error else 0)


@pytest.mark.parametrize("path", sorted((GOLDEN / "broken").glob("*.jinja")), ids=lambda p: p.stem)
def test_check_prints_a_broken_template_mistake_and_exits_1(runner, path):
    expected = path.with_suffix(".expected").read_text().strip()
    result = templates_command(runner, "check", path)
    assert result.exit_code == 1
    assert any(line.startswith(expected) for line in reported(result, path.parent)), result.output
    assert result.output.splitlines()[-1].startswith("1 template(s): ")


def test_check_passes_every_template_the_site_shows(runner):
    result = templates_command(runner, "check")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith(": 0 error(s), 0 warning(s)")


def test_check_of_a_directory_checks_each_template_in_it(runner, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "oops.jinja").write_text("---\ntitle: Oops\n---\nDear {{ recipient_nmae }},\n")
    (mine / "postcard.jinja").write_text("---\ntitle: A postcard\n---\nWish you were here.\n")
    result = templates_command(runner, "check", mine)
    assert result.exit_code == 1
    assert reported(result, mine) == [
        "oops.jinja:4: 'recipient_nmae' is not a field of this template; did you mean 'recipient_name'?",
        "postcard.jinja:1: warning: no example data: write examples/postcard.json so the letter is rendered "
        "by checks, tests and the gallery",
    ]
    assert result.output.splitlines()[-1] == "2 template(s): 1 error(s), 1 warning(s)"


def test_check_says_when_an_example_cannot_be_read(runner, templates_dir):
    (templates_dir / "examples" / "thank-you.json").write_bytes(b'{"sender_name": "Ma\xb3gorzata"}')
    result = templates_command(runner, "check", templates_dir / "thank-you.jinja")
    assert result.exit_code == 1
    assert reported(result, templates_dir)[0].startswith(
        "examples/thank-you.json:1: cannot read the example: 'utf-8' codec can't decode byte 0xb3")


def test_warnings_alone_pass_unless_strict(runner):
    path = GOLDEN / "check" / "unused-field.jinja"
    assert templates_command(runner, "check", path).exit_code == 0
    strict = templates_command(runner, "check", "--strict", path)
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == "1 template(s): 0 error(s), 1 warning(s)"


@pytest.mark.expect_render_warnings
def test_check_reports_what_weasyprint_logs_while_writing_the_example(runner, monkeypatch, templates_dir):
    real_write = template_report.write_letter_pdf

    def write_with_a_complaint(letter, *limits):
        logging.getLogger("weasyprint").warning("Ignored `hyphens: sometimes` at 3:7, invalid value.")
        return real_write(letter, *limits)

    monkeypatch.setattr(template_report, "write_letter_pdf", write_with_a_complaint)
    result = templates_command(runner, "check", templates_dir / "thank-you.jinja")
    assert result.exit_code == 1
    body_starts = (templates_dir / "thank-you.jinja").read_text().splitlines().index("---", 1) + 2
    assert reported(result, templates_dir)[0] == (f"thank-you.jinja:{body_starts}: rendering the example letter "
                                                  "logged: Ignored `hyphens: sometimes` at 3:7, invalid value.")


def test_check_refuses_an_example_longer_than_the_page_limit(runner, templates_dir):
    runner.settings["MAX_PAGES"] = 1
    result = templates_command(runner, "check", templates_dir / "anniversary.jinja")
    assert result.exit_code == 1
    assert "the example letter cannot be written: This letter would run to 2 pages; the limit is 1." in result.output


@pytest.mark.expect_render_warnings  # WeasyPrint, too, says it drew an empty box
def test_check_names_a_character_no_hand_can_write_where_it_was_typed(runner, templates_dir):
    example = templates_dir / "examples" / "thank-you.json"
    data = json.loads(example.read_text())
    example.write_text(json.dumps({**data, "touched": "the little \ue000 you drew"}, indent=2))
    result = templates_command(runner, "check", templates_dir / "thank-you.jinja")
    assert result.exit_code == 1
    line = example.read_text().splitlines().index(next(
        line for line in example.read_text().splitlines() if '"touched"' in line)) + 1
    assert f"examples/thank-you.json:{line}: no bundled hand can write '\\ue000' (U+E000)" in reported(
        result, templates_dir)


def test_new_writes_a_starter_that_passes_check_and_shows_on_the_site(runner, client, templates_dir):
    result = templates_command(runner, "new", "thank-you-neighbour")
    assert result.exit_code == 0, result.output
    template = templates_dir / "thank-you-neighbour.jinja"
    assert f"Wrote {template} and {templates_dir / 'examples' / 'thank-you-neighbour.json'}." in result.output
    check = templates_command(runner, "check", "--strict", template)
    assert check.output == "1 template(s): 0 error(s), 0 warning(s)\n"
    assert check.exit_code == 0
    page = client.get("/letters/thank-you-neighbour")
    assert page.status_code == 200
    assert "Thank you neighbour" in page.get_data(as_text=True)


def test_the_starter_explains_itself_in_comments(runner, tmp_path):
    templates_command(runner, "new", "postcard", "--dir", tmp_path / "mine")
    text = (tmp_path / "mine" / "postcard.jinja").read_text()
    assert text.count("\n# ") >= 5 and "{#" in text
    assert f"letterhouse templates check {tmp_path / 'mine' / 'postcard.jinja'}" in text


def test_new_never_overwrites_a_template(runner, templates_dir):
    template = templates_dir / "anniversary.jinja"
    before = template.read_text()
    result = templates_command(runner, "new", "anniversary")
    assert result.exit_code == 1
    assert f"Error: {template} already exists; choose another name or remove it first" in result.output
    assert template.read_text() == before


def test_new_never_overwrites_an_example_left_behind(runner, templates_dir):
    (templates_dir / "thank-you.jinja").unlink()
    example = templates_dir / "examples" / "thank-you.json"
    before = example.read_text()
    result = templates_command(runner, "new", "thank-you")
    assert result.exit_code == 1
    assert f"Error: {example} already exists" in result.output
    assert example.read_text() == before
    assert not (templates_dir / "thank-you.jinja").exists()


@pytest.mark.parametrize("slug", ["Thank You", "thank_you", "../escape", "-dash", "ünïcode", ""])
def test_new_refuses_a_name_that_cannot_be_a_slug(runner, tmp_path, slug):
    mine = tmp_path / "mine"
    result = templates_command(runner, "new", "--dir", mine, "--", slug)
    assert result.exit_code == 1
    assert "cannot name a template: use lowercase letters, digits and hyphens" in result.output
    assert not mine.exists()


def test_list_shows_each_template_and_marks_a_broken_one(runner, templates_dir):
    (templates_dir / "oops.jinja").write_text("---\ntitle: Oops\nfields:\n  - name: x\n    type: nope\n---\n{{ x }}\n")
    lines = templates_command(runner, "list").output.splitlines()
    assert any(line.split() == ["anniversary", "anniversary", "An", "anniversary", "letter"] for line in lines)
    assert any(line.split() == ["oops", "UNAVAILABLE", "(2", "problem(s))"] for line in lines)


def test_list_json_describes_every_template(runner, templates_dir):
    (templates_dir / "oops.jinja").write_text("---\ntitle: Oops\nfields:\n  - name: x\n    type: nope\n---\n{{ x }}\n")
    entries = {entry["slug"]: entry for entry in json.loads(templates_command(runner, "list", "--json").output)}
    assert len(entries) == len(list(templates_dir.glob("*.jinja")))
    assert entries["thank-you"]["available"] is True
    assert entries["thank-you"]["occasion"] == "thanks"
    assert "what" in entries["thank-you"]["fields"]
    assert entries["oops"]["available"] is False
    assert entries["oops"]["problems"][0].endswith("oops.jinja:5: field 'x': unknown type 'nope'; use one of "
                                                   "string, text, integer, date, choice, boolean")
