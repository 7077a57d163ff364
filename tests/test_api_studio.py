"""A studio builds on the API: it retries safely, is told when to come back, hears when a batch ends, and its own
references travel with each letter without ever being printed."""

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from callback_receiver import Receiver
from conftest import letterhouse_app, pdf_text
from sqlalchemy.exc import OperationalError
from test_api import CHRIS, ApiClient

from letterhouse.batch.callbacks import SIGNATURE_HEADER
from letterhouse.batch.rate_limits import RateLimit

README = Path(__file__).resolve().parent.parent / "README.md"
PROBLEM = "application/problem+json"
SECRET_REF = "ORDER-7731-QX"
TOKEN = {"Authorization": "Bearer studio-token"}


def readme_verify_signature():
    """Return the verify_signature function of the README's callbacks section, run as a studio would copy it."""
    block = next(code for code in re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
                 if "def verify_signature" in code)
    namespace = {}
    exec(compile(block, "README.md", "exec"), namespace)
    return namespace["verify_signature"]


class QueueOnly:
    """A runner that leaves started batches queued."""

    def submit(self, job_id):
        pass


@pytest.fixture
def app(tmp_path, templates_dir):
    return letterhouse_app(tmp_path, templates_dir, BATCH_WORKERS=1, API_TOKENS="studio-token,other-token",
                           CALLBACK_HOSTS="127.0.0.1", CALLBACK_RETRY_SECONDS=0.2)


@pytest.fixture
def api(client):
    return ApiClient(client, headers=TOKEN)


def assert_problem(response, status, code):
    assert (response.status_code, response.mimetype) == (status, PROBLEM), response.get_data(as_text=True)
    assert response.get_json()["code"] == code
    return response.get_json()


def batches_of(api):
    return api.get("/api/v1/batches").get_json()["batches"]


# --- Idempotency-Key ---

def test_a_letter_sent_again_with_its_key_is_the_first_letter_to_the_byte(api, templates_dir):
    key = {"Idempotency-Key": "5b0e2c1e-order-1042"}
    first = api.post("/api/v1/letters/anniversary", json=CHRIS, headers=key)
    template = templates_dir / "anniversary.jinja"  # the template is mended meanwhile: a new letter would differ
    template.write_text(template.read_text().replace("Happy anniversary, my love.", "Happy anniversary, my dear."))
    again = api.post("/api/v1/letters/anniversary", json=CHRIS, headers=key)
    assert first.status_code == again.status_code == 200 and "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.data == first.data and again.headers["Letterhouse-Seed"] == first.headers["Letterhouse-Seed"]
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert api.post("/api/v1/letters/anniversary", json=CHRIS).data != first.data  # without the key: written anew


def test_a_key_sent_with_another_body_is_refused(api):
    key = {"Idempotency-Key": "order-1042"}
    assert api.post("/api/v1/letters/anniversary", json=CHRIS, headers=key).status_code == 200
    other = api.post("/api/v1/letters/anniversary", json={**CHRIS, "recipient_name": "Alex"}, headers=key)
    body = assert_problem(other, 422, "idempotency-key-reused")
    assert "order-1042" in body["detail"] and body["header"] == "Idempotency-Key"


def test_a_key_is_each_clients_own(client):
    key = {"Idempotency-Key": "same-key"}
    mine = ApiClient(client, headers=TOKEN).post("/api/v1/letters/anniversary", json=CHRIS, headers=key)
    theirs = ApiClient(client, headers={"Authorization": "Bearer other-token"}).post(
        "/api/v1/letters/anniversary", json={**CHRIS, "recipient_name": "Alex"}, headers=key)
    assert mine.status_code == theirs.status_code == 200 and "Idempotent-Replayed" not in theirs.headers


def test_an_answer_that_was_an_error_is_not_kept_so_the_mended_request_goes_through(api):
    key = {"Idempotency-Key": "order-77"}
    assert_problem(api.post("/api/v1/letters/anniversary", json={"sender_name": "Sam"}, headers=key), 422,
                   "invalid-values")
    mended = api.post("/api/v1/letters/anniversary", json=CHRIS, headers=key)
    assert mended.status_code == 200 and "Idempotent-Replayed" not in mended.headers


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "naïve"])
def test_a_key_that_is_not_visible_ascii_is_refused(client, key):
    response = client.post("/api/v1/letters/anniversary", json=CHRIS, headers={**TOKEN, "Idempotency-Key": key})
    assert assert_problem(response, 400, "invalid-header")["header"] == "Idempotency-Key"


