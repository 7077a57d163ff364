"""The app's batch jobs: records in the database, files in the results folder, started for the requesting client."""

from flask import current_app

from letterhouse.batch.callbacks import CallbackSender, callbacks_from_config
from letterhouse.batch.celery_tasks import CeleryRunner
from letterhouse.batch.job_runner import LocalRunner, RunnerSettings, ServerRunner, ThreadRunner
from letterhouse.batch.local_worker import open_job_store
from letterhouse.batch.outputs import DEFAULT_OUTPUT
from letterhouse.web.celery_app import celery_init_app
from letterhouse.web.clients import requesting_client
from letterhouse.web.extensions import CATALOG

EXTENSION = "letterhouse.batch.jobs"
CALLBACKS = "letterhouse.batch.callbacks"


def init_app(app, run_batches=True):
    """Give the app its job store, its database migrated to the latest, and clear out expired jobs.

    With BROKER_URL, batches are sent to Celery workers (`letterhouse worker`) in chunks; otherwise
    :param run_batches: says whether to write them on a thread of this process; False under
        `letterhouse serve`, whose one runner process writes every web worker's batches.
    """
    store = open_job_store(app.config)
    callbacks = callbacks_from_config(store, app.config)
    if app.config["BROKER_URL"]:
        store.runner = CeleryRunner(celery_init_app(app), store)
    elif run_batches:
        sender = CallbackSender(callbacks)  # the workers' and the server's runner send theirs themselves
        local = LocalRunner(store, app.extensions[CATALOG], RunnerSettings.from_config(app.config))
        store.runner = ThreadRunner(local, after=sender.wake)
        sender.wake()  # callbacks left to send when this app last stopped
    else:
        store.runner = ServerRunner()
    store.remove_expired()
    app.extensions[EXTENSION] = store
    app.extensions[CALLBACKS] = callbacks


def job_store():
    """Return the current app's JobStore."""
    return current_app.extensions[EXTENSION]


def job_callbacks():
    """Return the current app's Callbacks."""
    return current_app.extensions[CALLBACKS]


def create_job(slug, data, rows_kind, check, metadata=None):
    """Keep checked rows as a new job of the requesting client, within its share of stored bytes."""
    return job_store().create(slug, data, rows_kind, check, owner=requesting_client(),
                              byte_limit=current_app.config["BATCH_STORED_BYTES_PER_CLIENT"], metadata=metadata)


def refuse_if_busy():
    """Raise TooManyBatches when the requesting client already has its share of batches under way."""
    job_store().refuse_if_busy(requesting_client(), current_app.config["BATCH_JOBS_PER_CLIENT"])


def start_job(job, output=DEFAULT_OUTPUT, duplex=False, skip_invalid=False):
    """Start a checked job within the app's per-client and server-wide limits; see JobStore.start."""
    return job_store().start(job, client_limit=current_app.config["BATCH_JOBS_PER_CLIENT"],
                             queue_limit=current_app.config["BATCH_QUEUE_LIMIT"],
                             output=output, duplex=duplex, skip_invalid=skip_invalid)


def owned_job(job_id):
    """Return the requesting client's job with this id, or None: another client's job is as good as absent."""
    job = job_store().get(job_id)
    return job if job is not None and job.owner == requesting_client() else None
