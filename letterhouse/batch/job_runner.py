"""Where a started job runs: the runner interface a queue backend implements, and this process's thread runner."""

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

from letterhouse.batch.checking import BatchCheck, check_rows
from letterhouse.batch.job_records import problem_rows
from letterhouse.batch.options import BatchOptions
from letterhouse.batch.pool import start_fork_server
from letterhouse.batch.rows import RowsError, read_rows
from letterhouse.batch.writing import write_batch

LOGGER = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between progress writes


class JobRunner:
    """Runs queued jobs somewhere. A queue backend implements submit: it sends the job's id, the
    template's slug and digest and the options (plain data) to a worker, which calls run_job there."""

    def submit(self, store, job, template, options):
        """Arrange for run_job(store, job, template, options) to run; return at once."""
        raise NotImplementedError


class ThreadRunner(JobRunner):
    """One background thread in this process that runs jobs in turn (each job uses a pool of processes)."""

    def __init__(self, context=nullcontext):
        # context: what each job runs inside, e.g. the web app's app context while letter forms need it
        self.context = context
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="letterhouse-batch")

    def submit(self, store, job, template, options):
        self.executor.submit(self.run, store, job, template, options)

    def run(self, store, job, template, options):
        with self.context():
            run_job(store, job, template, options)


def run_job(store, job, template, options):
    """Write a queued job's letters and record how it went; a failure is recorded, never raised."""
    job.state = "running"
    store.save(job)
    try:
        result = write_job(store, job, template, **options)
    except Exception as error:  # the job records the failure; the site stays up
        LOGGER.exception("Batch %s failed", job.id)
        job.state, job.message = "failed", failure_message(error)
    else:
        job.state, job.letters, job.pages = "done", result.letters, result.pages
        job.render_problems = problem_rows(result.problems)
    job.finished = time.time()
    store.remove_personal_data(job)  # the rows are personal: keep only the letters
    store.save(job)


def write_job(store, job, template, skip_invalid=False, jobs=None, max_pages=None, time_limit=None):
    """Write the job's checked letters into its result, saving its progress now and then."""
    start_fork_server()  # it warms up while the checked letters are read back
    check = checked_batch(store, job, template, skip_invalid)
    return write_batch(check, store.result_path(job), kind=job.output, jobs=jobs, duplex=job.duplex,
                       max_pages=max_pages, on_progress=progress_saver(store, job), time_limit=time_limit)


def checked_batch(store, job, template, skip_invalid):
    """Return the letters checked when the rows were uploaded; the rows are checked again only if the
    template has changed since."""
    options = BatchOptions.from_dict(job.options)
    letters = store.checked_letters(job, template) if template.digest == job.digest else None
    if letters is not None:
        return BatchCheck(template, total=job.total, letters=letters, options=options)
    check = check_rows(template, read_rows(store.rows_path(job).read_bytes(), job.rows_kind), options=options)
    job.problems = problem_rows(check.problems)
    job.valid = len(check.letters)
    if check.problems and not skip_invalid:
        raise RowsError("The template changed since these rows were checked, and some no longer fit. "
                        "Upload the file again to see which.")
    return check


def progress_saver(store, job):
    """Return an on_progress callback that records letters done, at most every PROGRESS_EVERY seconds."""
    last_save = [0.0]

    def on_progress(done, total):
        job.done = done
        if time.monotonic() - last_save[0] > PROGRESS_EVERY or done == total:
            store.save(job)
            last_save[0] = time.monotonic()

    return on_progress


def failure_message(error):
    """Return what a person is told when a whole batch fails."""
    if isinstance(error, RowsError):
        return str(error)
    return "Something went wrong on our side while writing these letters. Please start the batch again."
