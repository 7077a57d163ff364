"""The letter in the writer's own words through the other doors: the JSON API, the command line and a CSV batch."""

import json
import zipfile

import pytest
from conftest import pdf_shows
from test_api import ApiClient

from letterhouse.web.openapi import openapi_document

MY_WORDS = "Dear Chris,\n\nTwelve years, and you still laugh at the ferry joke.\n\nAll my love,\nSam"
TEMPLATES_SENTENCE = "I keep turning the number over"
CHRIS = {"sender_name": "Sam Okafor", "recipient_name": "Chris Lindqvist", "years": 12}


@pytest.fixture
def api(client):
    return ApiClient(client)


def test_the_api_gives_the_templates_words_to_start_from(api):
    answer = api.post("/api/v1/letters/anniversary/text", json=CHRIS)
    assert answer.status_code == 200
    text = answer.get_json()["letter_text"]
    assert text.startswith("Dear Chris,\n\n") and TEMPLATES_SENTENCE in text and text.endswith("Sam Okafor")


def test_the_api_writes_the_letter_in_my_words_with_the_same_seed(api):
    template_letter = api.post("/api/v1/letters/anniversary", json=CHRIS)
    own = api.post("/api/v1/letters/anniversary", json={**CHRIS, "letter_text": MY_WORDS})
    assert own.status_code == 200 and own.mimetype == "application/pdf"
    assert pdf_shows(own.data, "you still laugh at the ferry joke") and not pdf_shows(own.data, TEMPLATES_SENTENCE)
    assert pdf_shows(template_letter.data, TEMPLATES_SENTENCE)
    assert own.headers["Letterhouse-Seed"] == template_letter.headers["Letterhouse-Seed"]
    text_answer = api.post("/api/v1/letters/anniversary/text", json={**CHRIS, "letter_text": MY_WORDS}).get_json()
    assert str(text_answer["seed"]) == own.headers["Letterhouse-Seed"]


def test_the_api_refuses_words_too_long_naming_the_field(api):
    answer = api.post("/api/v1/letters/anniversary", json={**CHRIS, "letter_text": "x" * 10_001})
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["letter_text"]
    assert "at most 10000 characters" in answer.get_json()["errors"]["letter_text"][0]


def test_the_openapi_document_describes_letter_text():
    paths = openapi_document()["paths"]
    body = paths["/letters/{slug}"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["letter_text"]["maxLength"] == 10_000
    assert "own words" in body["properties"]["letter_text"]["description"]
    assert "/letters/{slug}/text" in paths


def test_every_templates_schema_has_letter_text(api):
    schema = api.get("/api/v1/templates/thank-you").get_json()["schema"]
    assert schema["properties"]["letter_text"]["type"] == "string"
    assert "letter_text" not in schema["required"]


@pytest.fixture
def run(command_line, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chris.json").write_text(json.dumps(CHRIS))
    return lambda *args, **kwargs: command_line(*args, catch_exceptions=False, **kwargs)


def test_the_command_line_prints_the_words_to_edit_and_writes_the_letter_from_the_file(run, tmp_path):
    printed = run("render", "anniversary", "--data", "chris.json", "--print-text")
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.startswith("Dear Chris,\n\n") and TEMPLATES_SENTENCE in printed.stdout
    edited = printed.stdout.replace(TEMPLATES_SENTENCE, "I wanted to say it in ink, not in a card")
    (tmp_path / "words.txt").write_text(edited)
    result = run("render", "anniversary", "--data", "chris.json", "--text-file", "words.txt", "-o", "chris.pdf")
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / "chris.pdf").read_bytes()
    assert pdf_shows(pdf, "I wanted to say it in ink, not in a card") and not pdf_shows(pdf, TEMPLATES_SENTENCE)


def test_the_command_line_reads_my_words_from_stdin(run, tmp_path):
    result = run("render", "anniversary", "--data", "chris.json", "--text-file", "-", "-o", "chris.pdf",
                 input=MY_WORDS)
    assert result.exit_code == 0, result.output
    assert pdf_shows((tmp_path / "chris.pdf").read_bytes(), "you still laugh at the ferry joke")


def test_the_command_line_names_words_too_long_or_not_text(run, tmp_path):
    (tmp_path / "long.txt").write_text("x" * 10_001)
    result = run("render", "anniversary", "--data", "chris.json", "--text-file", "long.txt", "-o", "x.pdf")
    assert result.exit_code == 1 and "letter_text: The letter in your words can be at most 10000" in result.stderr
    (tmp_path / "latin1.txt").write_bytes("Chère Zoë".encode("latin-1"))
    result = run("render", "anniversary", "--data", "chris.json", "--text-file", "latin1.txt", "-o", "x.pdf")
    assert result.exit_code == 1 and "latin1.txt is not UTF-8 text" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_batch_takes_each_rows_own_words_from_a_letter_text_column(run, tmp_path):
    (tmp_path / "rows.csv").write_text(
        'sender_name,recipient_name,years,letter_text\r\n'
        f'Sam Okafor,Chris Lindqvist,12,"{MY_WORDS}"\r\n'
        'Sam Okafor,Alex Kim,3,\r\n')
    result = run("batch", "anniversary", "rows.csv", "-o", "letters.zip", "--jobs", "1")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "letters.zip") as archive:
        chris, alex = (archive.read(name) for name in sorted(archive.namelist()) if name.endswith(".pdf"))
    assert pdf_shows(chris, "you still laugh at the ferry joke")
    assert pdf_shows(alex, "Dear Alex,") and not pdf_shows(alex, "ferry joke")
