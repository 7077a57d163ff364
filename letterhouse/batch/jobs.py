"""Background batch jobs for the site and the API: kept in the instance folder, with progress, removed when old."""

import dataclasses
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, has_request_context, request

from letterhouse.batch.merge import RowProblem, check_rows, numbered_filename, write_batch
from letterhouse.batch.rows import RowsError, read_rows

LOGGER = logging.getLogger(__name__)
JOB_ID = re.compile(r"^[A-Za-z0-9_-]{16}$")
PROCESS_TOKEN = secrets.token_hex(8)  # tells this process's jobs from those of one that has gone
PROGRESS_EVERY = 0.5  # seconds between progress writes
UNFINISHED = ("queued", "running")
SAMPLE_SIZE = 8  # letters named on the summary before the batch starts


@dataclass
class Job:
    """One batch: its rows, what checking them found, and how far rendering has gone.

    States: checked (rows read and checked, not started), queued, running, done, failed.
    """

    id: str
    slug: str
    rows_kind: str  # csv or json
    total: int  # rows in the file
    valid: int  # rows that can become letters
    problems: list = field(default_factory=list)  # [row, field, message] from checking
    render_problems: list = field(default_factory=list)  # rows that failed while rendering
    sample: list = field(default_factory=list)  # [row, recipient, file name] of the first letters
    state: str = "checked"
    output: str = "zip"
    duplex: bool = False
    done: int = 0
    letters: int = 0
    pages: int = 0
    message: str = ""
    owner: str = ""  # "pid:token" of the process running it
    client: str = ""  # who started it (a hash of their address or API token), for the per-client limit
    created: float = 0.0
    finished: float = 0.0

    @property
    def row_problems(self):
        return [RowProblem(*p) for p in self.problems + self.render_problems]

    @property
    def progress(self):
        """Return the share of letters written, from 0 to 1."""
        return 1.0 if self.state == "done" else (self.done / self.valid if self.valid else 0.0)

    def result_name(self):
        """Return the name a person's download gets, like 'anniversary-letters.zip'."""
        return f"{self.slug}-letters.{self.output}"


class TooManyBatches(Exception):
    """A client asked for another batch while its share is still being made."""

    def __init__(self, limit):
        super().__init__(f"You already have {limit} batch{'es' if limit != 1 else ''} being written; "
                         "start this one when one of them has finished.")


def requesting_client():
    """Return a stable, anonymous name for who is asking: their API token, else their address."""
    authorization = request.headers.get("Authorization", "") if has_request_context() else ""
    who = authorization or (request.remote_addr if has_request_context() else "") or "local"
    return hashlib.sha256(who.encode()).hexdigest()[:16]


