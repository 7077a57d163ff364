"""Bad input from visitors and studios gets a clear 4xx, quickly, and the server keeps serving."""

import csv
import io
import json
import re

import pdfplumber
import pytest
from conftest import ANNIVERSARY, MM_PER_POINT, pdf_text

import letterhouse.batch.rows as rows_module
from letterhouse.batch.checking import RowProblem
from letterhouse.batch.rows import MAX_BLANK_ROWS, MAX_COLUMNS, RowsError, read_rows
from letterhouse.batch.spreadsheets import problems_csv, write_problems_beside
from letterhouse.render.stationery import PAGE_MARGIN_MM

CHRIS = {"sender_name": "Sam", "recipient_name": "Chris", "years": 12}
LONG_WORD = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz"
EMOJI = "".join(chr(0x1F300 + i) for i in range(400))  # no bundled hand writes any of them


@pytest.fixture
def api(client):
    return client


def letter_rows(count):
    return "sender_name,recipient_name,years\n" + "Sam,Chris,12\n" * count


# --- 1. a header with thousands of columns is answered at once ---

def test_a_header_of_sixty_thousand_columns_is_refused_at_once_naming_the_limit(api):
    header = ",".join(f"column{i}" for i in range(60_000))
    response = api.post("/api/v1/templates/anniversary/batches", data=f"{header}\n{header}\n", content_type="text/csv")
    assert response.status_code == 400
    assert f"60000 columns; a rows file may have at most {MAX_COLUMNS}" in response.get_json()["detail"]


def test_repeated_columns_are_found_in_one_pass(monkeypatch, template_of):
    # Slicing the columns for every column (the old check) is quadratic; counting them is not.
    monkeypatch.setattr(rows_module, "MAX_COLUMNS", 100_000)
    columns = [f"c{i}" for i in range(20_000)] + ["c7", "sender_name", "sender_name"]
    row_set = read_rows((",".join(columns) + "\n" + ",".join("" for _ in columns) + "x\n").encode(), "csv")
    from letterhouse.batch.checking import header_problems
    problems = header_problems(template_of("anniversary"), row_set)
    assert {p.field for p in problems if "more than once" in p.message} == {"c7", "sender_name"}


@pytest.fixture
def template_of(app):
    with app.app_context():
        yield app.extensions["letterhouse.letters.catalog"].get


def test_json_objects_with_too_many_keys_together_are_refused(api):
    rows = [{**CHRIS, **{f"k{n}_{i}": "x" for i in range(50)}} for n in range(10)]
    response = api.post("/api/v1/templates/anniversary/batches", json=rows)
    assert response.status_code == 400
    assert f"at most {MAX_COLUMNS}" in response.get_json()["detail"]


def test_thousands_of_problems_are_counted_but_only_the_first_thousand_listed(api):
    rows = [{**CHRIS, **{f"k{i}": "x" for i in range(100)}} for _ in range(30)]
    body = api.post("/api/v1/templates/anniversary/batches", json=rows).get_json()
    assert body["status"] == 422
    assert body["detail"].startswith("3000 problem(s)") and "first 1000 are listed" in body["detail"]
    assert len(body["rows"]) == 1000


# --- 2. rows are counted as they are read, and reading stops at the limit ---

def test_reading_stops_at_the_first_row_past_the_limit(monkeypatch):
    made = []
    real_csv_row = rows_module.csv_row
    monkeypatch.setattr(rows_module, "csv_row", lambda *args: made.append(1) or real_csv_row(*args))
    with pytest.raises(rows_module.TooManyRows, match="at most 10"):
        read_rows(letter_rows(100_000).encode(), "csv", max_rows=10)
    assert len(made) == 11


def test_json_rows_are_decoded_one_by_one_and_stop_past_the_limit(monkeypatch):
    decoded = []
    real_raw_decode = rows_module.json.JSONDecoder.raw_decode

    def counting_raw_decode(self, text, at=0):
        decoded.append(at)
        return real_raw_decode(self, text, at)

    monkeypatch.setattr(rows_module.json.JSONDecoder, "raw_decode", counting_raw_decode)
    with pytest.raises(rows_module.TooManyRows, match="at most 5"):
        read_rows(json.dumps([CHRIS] * 50_000).encode(), "json", max_rows=5)
    assert len(decoded) == 6


