"""A studio builds on the API's contract: problems with stable codes, a document a client can be generated from,
no option silently ignored, every header described, OPTIONS answered like the rest."""

import importlib.util
import json
import subprocess
import sys

import jsonschema
import pytest
from conftest import BUNDLED_TEMPLATES, pdf_text
from openapi_spec_validator import validate as validate_openapi
from test_api import CHRIS, ApiClient, bundled_templates_spec

from letterhouse import create_app
from letterhouse.web.problems import PROBLEM_KINDS

PROBLEM = "application/problem+json"


class QueueOnly:
    """A runner that leaves started batches queued."""

    def submit(self, job_id):
        pass


@pytest.fixture
def queued_app(app):
    app.extensions["letterhouse.batch.jobs"].runner = QueueOnly()
    return app


@pytest.fixture
def api(client):
    return ApiClient(client)


@pytest.fixture
def document():
    """The document an app over the bundled templates serves (made once: see the first test on the document)."""
    return bundled_templates_spec()[0]


def assert_problem(response, status, code):
    """Check an answer is the RFC 9457 problem of this kind, and return its body."""
    assert (response.status_code, response.mimetype) == (status, PROBLEM), response.get_data(as_text=True)
    body = response.get_json()
    kind = PROBLEM_KINDS[code]
    assert (body["type"], body["title"], body["status"], body["code"]) == (kind.type, kind.title, status, code)
    assert body["detail"]
    return body


# --- problems ---

@pytest.mark.parametrize("method, path, kwargs, status, code", [
    ("GET", "/api/v1/no-such-thing", {}, 404, "not-found"),
    ("DELETE", "/api/v1/templates", {}, 405, "method-not-allowed"),
    ("GET", "/api/v1/templates/no-such-letter", {}, 404, "template-not-found"),
    ("POST", "/api/v1/letters/anniversary", {"data": "{not json", "content_type": "application/json"}, 400,
     "invalid-json"),
    ("POST", "/api/v1/letters/anniversary", {"json": [1, 2]}, 400, "wrong-body"),
    ("POST", "/api/v1/letters/anniversary", {"data": "x=1", "content_type": "text/plain"}, 415,
     "unsupported-media-type"),
    ("POST", "/api/v1/templates/anniversary/batches", {"json": []}, 400, "unreadable-rows"),
    ("GET", "/api/v1/batches/AAAAAAAAAAAAAAAA", {}, 404, "batch-not-found"),
])
def test_every_error_is_a_problem_with_a_stable_code(client, method, path, kwargs, status, code):
    assert_problem(client.open(path, method=method, **kwargs), status, code)


def test_values_that_do_not_fit_are_a_problem_with_the_errors_by_field(api):
    response = api.post("/api/v1/letters/anniversary", json={"sender_name": "Sam", "years": 12})
    body = assert_problem(response, 422, "invalid-values")
    assert body["errors"] == {"recipient_name": ["Please fill in their name."]}


def test_rows_that_do_not_fit_are_a_problem_with_each_rows_error(api):
    response = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS, {**CHRIS, "recipient_name": ""}])
    body = assert_problem(response, 422, "invalid-rows")
    assert body["rows"] == [{"row": 2, "field": "recipient_name", "message": "Please fill in their name."}]


def test_a_problems_type_leads_to_what_it_means(api):
    body = api.post("/api/v1/letters/anniversary", json={"sender_name": "Sam"}).get_json()
    described = api.get(body["type"])
    assert described.status_code == 200
    assert described.get_json()["code"] == "invalid-values" and "by field" in described.get_json()["description"]
    assert_problem(api.get("/api/v1/problems/no-such-code"), 404, "problem-type-not-found")


def test_a_busy_client_is_told_when_to_try_again(queued_app, api):
    queued_app.config["BATCH_JOBS_PER_CLIENT"] = 1
    assert api.post("/api/v1/templates/anniversary/batches", json=[CHRIS]).status_code == 201
    refused = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS])
    assert_problem(refused, 429, "too-many-batches")
    assert int(refused.headers["Retry-After"]) > 0


def test_the_sites_batch_progress_answers_an_unknown_batch_as_a_problem(client):
    response = client.get("/letters/anniversary/many/AAAAAAAAAAAAAAAA/status.json")
    assert_problem(response, 404, "batch-not-found")


# --- no option silently ignored ---

@pytest.mark.parametrize("method, path, kwargs", [
    ("GET", "/api/v1/templates?colour=red", {}),
    ("GET", "/api/v1/batches?limit=2&sort=oldest", {}),
    ("POST", "/api/v1/letters/anniversary?hand=kalam", {"json": CHRIS}),
    ("POST", "/api/v1/templates/anniversary/batches?outptu=pdf", {"json": [CHRIS]}),
])
def test_a_query_parameter_a_call_does_not_take_is_refused_naming_it(api, method, path, kwargs):
    body = assert_problem(api.call(method, path, **kwargs), 400, "unknown-parameter")
    assert body["parameter"] in ("colour", "sort", "hand", "outptu")
    assert f"“{body['parameter']}”" in body["detail"]


