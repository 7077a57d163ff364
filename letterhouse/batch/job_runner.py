"""Where a started job runs: the runner interface a queue backend implements, and the local runner.

The local runner takes queued jobs from the records, one at a time, and writes each on a pool of
render processes. Under `letterhouse serve` one runner process per server does this (the server-wide
cap); an app on its own (tests, the dev server) runs it on a thread of its own.
"""

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from letterhouse.batch.checking import BatchCheck, check_rows
from letterhouse.batch.job_owner import this_process
from letterhouse.batch.job_records import problem_rows, utc_now
from letterhouse.batch.manifest import keep_manifest
from letterhouse.batch.options import BatchOptions
from letterhouse.batch.pool import default_jobs, start_fork_server
from letterhouse.batch.rows import RowsError, read_rows
from letterhouse.batch.writing import write_batch
from letterhouse.letters.catalog import TemplateNotFound, TemplateUnavailable

LOGGER = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between progress writes
HEARTBEAT_EVERY = 10.0  # seconds between a running job's signs of life, letters or not
SWEEP_EVERY = 600.0  # seconds between removals of expired jobs by a runner process


class JobRunner:
    """Runs queued jobs somewhere. A queue backend implements submit: it is told a job's id once its record
    is queued, and arranges for a worker to write it."""

    def submit(self, job_id):
        """Arrange for the queued job with this id to be written; return at once."""
        raise NotImplementedError


class ServerRunner(JobRunner):
    """The runner of a web worker under `letterhouse serve`: the server's one runner process polls the records."""

    def submit(self, job_id):
        pass


class ThreadRunner(JobRunner):
    """A background thread in this process that writes queued jobs in turn, for an app without a server.

    :param after: called each time the jobs waiting have been written (their callbacks are then due)
    """

    def __init__(self, local_runner, after=None):
        self.local, self.after = local_runner, after
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="letterhouse-batch")

    def submit(self, job_id):
        self.executor.submit(self.run_pending)

    def run_pending(self):
        try:
            self.local.run_pending()
        finally:
            if self.after:
                self.after()


@dataclass(frozen=True)
class RunnerSettings:
    """How a runner writes letters: render processes (the cap on them), and each letter's page and time limits."""

    workers: int = 0  # 0: one per core
    max_pages: int | None = None
    time_limit: float | None = None

    @classmethod
    def from_config(cls, config):
        return cls(config["BATCH_WORKERS"], config["MAX_PAGES"], config["RENDER_TIME_LIMIT"])


class LostJob(Exception):
    """The job was taken back from this runner (it was thought dead), so it must stop writing it."""


class LocalRunner:
    """Takes queued jobs from the store one at a time and writes each on a pool of processes."""

    def __init__(self, store, catalog, settings):
        self.store, self.catalog, self.settings = store, catalog, settings
        self.lock = threading.Lock()

    @property
    def name(self):
        return this_process()

    def run_pending(self):
        """Take back jobs whose runner died, then write every queued job; return how many were written."""
        with self.lock:
            self.store.recover()
            count = 0
            while (job := self.store.claim_next(self.name)) is not None:
                self.run_claimed(job)
                count += 1
            return count

    def run_claimed(self, job):
        """Write a claimed job; if this process is stopped meanwhile, queue the job again for the next runner."""
        try:
            run_job(self.store, self.catalog, job, self.settings, self.name)
        except BrokenProcessPool:  # a render process was killed: start the job afresh (or fail it in the end)
            LOGGER.warning("Batch %s lost a render process; it will be written again", job.id)
            self.store.take_back(job.id, self.name, job.attempts)
        except BaseException:
            self.store.take_back(job.id, self.name, 0)
            raise

    def serve_forever(self, stop, poll=1.0):
        """Write queued jobs as they come until stop (a threading.Event) is set, removing expired ones now and then."""
        last_sweep = 0.0
        while not stop.is_set():
            if time.monotonic() - last_sweep > SWEEP_EVERY:
                self.store.remove_expired()
                last_sweep = time.monotonic()
            self.run_pending()
            stop.wait(poll)