def test_too_many_rows_is_a_413_from_the_api_and_the_site(api, app):
    app.config["BATCH_MAX_ROWS"] = 3
    response = api.post("/api/v1/templates/anniversary/batches", data=letter_rows(50), content_type="text/csv")
    assert response.status_code == 413 and "at most 3" in response.get_json()["detail"]
    response = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS] * 50)
    assert response.status_code == 413 and "at most 3" in response.get_json()["detail"]
    page = upload(api, letter_rows(50).encode())
    assert page.status_code == 413 and "at most 3" in page.get_data(as_text=True)


def upload(client, data, filename="rows.csv"):
    page = client.get("/letters/anniversary/many").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/letters/anniversary/many", data={"csrf_token": token, "rows": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_a_file_of_blank_lines_is_refused_after_the_allowed_empty_rows(api, monkeypatch):
    seen = []
    real_csv_row = rows_module.csv_row
    monkeypatch.setattr(rows_module, "csv_row", lambda *args: seen.append(1) or real_csv_row(*args))
    body = "sender_name,recipient_name,years\nSam,Chris,12\n" + "\n" * 2_000_000
    response = api.post("/api/v1/templates/anniversary/batches", data=body, content_type="text/csv")
    assert response.status_code == 400
    assert f"more than {MAX_BLANK_ROWS} empty rows" in response.get_json()["detail"]
    page = upload(api, body.encode())
    assert page.status_code == 422 and f"more than {MAX_BLANK_ROWS} empty rows" in page.get_data(as_text=True)


def test_a_few_blank_rows_are_still_skipped_and_rows_keep_their_numbers():
    row_set = read_rows(("sender_name\n" + "\n" * 500 + "Sam\n").encode(), "csv")
    assert [row.number for row in row_set.rows] == [502]


def test_a_rows_body_over_the_size_limit_is_a_413_even_without_a_length(api, app):
    app.config["BATCH_MAX_CONTENT_LENGTH"] = 1000
    body = letter_rows(1000).encode()
    response = api.post("/api/v1/templates/anniversary/batches", input_stream=io.BytesIO(body), content_type="text/csv",
                        environ_base={"wsgi.input_terminated": True})
    assert response.status_code == 413 and response.is_json
    response = api.post("/api/v1/templates/anniversary/batches", data=body, content_type="text/csv")
    assert response.status_code == 413 and response.is_json


@pytest.mark.parametrize("data, message", [
    (b"[{}] x", "Extra data at line 1, column 6"),
    (b"[{},]", "Expecting value at line 1, column 5"),
    (b"[{} {}]", "Expecting ',' delimiter"),
    (b"[1]", "Item 1 of the JSON array is not an object"),
    (b'{"a": 1}', "must be an array"),
    (b"[" * 100_000, "nested too deeply"),
    (b'[{"memory": "A\\ud800B"}]', "Item 1 of the JSON array: In the JSON, the value of “memory” holds \\ud800"),
])
def test_json_rows_that_cannot_be_read_say_why(data, message):
    with pytest.raises(RowsError, match=re.escape(message)):
        read_rows(data, "json")


# --- 3. coverage notes stay a short header ---

def test_a_letter_full_of_emoji_keeps_its_notes_header_short_and_its_security_headers(api):
    values = {**CHRIS, "memory": EMOJI, "recipient_name": "Chris " + EMOJI[:150],
              "sender_name": "Sam " + EMOJI[150:300]}
    response = api.post("/api/v1/letters/anniversary", json=values)
    assert response.status_code == 200
    header = response.headers["Letterhouse-Notes"]
    assert len(header) <= 1024
    summary = {note["field"]: note for note in json.loads(header)}
    assert summary["memory"]["count"] == 400 and summary["memory"]["characters"] == list(EMOJI[:8])
    assert "Content-Security-Policy" in response.headers


def test_every_note_is_listed_by_the_notes_address(api):
    response = api.post("/api/v1/letters/anniversary/notes", json={**CHRIS, "memory": EMOJI[:200] * 2})
    assert response.status_code == 200
    notes = response.get_json()["notes"]
    assert [note["field"] for note in notes] == ["memory"]
    assert notes[0]["characters"] == list(EMOJI[:200])  # each character once
    assert api.post("/api/v1/letters/anniversary/notes", json=CHRIS).get_json() == {"notes": []}
    assert api.post("/api/v1/letters/anniversary/notes", json={"years": "many"}).status_code == 422


