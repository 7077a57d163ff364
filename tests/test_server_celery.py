"""Several hosts: batches posted to one `letterhouse serve`, written by two `letterhouse worker`s over Redis,
seen from a second server sharing PostgreSQL and the results folder; a worker killed mid-batch loses no letter,
and the studio hears once that it is done, signed with the secret either host gives it."""

import contextlib
import csv
import io
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

from callback_receiver import Receiver
from conftest import pdf_text
from serving import (
    copy_bundled_templates,
    letterhouse_command,
    letterhouse_serve,
    server_environment,
    stop,
    wait_for,
)
from test_api_studio import readme_verify_signature

from letterhouse.batch.celery_tasks import delete_queue, make_celery
from letterhouse.config import load_settings

TOKENS = "studio-a,studio-b"


def call(server, path, body=None, token="studio-a"):
    """GET, or POST a JSON body, as a studio; return (status, parsed JSON or the raw bytes)."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    try:
        with urllib.request.urlopen(urllib.request.Request(server(path), data=data, headers=headers), timeout=60) as r:
            raw = r.read()
            return r.status, json.loads(raw) if r.headers.get_content_type() == "application/json" else raw
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextlib.contextmanager
def letterhouse_worker(root, templates, settings):
    """Run `letterhouse worker` (a Celery worker) in its own process group until the block ends."""
    root.mkdir(parents=True, exist_ok=True)
    log = root / "worker.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(letterhouse_command() + ["worker"], stdout=output, stderr=subprocess.STDOUT,
                                   env=server_environment(root, templates, settings), cwd=root,
                                   start_new_session=True)
    try:
        yield process, log
    finally:
        stop(process)



def test_two_workers_write_a_batch_that_a_second_server_shows_even_when_one_is_killed(
        tmp_path, postgres_url, redis_url, redis_prefix):
    templates = copy_bundled_templates(tmp_path)
    for host in ("host-a", "host-b"):
        (tmp_path / host).mkdir()
    settings = {"LETTERHOUSE_DATABASE_URL": postgres_url, "LETTERHOUSE_BROKER_URL": redis_url,
                "LETTERHOUSE_BROKER_QUEUE": redis_prefix + "batches", "LETTERHOUSE_BROKER_VISIBILITY_TIMEOUT": "10",
                "LETTERHOUSE_RESULTS_PATH": str(tmp_path / "shared-results"), "LETTERHOUSE_API_TOKENS": TOKENS,
                "LETTERHOUSE_CALLBACK_HOSTS": "127.0.0.1"}
    rows = [{"sender_name": "Sam", "recipient_name": f"Guest{n:03d} Smith", "years": 3} for n in range(1, 101)]
    with (letterhouse_serve(tmp_path / "host-a", templates, workers=1, environment=settings) as host_a,
          letterhouse_serve(tmp_path / "host-b", templates, workers=1, environment=settings) as host_b,
          letterhouse_worker(tmp_path / "worker-1", templates, settings) as (first, first_log),
          letterhouse_worker(tmp_path / "worker-2", templates, settings) as (_, second_log),
          Receiver() as receiver):
        wait_for(lambda: "ready" in first_log.read_text() and "ready" in second_log.read_text(), 60, "workers ready")
        assert host_a.runner_pids() == [] and host_b.runner_pids() == []  # with a broker, the workers write
        query = urllib.parse.urlencode({"callback_url": receiver.url})
        status, started = call(host_a, f"/api/v1/templates/anniversary/batches?{query}", rows)
        assert status == 201
        status_url = started["status_url"]
        wait_for(lambda: call(host_b, status_url)[1]["done"] >= 20, 120, "letters written, seen from host b")
        assert "received" in first_log.read_text() and "received" in second_log.read_text()  # both took chunks
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its processes, mid-chunk
        done = wait_for(lambda: (s := call(host_b, status_url)[1])["state"] in ("done", "failed") and s, 180,
                        "the batch finished")
        assert (done["state"], done["letters"], done["row_errors"]) == ("done", 100, [])
        assert call(host_b, status_url, token="studio-b")[0] == 404  # another studio cannot see it
        assert call(host_a, done["result_url"], token="studio-b")[0] == 404
        _, archive_bytes = call(host_b, done["result_url"])
        archive = zipfile.ZipFile(io.BytesIO(archive_bytes))
        assert archive.namelist() == [f"{n:04d}-anniversary-to-guest{n:03d}.pdf" for n in range(1, 101)] + [
            "manifest.csv"]
        manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
        assert [row["file"] for row in manifest] == archive.namelist()[:-1]  # every letter once, from every chunk
        for n in (1, 21, 41, 100):
            assert f"Dear Guest{n:03d}," in pdf_text(archive.read(f"{n:04d}-anniversary-to-guest{n:03d}.pdf"))
        [delivery] = receiver.wait_for(1)  # sent by a worker: each callback due is claimed by one of them
        time.sleep(3)
        assert len(receiver.deliveries) == 1 and json.loads(delivery.body)["state"] == "done"
        secret = call(host_b, "/api/v1/callback-secret")[1]["secret"]  # every host derives the same one
        assert readme_verify_signature()(secret, delivery.headers["letterhouse-signature"], delivery.body)
    celery = make_celery(load_settings({"BROKER_URL": redis_url, "BROKER_QUEUE": settings["LETTERHOUSE_BROKER_QUEUE"]}))
    delete_queue(celery, settings["LETTERHOUSE_BROKER_QUEUE"])  # leave a shared Redis as it was found
