"""Settings as data: each has a name, a default and a line of help."""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STATIC_ROOT = PROJECT_ROOT / "static"
ENV_PREFIX = "LETTERHOUSE_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = (
    Setting("TEMPLATES", str(PROJECT_ROOT / "letter_templates"),
            "Directories of letter templates, separated like PATH."),
    Setting("MAX_CONTENT_LENGTH", 1024 * 1024, "Largest request body accepted, in bytes."),
    Setting("MAX_PAGES", 12, "Most pages one letter may run to."),
    Setting("STRING_MAX_LENGTH", 200, "Longest one-line field, unless the template says otherwise."),
    Setting("TEXT_MAX_LENGTH", 4000, "Longest multi-line field, unless the template says otherwise."),
    Setting("PREVIEW_WIDTH", 720, "Width in pixels of each preview page image."),
    Setting("RENDER_TIME_LIMIT", 20.0, "Seconds one letter may take to be written, its template's body and its "
            "layout, before it is refused."),
    Setting("SERVER_WORKERS", os.cpu_count() or 1, "Gunicorn worker processes for `letterhouse serve`."),
    Setting("SERVER_THREADS", 4, "Threads per gunicorn worker: a slow client holds a thread, not a worker "
            "(1: plain sync workers). Renders within a worker take turns."),
    Setting("SERVER_TIMEOUT", 60, "Seconds before gunicorn restarts a stuck worker."),
    Setting("API_TOKENS", "", "Bearer tokens the JSON API accepts, comma-separated; empty leaves the API open."),
    Setting("BATCH_MAX_ROWS", 5000, "Most letters in one batch from the site or the API."),
    Setting("BATCH_MAX_CONTENT_LENGTH", 16 * 1024 * 1024,
            "Largest rows file (CSV or JSON) the site or the API accepts for a batch, in bytes."),
    Setting("BATCH_WORKERS", 0, "Render processes writing batches for the site and the API, server-wide (each "
            "`letterhouse worker` likewise); 0 means one per core."),
    Setting("BATCH_JOBS_PER_CLIENT", 2,
            "Batches one client (API token or browser session) may have queued or running at once."),
    Setting("BATCH_QUEUE_LIMIT", 100, "Batches the whole server may have queued or running at once; more get "
            "HTTP 503 with Retry-After. 0 means no limit."),
    Setting("BATCH_STORED_BYTES_PER_CLIENT", 64 * 1024 * 1024,
            "Bytes of rows one client may have waiting (uploaded, not yet written) at once."),
    Setting("JOB_RETENTION_HOURS", 24, "Hours a batch and its result are kept; an upload nobody starts, one hour."),
    Setting("DATABASE_URL", "", "Where job records are kept (SQLAlchemy URL, e.g. postgresql://host/db); empty "
            "means SQLite in INSTANCE_PATH."),
    Setting("RESULTS_PATH", "", "Folder for batches' rows and results, one every host and worker can reach; empty "
            "means INSTANCE_PATH/results."),
    Setting("BROKER_URL", "", "A Celery broker (redis://host:6379/0): batches are written in chunks by "
            "`letterhouse worker` processes anywhere; empty means the server's own runner."),
    Setting("BROKER_QUEUE", "letterhouse", "The broker queue batches are sent to and workers take them from."),
    Setting("BROKER_VISIBILITY_TIMEOUT", 300, "Seconds after which a chunk a worker took and never finished (it "
            "died) is given to another worker."),
    Setting("CALLBACK_HOSTS", "", "Hosts a batch's callback_url may name, comma-separated: names, *.subdomains, "
            "IP addresses or networks; an internal address is called only when listed. Empty: no callbacks."),
    Setting("CALLBACK_RETRY_SECONDS", 20.0, "Seconds before a failed callback is tried again; each later wait is "
            "three times the last, five tries in all."),
    Setting("LETTER_RATE_LIMIT", "", "Letters one API client (token, or address on an open API) may ask for, like "
            "60/minute (per second, minute, hour or day); empty means no limit."),
    Setting("INSTANCE_PATH", str(PROJECT_ROOT / "instance"), "Where the secret key, and by default the job "
            "records and results, are kept."),
    Setting("SECRET_KEY", "", "Signs sessions and CSRF tokens; if empty, the site generates one once and keeps it "
            "in INSTANCE_PATH/secret_key."),
)


def setting_default(name):
    """Return one setting's built-in default."""
    return next(setting.default for setting in SETTINGS if setting.name == name)


def default_config():
    """Return the built-in defaults as a mapping."""
    return {setting.name: setting.default for setting in SETTINGS}


def load_settings(overrides=None, environ=os.environ):
    """Return every setting: its default, then LETTERHOUSE_* environment, then the overrides given."""
    return {**default_config(), **config_from_environ(environ), **(overrides or {})}


def config_from_environ(environ=os.environ):
    """Return settings given as LETTERHOUSE_* environment variables, typed like their defaults."""
    config = {}
    for setting in SETTINGS:
        raw = environ.get(ENV_PREFIX + setting.name)
        if raw is not None:
            config[setting.name] = type(setting.default)(raw) if setting.default != "" else raw
    return config


def secret_key(config):
    """Return the secret key the settings give, or the one kept in the instance folder (made once)."""
    return config["SECRET_KEY"] or instance_secret_key(config["INSTANCE_PATH"])


def instance_secret_key(instance_path):
    """Return the secret key kept in the instance folder, creating it once."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
