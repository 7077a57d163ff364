"""Batch jobs on disk, one folder each: the record with its progress, the rows, the checked letters and the result."""

import dataclasses
import datetime
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from letterhouse.batch.checking import RowLetter, RowProblem
from letterhouse.batch.job_owner import owner_alive, this_process
from letterhouse.batch.outputs import DEFAULT_OUTPUT, OUTPUT_KINDS
from letterhouse.batch.rows import Row
from letterhouse.letters.letter import Letter

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{16}$")
UNFINISHED = ("queued", "running")
SAMPLE_SIZE = 8  # letters named on the summary before the batch starts
DATE_KEY = "$date"  # marks a date among stored letter values; no field name can start with "$"


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
    output: str = DEFAULT_OUTPUT
    duplex: bool = False
    done: int = 0
    letters: int = 0
    pages: int = 0
    message: str = ""
    owner: str = ""  # "pid:token" of the process running it
    client: str = ""  # who started it (a hash of their address or API token), for the per-client limit
    created: float = 0.0
    finished: float = 0.0
    digest: str = ""  # the template version its rows were checked with; "" in records from before it was kept
    options: dict = field(default_factory=dict)  # options.BatchOptions.as_dict(): chosen on upload, kept for a re-check

    @property
    def row_problems(self):
        return [RowProblem(*p) for p in self.problems + self.render_problems]

    @property
    def progress(self):
        """Return the share of letters written, from 0 to 1."""
        return 1.0 if self.state == "done" else (self.done / self.valid if self.valid else 0.0)

    def result_name(self):
        """Return the name a person's download gets, like 'anniversary-letters.zip'."""
        return f"{self.slug}-letters{OUTPUT_KINDS[self.output].extension}"


class TooManyBatches(Exception):
    """A client asked for another batch while its share is still being made."""

    def __init__(self, limit):
        super().__init__(f"You already have {limit} batch{'es' if limit != 1 else ''} being written; "
                         "start this one when one of them has finished.")


class JobStore:
    """Jobs on disk, one folder each; a started job is handed to the runner (a job_runner.JobRunner)."""

    def __init__(self, root, retention_hours, runner=None):
        self.root = Path(root)
        self.retention_seconds = float(retention_hours) * 3600
        self.runner = runner

    # where each part of a job is kept

    def folder(self, job_id):
        return self.root / job_id

    def rows_path(self, job):
        return self.folder(job.id) / f"rows.{job.rows_kind}"

    def letters_path(self, job):
        return self.folder(job.id) / "letters.json"

    def result_path(self, job):
        return self.folder(job.id) / f"result{OUTPUT_KINDS[job.output].extension}"

    def expires_at(self, job):
        """Return when a job and its letters will be removed, as a Unix time."""
        return job.created + self.retention_seconds

    # records

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
        """Store the rows of a checked batch and the letters checking made as a new job, and return the job."""
        self.remove_expired()
        job = Job(id=secrets.token_urlsafe(12), slug=slug, rows_kind=rows_kind, total=check.total,
                  valid=len(check.letters), problems=problem_rows(check.problems), created=time.time(),
                  sample=first_letters(check), digest=check.template.digest, options=check.options.as_dict())
        self.folder(job.id).mkdir(parents=True)
        self.rows_path(job).write_bytes(data)
        self.letters_path(job).write_text(letters_json(check.letters), encoding="utf-8")
        self.save(job)
        return job

    def checked_letters(self, job, template):
        """Return the RowLetters stored when the job's rows were checked, or None when there are none."""
        try:
            items = json.loads(self.letters_path(job).read_text(encoding="utf-8"), object_hook=typed_value)
        except (OSError, ValueError):
            return None
        # The row's cells are not kept beside its letter: its place is all the letter's file name needs.
        return [RowLetter(Row(ordinal, number, {}), Letter(template, values, seed), own)
                for ordinal, number, values, seed, own in items]

    def remove_personal_data(self, job):
        """Delete the rows and the letters' values once the letters are written: only the result is kept."""
        self.rows_path(job).unlink(missing_ok=True)
        self.letters_path(job).unlink(missing_ok=True)

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

    # starting

    def unfinished_for(self, client):
        """Return how many of a client's batches are queued or running."""
        folders = self.root.iterdir() if self.root.is_dir() else ()
        jobs = (self.get(folder.name) for folder in folders)
        return sum(1 for job in jobs if job and job.client == client and job.state in UNFINISHED)

    def start(self, job, template, client="", client_limit=0, output=DEFAULT_OUTPUT, duplex=False, skip_invalid=False,
              jobs=None, max_pages=None, time_limit=None):
        """Queue a checked job on the runner; return False if it cannot start.

        :param client: who is starting it (web.clients computes it), counted against client_limit (0: no limit).
        :raise TooManyBatches: when this client already has its share of batches under way.
        """
        if job.state != "checked" or (job.problems and not skip_invalid) or not job.valid:
            return False
        if client_limit and self.unfinished_for(client) >= client_limit:
            raise TooManyBatches(client_limit)
        job.client = client
        if not self.claim(job):
            return False
        job.state, job.output, job.duplex, job.owner = "queued", output, bool(duplex), this_process()
        self.save(job)
        if self.runner is None:
            raise RuntimeError("This job store was made without a runner, so it cannot start jobs.")
        options = dict(skip_invalid=skip_invalid, jobs=jobs, max_pages=max_pages, time_limit=time_limit)
        self.runner.submit(self, job, template, options)
        return True

    def claim(self, job):
        """Return True for the one request that may start this job, even across server processes."""
        try:
            os.close(os.open(self.folder(job.id) / "started", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True


def first_letters(check):
    """Return [row, recipient, file name] for the first letters a checked batch will make."""
    return [[item.row.number, item.letter.values["recipient_name"], item.filename]
            for item in check.letters[:SAMPLE_SIZE]]


def problem_rows(problems):
    """Return RowProblems as JSON-ready [row, field, message] lists."""
    return [[p.row, p.field, p.message] for p in problems]


def letters_json(letters):
    """Return checked RowLetters as JSON: [ordinal, row, typed values, seed, own columns] each, dates marked."""
    return json.dumps([[item.row.ordinal, item.row.number, item.letter.values, item.letter.seed, item.own]
                       for item in letters], default=marked_date)


def marked_date(value):
    if type(value) is datetime.date:
        return {DATE_KEY: value.isoformat()}
    raise TypeError(f"A letter value of type {type(value).__name__} cannot be stored.")


def typed_value(item):
    """Return a stored JSON object as it was: a marked date as a date."""
    return datetime.date.fromisoformat(item[DATE_KEY]) if set(item) == {DATE_KEY} else item