def test_a_batch_sent_again_with_its_key_is_the_same_batch(api, app):
    app.extensions["letterhouse.batch.jobs"].runner = QueueOnly()
    app.config["BATCH_JOBS_PER_CLIENT"] = 5
    key = {"Idempotency-Key": "june-thank-yous"}
    first = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS], headers=key)
    again = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS], headers=key)
    assert first.status_code == again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"] and again.headers["Location"] == first.headers["Location"]
    assert len(batches_of(api)) == 1
    assert_problem(api.post("/api/v1/templates/anniversary/batches?output=pdf", json=[CHRIS], headers=key), 422,
                   "idempotency-key-reused")  # the query is part of the request
    api.post("/api/v1/templates/anniversary/batches", json=[CHRIS])
    api.post("/api/v1/templates/anniversary/batches", json=[CHRIS])
    assert len(batches_of(api)) == 3  # without a key, two identical POSTs are two batches


# --- rate limits ---

def test_past_its_rate_limit_a_client_is_told_to_come_back_and_when(api, app):
    app.extensions["letterhouse.rate_limits"]["letters"] = RateLimit.from_setting("letters", "2/minute")
    answers = [api.post("/api/v1/letters/anniversary", json=CHRIS) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].headers["RateLimit-Policy"] == '"letters";q=2;w=60'
    assert re.fullmatch(r'"letters";r=1;t=\d+', answers[0].headers["RateLimit"])
    refused = assert_problem(answers[2], 429, "rate-limited")
    assert "2 letters in the last 60 seconds" in refused["detail"]
    assert 1 <= int(answers[2].headers["Retry-After"]) <= 60 and '"letters";r=0;' in answers[2].headers["RateLimit"]
    other = ApiClient(api.client, headers={"Authorization": "Bearer other-token"})
    assert other.post("/api/v1/letters/anniversary", json=CHRIS).status_code == 200  # its own count


def test_the_rate_limit_is_a_setting_and_a_wrong_one_stops_the_server_starting(tmp_path, templates_dir):
    app = letterhouse_app(tmp_path, templates_dir, LETTER_RATE_LIMIT="1/hour")
    client = app.test_client()
    assert client.post("/api/v1/letters/anniversary", json=CHRIS).status_code == 200
    assert client.post("/api/v1/letters/anniversary", json=CHRIS).status_code == 429
    with pytest.raises(ValueError, match="LETTER_RATE_LIMIT: .* like “60/minute”, not “lots”"):
        letterhouse_app(tmp_path, templates_dir, LETTER_RATE_LIMIT="lots")


# --- 503 ---

def test_when_the_server_has_its_fill_of_batches_a_studio_is_told_when_to_come_back(api, app):
    app.extensions["letterhouse.batch.jobs"].runner = QueueOnly()
    app.config["BATCH_QUEUE_LIMIT"] = 1
    assert api.post("/api/v1/templates/anniversary/batches", json=[CHRIS]).status_code == 201
    other = ApiClient(api.client, headers={"Authorization": "Bearer other-token"})
    refused = other.post("/api/v1/templates/anniversary/batches", json=[CHRIS])
    assert assert_problem(refused, 503, "queue-full") and refused.headers["Retry-After"] == "60"
    assert batches_of(other) == []  # nothing of it is kept


def test_while_the_database_is_away_the_api_says_so_and_when_to_try_again(api, app, monkeypatch):
    def away(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(app.extensions["letterhouse.batch.jobs"], "get", away)
    response = api.get("/api/v1/batches/AAAAAAAAAAAAAAAA")
    assert assert_problem(response, 503, "database-unavailable") and response.headers["Retry-After"] == "10"


# --- metadata ---

def test_a_letters_metadata_is_taken_and_never_printed(api):
    letter = api.post("/api/v1/letters/anniversary", json={**CHRIS, "metadata": {"order_id": SECRET_REF, "n": 3}})
    assert letter.status_code == 200 and "Dear Chris," in pdf_text(letter.data)
    assert SECRET_REF not in pdf_text(letter.data) and SECRET_REF.encode() not in letter.data
    refused = api.post("/api/v1/letters/anniversary", json={**CHRIS, "metadata": {"lines": [1, 2]}})
    assert "must be text, a number, true, false or null" in assert_problem(refused, 422, "invalid-values")[
        "errors"]["metadata"][0]


def test_a_batchs_metadata_and_each_rows_come_back_in_its_status_and_manifests_and_not_on_paper(api):
    rows = [{**CHRIS, "metadata": {"order_id": SECRET_REF}}, {**CHRIS, "recipient_name": "Alex Kim"}]
    started = api.post("/api/v1/templates/anniversary/batches", json=rows,
                       query_string={"metadata": json.dumps({"campaign": "june"})})
    assert started.status_code == 201 and started.get_json()["metadata"] == {"campaign": "june"}
    status = api.finished(started.get_json()["status_url"])
    assert status["state"] == "done" and status["metadata"] == {"campaign": "june"}
    manifest = api.get(status["manifest_url"]).get_json()
    assert manifest["metadata"] == {"campaign": "june"}
    assert [(entry["recipient"], entry["metadata"]) for entry in manifest["letters"]] == [
        ("Chris Lindqvist", {"order_id": SECRET_REF}), ("Alex Kim", {})]
    with zipfile.ZipFile(io.BytesIO(api.get(status["result_url"]).data)) as archive:
        rows_written = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
        texts = [pdf_text(archive.read(name)) for name in archive.namelist() if name.endswith(".pdf")]
    assert rows_written[0][-1] == "metadata" and json.loads(rows_written[1][-1]) == {"order_id": SECRET_REF}
    assert not any(SECRET_REF in text or "june" in text for text in texts)


def test_a_batchs_metadata_that_is_not_an_object_starts_nothing(api):
    refused = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS], query_string={"metadata": "june"})
    assert assert_problem(refused, 400, "invalid-parameter")["parameter"] == "metadata"
    assert batches_of(api) == []


