"""Shared fixtures: an app over the bundled templates, a client, letter actions and PDF readers."""

import datetime
import io
import logging
import os
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from hypothesis import settings as hypothesis_settings
from pypdf import PdfReader
from werkzeug.datastructures import MultiDict

from letterhouse import create_app
from letterhouse.batch import local_worker
from letterhouse.batch.job_tables import database_engine, upgrade_database
from letterhouse.cli import cli
from letterhouse.letters.clock import TODAY_VARIABLE

# Real PostgreSQL and Redis (tests/services.py); the quick tier and its measuring (tests/tiers.py).
pytest_plugins = ("services", "tiers", "pytester")

PROJECT = Path(__file__).resolve().parent.parent
BUNDLED_TEMPLATES = PROJECT / "letter_templates"
MM_PER_POINT = 25.4 / 72
# "Today" for every test, whatever the calendar says: wording and line breaks do not move with the day.
PINNED_TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(scope="session", autouse=True)
def pinned_today_for_the_session():
    """Pin today before any module- or session-wide fixture writes a letter or starts a server."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        pin_today(monkeypatch, PINNED_TODAY)
        yield PINNED_TODAY


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    """Pin today through the clock's one seam; servers a test starts inherit it from the environment."""
    pin_today(monkeypatch, PINNED_TODAY)
    return PINNED_TODAY


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A SQLite job database migrated once for the session, by the same function servers use."""
    path = tmp_path_factory.mktemp("migrated") / "letterhouse.sqlite3"
    engine = database_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    return path


@pytest.fixture(autouse=True)
def new_databases_start_migrated(monkeypatch, migrated_database):
    """Start each in-process app's new SQLite database as a copy of the session's migrated one.

    Running every migration script again costs each app about 90 ms, most of the quick tier's time;
    the copy still goes through upgrade_database, which finds it at the newest revision.
    """

    def upgrade(engine):
        path = engine.url.database
        if engine.url.get_backend_name() == "sqlite" and path and not Path(path).exists():
            shutil.copyfile(migrated_database, path)
        upgrade_database(engine)

    monkeypatch.setattr(local_worker, "upgrade_database", upgrade)


def pin_today(monkeypatch, day):
    """Make `day` today for the rest of the test, here and in any process it starts."""
    monkeypatch.setenv(TODAY_VARIABLE, day.isoformat())


@pytest.fixture
def templates_dir(tmp_path):
    """A private copy of the bundled templates that a test may add to or break."""
    directory = tmp_path / "letter_templates"
    shutil.copytree(BUNDLED_TEMPLATES, directory)
    return directory


def settings_for_tests(tmp_path, templates_dir, **settings):
    """Return the settings tests run with: their own instance folder and templates, and any settings given."""
    return {"TESTING": True, "SECRET_KEY": "test-only-secret", "TEMPLATES": str(templates_dir),
            "INSTANCE_PATH": str(tmp_path / "instance"), **settings}


def letterhouse_app(tmp_path, templates_dir, **settings):
    """Return the app as tests use it: its own instance folder and templates, and any settings given."""
    return create_app(settings_for_tests(tmp_path, templates_dir, **settings))


@pytest.fixture
def app(tmp_path, templates_dir):
    return letterhouse_app(tmp_path, templates_dir)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def command_line(tmp_path, templates_dir):
    """Run a `letterhouse` command with the test app's settings as its own; return click's result.

    The command reads the settings as they are given (no app is made for it: a command makes its own);
    a test changes one through `invoke.settings`.
    """
    settings = settings_for_tests(tmp_path, templates_dir)

    def invoke(*args, **kwargs):
        return CliRunner().invoke(cli, [str(arg) for arg in args], obj=settings, **kwargs)

    invoke.settings = settings
    return invoke


class LetterActions:
    """What a person does on the site: open a letter's form, fill it in, preview, edit, download."""

    def __init__(self, client):
        self.client = client

    def csrf_token(self, html):
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    def open_form(self, slug):
        response = self.client.get(f"/letters/{slug}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def submit(self, slug, values, action="preview"):
        token = self.csrf_token(self.open_form(slug))
        return self.client.post(f"/letters/{slug}", data={**values, "csrf_token": token, "action": action})

    def carried(self, preview_html):
        """Return the hidden values a preview page carries, as a list of (name, value)."""
        import html as html_module
        pairs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview_html)
        return [(name, html_module.unescape(value)) for name, value in pairs if name != "csrf_token"]

    def download(self, slug, preview_html):
        data = self.carried(preview_html) + [("csrf_token", self.csrf_token(preview_html))]
        return self.client.post(f"/letters/{slug}/letter.pdf", data=MultiDict(data))

    def edit(self, slug, preview_html):
        data = self.carried(preview_html) + [("csrf_token", self.csrf_token(preview_html)), ("action", "edit")]
        return self.client.post(f"/letters/{slug}", data=MultiDict(data))


@pytest.fixture
def letters(client):
    return LetterActions(client)


ANNIVERSARY = {
    "sender_name": "Sam Okafor",
    "recipient_name": "Chris Lindqvist",
    "years": "12",
    "relationship": "married",
    "tone": "tender",
    "memory": "the night the car broke down outside Lyon",
    "hand": "caveat",
    "ink": "midnight",
    "paper": "cream",
    "page_size": "A4",
}


@pytest.fixture
def anniversary_values():
    return dict(ANNIVERSARY)


def pdf_text(pdf):
    """Return all the text of a PDF, pages joined, whitespace folded."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def without_spaces(text):
    """Return text with all whitespace removed, so a phrase is found wherever a line happened to break."""
    return "".join(text.split())


def pdf_shows(pdf, phrase):
    """Return whether a PDF (or text read from one) holds the phrase, wherever its lines break."""
    text = pdf if isinstance(pdf, str) else pdf_text(pdf)
    return without_spaces(str(phrase)) in without_spaces(text)


def pdf_fonts(pdf):
    """Return the base names of every font drawn in a PDF, subset prefixes removed."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return {char["fontname"].split("+", 1)[-1] for page in document.pages for char in page.chars}


def pdf_page_sizes_mm(pdf):
    """Return each page's (width, height) in whole millimetres."""
    reader = PdfReader(io.BytesIO(pdf))
    return [(round(float(p.mediabox.width) * MM_PER_POINT), round(float(p.mediabox.height) * MM_PER_POINT))
            for p in reader.pages]


def pdf_page_count(pdf):
    return len(PdfReader(io.BytesIO(pdf)).pages)


class RenderLogs(logging.Handler):
    """Collect what WeasyPrint and our renderer log, so a test can insist there is nothing."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    @property
    def messages(self):
        return [record.getMessage() for record in self.records]


@pytest.fixture(autouse=True)
def render_logs(request):
    """Fail any test whose rendering logged a warning, unless it says it expects one."""
    handler = RenderLogs()
    loggers = [logging.getLogger("weasyprint"), logging.getLogger("letterhouse.render.pdf")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)
    if not request.node.get_closest_marker("expect_render_warnings"):
        assert handler.messages == [], f"rendering logged warnings: {handler.messages}"


# In CI the fuzz tests draw the same examples every run, so a red build can be replayed;
# on a developer's machine they explore new ones each time.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_configure(config):
    config.addinivalue_line("markers", "expect_render_warnings: the test expects WeasyPrint to log warnings")