def test_a_misspelt_batch_option_starts_nothing(api):
    api.post("/api/v1/templates/anniversary/batches?outptu=pdf", json=[CHRIS])
    assert api.get("/api/v1/batches").get_json()["batches"] == []


def test_a_parameter_given_twice_is_refused(api):
    response = api.post("/api/v1/templates/anniversary/batches?output=pdf&output=zip", json=[CHRIS])
    assert assert_problem(response, 400, "invalid-parameter")["parameter"] == "output"


# --- OPTIONS ---

@pytest.mark.parametrize("path, allowed", [
    ("/api/v1/batches/AAAAAAAAAAAAAAAA", {"GET", "HEAD", "DELETE", "OPTIONS"}),
    ("/api/v1/templates/anniversary/batches", {"POST", "OPTIONS"}),
    ("/api/v1/letters/anniversary", {"POST", "OPTIONS"}),
])
def test_options_says_which_methods_a_url_takes_and_opens_no_cors(tmp_path, templates_dir, path, allowed):
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "TEMPLATES": str(templates_dir),
                      "INSTANCE_PATH": str(tmp_path / "instance"), "API_TOKENS": "a-token"})
    response = app.test_client().options(path, headers={"Origin": "https://elsewhere.example",
                                                        "Access-Control-Request-Method": "POST"})
    assert response.status_code == 204 and response.data == b""
    assert set(response.headers["Allow"].split(", ")) == allowed
    assert "Content-Type" not in response.headers
    assert not [name for name in response.headers.keys() if name.lower().startswith("access-control-")]


def test_options_on_an_address_the_api_lacks_is_a_problem(client):
    assert_problem(client.options("/api/v1/no-such-thing"), 404, "not-found")


# --- the document ---

def test_the_document_is_valid_openapi_with_every_template_its_own_schema(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate_openapi(document)
    assert document == bundled_templates_spec()[0]  # the one every ApiClient checks answers against
    slugs = {t["slug"] for t in client.get("/api/v1/templates").get_json()["templates"]}
    schemas = document["components"]["schemas"]
    assert {f"Letter_{slug}" for slug in slugs} <= set(schemas)
    for slug in slugs:
        body = document["paths"][f"/letters/{slug}"]["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"] == {"$ref": f"#/components/schemas/Letter_{slug}"}


def test_each_letter_schema_is_written_once_and_the_fields_they_share_once(document):
    text = json.dumps(document, ensure_ascii=False)
    assert text.count('"Caveat: quick and friendly"') == 2  # the hand and the signature's hand, not per template
    assert text.count('"title": "Their name"') == 1
    assert len(text) < 150_000


def schema_of(document, slug):
    """Return a template's letter schema from the document, its references resolvable."""
    return {**document, "$ref": f"#/components/schemas/Letter_{slug}"}


@pytest.mark.parametrize("slug", ["anniversary", "thank-you", "condolence"])
def test_a_templates_example_fits_its_schema_in_the_document(document, slug):
    example = json.loads((BUNDLED_TEMPLATES / "examples" / f"{slug}.json").read_text())
    jsonschema.validate(example, schema_of(document, slug), format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("change, fits", [
    ({}, True),
    ({"recipient_name": ""}, False),
    ({"recipient_name": "   "}, False),
    ({"recipient_name": "\u200b\u00a0"}, False),
    ({"tone": "grumpy"}, False),
    ({"years": 91}, False),
    ({"memory": "x" * 401}, False),
    ({"date": "14/02/2026"}, False),
    ({"colour": "red"}, False),
    ({"envelope": "DL"}, False),
    ({"envelope": "DL", "recipient_address": " "}, False),
    ({"envelope": "DL", "recipient_address": "1 Quay Street\nBristol"}, True),
    ({"envelope": "none"}, True),
    ({"envelope": "A4"}, False),
])
def test_the_schema_says_what_the_api_takes(document, api, change, fits):
    body = {**CHRIS, **change}
    validator = jsonschema.Draft202012Validator(schema_of(document, "anniversary"),
                                                format_checker=jsonschema.FormatChecker())
    assert validator.is_valid(body) == fits
    assert (api.post("/api/v1/letters/anniversary/notes", json=body).status_code == 200) == fits


def test_every_error_response_in_the_document_is_a_problem(document):
    # but the server's own 414, for a request line too long to read, which gunicorn answers before the API
    replies = [reply for item in document["paths"].values() for op in item.values() if isinstance(op, dict)
               for status, reply in op.get("responses", {}).items() if int(status) >= 400 and status != "414"]
    replies = [document["components"]["responses"][r["$ref"].rsplit("/", 1)[1]] if "$ref" in r else r
               for r in replies]
    assert replies and all(list(reply["content"]) == [PROBLEM] for reply in replies)
    assert all(reply["content"][PROBLEM]["schema"]["allOf"] == [{"$ref": "#/components/schemas/Problem"}]
               for reply in replies)
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code"} == set(problem["required"])
    assert {"errors", "rows"} <= set(problem["properties"])


def test_a_started_batch_links_to_reading_downloading_and_cancelling_it(document, api, queued_app):
    started = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS])
    links = document["paths"]["/templates/{slug}/batches"]["post"]["responses"]["201"]["links"]
    operations = {op["operationId"]: (path, method) for path, item in document["paths"].items()
                  for method, op in item.items() if isinstance(op, dict) and "operationId" in op}
    for link in links.values():
        path, method = operations[link["operationId"]]
        assert link["parameters"] == {"batch_id": "$response.body#/id"}
        url = "/api/v1" + path.replace("{batch_id}", started.get_json()["id"])
        assert api.call(method.upper(), url).status_code in (200, 409)  # the result: not done yet


