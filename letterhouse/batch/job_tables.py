"""The job records' tables in SQLAlchemy, the engine a database URL names, and its Alembic migrations."""

import datetime
import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    create_engine,
    event,
    text,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"  # Alembic scripts, shipped as package data
MIGRATION_LOCK = 7_130_013  # the PostgreSQL advisory lock two servers starting at once take turns on
# A batch's states: checked (rows read and checked, not started), queued, running, done, failed, cancelled.
UNFINISHED = ("queued", "running")
ENDED = ("done", "failed", "cancelled")
HOLDING_ROWS = ("checked", *UNFINISHED)  # states in which a job's rows are kept on disk


class UtcDateTime(TypeDecorator):
    """A moment in UTC: stored without a zone (SQLite keeps none), always read back as an aware datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.astimezone(datetime.UTC).replace(tzinfo=None) if value is not None else None

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=datetime.UTC) if value is not None else None


metadata = MetaData()

batch_jobs = Table(
    "batch_jobs", metadata,
    Column("id", String(24), primary_key=True),
    Column("slug", String(200), nullable=False),
    Column("digest", String(64), nullable=False, default=""),  # the template version the rows were checked with
    Column("owner", String(80), nullable=False, index=True),  # "token:…", "session:…" or "address:…", hashed
    Column("rows_kind", String(8), nullable=False),  # csv or json
    Column("total", Integer, nullable=False, default=0),  # rows in the file
    Column("valid", Integer, nullable=False, default=0),  # rows that can become letters
    Column("problems", JSON, nullable=False),  # [row, field, message] from checking
    Column("render_problems", JSON, nullable=False),  # rows that failed while rendering
    Column("sample", JSON, nullable=False),  # [row, recipient, file name] of the first letters
    Column("state", String(16), nullable=False, index=True),  # checked, queued, running, done, failed
    Column("output", String(8), nullable=False),
    Column("duplex", Boolean, nullable=False, default=False),
    Column("skip_invalid", Boolean, nullable=False, default=False),
    Column("done", Integer, nullable=False, default=0),  # letters written so far
    Column("letters", Integer, nullable=False, default=0),
    Column("pages", Integer, nullable=False, default=0),
    Column("message", Text, nullable=False, default=""),
    Column("stored_bytes", BigInteger, nullable=False, default=0),  # the rows and checked letters kept for it
    Column("result", String(255), nullable=False, default=""),  # where the result is, under the results path
    Column("runner", String(120), nullable=False, default=""),  # "host:pid:token" of the process writing it
    Column("attempts", Integer, nullable=False, default=0),  # times a runner has taken it
    Column("created", UtcDateTime, nullable=False),
    Column("started", UtcDateTime),
    Column("finished", UtcDateTime),
    Column("expires", UtcDateTime, nullable=False, index=True),
    Column("heartbeat", UtcDateTime),  # the runner's last sign of life while running
    Column("options", JSON, nullable=False, default=dict),  # date order, own columns, style: chosen on upload
    Column("studio_metadata", JSON, nullable=False, default=dict),  # the studio's own references for the batch
)


batch_chunks = Table(
    "batch_chunks", metadata,  # the chunks of a job written so far, when its rows are written as chunks by workers
    Column("job_id", String(24), primary_key=True),
    Column("chunk", Integer, primary_key=True),
    Column("letters", Integer, nullable=False),  # letters written (rows that failed are in the chunk's file)
)


batch_callbacks = Table(
    "batch_callbacks", metadata,  # where a batch's status is POSTed when it ends, and how sending it went
    Column("job_id", String(24), primary_key=True),
    Column("url", String(2048), nullable=False),
    Column("status_url", String(2048), nullable=False),  # the batch's own address, absolute, as its client reached it
    Column("state", String(16), nullable=False, index=True),  # waiting, sending, retrying, delivered, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt", UtcDateTime),  # when a retry is due, or when an unfinished send is taken back
    Column("last_error", Text, nullable=False, default=""),
    Column("delivered", UtcDateTime),
)


idempotency_keys = Table(
    "idempotency_keys", metadata,  # the first answer to an API request made with an Idempotency-Key, kept a while
    Column("owner", String(80), primary_key=True),  # the client, as batch_jobs.owner names it
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),  # SHA-256 of the method, path, query and body
    Column("state", String(16), nullable=False),  # started (being answered), answered
    Column("status", Integer, nullable=False, default=0),
    Column("headers", JSON, nullable=False, default=list),  # [[name, value], ...] of the answer
    Column("body", LargeBinary, nullable=False, default=b""),
    Column("created", UtcDateTime, nullable=False),
    Column("expires", UtcDateTime, nullable=False, index=True),
)


rate_windows = Table(
    "rate_windows", metadata,  # requests counted per client and limit, in the current fixed window
    Column("client", String(80), primary_key=True),
    Column("name", String(32), primary_key=True),  # which limit, e.g. "letters"
    Column("window", BigInteger, nullable=False),  # the window's start, whole seconds since the epoch
    Column("count", Integer, nullable=False),
)


def sqlite_url(instance_path):
    """Return the embedded default database: a SQLite file in the instance folder."""
    return f"sqlite:///{Path(instance_path).resolve() / 'letterhouse.sqlite3'}"


def database_engine(url, pooled=True):
    """Return an engine for a database URL; SQLite gets WAL and a patient lock, so processes can share it.

    :param pooled: keep connections open between uses; not for a process that forks workers after using it.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True) if pooled else create_engine(url, poolclass=NullPool)
    Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, poolclass=NullPool)
    event.listen(engine, "connect", sqlite_pragmas)
    return engine


def sqlite_pragmas(connection, record):
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def upgrade_database(engine, attempts=3):
    """Bring the database to the latest migration; servers starting at once take turns."""
    if is_latest(engine):
        return  # the usual start: reading one row costs less than loading every migration script
    config = migrations_config()
    for attempt in range(attempts):
        try:
            with engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
            return
        except OperationalError:  # SQLite: another process was creating the table this instant
            if attempt == attempts - 1:
                raise


def migrations_config():
    """Return the Alembic configuration of our migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@functools.cache
def latest_revision():
    """Return the newest migration's revision (read once per process)."""
    return ScriptDirectory.from_config(migrations_config()).get_current_head()


def is_latest(engine):
    """Return whether the database is already at the newest migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == latest_revision()
