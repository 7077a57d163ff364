"""The app's batch jobs: a store in the instance folder, run on a background thread, started for a client."""

from pathlib import Path

from flask import current_app

from letterhouse.batch.job_records import JobStore
from letterhouse.batch.job_runner import ThreadRunner
from letterhouse.batch.outputs import DEFAULT_OUTPUT
from letterhouse.web.clients import requesting_client

EXTENSION = "letterhouse.batch.jobs"


def init_app(app):
    """Give the app its job store in the instance folder, and clear out expired jobs."""
    runner = ThreadRunner()  # rows are checked on plain WTForms: a job needs no app context
    store = JobStore(Path(app.instance_path) / "batches", app.config["JOB_RETENTION_HOURS"], runner)
    store.remove_expired()
    app.extensions[EXTENSION] = store


def job_store():
    """Return the current app's JobStore."""
    return current_app.extensions[EXTENSION]


def start_job(job, template, output=DEFAULT_OUTPUT, duplex=False, skip_invalid=False):
    """Start a checked job for whoever is asking, with the app's batch settings; see JobStore.start."""
    config = current_app.config
    return job_store().start(job, template, client=requesting_client(), client_limit=config["BATCH_JOBS_PER_CLIENT"],
                             output=output, duplex=duplex, skip_invalid=skip_invalid,
                             jobs=config["BATCH_JOBS"] or None, max_pages=config["MAX_PAGES"],
                             time_limit=config["RENDER_TIME_LIMIT"])
