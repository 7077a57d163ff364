"""Batches on the real server: one runner per server writes them, killing it or a web worker loses no letter, and
a batch cancelled mid-way stops it."""

import io
import json
import os
import signal
import time
import urllib.request
import zipfile

import psutil
from conftest import pdf_text
from serving import letterhouse_serve, wait_for


def call(server, path, body=None, method=None):
    """GET, or POST a JSON body (or another method), and return (status, parsed JSON or raw bytes)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server(path), data=data, headers={"Content-Type": "application/json"},
                                     method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw, is_json = response.read(), response.headers.get_content_type() == "application/json"
            return response.status, json.loads(raw) if is_json else raw
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())



def guests(count):
    return [{"sender_name": "Sam", "recipient_name": f"Guest{n:03d} Smith", "years": 3} for n in range(1, count + 1)]


def test_the_server_keeps_one_batch_runner_whatever_its_worker_count(tmp_path):
    with letterhouse_serve(tmp_path, workers=3) as server:
        runners = wait_for(server.runner_pids, 30, "a runner started")
        assert len(runners) == 1 and len(server.worker_pids()) == 3


def test_killing_the_runner_and_a_web_worker_mid_batch_loses_no_letter(tmp_path):
    with letterhouse_serve(tmp_path, workers=2) as server:
        status, started = call(server, "/api/v1/templates/anniversary/batches", guests(40))
        assert status == 201
        status_url = started["status_url"]
        wait_for(lambda: call(server, status_url)[1]["done"] >= 4, 90, "letters written")
        runner = server.runner_pids()[0]
        group = os.getpgid(runner)
        assert group == runner  # in a group of its own, its render processes with it
        os.kill(runner, signal.SIGKILL)
        os.kill(server.worker_pids()[0], signal.SIGKILL)
        killed_at = time.monotonic()
        done = wait_for(lambda: (s := call(server, status_url)[1])["state"] in ("done", "failed") and s, 120,
                        "the batch finished")
        assert done["state"] == "done" and done["letters"] == 40, done
        assert time.monotonic() - killed_at < 90
        assert not [p for p in psutil.process_iter() if safe_pgid(p.pid) == group]  # no render process left over
        assert server.runner_pids() not in ([], [runner])
        _, archive_bytes = call(server, done["result_url"])
        archive = zipfile.ZipFile(io.BytesIO(archive_bytes))
        assert archive.namelist() == [f"{n:04d}-anniversary-to-guest{n:03d}.pdf" for n in range(1, 41)] + [
            "manifest.csv"]
        for n in (1, 20, 40):
            assert f"Dear Guest{n:03d}," in pdf_text(archive.read(f"{n:04d}-anniversary-to-guest{n:03d}.pdf"))


def safe_pgid(pid):
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def test_a_batch_whose_server_was_killed_is_finished_by_the_next_server(tmp_path):
    with letterhouse_serve(tmp_path, workers=1) as server:
        status, started = call(server, "/api/v1/templates/anniversary/batches", guests(30))
        status_url = started["status_url"]
        wait_for(lambda: call(server, status_url)[1]["done"] >= 3, 90, "letters written")
        runner = server.runner_pids()[0]
        os.killpg(server.process.pid, signal.SIGKILL)  # the master and its web workers, not a word to the runner
        wait_for(lambda: not psutil.pid_exists(runner) or psutil.Process(runner).status() == psutil.STATUS_ZOMBIE,
                 30, "the orphaned runner stopped")
    with letterhouse_serve(tmp_path, workers=1) as again:  # the same instance folder and database
        done = wait_for(lambda: (s := call(again, status_url)[1])["state"] in ("done", "failed") and s, 120,
                        "the batch finished")
        assert (done["state"], done["letters"]) == ("done", 30)


def test_a_batch_cancelled_mid_way_stops_the_servers_runner_for_the_next(tmp_path):
    with letterhouse_serve(tmp_path, workers=2) as server:
        _, long = call(server, "/api/v1/templates/anniversary/batches", guests(1000))
        wait_for(lambda: call(server, long["status_url"])[1]["done"] >= 2, 90, "letters written")
        status, cancelled = call(server, long["status_url"], method="DELETE")
        assert (status, cancelled["state"]) == (200, "cancelled")
        cancelled_at = time.monotonic()
        _, short = call(server, "/api/v1/templates/anniversary/batches", guests(1))
        done = wait_for(lambda: (s := call(server, short["status_url"])[1])["state"] in ("done", "failed") and s,
                        60, "the next batch finished")
        assert done["state"] == "done" and time.monotonic() - cancelled_at < 40
        assert call(server, long["status_url"])[1]["state"] == "cancelled"
        assert not (tmp_path / "instance" / "results" / long["id"]).exists()
