"""Batches on Celery with a real Redis: chunks whose tasks were lost are sent again, and only then."""

import datetime

import pytest
from conftest import BUNDLED_TEMPLATES

from letterhouse.batch.celery_tasks import delete_queue, make_celery, queue_length, resend_stalled
from letterhouse.batch.checking import check_rows
from letterhouse.batch.chunks import chunk_count
from letterhouse.batch.job_records import JobStore
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


def test_a_batch_whose_chunks_were_never_sent_is_sent_again_once_the_queue_is_idle(store, celery):
    template = catalog_from_config(load_settings({"TEMPLATES": str(BUNDLED_TEMPLATES)})).usable_template("anniversary")
    job = store.create("anniversary", ROWS, "csv", check_rows(template, read_rows(ROWS, "csv")), owner="token:x")
    assert store.start(job)
    assert resend_stalled(store, celery, datetime.timedelta(minutes=5)) == []  # not long enough to be lost
    assert resend_stalled(store, celery, datetime.timedelta(0)) == [job.id]
    assert queue_length(celery) == chunk_count(job) == 3
    assert resend_stalled(store, celery, datetime.timedelta(0)) == []  # chunks are waiting: nothing is lost
    with celery.connection_for_write() as connection:
        connection.default_channel.queue_purge(celery.conf.task_default_queue)
    assert resend_stalled(store, celery, datetime.timedelta(seconds=30)) == []  # sent just now: not yet again
