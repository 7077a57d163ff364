"""The records of a job written in chunks by a queue's workers: which chunks are written, and its progress."""

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from letterhouse.batch.job_records import CHUNKED, utc_now
from letterhouse.batch.job_tables import UNFINISHED, batch_chunks, batch_jobs


def mark_running(store, job):
    """Record that a queued job's first chunk is being written (once, whichever worker comes first)."""
    now = utc_now()
    with store.engine.begin() as connection:
        if connection.execute(update(batch_jobs).where(batch_jobs.c.id == job.id, batch_jobs.c.state == "queued")
                              .values(state="running", runner=CHUNKED, started=now, heartbeat=now)).rowcount:
            job.state, job.runner, job.started = "running", CHUNKED, now


def stalled_chunked_jobs(store, older_than, now=None):
    """Return the queued or chunked-running jobs with no sign of progress for older_than (a timedelta)."""
    since = (now or utc_now()) - older_than
    with store.engine.connect() as connection:
        ids = connection.execute(select(batch_jobs.c.id).where(
            batch_jobs.c.state.in_(UNFINISHED), batch_jobs.c.runner.in_(("", CHUNKED)),
            func.coalesce(batch_jobs.c.heartbeat, batch_jobs.c.created) < since)).scalars().all()
    return [job for job in map(store.get, ids) if job is not None]


def touch(store, job_id):
    """Record a sign of life for an unfinished job (its heartbeat) without changing anything else."""
    with store.engine.begin() as connection:
        connection.execute(update(batch_jobs).where(batch_jobs.c.id == job_id, batch_jobs.c.state.in_(UNFINISHED))
                           .values(heartbeat=utc_now()))


def chunks_recorded(store, job):
    """Return the numbers of the job's chunks recorded as written."""
    with store.engine.connect() as connection:
        return set(connection.execute(select(batch_chunks.c.chunk).where(batch_chunks.c.job_id == job.id))
                   .scalars())


def chunk_done(store, job, chunk, letters):
    """Record a chunk as written, once however often it is; update the job's progress; return chunks done."""
    try:
        with store.engine.begin() as connection:
            connection.execute(insert(batch_chunks).values(job_id=job.id, chunk=chunk, letters=letters))
    except IntegrityError:  # written before, by a worker that died before telling the queue
        pass
    with store.engine.begin() as connection:
        done, count = connection.execute(select(func.coalesce(func.sum(batch_chunks.c.letters), 0), func.count())
                                         .where(batch_chunks.c.job_id == job.id)).one()
        connection.execute(update(batch_jobs).where(batch_jobs.c.id == job.id, batch_jobs.c.state == "running")
                           .values(done=done, heartbeat=utc_now()))
    job.done = int(done)
    return int(count)