def test_the_openapi_document_describes_the_notes(api):
    document = api.get("/api/v1/openapi.json").get_json()
    assert "/letters/{slug}/notes" in document["paths"]
    assert document["paths"]["/letters/{slug}"]["post"]["responses"]["200"] == {"$ref": "#/components/responses/Letter"}
    assert "Letterhouse-Notes" in document["components"]["responses"]["Letter"]["headers"]


# --- 4. problems written for a spreadsheet never run as formulas ---

@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_problem_cells_a_spreadsheet_would_run_start_with_a_quote(cell):
    written = list(csv.reader(io.StringIO(problems_csv([RowProblem(3, cell, cell)]))))
    assert written[1] == ["3", "'" + cell, "'" + cell]


def test_the_sites_problems_download_escapes_a_formula_column(client):
    rows = "sender_name,recipient_name,years,=cmd|' /C calc'!A0\nSam,Chris,12,boom\n"
    page = upload(client, rows.encode())
    assert page.status_code == 303
    problems = client.get(page.headers["Location"] + "/problems.csv").get_data(as_text=True).lstrip("\ufeff")
    fields = [row[1] for row in csv.reader(io.StringIO(problems))][1:]
    assert fields == ["'=cmd|' /C calc'!A0"]


def test_the_cli_errors_file_escapes_formulas_too(tmp_path):
    path = write_problems_beside(tmp_path / "out.zip", [RowProblem(2, "@evil", "-bad")])
    assert list(csv.reader(io.StringIO(path.read_text())))[1] == ["2", "'@evil", "'-bad"]


# --- 5. unreadable JSON, half characters and odd tokens are a 4xx, never a 500 ---

@pytest.mark.parametrize("body, message", [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"sender_name": "A\\ud800B", "recipient_name": "Chris", "years": 3}', "“sender_name” holds \\ud800"),
    ('{"A\\udfff": 1}', "a key holds \\udfff"),
    ("{\"sender_name\": ", "Expecting value at line 1"),
    (b"{\"sender_name\": \"Zo\xeb\"}", "byte 20 is not UTF-8"),
])
@pytest.mark.parametrize("url", ["/api/v1/letters/anniversary", "/api/v1/letters/anniversary/notes"])
def test_json_that_cannot_be_read_is_a_400_saying_why(api, url, body, message):
    response = api.post(url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.get_json()["detail"]


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '[{"sender_name": "A\\ud800B"}]'])
def test_batch_json_that_cannot_be_read_is_a_400(api, body):
    response = api.post("/api/v1/templates/anniversary/batches", data=body, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["detail"]


@pytest.mark.parametrize("authorization", ["Bearer tökén", "Bearer \x7f", "Bearer " + "ü" * 5000, "tökén"])
def test_a_token_with_any_characters_is_a_401_not_a_500(api, app, authorization):
    app.config["API_TOKENS"] = "right-token"
    response = api.get("/api/v1/templates", headers={"Authorization": authorization.encode().decode("latin-1")})
    assert response.status_code == 401
    assert "Bearer <token>" in response.get_json()["detail"]
    assert api.get("/api/v1/templates", headers={"Authorization": "Bearer right-token"}).status_code == 200


@pytest.mark.parametrize("memory", ["A%00B", "A%07B", "A%ED%A0%80B", "%FF%FE"])
@pytest.mark.parametrize("path", ["", "/preview.json", "/letter.pdf"])
def test_form_posts_with_nul_controls_or_broken_utf8_are_answered(app, path, memory):
    app.config["WTF_CSRF_ENABLED"] = False
    body = "&".join(f"{name}={value}" for name, value in ANNIVERSARY.items()) + f"&memory={memory}"
    response = app.test_client().post(f"/letters/anniversary{path}", data=body,
                                      content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500


# --- 6. a long word wraps inside the page ---

@pytest.mark.parametrize("field", ["memory", "recipient_name", "sender_name"])
def test_a_long_word_on_a5_wraps_inside_the_page_and_keeps_every_letter(api, field):
    response = api.post("/api/v1/letters/anniversary", json={**CHRIS, field: LONG_WORD, "page_size": "A5"})
    assert response.status_code == 200
    right_margin = PAGE_MARGIN_MM[1] / MM_PER_POINT
    with pdfplumber.open(io.BytesIO(response.data)) as document:
        for page in document.pages:
            assert all(0 <= char["x0"] and char["x1"] <= page.width - right_margin + 1 for char in page.chars)
    assert LONG_WORD in re.sub(r"[\s\-\u2010]", "", pdf_text(response.data))
