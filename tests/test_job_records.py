"""Job records in a real database (SQLite and PostgreSQL alike): kept, claimed once, taken back when a runner dies."""

import datetime
import io
import socket
import threading
import time
import zipfile

import pytest
import sqlalchemy
from alembic import command
from conftest import BUNDLED_TEMPLATES, pdf_text

from letterhouse import create_app
from letterhouse.batch.checking import check_rows
from letterhouse.batch.chunks import write_chunk
from letterhouse.batch.job_limits import QueueFull, QueueUnavailable, TooManyBatches, TooMuchStored
from letterhouse.batch.job_records import MAX_ATTEMPTS, STALE_AFTER, JobStore, utc_now
from letterhouse.batch.job_runner import RunnerSettings
from letterhouse.batch.job_tables import database_engine, is_latest, migrations_config, upgrade_database
from letterhouse.batch.rows import read_rows
from letterhouse.config import load_settings
from letterhouse.letters.catalog import catalog_from_config

ROWS = b"sender_name,recipient_name,years\nSam,Chris,12\nSam,Alex,3\n"


@pytest.fixture
def store(database_url, tmp_path):
    engine = database_engine(database_url)
    upgrade_database(engine)
    upgrade_database(engine)  # a second server starting finds it done
    yield JobStore(engine, tmp_path / "results", retention_hours=24)
    engine.dispose()


@pytest.fixture
def template():
    return catalog_from_config(load_settings({"TEMPLATES": str(BUNDLED_TEMPLATES)})).usable_template("anniversary")


def upload(store, template, owner="session:visitor", data=ROWS, **kwargs):
    return store.create(template.slug, data, "csv", check_rows(template, read_rows(data, "csv")), owner=owner, **kwargs)


def test_a_record_keeps_the_template_owner_counts_and_times(store, template):
    job = upload(store, template)
    kept = store.get(job.id)
    assert (kept.slug, kept.digest, kept.owner, kept.total, kept.valid, kept.state) == (
        "anniversary", template.digest, "session:visitor", 2, 2, "checked")
    assert kept.sample == [[2, "Chris", "0001-anniversary-to-chris.pdf"], [3, "Alex", "0002-anniversary-to-alex.pdf"]]
    assert kept.created.tzinfo is not None and kept.started is None and kept.finished is None
    assert kept.stored_bytes == len(ROWS) + store.letters_path(kept).stat().st_size
    assert store.get("AAAAAAAAAAAAAAAA") is None and store.get("../../etc") is None


def test_an_upload_nobody_starts_is_removed_within_the_hour(store, template):
    job = upload(store, template)
    assert job.expires - job.created <= datetime.timedelta(hours=1)
    store.remove_expired(now=job.created + datetime.timedelta(minutes=59))
    assert store.get(job.id) is not None
    store.remove_expired(now=job.created + datetime.timedelta(minutes=61))
    assert store.get(job.id) is None and not store.folder(job.id).exists()


def test_a_clients_waiting_rows_count_against_its_share_of_bytes(store, template):
    first = upload(store, template, byte_limit=100_000)
    with pytest.raises(TooMuchStored):
        upload(store, template, byte_limit=first.stored_bytes + 10)
    assert len(list(store.root.iterdir())) == 1  # the refused upload left nothing behind
    upload(store, template, owner="session:someone-else", byte_limit=first.stored_bytes + 10)


def test_a_queued_job_is_taken_by_one_runner_only(store, template):
    job = upload(store, template)
    store.runner = type("Recorder", (), {"submit": lambda self, job_id: None})()
    assert store.start(job)
    other_server = JobStore(store.engine, store.root, retention_hours=24)
    assert store.claim_next("here:1:a").id == job.id
    assert other_server.claim_next("there:2:b") is None
    running = store.get(job.id)
    assert (running.state, running.runner, running.attempts) == ("running", "here:1:a", 1)


def queued_and_claimed(store, template, runner):
    job = upload(store, template)
    store.runner = type("Recorder", (), {"submit": lambda self, job_id: None})()
    store.start(job)
    return store.claim_next(runner)


def test_a_job_whose_runner_process_died_is_queued_again_then_failed(store, template):
    dead_here = f"{socket.gethostname()}:{2**22 + 17}:gone"  # this host, no such process
    job = queued_and_claimed(store, template, dead_here)
    for attempt in range(1, MAX_ATTEMPTS):
        assert store.recover() == [job.id]
        assert store.get(job.id).state == "queued"
        assert store.claim_next(dead_here).attempts == attempt + 1
    assert store.recover() == [job.id]
    failed = store.get(job.id)
    assert failed.state == "failed" and "start it again" in failed.message and failed.finished is not None


def test_a_silent_runner_on_another_host_loses_its_job_once_its_heartbeat_is_stale(store, template):
    job = queued_and_claimed(store, template, "another-host:123:token")
    assert store.recover() == []  # alive as far as anyone can tell
    assert store.recover(now=utc_now() + STALE_AFTER + datetime.timedelta(seconds=1)) == [job.id]
    assert store.get(job.id).state == "queued"
    assert not store.beat(job.id, "another-host:123:token")  # the old runner, back, finds it is no longer its own