class JobStore:
    """Jobs on disk, one folder each, and a single background thread that runs them in turn."""

    def __init__(self, root, retention_hours):
        self.root = Path(root)
        self.retention_seconds = float(retention_hours) * 3600
        self._runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="letterhouse-batch")

    # storage

    def folder(self, job_id):
        return self.root / job_id

    def rows_path(self, job):
        return self.folder(job.id) / f"rows.{job.rows_kind}"

    def result_path(self, job):
        return self.folder(job.id) / f"result.{job.output}"

    def expires_at(self, job):
        """Return when a job and its letters will be removed, as a Unix time."""
        return job.created + self.retention_seconds

    def save(self, job):
        """Write the job's record atomically, so a reader never sees half of it."""
        path = self.folder(job.id) / "job.json"
        partial = path.with_suffix(".part")
        partial.write_text(json.dumps(dataclasses.asdict(job)), encoding="utf-8")
        os.replace(partial, path)

    def get(self, job_id):
        """Return the job with this id, or None; a job left unfinished by a dead process is failed."""
        if not JOB_ID.match(str(job_id)):
            return None
        try:
            job = Job(**json.loads((self.folder(job_id) / "job.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None
        if job.state in UNFINISHED and not owner_alive(job.owner):
            job.state, job.message = "failed", "The server restarted while this batch was being made. Start it again."
            self.save(job)
        return job

    def create(self, slug, data, rows_kind, check):
        """Store the rows of a checked batch as a new job, and return the job."""
        self.remove_expired()
        job = Job(id=secrets.token_urlsafe(12), slug=slug, rows_kind=rows_kind, total=check.total,
                  valid=len(check.letters), problems=problem_rows(check.problems), created=time.time(),
                  sample=first_letters(check))
        self.folder(job.id).mkdir(parents=True)
        self.rows_path(job).write_bytes(data)
        self.save(job)
        return job

    def remove_expired(self, now=None):
        """Delete every finished or never-started job older than the retention time."""
        now = time.time() if now is None else now
        for folder in self.root.iterdir() if self.root.is_dir() else ():
            job = self.get(folder.name)
            if job is None:  # a stray folder, or one being created this instant: judge it by its age
                expired = now - folder.stat().st_mtime > self.retention_seconds
            else:
                expired = job.state not in UNFINISHED and now - job.created > self.retention_seconds
            if expired:
                shutil.rmtree(folder, ignore_errors=True)

    # running

    def unfinished_for(self, client):
        """Return how many of a client's batches are queued or running."""
        folders = self.root.iterdir() if self.root.is_dir() else ()
        jobs = (self.get(folder.name) for folder in folders)
        return sum(1 for job in jobs if job and job.client == client and job.state in UNFINISHED)

    def start(self, job, template, output="zip", duplex=False, skip_invalid=False, jobs=None, max_pages=None,
              time_limit=None):
        """Queue a checked job to be rendered in the background; return False if it cannot start.

        :raise TooManyBatches: when this client already has its share of batches under way.
        """
        if job.state != "checked" or (job.problems and not skip_invalid) or not job.valid:
            return False
        client, limit = requesting_client(), current_app.config["BATCH_JOBS_PER_CLIENT"]
        if limit and self.unfinished_for(client) >= limit:
            raise TooManyBatches(limit)
        job.client = client
        if not self.claim(job):
            return False
        job.state, job.output, job.duplex = "queued", output, bool(duplex)
        job.owner = f"{os.getpid()}:{PROCESS_TOKEN}"
        self.save(job)
        app = current_app._get_current_object()  # the form that checks rows needs the app
        options = dict(jobs=jobs, duplex=duplex, max_pages=max_pages, time_limit=time_limit, skip_invalid=skip_invalid)
        self._runner.submit(self._run, app, job, template, options)
        return True

    def claim(self, job):
        """Return True for the one request that may start this job, even across server processes."""
        try:
            os.close(os.open(self.folder(job.id) / "started", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True

    def _run(self, app, job, template, options):
        with app.app_context():
            self._run_in_context(job, template, options)

    def _run_in_context(self, job, template, options):
        job.state = "running"
        self.save(job)
        try:
            result = self.render(job, template, options)
        except Exception as error:  # the job records the failure; the site stays up
            LOGGER.exception("Batch %s failed", job.id)
            job.state, job.message = "failed", failure_message(error)
        else:
            job.state, job.letters, job.pages = "done", result.letters, result.pages
            job.render_problems = problem_rows(result.problems)
        job.finished = time.time()
        self.rows_path(job).unlink(missing_ok=True)  # the rows are personal: keep only the letters
        self.save(job)

    def render(self, job, template, options):
        """Check the stored rows again with the current template, then write the letters."""
        skip_invalid = options.pop("skip_invalid")
        check = check_rows(template, read_rows(self.rows_path(job).read_bytes(), job.rows_kind))
        job.problems = problem_rows(check.problems)
        job.valid = len(check.letters)
        if check.problems and not skip_invalid:
            raise RowsError("The template changed since these rows were checked, and some no longer fit. "
                            "Upload the file again to see which.")
        last_save = [0.0]

        def on_progress(done, total):
            job.done = done
            if time.monotonic() - last_save[0] > PROGRESS_EVERY or done == total:
                self.save(job)
                last_save[0] = time.monotonic()

        return write_batch(check, self.result_path(job), kind=job.output, on_progress=on_progress, **options)


def first_letters(check):
    """Return [row, recipient, file name] for the first letters a checked batch will make."""
    return [[item.row.number, item.letter.values["recipient_name"], numbered_filename(item.row.ordinal, item.letter)]
            for item in check.letters[:SAMPLE_SIZE]]


def problem_rows(problems):
    """Return RowProblems as JSON-ready [row, field, message] lists."""
    return [[p.row, p.field, p.message] for p in problems]


def failure_message(error):
    """Return what a person is told when a whole batch fails."""
    if isinstance(error, RowsError):
        return str(error)
    return "Something went wrong on our side while writing these letters. Please start the batch again."


def owner_alive(owner):
    """Return whether the process that owns a job ("pid:token") is still there."""
    pid, _, token = str(owner).partition(":")
    if token == PROCESS_TOKEN:
        return True
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def init_app(app):
    """Give the app its job store in the instance folder, and clear out expired jobs."""
    store = JobStore(Path(app.instance_path) / "batches", app.config["JOB_RETENTION_HOURS"])
    store.remove_expired()
    app.extensions["letterhouse.batch.jobs"] = store
