"""Another program writes letters through /api/v1; every answer is checked against the OpenAPI document."""

import functools
import io
import json
import re
import time
import zipfile
from pathlib import Path

import jsonschema
import pytest
from conftest import BUNDLED_TEMPLATES, letterhouse_app, pdf_shows, pdf_text
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate as validate_openapi
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from letterhouse import create_app
from letterhouse.config import load_settings
from letterhouse.letters.catalog import catalog_from_config
from letterhouse.web.openapi import openapi_document
from letterhouse.web.security import SECURITY_HEADERS

CHRIS = {"sender_name": "Sam Okafor", "recipient_name": "Chris Lindqvist", "years": 12,
         "memory": "the night the car broke down outside Lyon"}


class ApiClient:
    """Calls the API through the test client and checks each response against the OpenAPI document it serves:
    its status, body and headers, and that it sends no header the document does not describe."""

    def __init__(self, client, headers=None):
        self.client, self.headers = client, headers or {}
        self.document, self.spec = bundled_templates_spec()

    def call(self, method, path, **kwargs):
        kwargs["headers"] = {**self.headers, **kwargs.get("headers", {})}
        response = self.client.open(path, method=method, **kwargs)
        request = Request(EnvironBuilder(path, method=method, **kwargs).get_environ())
        self.spec.validate_response(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))
        undocumented = set(response.headers.keys()) - documented_headers(self.document, request, response.status_code)
        assert not undocumented, f"{method} {path} {response.status_code} sends undocumented {undocumented}"
        return response

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.call("POST", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.call("DELETE", path, **kwargs)

    def finished(self, status_url, timeout=60, **kwargs):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.get(status_url, **kwargs).get_json()
            if status["state"] in ("done", "failed"):
                return status
            time.sleep(0.2)
        raise AssertionError(f"batch still {status['state']} after {timeout} s")


@functools.cache
def bundled_templates_spec():
    """Return the OpenAPI document an app over the bundled templates serves, and its openapi-core spec: made once,
    as loading every template and checking the document takes seconds (test_api_contract checks it is valid)."""
    templates = catalog_from_config(load_settings({"TEMPLATES": str(BUNDLED_TEMPLATES)})).templates()
    document = openapi_document(templates)
    return document, OpenAPI.from_dict(document, config=Config(
        spec_validator_cls=None, extra_media_type_deserializers={"application/problem+json": json.loads}))


# Headers every response may carry without each operation naming them: HTTP's own, and the security headers
# (the document's description lists those).
UNNAMED_HEADERS = {"Content-Type", "Content-Length", "Date", *SECURITY_HEADERS}


def documented_headers(document, request, status):
    """Return the headers the document describes for the operation a request calls and the status it got."""
    path = request.path.removeprefix("/api/v1")
    templated = [p for p in document["paths"] if re.fullmatch(re.sub(r"{[^}]+}", "[^/]+", p), path)]
    item = document["paths"][path if path in document["paths"] else templated[0]]
    operation = item[request.method.lower()]
    reply = operation["responses"][str(status)]
    if "$ref" in reply:
        reply = document["components"]["responses"][reply["$ref"].rsplit("/", 1)[1]]
    return UNNAMED_HEADERS | set(reply.get("headers", {}))


@pytest.fixture
def app(tmp_path, templates_dir):
    return letterhouse_app(tmp_path, templates_dir, BATCH_WORKERS=1)


@pytest.fixture
def api(client):
    return ApiClient(client)


def test_the_openapi_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    validate_openapi(document)


def test_templates_are_listed_with_where_to_find_each(api):
    templates = {t["slug"]: t for t in api.get("/api/v1/templates").get_json()["templates"]}
    assert {"anniversary", "thank-you", "love-letter"} <= set(templates)
    assert templates["anniversary"]["url"] == "/api/v1/templates/anniversary"
    assert templates["anniversary"]["occasion"] == "anniversary"


def test_a_templates_fields_are_json_schema_with_defaults_and_choices(api):
    schema = api.get("/api/v1/templates/anniversary").get_json()["schema"]
    jsonschema.Draft202012Validator.check_schema(schema)
    years, tone = schema["properties"]["years"], schema["properties"]["tone"]
    assert (years["type"], years["minimum"], years["maximum"]) == ("integer", 1, 90)
    assert tone["enum"] == ["tender", "playful", ""] and tone["default"] == "tender"  # "": left empty, the default
    assert schema["properties"]["closing"]["default"] == "All my love,"
    assert schema["properties"]["date"]["anyOf"] == [{"format": "date", "pattern": "^[12][0-9]{3}-"},
                                                     {"maxLength": 0}]  # a date from 1000 to 2999, or ""
    assert {"sender_name", "recipient_name", "years"} <= set(schema["required"])
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("slug", ["anniversary", "thank-you", "love-letter"])
def test_each_templates_example_data_fits_its_schema_and_writes_a_letter(api, slug):
    schema = api.get(f"/api/v1/templates/{slug}").get_json()["schema"]
    example = json.loads((BUNDLED_TEMPLATES / "examples" / f"{slug}.json").read_text())
    jsonschema.validate(example, schema, format_checker=jsonschema.FormatChecker())
    response = api.post(f"/api/v1/letters/{slug}", json=example)
    assert response.status_code == 200, response.get_json()


def test_a_letter_to_a_name_in_another_script_is_downloaded_under_that_name(api):
    response = api.post("/api/v1/letters/anniversary", json={**CHRIS, "recipient_name": "Анна Каренина"})
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''anniversary-to-%D0%B0%D0%BD%D0%BD%D0%B0.pdf" in disposition  # RFC 6266, for browsers
    assert disposition.isascii()


def test_a_json_object_becomes_a_pdf_letter(api):
    response = api.post("/api/v1/letters/anniversary", json={**CHRIS, "date": "2026-02-14"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename=anniversary-to-chris.pdf' in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "Dear Chris," in text and "14 February 2026" in text and pdf_shows(text, "outside Lyon")


def test_characters_no_hand_can_write_are_named_by_field(api):
    response = api.post("/api/v1/letters/anniversary", json={**CHRIS, "memory": "the picnic 🧺 by the lake"})
    assert response.status_code == 200
    notes = json.loads(response.headers["Letterhouse-Notes"])
    assert [note["field"] for note in notes] == ["memory"]
    assert "🧺" in notes[0]["characters"]
    assert "Letterhouse-Notes" not in api.post("/api/v1/letters/anniversary", json=CHRIS).headers


def test_the_seed_a_letter_was_written_with_writes_it_again_word_for_word(api):
    first = api.post("/api/v1/letters/anniversary", json=CHRIS)
    again = api.post("/api/v1/letters/anniversary", json={**CHRIS, "seed": int(first.headers["Letterhouse-Seed"])})
    assert pdf_text(again.data) == pdf_text(first.data)


def test_values_that_do_not_fit_are_422_with_messages_by_field(api):
    response = api.post("/api/v1/letters/anniversary",
                        json={"sender_name": "Sam", "years": "twelve", "memroy": "Lyon", "tone": "grumpy"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["years"] == ["Years together must be a whole number (a JSON integer, like 12), not a string."]
    assert errors["recipient_name"] == ["Please fill in their name."]
    assert errors["memroy"] == ["There is no field called “memroy”. Did you mean “memory”?"]
    assert errors["tone"] == ["Not a valid choice. “grumpy” is not one of them. Choose one of: tender, playful."]


def test_an_unknown_template_is_404(api):
    response = api.post("/api/v1/letters/no-such-letter", json=CHRIS)
    assert response.status_code == 404
    assert response.get_json()["detail"] == "There is no template called “no-such-letter”."


def test_a_broken_template_is_404_with_its_problems(api, templates_dir):
    (templates_dir / "broken.jinja").write_text("---\ntitle: Broken\nfields:\n  - name: Bad Name\n---\nHi\n")
    response = api.get("/api/v1/templates/broken")
    assert response.status_code == 404
    body = response.get_json()
    assert "cannot be used" in body["detail"]
    assert any("broken.jinja:4:" in problem for problem in body["problems"])


@pytest.mark.parametrize("body, content_type, status, message", [
    ("sender_name=Sam", "application/x-www-form-urlencoded", 415, "application/json"),
    ("{not json", "application/json", 400, "not valid JSON"),
    ("[1, 2]", "application/json", 400, "must be a JSON object"),
])
def test_a_body_that_is_not_a_json_object_is_refused_plainly(api, body, content_type, status, message):
    response = api.post("/api/v1/letters/anniversary", data=body, content_type=content_type)
    assert response.status_code == status and message in response.get_json()["detail"]


def test_a_body_larger_than_the_limit_is_413(tmp_path, templates_dir):
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "TEMPLATES": str(templates_dir),
                      "INSTANCE_PATH": str(tmp_path / "instance"), "MAX_CONTENT_LENGTH": 1000})
    response = ApiClient(app.test_client()).post("/api/v1/letters/anniversary",
                                                 json={**CHRIS, "memory": "x" * 2000})
    assert response.status_code == 413 and response.get_json()["status"] == 413


def test_addresses_and_methods_the_api_lacks_answer_in_json(client):
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.is_json
    wrong_method = client.delete("/api/v1/templates")
    assert wrong_method.status_code == 405 and wrong_method.is_json and "GET" in wrong_method.headers["Allow"]


def test_the_api_needs_no_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    assert app.test_client().post("/api/v1/letters/anniversary", json=CHRIS).status_code == 200


class TestTokens:
    @pytest.fixture
    def app(self, tmp_path, templates_dir):
        return create_app({"TESTING": True, "SECRET_KEY": "k", "TEMPLATES": str(templates_dir),
                           "INSTANCE_PATH": str(tmp_path / "instance"), "API_TOKENS": "first-token, second-token"})

    @pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Basic second-token", "second-token"])
    def test_a_call_without_a_valid_token_is_401(self, client, authorization):
        headers = {"Authorization": authorization} if authorization else {}
        response = ApiClient(client, headers).get("/api/v1/templates")
        assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")

    @pytest.mark.parametrize("token", ["first-token", "second-token"])
    def test_any_configured_token_is_accepted(self, client, token):
        api = ApiClient(client, {"Authorization": f"Bearer {token}"})
        assert api.post("/api/v1/letters/anniversary", json=CHRIS).status_code == 200

    def test_the_openapi_document_stays_public(self, client):
        assert client.get("/api/v1/openapi.json").status_code == 200

    def test_tokens_come_from_the_environment(self, monkeypatch, tmp_path):
        monkeypatch.setenv("LETTERHOUSE_API_TOKENS", "from-env")
        app = create_app({"SECRET_KEY": "k", "INSTANCE_PATH": str(tmp_path / "instance")})
        client = app.test_client()
        assert client.get("/api/v1/templates").status_code == 401
        assert client.get("/api/v1/templates", headers={"Authorization": "Bearer from-env"}).status_code == 200


# --- batches ---

def test_a_json_array_becomes_a_zip_of_letters_in_the_background(api):
    rows = [CHRIS, {**CHRIS, "recipient_name": "Zoë Ann", "years": 3}]
    started = api.post("/api/v1/templates/anniversary/batches", json=rows)
    assert started.status_code == 201
    body = started.get_json()
    assert started.headers["Location"] == body["status_url"] and body["letters_to_write"] == 2
    status = api.finished(body["status_url"])
    assert (status["state"], status["done"], status["progress"], status["letters"]) == ("done", 2, 1.0, 2)
    result = api.get(status["result_url"])
    assert result.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(result.data))
    assert archive.namelist() == ["0001-anniversary-to-chris.pdf", "0002-anniversary-to-zoe.pdf", "manifest.csv"]
    assert "Dear Zoë," in pdf_text(archive.read("0002-anniversary-to-zoe.pdf"))


def test_a_client_may_have_only_so_many_batches_under_way(api, app):
    app.config["BATCH_JOBS_PER_CLIENT"] = 1
    rows = [{**CHRIS, "recipient_name": f"Guest {i}"} for i in range(20)]
    first = api.post("/api/v1/templates/anniversary/batches", json=rows)
    assert first.status_code == 201
    second = api.post("/api/v1/templates/anniversary/batches", json=rows[:1])
    assert second.status_code == 429
    assert "already have 1 batch being written" in second.get_json()["detail"]
    api.finished(first.get_json()["status_url"])
    other_client = api.post("/api/v1/templates/anniversary/batches", json=rows[:1],
                            environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other_client.status_code == 201
    api.finished(other_client.get_json()["status_url"], environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert api.post("/api/v1/templates/anniversary/batches", json=rows[:1]).status_code == 201


def test_a_csv_body_can_ask_for_one_pdf(api):
    csv_body = "\ufeffsender_name,recipient_name,years\r\nSam,Chris,12\r\nSam,Alex,3\r\n"
    started = api.post("/api/v1/templates/anniversary/batches?output=pdf&duplex=true", data=csv_body.encode(),
                       content_type="text/csv; charset=utf-8")
    status = api.finished(started.get_json()["status_url"])
    result = api.get(status["result_url"])
    assert result.mimetype == "application/pdf" and "anniversary-letters.pdf" in result.headers["Content-Disposition"]
    text = pdf_text(result.data)
    assert text.index("Dear Chris,") < text.index("Dear Alex,")


def test_rows_with_problems_are_422_by_row_and_nothing_is_started(api, app):
    rows = [CHRIS, {**CHRIS, "years": "twelve"}, {"sender_name": "Sam", "years": 2, "colour": "red"}]
    response = api.post("/api/v1/templates/anniversary/batches", json=rows)
    assert response.status_code == 422
    assert response.get_json()["rows"] == [
        {"row": 2, "field": "years", "message": "Years together must be a whole number (a JSON integer, like 12), "
                                               "not a string."},
        {"row": 3, "field": "colour", "message": "There is no field called “colour”. "
                                                 "Remove it, or rename it to one of the template's fields."},
        {"row": 3, "field": "recipient_name", "message": "Please fill in their name."},
    ]
    batches = Path(app.instance_path, "results")
    assert not batches.exists() or not list(batches.iterdir())


def test_skip_invalid_writes_the_good_rows_and_reports_the_others(api):
    rows = [CHRIS, {**CHRIS, "years": "twelve"}]
    started = api.post("/api/v1/templates/anniversary/batches?skip_invalid=yes", json=rows)
    assert started.status_code == 201
    status = api.finished(started.get_json()["status_url"])
    assert status["letters"] == 1 and [e["row"] for e in status["row_errors"]] == [2]


@pytest.mark.parametrize("query, body, content_type, status", [
    ("", "recipient_name\tx", "text/plain", 415),
    ("?output=docx", "[]", "application/json", 400),
    ("", "{\"not\": \"an array\"}", "application/json", 400),
    ("", "[]", "application/json", 400),
])
def test_a_batch_that_cannot_be_read_is_refused(api, query, body, content_type, status):
    response = api.post(f"/api/v1/templates/anniversary/batches{query}", data=body, content_type=content_type)
    assert response.status_code == status


def test_more_rows_than_a_batch_may_have_is_413(app, api):
    app.config["BATCH_MAX_ROWS"] = 2
    response = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS] * 3)
    assert response.status_code == 413 and "at most 2" in response.get_json()["detail"]


def test_an_unknown_batch_is_404_and_an_unfinished_one_has_no_result_yet(api, app):
    assert api.get("/api/v1/batches/AAAAAAAAAAAAAAAA").status_code == 404
    assert api.get("/api/v1/batches/AAAAAAAAAAAAAAAA/result").status_code == 404
    with app.app_context():
        from letterhouse.batch.checking import check_rows
        from letterhouse.batch.rows import read_rows

        template = app.extensions["letterhouse.letters.catalog"].get("anniversary")
        data = json.dumps([CHRIS]).encode()
        from letterhouse.web.clients import hashed

        job = app.extensions["letterhouse.batch.jobs"].create("anniversary", data, "json",
                                                        check_rows(template, read_rows(data, "json")),
                                                        owner=hashed("address", "127.0.0.1"))
    response = api.get(f"/api/v1/batches/{job.id}/result")
    assert response.status_code == 409 and response.get_json()["state"] == "checked"