def test_the_app_keeps_its_batches_in_the_database_it_is_given(database_url, tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "TEMPLATES": str(BUNDLED_TEMPLATES),
                      "INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database_url,
                      "RESULTS_PATH": str(tmp_path / "shared-results"), "BATCH_WORKERS": 1})
    client = app.test_client()
    started = client.post("/api/v1/templates/anniversary/batches", data=ROWS, content_type="text/csv")
    assert started.status_code == 201
    status_url = started.get_json()["status_url"]
    deadline = time.monotonic() + 60
    while (status := client.get(status_url).get_json())["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert status["state"] == "done"
    archive = zipfile.ZipFile(io.BytesIO(client.get(status["result_url"]).data))
    assert "Dear Alex," in pdf_text(archive.read("0002-anniversary-to-alex.pdf"))
    assert (tmp_path / "shared-results").is_dir() and not (tmp_path / "instance" / "letterhouse.sqlite3").exists() \
        or database_url.startswith("sqlite")


def test_a_chunk_written_twice_counts_once_and_the_result_holds_every_letter_once(store, template, monkeypatch):
    monkeypatch.setattr("letterhouse.batch.chunks.CHUNK_ROWS", 2)
    data = b"sender_name,recipient_name,years\n" + b"".join(b"Sam,Guest%d Smith,3\n" % n for n in range(1, 6))
    job = upload(store, template, data=data)
    store.runner = type("Recorder", (), {"submit": lambda self, job_id: None})()
    assert store.start(job)
    catalog = catalog_from_config(load_settings({"TEMPLATES": str(BUNDLED_TEMPLATES)}))
    settings = RunnerSettings(workers=1, max_pages=12, time_limit=20)
    for chunk in (0, 0, 2, 1, 1):  # a worker died after writing chunk 0 and chunk 1 before the queue knew
        write_chunk(store, catalog, settings, job.id, chunk)
    done = store.get(job.id)
    assert (done.state, done.letters, done.done, done.runner) == ("done", 5, 5, "chunks")
    with zipfile.ZipFile(store.result_path(done)) as archive:
        letters = [f"{n:04d}-anniversary-to-guest{n}.pdf" for n in range(1, 6)]
        assert archive.namelist() == [*letters, "manifest.csv"]
        manifest = archive.read("manifest.csv").decode("utf-8-sig").splitlines()
        assert manifest[1:] == [f"{n + 1},{name},Guest{n} Smith,1" for n, name in enumerate(letters, 1)]
    assert not store.rows_path(done).exists() and not (store.folder(job.id) / "letters").exists()
    assert store.recover(now=utc_now() + STALE_AFTER * 10) == []  # a chunked job is never taken back as a runner's


def test_requests_starting_batches_at_once_cannot_both_pass_the_clients_limit(store, template):
    jobs = [upload(store, template) for _ in range(6)]
    store.runner = type("Recorder", (), {"submit": lambda self, job_id: None})()
    outcomes = []

    def start(job):
        try:
            outcomes.append(store.start(job, client_limit=2))
        except TooManyBatches:
            outcomes.append("refused")

    threads = [threading.Thread(target=start, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) == ["True", "True"] + ["refused"] * 4
    assert store.unfinished_for("session:visitor") == 2


def test_the_server_takes_only_so_many_batches_at_once_whoever_starts_them(store, template):
    store.runner = type("Recorder", (), {"submit": lambda self, job_id: None})()
    first, second = upload(store, template, owner="session:a"), upload(store, template, owner="session:b")
    assert store.start(first, queue_limit=1)
    with pytest.raises(QueueFull, match="writing 1 batches already"):
        store.start(second, queue_limit=1)
    assert store.get(second.id).state == "checked"
    assert store.start(second, queue_limit=2)


def test_a_batch_the_queue_cannot_take_stays_checked_to_be_started_again(store, template):
    class BrokerAway:
        def submit(self, job_id):
            raise QueueUnavailable("The batch queue cannot be reached just now.")

    job = upload(store, template)
    store.runner = BrokerAway()
    with pytest.raises(QueueUnavailable):
        store.start(job)
    kept = store.get(job.id)
    assert (kept.state, kept.result) == ("checked", "") and kept.expires - kept.created <= datetime.timedelta(hours=1)
    store.runner = type("Recorder", (), {"submit": lambda self, job_id: None})()
    assert store.start(kept) and store.get(job.id).state == "queued"


def test_a_database_left_at_an_older_migration_is_brought_to_the_newest(tmp_path):
    """A server that finds last year's database migrates it; one that finds it current reads one row and goes on."""
    engine = database_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = migrations_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    assert not is_latest(engine)
    assert "idempotency_keys" not in sqlalchemy.inspect(engine).get_table_names()
    upgrade_database(engine)
    assert is_latest(engine)
    assert "idempotency_keys" in sqlalchemy.inspect(engine).get_table_names()
    engine.dispose()