def run_job(store, catalog, job, settings, runner):
    """Write a running job's letters and record how it went; a failure is recorded, never raised.

    :raise LostJob: (caught here) when another runner has taken the job: this one leaves it alone.
    :raise BrokenProcessPool: when a render process dies, for the runner to start the job again.
    """
    try:
        template = catalog.usable_template(job.slug)
        with Heartbeat(store, job.id, runner):
            result = write_job(store, job, template, settings, runner)
    except LostJob:  # taken back by another runner, or cancelled: whatever this one wrote is not wanted
        if not store.discard_if_cancelled(job.id):
            LOGGER.warning("Batch %s was taken over by another runner", job.id)
        return
    except BrokenProcessPool:
        raise
    except Exception as error:  # the job records the failure; the runner goes on to the next
        LOGGER.exception("Batch %s failed", job.id)
        job.state, job.message = "failed", failure_message(error)
    else:
        job.state, job.letters, job.pages = "done", result.letters, result.pages
        job.render_problems = problem_rows(result.problems)
        keep_manifest(store.manifest_path(job), result.manifest)
    job.finished = job.heartbeat = utc_now()
    job.expires = job.finished + store.retention
    store.remove_personal_data(job)  # the rows are personal: keep only the letters
    if not store.save(job, runner=runner):
        store.discard_if_cancelled(job.id)  # cancelled as its last letters were written: its result goes too


def write_job(store, job, template, settings, runner):
    """Write the job's checked letters into its result, saving its progress now and then."""
    start_fork_server()  # it warms up while the checked letters are read back
    check = checked_batch(store, job, template)
    return write_batch(check, store.result_path(job), kind=job.output, jobs=settings.workers or default_jobs(),
                       duplex=job.duplex, max_pages=settings.max_pages, time_limit=settings.time_limit,
                       on_progress=progress_saver(store, job, runner))


def checked_batch(store, job, template):
    """Return the letters checked when the rows were uploaded; the rows are checked again only if the
    template has changed since."""
    options = BatchOptions.from_dict(job.options)
    letters = store.checked_letters(job, template) if template.digest == job.digest else None
    if letters is not None:
        return BatchCheck(template, total=job.total, letters=letters, options=options)
    check = check_rows(template, read_rows(store.rows_path(job).read_bytes(), job.rows_kind), options=options)
    job.problems = problem_rows(check.problems)
    job.valid = len(check.letters)
    if check.problems and not job.skip_invalid:
        raise RowsError("The template changed since these rows were checked, and some no longer fit. "
                        "Upload the file again to see which.")
    return check


def progress_saver(store, job, runner):
    """Return an on_progress callback that records letters done, at most every PROGRESS_EVERY seconds.

    :raise LostJob: (from the callback) when the record is no longer this runner's to write: taken back or cancelled.
    """
    last_save = [0.0]

    def on_progress(done, total):
        job.done = done
        if time.monotonic() - last_save[0] > PROGRESS_EVERY or done == total:
            job.heartbeat = utc_now()
            if not store.save(job, runner=runner):
                raise LostJob(job.id)
            last_save[0] = time.monotonic()

    return on_progress


class Heartbeat:
    """While a job is written, record every HEARTBEAT_EVERY seconds that its runner is alive."""

    def __init__(self, store, job_id, runner):
        self.store, self.job_id, self.runner = store, job_id, runner
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.beat, name="letterhouse-heartbeat", daemon=True)

    def beat(self):
        while not self.stop.wait(HEARTBEAT_EVERY):
            self.store.beat(self.job_id, self.runner)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def failure_message(error):
    """Return what a person is told when a whole batch fails."""
    if isinstance(error, RowsError):
        return str(error)
    if isinstance(error, (TemplateNotFound, TemplateUnavailable)):
        return "The template of these letters is missing or has mistakes just now, so they could not be written."
    return "Something went wrong on our side while writing these letters. Please start the batch again."
