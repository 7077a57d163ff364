"""Batch jobs: their records in the database, and their rows, checked letters and result in the results folder."""

import dataclasses
import datetime
import json
import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, insert, select, update

from letterhouse.batch.checking import RowLetter, RowProblem
from letterhouse.batch.idempotency import remove_expired_answers
from letterhouse.batch.job_limits import (
    QueueUnavailable,
    TooManyBatches,
    TooMuchStored,
    one_owner_at_a_time,
    refuse_over_limits,
)
from letterhouse.batch.job_owner import gone_from_this_host
from letterhouse.batch.job_tables import HOLDING_ROWS, UNFINISHED, batch_callbacks, batch_chunks, batch_jobs
from letterhouse.batch.manifest import MANIFEST_JSON
from letterhouse.batch.outputs import DEFAULT_OUTPUT, OUTPUT_KINDS
from letterhouse.batch.rate_limits import remove_old_windows
from letterhouse.batch.rows import Row
from letterhouse.batch.stored_letters import letters_json, typed_value
from letterhouse.letters.letter import Letter

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{16}$")
UNSTARTED_LIFETIME = datetime.timedelta(hours=1)  # an upload nobody starts is removed after this
STALE_AFTER = datetime.timedelta(seconds=45)  # a running job whose runner has been silent this long is taken back
MAX_ATTEMPTS = 3  # times a job is started afresh after its runner died, before it is failed
CHUNKED = "chunks"  # the runner of a job written in chunks by a queue's workers, which redeliver what a dead one held
SAMPLE_SIZE = 8  # letters named on the summary before the batch starts


def utc_now():
    return datetime.datetime.now(datetime.UTC)


@dataclass
class Job:
    """One batch: its rows, what checking them found, who it belongs to, and how far rendering has gone.

    States: checked (rows read and checked, not started), queued, running, done, failed, cancelled.
    """

    id: str
    slug: str
    rows_kind: str  # csv or json
    owner: str = ""  # who started it: a hash of their API token, address or browser session (web.clients)
    total: int = 0  # rows in the file
    valid: int = 0  # rows that can become letters
    problems: list = field(default_factory=list)  # [row, field, message] from checking
    render_problems: list = field(default_factory=list)  # rows that failed while rendering
    sample: list = field(default_factory=list)  # [row, recipient, file name] of the first letters
    state: str = "checked"
    output: str = DEFAULT_OUTPUT
    duplex: bool = False
    skip_invalid: bool = False
    done: int = 0
    letters: int = 0
    pages: int = 0
    message: str = ""
    digest: str = ""  # the template version its rows were checked with
    stored_bytes: int = 0  # the rows and checked letters kept while it is unfinished
    result: str = ""  # where its result is, relative to the results folder
    runner: str = ""  # "host:pid:token" of the process writing it
    attempts: int = 0
    created: datetime.datetime = field(default_factory=utc_now)
    started: datetime.datetime | None = None
    finished: datetime.datetime | None = None
    expires: datetime.datetime | None = None
    heartbeat: datetime.datetime | None = None
    options: dict = field(default_factory=dict)  # options.BatchOptions.as_dict(): chosen on upload, kept for a re-check
    studio_metadata: dict = field(default_factory=dict)  # the studio's own references for the batch, never printed

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


