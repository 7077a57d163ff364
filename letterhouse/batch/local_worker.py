"""The embedded default's runner process: one per server, writing every queued batch on BATCH_WORKERS processes,
and sending their callbacks."""

import logging
import os
import signal
import threading
import time
from pathlib import Path

from letterhouse.batch.callbacks import callbacks_from_config, send_forever
from letterhouse.batch.job_records import JobStore
from letterhouse.batch.job_runner import SWEEP_EVERY, LocalRunner, RunnerSettings
from letterhouse.batch.job_tables import database_engine, sqlite_url, upgrade_database
from letterhouse.letters.catalog import catalog_from_config

LOGGER = logging.getLogger(__name__)


def open_job_store(config, pooled=True):
    """Return a JobStore (without a runner) on the configured database, migrated, and results folder."""
    instance = Path(config["INSTANCE_PATH"])
    engine = database_engine(config["DATABASE_URL"] or sqlite_url(instance), pooled)
    upgrade_database(engine)
    return JobStore(engine, config["RESULTS_PATH"] or instance / "results", config["JOB_RETENTION_HOURS"])


def sweep_forever(store, every=SWEEP_EVERY, also=None):
    """Remove expired batches every so often, on a daemon thread, for as long as this process runs.

    :param also: a function to call on each sweep as well (a Celery worker resends lost chunks).
    """

    def sweep():
        while True:
            try:
                store.remove_expired()
                if also:
                    also()
            except Exception:  # a database or broker away for a moment must not end the sweeping
                LOGGER.exception("Could not sweep the batches")
            time.sleep(every)

    threading.Thread(target=sweep, name="letterhouse-sweeper", daemon=True).start()


def watch_parent(parent, every=1.0):
    """SIGTERM this process, on a daemon thread, once the process that started it is no longer its parent."""

    def watch():
        while os.getppid() == parent:
            time.sleep(every)
        LOGGER.warning("The server that started this runner is gone; stopping")
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="letterhouse-parent-watch", daemon=True).start()


def run_local_worker(config, poll=1.0, parent=None):
    """Write queued batches until SIGTERM or SIGINT; a batch being written then is queued again, not lost.

    :param parent: the pid of the server that started this runner: when it is gone (killed, say), so is this.
    """
    store = open_job_store(config)
    runner = LocalRunner(store, catalog_from_config(config), RunnerSettings.from_config(config))
    stop = send_forever(callbacks_from_config(store, config))  # and when a batch ends, its callback is sent

    def stop_now(signum, frame):
        stop.set()
        raise SystemExit(0)  # out of the batch being written: run_claimed queues it again for the next runner

    signal.signal(signal.SIGTERM, stop_now)
    signal.signal(signal.SIGINT, stop_now)
    if parent is not None:
        watch_parent(parent)
    LOGGER.info("Batch runner %s writing batches on %s render process(es)", runner.name,
                runner.settings.workers or "one per core")
    try:
        runner.serve_forever(stop, poll)
    except SystemExit:
        pass
