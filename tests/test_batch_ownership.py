"""A batch belongs to whoever started it: nobody else sees it, on the site or the API, and each client has a share."""

import io
import re
from pathlib import Path

import pytest

from letterhouse import create_app

CHRIS = {"sender_name": "Sam Okafor", "recipient_name": "Chris Lindqvist", "years": 12}
ROWS = b"sender_name,recipient_name,years\nSam,Chris,12\n"


class QueueOnly:
    """A runner that leaves started batches queued: who may see them, and how many, is all these stories need."""

    def submit(self, job_id):
        pass


@pytest.fixture
def app(tmp_path, templates_dir):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-only-secret", "TEMPLATES": str(templates_dir),
                      "INSTANCE_PATH": str(tmp_path / "instance"), "API_TOKENS": "alpha-token,beta-token"})
    app.extensions["letterhouse.batch.jobs"].runner = QueueOnly()
    return app


def bearer(token, scheme="Bearer "):
    return {"Authorization": f"{scheme}{token}"}


def results_folders(app):
    folder = Path(app.instance_path, "results")
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def upload_on_site(client, data=ROWS):
    page = client.get("/letters/anniversary/many").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/letters/anniversary/many", content_type="multipart/form-data",
                       data={"csrf_token": token, "rows": (io.BytesIO(data), "guests.csv")})


def test_another_token_cannot_see_a_batch_or_its_result(client):
    started = client.post("/api/v1/templates/anniversary/batches", json=[CHRIS], headers=bearer("alpha-token"))
    assert started.status_code == 201
    status_url = started.get_json()["status_url"]
    assert client.get(status_url, headers=bearer("alpha-token")).status_code == 200
    assert client.get(status_url, headers=bearer("beta-token")).status_code == 404
    assert client.get(f"{status_url}/result", headers=bearer("beta-token")).status_code == 404


def test_the_site_does_not_serve_an_api_batch(client):
    started = client.post("/api/v1/templates/anniversary/batches", json=[CHRIS], headers=bearer("alpha-token"))
    job_id = started.get_json()["id"]
    for path in ("", "/status.json", "/letters", "/problems.csv"):
        assert client.get(f"/letters/anniversary/many/{job_id}{path}").status_code == 404


def test_another_browser_cannot_see_a_batch_uploaded_on_the_site(app, client):
    job_url = upload_on_site(client).headers["Location"]
    assert client.get(job_url).status_code == 200
    stranger = app.test_client()
    for path in ("", "/status.json", "/letters", "/problems.csv"):
        assert stranger.get(f"{job_url}{path}").status_code == 404
    job_id = job_url.rsplit("/", 1)[1]
    assert client.get(f"/api/v1/batches/{job_id}", headers=bearer("alpha-token")).status_code == 404


@pytest.mark.parametrize("scheme", ["bearer ", "BEARER ", "Bearer  ", "Bearer\t"])
def test_one_token_however_its_header_is_spelt_is_one_client_with_one_share(app, client, scheme):
    app.config["BATCH_JOBS_PER_CLIENT"] = 1
    first = client.post("/api/v1/templates/anniversary/batches", json=[CHRIS], headers=bearer("alpha-token"))
    assert first.status_code == 201
    again = client.post("/api/v1/templates/anniversary/batches", json=[CHRIS], headers=bearer("alpha-token", scheme))
    if scheme == "Bearer\t":  # not the scheme and a space: no token at all
        assert again.status_code == 401
        return
    assert again.status_code == 429 and "already have 1 batch" in again.get_json()["detail"]
    assert results_folders(app) == [first.get_json()["id"]]  # the refused batch left nothing on disk
    status = client.get(first.get_json()["status_url"], headers=bearer("alpha-token", scheme))
    assert status.status_code == 200  # and the same client may read its own batch


def test_an_open_api_does_not_take_made_up_headers_as_new_clients(tmp_path, templates_dir):
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "TEMPLATES": str(templates_dir),
                      "INSTANCE_PATH": str(tmp_path / "instance"), "BATCH_JOBS_PER_CLIENT": 1})
    app.extensions["letterhouse.batch.jobs"].runner = QueueOnly()
    client = app.test_client()
    assert client.post("/api/v1/templates/anniversary/batches", json=[CHRIS]).status_code == 201
    for made_up in ("Bearer one", "Bearer two", "Basic x"):
        refused = client.post("/api/v1/templates/anniversary/batches", json=[CHRIS], headers={"Authorization": made_up})
        assert refused.status_code == 429
    assert len(results_folders(app)) == 1


def test_uploads_waiting_on_the_site_count_against_a_share_of_bytes(app, client):
    big = ROWS + b"".join(b"Sam,Guest %d,3\n" % n for n in range(40))
    first = upload_on_site(client, big)
    assert first.status_code == 303
    stored = app.extensions["letterhouse.batch.jobs"].get(first.headers["Location"].rsplit("/", 1)[1]).stored_bytes
    app.config["BATCH_STORED_BYTES_PER_CLIENT"] = stored * 3 // 2
    refused = upload_on_site(client, big)
    assert refused.status_code == 429 and "waiting to be written" in refused.get_data(as_text=True)
    assert len(results_folders(app)) == 1
    assert upload_on_site(app.test_client(), big).status_code == 303  # another visitor has a share of their own


def start_on_site(client, job_url):
    page = client.get(job_url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post(f"{job_url}/start", data={"csrf_token": token})


def test_when_the_server_has_its_fill_of_batches_the_site_asks_to_come_back_later(app, client):
    app.config["BATCH_QUEUE_LIMIT"] = 1
    assert start_on_site(client, upload_on_site(client).headers["Location"]).status_code == 303
    stranger = app.test_client()
    job_url = upload_on_site(stranger).headers["Location"]
    refused = start_on_site(stranger, job_url)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "60"
    assert "as many as it takes at once" in refused.get_data(as_text=True)
    app.config["BATCH_QUEUE_LIMIT"] = 2
    assert start_on_site(stranger, job_url).status_code == 303  # the upload was kept, to be started again
