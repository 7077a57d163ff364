"""A studio's batches through the API: one URL for each, listed newest first a page at a time, cancelled at will,
their times told."""

import datetime
import time
from pathlib import Path

import pytest
from conftest import letterhouse_app
from test_api import CHRIS, ApiClient

START = "/api/v1/templates/anniversary/batches"


class QueueOnly:
    """A runner that leaves started batches queued: listing and cancelling them is all these stories need."""

    def submit(self, job_id):
        pass


@pytest.fixture
def app(tmp_path, templates_dir):
    return letterhouse_app(tmp_path, templates_dir, BATCH_WORKERS=1)


@pytest.fixture
def queued_app(app):
    app.extensions["letterhouse.batch.jobs"].runner = QueueOnly()
    app.config["BATCH_JOBS_PER_CLIENT"] = 0
    return app


@pytest.fixture
def api(client):
    return ApiClient(client)


def guests(count):
    return [{**CHRIS, "recipient_name": f"Guest {n}"} for n in range(1, count + 1)]


def results(app, job_id=""):
    return Path(app.instance_path, "results", job_id)


def moment(text):
    assert text.endswith("Z")
    return datetime.datetime.fromisoformat(text)


def test_a_batch_is_started_at_its_templates_address_and_read_at_its_own(api):
    started = api.post(START, json=[CHRIS])
    assert started.status_code == 201
    body = started.get_json()
    assert started.headers["Location"] == body["status_url"] == f"/api/v1/batches/{body['id']}"
    done = api.finished(body["status_url"])
    assert api.get(done["result_url"]).mimetype == "application/zip"


def test_the_old_address_starts_nothing(api):
    response = api.client.post("/api/v1/batches/anniversary", json=[CHRIS])
    assert response.status_code == 405 and response.get_json()["code"] == "method-not-allowed"


def test_a_batch_tells_when_it_was_received_started_finished_and_will_be_removed(api, app):
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    body = api.post(START, json=[CHRIS]).get_json()
    assert moment(body["created"]) >= before and body["finished"] is None and body["expires"] is None
    done = api.finished(body["status_url"])
    created, started, finished = (moment(done[name]) for name in ("created", "started", "finished"))
    assert created <= started <= finished <= datetime.datetime.now(datetime.UTC)
    retention = datetime.timedelta(hours=app.config["JOB_RETENTION_HOURS"])
    assert abs(moment(done["expires"]) - (finished + retention)) <= datetime.timedelta(seconds=1)


# --- listing ---

def test_a_client_lists_its_own_batches_newest_first_a_page_at_a_time(queued_app, api):
    ids = [api.post(START, json=[CHRIS]).get_json()["id"] for _ in range(5)]
    stranger = api.post(START, json=[CHRIS], environ_base={"REMOTE_ADDR": "10.9.9.9"}).get_json()["id"]
    seen, url, pages = [], "/api/v1/batches?limit=2", 0
    while url:
        page = api.get(url)
        body = page.get_json()
        seen += [batch["id"] for batch in body["batches"]]
        assert page.headers.get("Link") == (f'<{body["next"]}>; rel="next"' if body["next"] else None)
        url, pages = body["next"], pages + 1
    assert seen == ids[::-1] and stranger not in seen and pages == 3


def test_a_listing_is_twenty_at_a_time_unless_asked(queued_app, api):
    for _ in range(21):
        api.post(START, json=[CHRIS])
    first = api.get("/api/v1/batches").get_json()
    assert len(first["batches"]) == 20 and first["next"]
    assert len(api.get(first["next"]).get_json()["batches"]) == 1


@pytest.mark.parametrize("query, parameter", [
    ("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"), ("limit=%EF%BC%92", "limit"),
    ("after=not-a-cursor", "after"), ("after=WzEsMiwzXQ", "after"),
])
def test_a_listing_refuses_a_limit_or_cursor_it_cannot_take(api, query, parameter):
    response = api.get(f"/api/v1/batches?{query}")
    assert response.status_code == 400
    assert (response.get_json()["code"], response.get_json()["parameter"]) == ("invalid-parameter", parameter)


# --- cancelling ---

def test_cancelling_a_queued_batch_stops_it_and_removes_its_rows(queued_app, api):
    body = api.post(START, json=guests(3)).get_json()
    assert results(queued_app, body["id"]).is_dir()
    cancelled = api.delete(body["status_url"])
    assert cancelled.status_code == 200
    status = cancelled.get_json()
    assert status["state"] == "cancelled" and status["finished"] and status["expires"]
    assert not results(queued_app, body["id"]).exists()
    assert api.get(body["status_url"]).get_json()["state"] == "cancelled"
    no_result = api.get(f"{body['status_url']}/result")
    assert no_result.status_code == 409 and no_result.get_json()["state"] == "cancelled"


def test_a_batch_that_has_ended_is_removed_with_its_letters(api, app):
    body = api.post(START, json=[CHRIS]).get_json()
    api.finished(body["status_url"])
    assert api.delete(body["status_url"]).status_code == 204
    assert not results(app, body["id"]).exists()
    assert api.get(body["status_url"]).get_json()["code"] == "batch-not-found"
    assert api.delete(body["status_url"]).status_code == 404


def test_another_client_cannot_cancel_a_batch(queued_app, api):
    body = api.post(START, json=[CHRIS]).get_json()
    refused = api.delete(body["status_url"], environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert refused.status_code == 404 and refused.get_json()["code"] == "batch-not-found"
    assert api.get(body["status_url"]).get_json()["state"] == "queued"


def test_a_batch_cancelled_while_it_is_written_stops_and_the_next_is_written(api, app):
    long = api.post(START, json=guests(1000)).get_json()
    deadline = time.monotonic() + 120
    while api.get(long["status_url"]).get_json()["done"] < 2:
        assert time.monotonic() < deadline, "no letter written"
        time.sleep(0.1)
    assert api.delete(long["status_url"]).get_json()["state"] == "cancelled"
    cancelled_at = time.monotonic()
    short = api.post(START, json=[CHRIS]).get_json()  # written by the same runner once the long one has stopped
    assert api.finished(short["status_url"], timeout=60)["state"] == "done"
    assert time.monotonic() - cancelled_at < 40  # far less than the 998 letters left would take
    status = api.get(long["status_url"]).get_json()
    assert status["state"] == "cancelled" and status["done"] < 1000 and "result_url" not in status
    assert not results(app, long["id"]).exists()  # neither rows nor any letters written after the cancel
