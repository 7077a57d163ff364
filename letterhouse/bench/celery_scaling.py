"""Bench section 7: one batch written by one and by two Celery workers (`letterhouse worker`), and with one killed."""

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from letterhouse.batch.celery_tasks import CeleryRunner, delete_queue, make_celery
from letterhouse.batch.checking import check_rows
from letterhouse.batch.local_worker import open_job_store
from letterhouse.batch.manifest import MANIFEST_NAME
from letterhouse.batch.rows import read_rows
from letterhouse.config import load_settings
from letterhouse.letters.catalog import example_values

VISIBILITY_TIMEOUT = 10  # seconds before a killed worker's chunk goes to the other: short, for the bench


def celery_scaling(catalog, letters, broker_url, slug="thank-you"):
    """Return letters/s with 1 and 2 workers (each one render process), and a run with one killed at 30%."""
    template = catalog.usable_template(slug)
    rows = [{**example_values(template), "recipient_name": f"Guest{n:04d} Smith"} for n in range(1, letters + 1)]
    data = json.dumps(rows).encode()
    check = check_rows(template, read_rows(data, "json"))
    with tempfile.TemporaryDirectory() as folder:
        settings = bench_settings(Path(folder), broker_url, catalog)
        store = open_job_store(settings)
        celery = make_celery(settings)
        store.runner = CeleryRunner(celery, store)
        try:
            results = {f"{n}_workers": timed_batch(store, settings, slug, data, check, n) for n in (1, 2)}
            results["2_workers_one_killed_at_30%"] = timed_batch(store, settings, slug, data, check, 2, kill_at=0.3)
        finally:
            delete_queue(celery, settings["BROKER_QUEUE"])  # the bench's own queue goes with it
    one, two = results["1_workers"], results["2_workers"]
    results["speed_up"] = round(two["letters_per_s"] / one["letters_per_s"], 2)
    results["seconds_lost_to_the_kill"] = round(results["2_workers_one_killed_at_30%"]["seconds"] - two["seconds"], 1)
    return results


def bench_settings(folder, broker_url, catalog):
    return load_settings({"INSTANCE_PATH": str(folder / "instance"), "RESULTS_PATH": str(folder / "results"),
                          "DATABASE_URL": f"sqlite:///{folder / 'records.sqlite3'}", "BROKER_URL": broker_url,
                          "BROKER_QUEUE": f"letterhouse-bench-{secrets.token_hex(4)}",
                          "BROKER_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT, "BATCH_WORKERS": 1,
                          "TEMPLATES": os.pathsep.join(str(d) for d in catalog.directories)})


def timed_batch(store, settings, slug, data, check, workers, kill_at=None):
    """Start `workers` workers, then time one batch from start to its whole result; kill one at kill_at."""
    processes = [start_worker(settings, Path(settings["INSTANCE_PATH"]) / f"worker-{n}.log") for n in range(workers)]
    try:
        wait_until_ready(processes)
        job = store.create(slug, data, "json", check, owner="bench")
        started = time.monotonic()
        store.start(job)
        killed = False
        while (current := store.get(job.id)).state not in ("done", "failed"):
            if kill_at and not killed and current.done >= kill_at * current.valid:
                os.killpg(processes[0][0].pid, signal.SIGKILL)
                killed = True
            time.sleep(0.1)
        seconds = time.monotonic() - started
    finally:
        for process, _ in processes:
            stop_worker(process)
    with zipfile.ZipFile(store.result_path(current)) as archive:
        letters = [name for name in archive.namelist() if name != MANIFEST_NAME]
    return {"letters": current.letters, "seconds": round(seconds, 2),
            "letters_per_s": round(current.letters / seconds, 1),
            "every_row_once": len(set(letters)) == len(letters) == check.total}


def start_worker(settings, log):
    environment = {**os.environ, **{f"LETTERHOUSE_{name}": str(value) for name, value in settings.items()}}
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "letterhouse.cli", "worker"], stdout=output,
                                   stderr=subprocess.STDOUT, env=environment, start_new_session=True)
    return process, log


def wait_until_ready(processes, timeout=60):
    deadline = time.monotonic() + timeout
    while not all("ready" in log.read_text(errors="replace") for _, log in processes):
        if time.monotonic() > deadline:
            raise RuntimeError("the workers did not start")
        time.sleep(0.2)


def stop_worker(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
