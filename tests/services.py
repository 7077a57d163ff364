"""Real PostgreSQL and Redis for the tests: those the environment names, else ones this session starts.

`LETTERHOUSE_TEST_DATABASE_URL` and `LETTERHOUSE_TEST_REDIS_URL` name running services (CI's, a
developer's). Without them the session starts Debian's `postgres` and `redis-server` on free ports
in a temporary folder. Each test gets a schema (PostgreSQL) or key prefix (Redis) of its own, so
parallel runs sharing one server never see each other's records. When neither is possible the tests
that need them are skipped, except with CI=true, where they fail.
"""

import contextlib
import glob
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
import sqlalchemy
from serving import free_port

DATABASE_VARIABLE = "LETTERHOUSE_TEST_DATABASE_URL"
REDIS_VARIABLE = "LETTERHOUSE_TEST_REDIS_URL"


def unavailable(what):
    """Skip the test for want of a service; in CI, fail it instead."""
    message = (f"{what} is not available: set {DATABASE_VARIABLE}/{REDIS_VARIABLE} "
               "or install postgresql and redis-server")
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def real_clock():
    """Return this environment without libfaketime: the services are the tests' ground, not what they test,
    and a Redis whose timers read a faked clock drops its clients (`faketime DATE pytest`)."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("FAKETIME")}
    preload = environment.get("LD_PRELOAD", "").split(":")
    preload = [library for library in preload if library and "faketime" not in library]
    environment["LD_PRELOAD"] = ":".join(preload)
    return environment


def as_postgres_user(command):
    """Return a command run as the postgres user when we are root (PostgreSQL refuses to run as root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_postgres(root):
    """Start a throwaway PostgreSQL in root on a free port; return (its URL, its process) or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        return None
    bin_dir, data, port = Path(found[-1]).parent, root / "pgdata", free_port()
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    subprocess.run(as_postgres_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]),
                   check=True, capture_output=True, env=real_clock())
    process = subprocess.Popen(as_postgres_user([str(bin_dir / "postgres"), "-D", str(data), "-p", str(port),
                                                 "-k", str(root), "-c", "listen_addresses=127.0.0.1"]),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env=real_clock())
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    wait_for(lambda: sqlalchemy.create_engine(url.replace("postgresql:", "postgresql+psycopg:")).connect().close())
    return url, process


def start_redis(root):
    """Start a throwaway redis-server on a free port; return (its URL, its process) or None."""
    server = shutil.which("redis-server")
    if not server:
        return None
    port = free_port()
    root.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env=real_clock())
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    wait_for(lambda: redis.Redis.from_url(url).ping())
    return url, process


def wait_for(check, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def service(variable, start, root):
    """Yield the URL of the service the environment names, or of one started in root (None if neither)."""
    if os.environ.get(variable):
        yield os.environ[variable]
        return
    try:
        started = start(root)
    except (OSError, subprocess.CalledProcessError):
        started = None
    if started is None:
        yield None
        return
    url, process = started
    try:
        yield url
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)


@pytest.fixture(scope="session")
def postgres_server():
    root = Path(tempfile.mkdtemp(prefix="letterhouse-postgres-"))  # not under pytest's folder: postgres must reach it
    with service(DATABASE_VARIABLE, start_postgres, root) as url:
        yield url
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    with service(REDIS_VARIABLE, start_redis, tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server):
    """A PostgreSQL URL whose every connection works in a new, empty schema of this test's own."""
    if postgres_server is None:
        unavailable("PostgreSQL")
    schema = f"letterhouse_test_{secrets.token_hex(6)}"
    engine = sqlalchemy.create_engine(postgres_server.replace("postgresql:", "postgresql+psycopg:", 1))
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in postgres_server else "?"
    yield postgres_server + separator + "options=" + urllib.parse.quote(f"-csearch_path={schema}")
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def redis_url(redis_server):
    """The Redis URL tests use; pair it with `redis_prefix` so runs sharing a server stay apart."""
    if redis_server is None:
        unavailable("Redis")
    return redis_server


@pytest.fixture
def redis_prefix():
    return f"letterhouse-test-{secrets.token_hex(6)}:"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each job-record test twice: on the embedded SQLite, and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.sqlite3'}"
    return request.getfixturevalue("postgres_url")