def test_the_document_says_a_token_is_needed_when_the_server_has_tokens(client, tmp_path, templates_dir):
    assert client.get("/api/v1/openapi.json").get_json()["security"] == []
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "TEMPLATES": str(templates_dir),
                      "INSTANCE_PATH": str(tmp_path / "instance"), "API_TOKENS": "a-token"})
    secured = app.test_client().get("/api/v1/openapi.json").get_json()
    assert secured["security"] == [{"bearer": []}]
    assert secured["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert secured["paths"]["/openapi.json"]["get"]["security"] == []  # the document itself stays public


def test_every_header_the_api_sends_is_described(api, app):
    """ApiClient fails any answer with a header its response does not describe; these answers send them all."""
    letter = api.post("/api/v1/letters/anniversary", json={**CHRIS, "memory": "a picnic 🧺"})
    assert {"Content-Disposition", "Letterhouse-Seed", "Letterhouse-Pages", "Letterhouse-Notes"} <= set(
        letter.headers.keys())
    started = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS])
    assert started.headers["Location"] == started.get_json()["status_url"]
    api.post("/api/v1/templates/anniversary/batches", json=[CHRIS])
    listing = api.get("/api/v1/batches?limit=1")
    assert listing.headers["Link"] == f'<{listing.get_json()["next"]}>; rel="next"'
    result = api.get(api.finished(started.get_json()["status_url"])["result_url"])
    assert {"Content-Disposition", "ETag", "Accept-Ranges"} <= set(result.headers.keys())
    assert api.get(started.get_json()["status_url"] + "/result", headers={"Range": "bytes=0-9"}).status_code == 206
    app.config["API_TOKENS"] = "a-token"
    assert "WWW-Authenticate" in api.get("/api/v1/templates").headers


# --- a client generated from the document ---

def generated_models(document, tmp_path):
    """Generate pydantic models from the document with datamodel-code-generator, as a studio would; import them."""
    (tmp_path / "openapi.json").write_text(json.dumps(document))
    subprocess.run([sys.executable, "-m", "datamodel_code_generator", "--input", str(tmp_path / "openapi.json"),
                    "--input-file-type", "openapi", "--output", str(tmp_path / "letterhouse_models.py"),
                    "--output-model-type", "pydantic_v2.BaseModel", "--enum-field-as-literal", "all",
                    "--formatters", "builtin"],
                   check=True, capture_output=True)
    spec = importlib.util.spec_from_file_location("letterhouse_models", tmp_path / "letterhouse_models.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the models' annotations in their module
    spec.loader.exec_module(module)
    return module


def test_a_client_generated_from_the_document_writes_a_letter(document, api, tmp_path):
    models = generated_models(document, tmp_path)
    letter = models.LetterAnniversary(sender_name="Sam Okafor", recipient_name="Chris Lindqvist", years=12,
                                      memory="the night the car broke down outside Lyon", tone="playful")
    response = api.post("/api/v1/letters/anniversary", json=letter.model_dump(mode="json", exclude_none=True))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Dear Chris," in pdf_text(response.data)
    with pytest.raises(ValueError):
        models.LetterAnniversary(sender_name="Sam", recipient_name="\u200b ", years=12)  # the model knows it is blank
    with pytest.raises(ValueError):
        models.LetterAnniversary(sender_name="Sam", recipient_name="Chris", years=12, colour="red")
    batch = models.Batch.model_validate(api.post("/api/v1/templates/anniversary/batches",
                                                 json=[letter.model_dump(mode="json", exclude_none=True)]).get_json())
    assert batch.created is not None and batch.state in ("queued", "running", "done")
