"""Batches on Celery with a real Redis: chunks whose tasks were lost are sent again, and only then; the chunks
of a cancelled batch stop and leave nothing behind."""

import datetime

import pytest
from conftest import BUNDLED_TEMPLATES
from serving import free_port

import letterhouse.batch.chunks as chunks
from letterhouse.batch.celery_tasks import CeleryRunner, delete_queue, make_celery, queue_length, resend_stalled
from letterhouse.batch.checking import check_rows
from letterhouse.batch.chunks import chunk_count, letters_folder, write_chunk
from letterhouse.batch.job_limits import QueueUnavailable
from letterhouse.batch.job_records import JobStore
from letterhouse.batch.job_runner import RunnerSettings
from letterhouse.batch.job_tables import database_engine, upgrade_database
from letterhouse.batch.rows import read_rows
from letterhouse.config import load_settings
from letterhouse.letters.catalog import catalog_from_config

ROWS = b"sender_name,recipient_name,years\n" + b"".join(b"Sam,Guest%d Smith,3\n" % n for n in range(1, 46))


class LostOnTheWay:
    """A web worker that queued the batch and died before sending its chunks."""

    def submit(self, job_id):
        pass


@pytest.fixture
def celery(redis_url, redis_prefix):
    celery = make_celery(load_settings({"BROKER_URL": redis_url, "BROKER_QUEUE": redis_prefix + "batches"}))
    yield celery
    delete_queue(celery, celery.conf.task_default_queue)


@pytest.fixture
def store(tmp_path):
    engine = database_engine(f"sqlite:///{tmp_path / 'records.sqlite3'}")
    upgrade_database(engine)
    return JobStore(engine, tmp_path / "results", retention_hours=24, runner=LostOnTheWay())


@pytest.fixture
def catalog():
    return catalog_from_config(load_settings({"TEMPLATES": str(BUNDLED_TEMPLATES)}))


def started_job(store, catalog):
    template = catalog.usable_template("anniversary")
    job = store.create("anniversary", ROWS, "csv", check_rows(template, read_rows(ROWS, "csv")), owner="token:x")
    assert store.start(job)
    return job


def test_a_batch_whose_chunks_were_never_sent_is_sent_again_once_the_queue_is_idle(store, celery, catalog):
    job = started_job(store, catalog)
    assert resend_stalled(store, celery, datetime.timedelta(minutes=5)) == []  # not long enough to be lost
    assert resend_stalled(store, celery, datetime.timedelta(0)) == [job.id]
    assert queue_length(celery) == chunk_count(job) == 3
    assert resend_stalled(store, celery, datetime.timedelta(0)) == []  # chunks are waiting: nothing is lost
    with celery.connection_for_write() as connection:
        connection.default_channel.queue_purge(celery.conf.task_default_queue)
    assert resend_stalled(store, celery, datetime.timedelta(seconds=30)) == []  # sent just now: not yet again


def test_the_chunks_of_a_cancelled_batch_write_nothing_and_leave_nothing(store, catalog):
    job = started_job(store, catalog)
    write_chunk(store, catalog, RunnerSettings(), job.id, 0)
    assert len(list(letters_folder(store, job).glob("*.pdf"))) == 20
    assert store.cancel(store.get(job.id))
    assert not store.folder(job.id).exists()
    write_chunk(store, catalog, RunnerSettings(), job.id, 1)  # a task that was waiting in the queue
    assert not store.folder(job.id).exists()
    assert (store.get(job.id).state, store.get(job.id).letters) == ("cancelled", 0)


def test_a_chunk_stops_between_letters_when_its_batch_is_cancelled(store, catalog, monkeypatch):
    job = started_job(store, catalog)
    rendered = []

    def render_and_be_cancelled(letter, *args):  # the studio's DELETE arrives while the first letter is written
        rendered.append(letter.values["recipient_name"])
        store.cancel(store.get(job.id))
        return real_render(letter, *args)

    real_render = chunks.rendered_letter
    monkeypatch.setattr(chunks, "rendered_letter", render_and_be_cancelled)
    write_chunk(store, catalog, RunnerSettings(), job.id, 2)
    assert rendered == ["Guest41 Smith"]
    assert not store.folder(job.id).exists() and store.get(job.id).state == "cancelled"


def test_a_batch_started_while_the_broker_is_away_stays_checked_and_says_so(tmp_path):
    celery = make_celery(load_settings({"BROKER_URL": f"redis://127.0.0.1:{free_port()}/0"}))  # nothing listens
    engine = database_engine(f"sqlite:///{tmp_path / 'records.sqlite3'}")
    upgrade_database(engine)
    store = JobStore(engine, tmp_path / "results", retention_hours=24)
    store.runner = CeleryRunner(celery, store)
    template = catalog_from_config(load_settings({"TEMPLATES": str(BUNDLED_TEMPLATES)})).usable_template("anniversary")
    job = store.create("anniversary", ROWS, "csv", check_rows(template, read_rows(ROWS, "csv")), owner="token:x")
    with pytest.raises(QueueUnavailable, match="cannot be reached just now"):
        store.start(job)
    assert store.get(job.id).state == "checked"