def test_a_manifest_is_there_once_the_batch_is_done(api, app):
    app.extensions["letterhouse.batch.jobs"].runner = QueueOnly()
    started = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS]).get_json()
    assert assert_problem(api.get(started["status_url"] + "/manifest"), 409, "batch-not-done")["state"] == "queued"


# --- callbacks ---

def test_a_batch_that_ends_calls_the_studio_back_signed_with_its_secret(api):
    secret = api.get("/api/v1/callback-secret").get_json()
    assert secret["header"] == SIGNATURE_HEADER and secret["callbacks_allowed"] is True
    with Receiver() as receiver:
        started = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS],
                           query_string={"callback_url": receiver.url, "metadata": '{"campaign": "june"}'})
        assert started.get_json()["callback"]["state"] == "waiting"
        [delivery] = receiver.wait_for(1)
    verify_signature = readme_verify_signature()
    assert verify_signature(secret["secret"], delivery.headers[SIGNATURE_HEADER.lower()], delivery.body)
    assert not verify_signature(secret["secret"], delivery.headers[SIGNATURE_HEADER.lower()], delivery.body + b" ")
    other_secret = ApiClient(api.client, headers={"Authorization": "Bearer other-token"}).get(
        "/api/v1/callback-secret").get_json()["secret"]
    assert other_secret != secret["secret"]
    assert not verify_signature(other_secret, delivery.headers[SIGNATURE_HEADER.lower()], delivery.body)
    batch = json.loads(delivery.body)
    assert (batch["id"], batch["state"], batch["letters"], batch["metadata"]) == (
        started.get_json()["id"], "done", 1, {"campaign": "june"})
    assert batch["result_url"].startswith("http://localhost/api/v1/batches/")  # absolute: the receiver has no base
    status = api.get(started.headers["Location"]).get_json()
    assert status["callback"] == {"url": receiver.url, "state": "delivered", "attempts": 1, "last_error": ""}


def test_a_receiver_that_fails_is_called_again_until_it_takes_it(api):
    with Receiver(answers=[500, 503]) as receiver:
        started = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS],
                           query_string={"callback_url": receiver.url})
        deliveries = receiver.wait_for(3)
    assert [d.headers["letterhouse-attempt"] for d in deliveries] == ["1", "2", "3"]
    assert len({d.body for d in deliveries}) == 1
    status = api.finished(started.headers["Location"])
    assert status["callback"]["attempts"] == 3


def test_the_signature_example_refuses_an_old_callback():
    verify_signature = readme_verify_signature()
    assert not verify_signature("whsec_x", "t=1000000000,v1=" + "0" * 64, b"{}")
    assert not verify_signature("whsec_x", "garbage", b"{}")


@pytest.mark.parametrize(("hosts", "url", "says"), [
    ("", "https://hooks.studio.example/x", "CALLBACK_HOSTS setting is empty"),
    ("hooks.studio.example", "https://elsewhere.example/x", "“elsewhere.example” is not one of them"),
    ("localhost", "http://localhost:8080/x", "resolves to 127.0.0.1, an internal address"),
    ("127.0.0.1", "http://user:pw@127.0.0.1:8080/x", "user name or password"),
    ("127.0.0.1", "ftp://127.0.0.1/x", "http:// or https://"),
])
def test_a_callback_url_the_server_will_not_call_starts_nothing(tmp_path, templates_dir, hosts, url, says):
    app = letterhouse_app(tmp_path, templates_dir, CALLBACK_HOSTS=hosts)
    api = ApiClient(app.test_client())
    refused = api.post("/api/v1/templates/anniversary/batches", json=[CHRIS], query_string={"callback_url": url})
    body = assert_problem(refused, 422, "invalid-callback")
    assert says in body["detail"] and body["parameter"] == "callback_url"
    assert batches_of(api) == []
