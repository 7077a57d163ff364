"""Batches on Celery: a job's chunks sent as tasks any worker may take, acknowledged late, written idempotently."""

import datetime
import logging
import os

from celery import Celery
from celery.signals import worker_process_init
from kombu.exceptions import ChannelError

from letterhouse.batch.chunk_records import chunks_recorded, stalled_chunked_jobs, touch
from letterhouse.batch.chunks import chunk_count, write_chunk
from letterhouse.batch.job_limits import QueueUnavailable
from letterhouse.batch.job_runner import JobRunner, RunnerSettings
from letterhouse.batch.local_worker import open_job_store
from letterhouse.letters.catalog import catalog_from_config

LOGGER = logging.getLogger(__name__)
WRITE_CHUNK = "letterhouse.write_chunk"
TASKS_PER_CHILD = 50  # a worker process is replaced after this many chunks, so memory cannot creep up


def make_celery(config, task_cls="celery.app.task:Task"):
    """Return the Celery app for the settings, its one task registered. Results are not kept by Celery:
    progress and results go to the job record and the results folder."""
    celery = Celery("letterhouse", broker=config["BROKER_URL"], task_cls=task_cls)
    celery.conf.update(
        task_acks_late=True,  # a chunk is acknowledged once written: a worker that dies leaves it to another
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a worker holds only the chunk it writes, so the others share the rest
        task_ignore_result=True,
        task_default_queue=config["BROKER_QUEUE"],
        broker_transport_options=transport_options(config["BROKER_VISIBILITY_TIMEOUT"]),
        broker_connection_retry_on_startup=True,
        worker_max_tasks_per_child=TASKS_PER_CHILD,
        worker_hijack_root_logger=False,
    )
    celery.conf.letterhouse_settings = dict(config)
    celery.task(name=WRITE_CHUNK, bind=True)(write_chunk_task)
    return celery


def transport_options(visibility_timeout):
    """Return Redis's options: a chunk held by a dead worker goes back to the queue after visibility_timeout,
    looked for every few seconds (kombu's default looks every 100 s)."""
    return {"visibility_timeout": visibility_timeout, "unacked_restore_throttle": 1,
            "unacked_restore_interval": max(1, min(10, visibility_timeout // 5))}


def write_chunk_task(task, job_id, chunk):
    """Write one chunk of a batch (runs in a worker)."""
    store, catalog, settings = worker_environment(task.app.conf.letterhouse_settings)
    write_chunk(store, catalog, settings, job_id, chunk)


_environments = {}  # pid -> (store, catalog, settings): each worker process opens the database itself


def worker_environment(config):
    pid = os.getpid()
    if pid not in _environments:
        _environments.clear()
        _environments[pid] = (open_job_store(config), catalog_from_config(config), RunnerSettings.from_config(config))
    return _environments[pid]


@worker_process_init.connect
def forget_the_parents_connections(**kwargs):
    """A forked worker process must not use the database connections its parent opened."""
    for store, _, _ in _environments.values():
        store.engine.dispose(close=False)
    _environments.clear()


def resend_stalled(store, celery, older_than):
    """Send again the chunks of batches that have made no progress for older_than while the queue is empty:
    their tasks were lost (a web worker died between queuing a batch and sending it, or the broker lost them).
    Writing a chunk twice is harmless. Return the ids of the batches resent."""
    if queue_length(celery):
        return []  # work is waiting: these batches are behind it, not lost
    resent = []
    for job in stalled_chunked_jobs(store, older_than):
        missing = sorted(set(range(chunk_count(job))) - chunks_recorded(store, job))
        for chunk in missing:
            celery.send_task(WRITE_CHUNK, args=[job.id, chunk])
        touch(store, job.id)  # and not again before another older_than without progress
        LOGGER.warning("Batch %s made no progress; sent its chunks %s again", job.id, missing)
        resent.append(job.id)
    return resent


def stalled_after(config):
    """Return how long a batch may show no progress before its chunks are sent again: past any redelivery."""
    return datetime.timedelta(seconds=2 * config["BROKER_VISIBILITY_TIMEOUT"] + 60)


def queue_length(celery):
    """Return how many tasks wait in the batches' queue of the broker."""
    with celery.connection_for_read() as connection:
        try:
            return connection.default_channel.queue_declare(queue=celery.conf.task_default_queue,
                                                            passive=True).message_count
        except ChannelError:  # no such queue yet: nothing waits in it
            return 0


def delete_queue(celery, name):
    """Remove a queue, its waiting tasks and kombu's records of it from a Redis broker (for tests and the bench)."""
    with celery.connection_for_write() as connection:
        keys = [name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}"]
        connection.default_channel.client.delete(*keys)


class CeleryRunner(JobRunner):
    """Sends a queued job's chunks to the broker, for `letterhouse worker` processes anywhere to write."""

    def __init__(self, celery, store):
        self.celery, self.store = celery, store

    def submit(self, job_id):
        """Send the job's chunks; raise QueueUnavailable when the broker is away (chunks already sent then find the
        job not started, and do nothing)."""
        job = self.store.get(job_id)
        try:
            for chunk in range(chunk_count(job)):
                self.celery.send_task(WRITE_CHUNK, args=[job_id, chunk])
        except Exception as error:  # kombu's, redis's or a socket's: whatever the broker being away raises
            LOGGER.exception("Batch %s could not be sent to the broker", job_id)
            raise QueueUnavailable("The batch queue cannot be reached just now; start the batch again in a "
                                   "little while.") from error
