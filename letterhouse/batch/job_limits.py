"""A client's and the server's share of batches under way: the refusals, and the lock starting requests wait on."""

from sqlalchemy import func, select, text, update

from letterhouse.batch.job_tables import UNFINISHED, batch_jobs


class TooManyBatches(Exception):
    """A client asked for another batch while its share is still being made."""

    def __init__(self, limit):
        super().__init__(f"You already have {limit} batch{'es' if limit != 1 else ''} being written; "
                         "start this one when one of them has finished.")


class QueueFull(Exception):
    """The server has as many batches under way as it takes at once (BATCH_QUEUE_LIMIT)."""

    def __init__(self, limit):
        super().__init__(f"The server is writing {limit} batches already, as many as it takes at once; "
                         "start this one in a minute or two.")


class QueueUnavailable(Exception):
    """The runner cannot take a batch just now: the queue it sends batches to (the broker) cannot be reached."""


class TooMuchStored(Exception):
    """A client's rows waiting to be written would take more room than its share."""

    def __init__(self, limit):
        super().__init__(f"Your files waiting to be written already take nearly {limit / 1024 / 1024:.0f} MB; start "
                         "or let go of one (unstarted uploads are removed after an hour), then upload this one.")


def refuse_over_limits(connection, owner, client_limit, queue_limit):
    """Raise TooManyBatches or QueueFull when the owner, or the whole server, has its share of batches under way."""
    under_way = select(func.count()).where(batch_jobs.c.state.in_(UNFINISHED))
    if client_limit and connection.execute(under_way.where(batch_jobs.c.owner == owner)).scalar_one() >= client_limit:
        raise TooManyBatches(client_limit)
    if queue_limit and connection.execute(under_way).scalar_one() >= queue_limit:
        raise QueueFull(queue_limit)


def one_owner_at_a_time(connection, owner):
    """Hold, until the transaction ends, a lock that every other transaction starting this owner's batches waits on.

    PostgreSQL: an advisory lock on the owner. SQLite: the database's write lock, taken by a write that changes nothing.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:owner))"), {"owner": owner})
    else:
        connection.execute(update(batch_jobs).where(batch_jobs.c.id == "").values(state="checked"))