class JobStore:
    """Job records in a database (SQLAlchemy), their files in a results folder every host and worker can reach.

    A started job is handed to the runner (a job_runner.JobRunner) by its id.
    """

    def __init__(self, engine, results_root, retention_hours, runner=None):
        self.engine = engine
        self.root = Path(results_root)
        self.retention = datetime.timedelta(hours=float(retention_hours))
        self.runner = runner

    # where each part of a job is kept

    def folder(self, job_id):
        return self.root / job_id

    def rows_path(self, job):
        return self.folder(job.id) / f"rows.{job.rows_kind}"

    def letters_path(self, job):
        return self.folder(job.id) / "letters.json"

    def result_path(self, job):
        return self.root / (job.result or f"{job.id}/result{OUTPUT_KINDS[job.output].extension}")

    def manifest_path(self, job):
        return self.folder(job.id) / MANIFEST_JSON

    def expires_at(self, job):
        """Return when a job and its letters will be removed, as an aware datetime."""
        return job.expires

    # records

    def save(self, job, runner=None):
        """Write the job's record; with a runner, only while that runner still holds the job running (not taken
        back, not cancelled). Return whether written."""
        values = {name: value for name, value in dataclasses.asdict(job).items() if name != "id"}
        held = [batch_jobs.c.runner == runner, batch_jobs.c.state == "running"] if runner else []
        condition = [batch_jobs.c.id == job.id, *held]
        with self.engine.begin() as connection:
            return connection.execute(update(batch_jobs).where(*condition).values(**values)).rowcount == 1

    def get(self, job_id):
        """Return the job with this id, or None."""
        if not JOB_ID.match(str(job_id)):
            return None
        with self.engine.connect() as connection:
            row = connection.execute(select(batch_jobs).where(batch_jobs.c.id == job_id)).mappings().first()
        return Job(**row) if row else None

    def create(self, slug, data, rows_kind, check, owner="", byte_limit=0, metadata=None):
        """Store the rows of a checked batch and the letters checking made as a new job, and return the job.

        :param metadata: the studio's own references for the whole batch (studio_metadata.read_metadata's)

        :raise TooMuchStored: when the owner's waiting rows and these would be more than byte_limit (0: no limit).
        """
        self.remove_expired()
        letters = letters_json(check.letters).encode()
        stored = len(data) + len(letters)
        if byte_limit and self.stored_bytes_for(owner) + stored > byte_limit:
            raise TooMuchStored(byte_limit)
        job = Job(id=secrets.token_urlsafe(12), slug=slug, rows_kind=rows_kind, owner=owner, total=check.total,
                  valid=len(check.letters), problems=problem_rows(check.problems), sample=first_letters(check),
                  digest=check.template.digest, stored_bytes=stored,
                  options=check.options.as_dict(), studio_metadata=metadata or {})
        job.expires = job.created + UNSTARTED_LIFETIME
        self.folder(job.id).mkdir(parents=True)
        self.rows_path(job).write_bytes(data)
        self.letters_path(job).write_bytes(letters)
        with self.engine.begin() as connection:
            connection.execute(insert(batch_jobs).values(**dataclasses.asdict(job)))
        return job

    def delete(self, job):
        """Remove a job's record and every file it has."""
        shutil.rmtree(self.folder(job.id), ignore_errors=True)
        with self.engine.begin() as connection:
            connection.execute(delete(batch_chunks).where(batch_chunks.c.job_id == job.id))
            connection.execute(delete(batch_callbacks).where(batch_callbacks.c.job_id == job.id))
            connection.execute(delete(batch_jobs).where(batch_jobs.c.id == job.id))

    def cancel(self, job, message="Cancelled before it was finished."):
        """Stop a queued or running job: record it cancelled and remove its rows and any letters written so far.

        Its runner (a thread, the server's runner process or a Celery worker) sees the state and stops, removing
        whatever it wrote meanwhile (discard_if_cancelled). Return False if the job had already ended.
        """
        now = utc_now()
        values = dict(state="cancelled", message=message, finished=now, expires=now + self.retention, stored_bytes=0)
        with self.engine.begin() as connection:
            if connection.execute(update(batch_jobs).where(batch_jobs.c.id == job.id,
                                                           batch_jobs.c.state.in_(UNFINISHED))
                                  .values(**values)).rowcount != 1:
                return False
        for name, value in values.items():
            setattr(job, name, value)
        shutil.rmtree(self.folder(job.id), ignore_errors=True)
        return True

    def discard_if_cancelled(self, job_id):
        """Remove what a runner wrote for a job that was cancelled while it wrote; return whether it was."""
        job = self.get(job_id)
        if job is None or job.state != "cancelled":
            return False
        shutil.rmtree(self.folder(job_id), ignore_errors=True)
        return True

    def is_cancelled(self, job_id):
        """Return whether a job has been cancelled (or removed): its runner should stop writing it."""
        job = self.get(job_id)
        return job is None or job.state == "cancelled"

    def newest_for(self, owner, limit, before=None):
        """Return up to `limit` of an owner's jobs, newest first; after the one at `before` (created, id) if given."""
        query = select(batch_jobs).where(batch_jobs.c.owner == owner)
        if before is not None:
            created, job_id = before
            query = query.where((batch_jobs.c.created < created)
                                | ((batch_jobs.c.created == created) & (batch_jobs.c.id < job_id)))
        query = query.order_by(batch_jobs.c.created.desc(), batch_jobs.c.id.desc()).limit(limit)
        with self.engine.connect() as connection:
            return [Job(**row) for row in connection.execute(query).mappings()]

    def checked_letters(self, job, template, start=0, stop=None):
        """Return the RowLetters stored when the job's rows were checked (those from start to stop), or None."""
        try:
            items = json.loads(self.letters_path(job).read_text(encoding="utf-8"), object_hook=typed_value)
        except (OSError, ValueError):
            return None
        items = items[start:stop]
        # The row's cells are not kept beside its letter: its place is all the letter's file name needs.
        return [RowLetter(Row(ordinal, number, {}), Letter(template, values, seed), own)
                for ordinal, number, values, seed, own in items]

    def remove_personal_data(self, job):
        """Delete the rows and the letters' values once the letters are written: only the result is kept."""
        self.rows_path(job).unlink(missing_ok=True)
        self.letters_path(job).unlink(missing_ok=True)
        job.stored_bytes = 0

    def remove_expired(self, now=None):
        """Delete every job past its expiry that is not being written, stray folders older than the retention, and
        the API's kept answers and rate counts past theirs."""
        now = now or utc_now()
        with self.engine.connect() as connection:
            expired = connection.execute(select(batch_jobs.c.id).where(
                batch_jobs.c.expires < now, batch_jobs.c.state.not_in(UNFINISHED))).scalars().all()
            known = set(connection.execute(select(batch_jobs.c.id)).scalars())
        for job_id in expired:
            self.delete(Job(id=job_id, slug="", rows_kind=""))
        remove_expired_answers(self.engine, now)
        remove_old_windows(self.engine, now.timestamp())
        for folder in self.root.iterdir() if self.root.is_dir() else ():
            modified = datetime.datetime.fromtimestamp(folder.stat().st_mtime, datetime.UTC)
            if folder.name not in known and now - modified > self.retention:  # left by a create that failed
                shutil.rmtree(folder, ignore_errors=True)

    # a client's share

    def unfinished_for(self, owner):
        """Return how many of an owner's batches are queued or running."""
        return self.scalar(func.count(), batch_jobs.c.owner == owner, batch_jobs.c.state.in_(UNFINISHED))

    def stored_bytes_for(self, owner):
        """Return how many bytes of an owner's rows and checked letters are kept, waiting to be written."""
        return self.scalar(func.coalesce(func.sum(batch_jobs.c.stored_bytes), 0),
                           batch_jobs.c.owner == owner, batch_jobs.c.state.in_(HOLDING_ROWS))

    def scalar(self, column, *conditions):
        with self.engine.connect() as connection:
            return int(connection.execute(select(column).where(*conditions)).scalar_one())

    def refuse_if_busy(self, owner, client_limit):
        """Raise TooManyBatches when the owner already has client_limit batches under way (0: no limit)."""
        if client_limit and self.unfinished_for(owner) >= client_limit:
            raise TooManyBatches(client_limit)

    # starting

    def start(self, job, client_limit=0, output=DEFAULT_OUTPUT, duplex=False, skip_invalid=False, queue_limit=0):
        """Queue a checked job on the runner; return False if it cannot start (or another request started it).

        :raise TooManyBatches: when the job's owner already has client_limit batches under way (0: no limit).
        :raise QueueFull: when the server has queue_limit batches under way, everyone's (0: no limit).
        :raise QueueUnavailable: when the runner cannot take it just now (the broker is away); it stays checked.
        """
        if job.state != "checked" or (job.problems and not skip_invalid) or not job.valid:
            return False
        result = f"{job.id}/result{OUTPUT_KINDS[output].extension}"
        claimed = dict(state="queued", output=output, duplex=bool(duplex), skip_invalid=bool(skip_invalid),
                       result=result, expires=utc_now() + self.retention)
        with self.engine.begin() as connection:  # one request wins, even across servers
            one_owner_at_a_time(connection, job.owner)  # so two requests at once cannot both pass the limit
            refuse_over_limits(connection, job.owner, client_limit, queue_limit)
            if connection.execute(update(batch_jobs).where(batch_jobs.c.id == job.id, batch_jobs.c.state == "checked")
                                  .values(**claimed)).rowcount != 1:
                return False
        if self.runner is None:
            raise RuntimeError("This job store was made without a runner, so it cannot start jobs.")
        try:
            self.runner.submit(job.id)
        except QueueUnavailable:
            self.unstart(job)
            raise
        for name, value in claimed.items():
            setattr(job, name, value)
        return True

    def unstart(self, job):
        """Put a queued job back as checked (its runner could not take it), to be started again."""
        with self.engine.begin() as connection:
            connection.execute(update(batch_jobs).where(batch_jobs.c.id == job.id, batch_jobs.c.state == "queued")
                               .values(state="checked", result="", expires=job.expires))

    # for runners

    def claim_next(self, runner):
        """Take the oldest queued job for this runner and return it running, or None when none is waiting."""
        while True:
            with self.engine.connect() as connection:
                job_id = connection.execute(select(batch_jobs.c.id).where(batch_jobs.c.state == "queued")
                                            .order_by(batch_jobs.c.created).limit(1)).scalar()
            if job_id is None:
                return None
            now = utc_now()
            with self.engine.begin() as connection:
                taken = connection.execute(
                    update(batch_jobs).where(batch_jobs.c.id == job_id, batch_jobs.c.state == "queued")
                    .values(state="running", runner=runner, started=now, heartbeat=now, done=0,
                            attempts=batch_jobs.c.attempts + 1)).rowcount == 1
            if taken:
                return self.get(job_id)

    def beat(self, job_id, runner):
        """Record that the runner writing this job is alive; return False if the job is no longer its own."""
        with self.engine.begin() as connection:
            return connection.execute(update(batch_jobs).where(
                batch_jobs.c.id == job_id, batch_jobs.c.runner == runner, batch_jobs.c.state == "running")
                .values(heartbeat=utc_now())).rowcount == 1

    def recover(self, now=None):
        """Take back every running job whose runner died: queue it again, or fail it after MAX_ATTEMPTS.

        A runner is dead when its process is gone from this host, or when it has been silent for STALE_AFTER.
        Return the ids taken back.
        """
        now = now or utc_now()
        with self.engine.connect() as connection:
            running = connection.execute(select(batch_jobs.c.id, batch_jobs.c.runner, batch_jobs.c.heartbeat,
                                                batch_jobs.c.attempts).where(batch_jobs.c.state == "running")).all()
        dead = [row for row in running if not row.runner.startswith(CHUNKED) and (
                gone_from_this_host(row.runner) or row.heartbeat is None or now - row.heartbeat > STALE_AFTER)]
        return [row.id for row in dead if self.take_back(row.id, row.runner, row.attempts)]

    def take_back(self, job_id, runner, attempts):
        """Queue a dead runner's job again, or fail it when it has been tried often enough."""
        if attempts >= MAX_ATTEMPTS:
            values = dict(state="failed", finished=utc_now(), expires=utc_now() + self.retention,
                          message="The batch stopped each time it was written. Please start it again.")
        else:
            values = dict(state="queued", runner="", done=0)
        with self.engine.begin() as connection:
            return connection.execute(update(batch_jobs).where(
                batch_jobs.c.id == job_id, batch_jobs.c.runner == runner, batch_jobs.c.state == "running")
                .values(**values)).rowcount == 1


    def finish(self, job):
        """Record a running job's end (done or failed), once: return False if it had ended already."""
        values = {name: getattr(job, name) for name in ("state", "letters", "pages", "render_problems", "problems",
                                                        "valid", "message", "done", "stored_bytes")}
        job.finished = utc_now()
        job.expires = job.finished + self.retention
        with self.engine.begin() as connection:
            return connection.execute(update(batch_jobs).where(batch_jobs.c.id == job.id,
                                                               batch_jobs.c.state.in_(UNFINISHED))
                                      .values(**values, finished=job.finished, expires=job.expires)).rowcount == 1


def first_letters(check):
    """Return [row, recipient, file name] for the first letters a checked batch will make."""
    return [[item.row.number, item.letter.values["recipient_name"], item.filename]
            for item in check.letters[:SAMPLE_SIZE]]


def problem_rows(problems):
    """Return RowProblems as JSON-ready [row, field, message] lists."""
    return [[p.row, p.field, p.message] for p in problems]
