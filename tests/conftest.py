"""Shared fixtures: an app over the bundled templates, a client, letter actions and PDF readers."""

import datetime
import fnmatch
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
from letterhouse.cli import cli
from letterhouse.letters.clock import TODAY_VARIABLE

pytest_plugins = ("services",)  # real PostgreSQL and Redis: tests/services.py

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


def pin_today(monkeypatch, day):
    """Make `day` today for the rest of the test, here and in any process it starts."""
    monkeypatch.setenv(TODAY_VARIABLE, day.isoformat())


@pytest.fixture
def templates_dir(tmp_path):
    """A private copy of the bundled templates that a test may add to or break."""
    directory = tmp_path / "letter_templates"
    shutil.copytree(BUNDLED_TEMPLATES, directory)
    return directory


def letterhouse_app(tmp_path, templates_dir, **settings):
    """Return the app as tests use it: its own instance folder and templates, and any settings given."""
    return create_app({"TESTING": True, "SECRET_KEY": "test-only-secret", "TEMPLATES": str(templates_dir),
                       "INSTANCE_PATH": str(tmp_path / "instance"), **settings})


@pytest.fixture
def app(tmp_path, templates_dir):
    return letterhouse_app(tmp_path, templates_dir)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def command_line(app):
    """Run a `letterhouse` command with the test app's settings as its own; return click's result."""

    def invoke(*args, **kwargs):
        return CliRunner().invoke(cli, [str(arg) for arg in args], obj=app.config, **kwargs)

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
    config.addinivalue_line("markers", "slow: left out of `make test-fast` (browser, load, server, fuzz, pool)")


# The slow part of the suite, left out by `make test-fast` (pytest -m "not slow"): whole files by
# name (so a file added later, like tests/test_server_*.py, is slow from the start), and single tests.
SLOW_FILES = ("browser/test_*.py", "test_load.py", "test_server_*.py", "test_hardening.py")
SLOW_TESTS = frozenset({
    # Batches through the pool of worker processes; one batch per door (site, API, CLI) stays fast.
    "test_fifty_letters_on_two_workers_come_out_in_row_order",
    "test_a_client_may_have_only_so_many_batches_under_way",
    "test_duplex_pads_each_letter_to_an_even_number_of_pages",
    "test_batch_to_one_pdf_for_duplex_printing",
    "test_a_clean_file_can_become_one_pdf_for_double_sided_printing",
    "test_a_csv_body_can_ask_for_one_pdf",
    "test_skip_invalid_writes_the_good_rows_and_reports_the_others",
    "test_a_finished_batch_is_still_there_after_a_restart",
    "test_one_pdf_starts_every_letter_afresh_with_its_own_page_numbers",
    "test_a_batch_starts_once_however_often_start_is_pressed",
    "test_a_finished_job_is_still_there_after_a_restart_and_removed_when_old",
    "test_a_letter_too_long_is_reported_by_row_and_the_others_are_still_written",
    "test_a_directory_gets_one_pdf_file_per_row",
    "test_batch_to_a_zip_writes_one_pdf_per_row_from_an_excel_csv",
    "test_batch_to_a_directory",
    "test_batch_reports_progress_as_plain_lines_when_not_on_a_terminal",
    "test_skip_invalid_writes_the_good_rows_and_lists_the_others_beside_the_output",
    "test_fields_csv_is_a_header_row_that_batch_accepts_back",
    "test_the_app_keeps_its_batches_in_the_database_it_is_given",
    "test_a_chunk_written_twice_counts_once_and_the_result_holds_every_letter_once",
    "test_memory_stays_flat_however_many_letters_are_joined",
    "test_the_pdf_is_dated_as_the_cell_was_typed",  # each door's date test writes its letters too
    "test_a_directory_gets_its_manifest_beside_the_letters",
    "test_on_the_site_own_columns_reach_the_manifest_of_the_download",
    "test_once_the_batch_has_run_its_letters_are_no_longer_pictured",
    "test_a_batch_keeps_its_choices_from_upload_to_letters_even_when_its_rows_are_checked_again",
    # Letters rendered several times over to compare them.
    "test_write_it_again_writes_the_same_words_in_a_new_hand",
    "test_a_letter_is_written_again_to_the_byte_from_its_metadata",  # a second Python process
    "test_baking_gives_the_same_bytes_every_time",
    "test_plain_paper_has_no_rules",
    "test_check_passes_every_template_the_site_shows",
    "test_the_sample_sheet_shows_every_chosen_hand_on_every_chosen_paper",
    "test_a_letter_without_a_usable_example_gets_a_drawn_card",
})
# Tests run for every hand, paper or script: the fast tier keeps the first case of each.
FIRST_CASE_FAST = frozenset({
    "test_ruled_paper_rules_lie_under_the_writing",
    "test_each_script_is_written_in_a_bundled_hand",
    "test_every_paper_and_ink_renders_the_letter",
    "test_the_letter_is_written_in_the_chosen_ink",
    "test_a_letter_is_written_in_each_hand",
    "test_a_letter_is_written_on_each_paper",
    "test_a_repeated_letter_is_drawn_in_more_shapes_than_the_face_has",
    "test_changing_how_a_letter_looks_does_not_change_what_it_says",
})


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests slow."""
    seen = set()
    for item in items:
        name = getattr(item, "originalname", item.name)
        if is_slow(item.path, name) or (name in FIRST_CASE_FAST and name in seen):
            item.add_marker(pytest.mark.slow)
        seen.add(name)


def is_slow(path, name):
    """Return whether a test belongs to the slow part of the suite, by its file or its name."""
    relative = Path(path).relative_to(PROJECT / "tests").as_posix()
    return any(fnmatch.fnmatch(relative, pattern) for pattern in SLOW_FILES) or name in SLOW_TESTS
