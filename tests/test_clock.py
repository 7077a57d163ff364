"""Any calendar day, any style: today comes from one pinned seam, and the words depend only on the words."""

import datetime
import io
import os
import subprocess
import sys

import pytest
from conftest import ANNIVERSARY, PINNED_TODAY, pdf_shows, pdf_text, pin_today, without_spaces
from pypdf import PdfReader

import letterhouse.letters.clock as clock
from letterhouse.letters.fields import STYLE_FIELDS
from letterhouse.letters.letter import envelope_pages, validate_mapping
from letterhouse.letters.sandbox import long_date
from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.provenance import read_provenance

# One other value for every style field: each changes how the letter looks, none what it says.
OTHER_STYLE = {"hand": "kalam", "ink": "sepia", "paper": "ruled", "page_size": "Letter", "realism": "hurried",
               "signature_hand": "dancing-script", "envelope": "DL", "archival": "true"}
ADDRESSED = {**ANNIVERSARY, "recipient_address": "4 Rue des Fleurs\n69001 Lyon"}
DAYS = [datetime.date(2028, 2, 29), datetime.date(2031, 12, 31), datetime.date(2032, 1, 1), datetime.date(2027, 3, 31)]


@pytest.fixture
def write(app):
    """Write an anniversary letter through the library door: write(**values) -> (Letter, PDF bytes)."""
    def write_letter(**values):
        with app.app_context():
            template = app.extensions["letterhouse.letters.catalog"].get("anniversary")
            letter, errors = validate_mapping(template, {**ADDRESSED, **values})
            assert errors == {}
            return letter, write_letter_pdf(letter).pdf
    return write_letter


def letter_pages_text(letter, pdf):
    """Return the text of the letter's own pages, leaving out an envelope page, whitespace removed."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    kept = pages[:len(pages) - envelope_pages(letter.values)]
    return without_spaces(" ".join(page.extract_text() or "" for page in kept))


@pytest.fixture(scope="module")
def day_seen_by_a_module_fixture():
    """What a module-wide fixture (a server, a checked library) sees as today when it starts."""
    return clock.today()


def test_fixtures_shared_by_many_tests_see_the_pinned_day_too(day_seen_by_a_module_fixture):
    assert day_seen_by_a_module_fixture == PINNED_TODAY


def test_every_test_runs_on_the_same_pinned_day():
    assert os.environ[clock.TODAY_VARIABLE] == PINNED_TODAY.isoformat()
    assert clock.today() == PINNED_TODAY


def test_a_server_started_by_a_test_sees_the_pinned_day_too():
    asked = subprocess.run([sys.executable, "-c", "from letterhouse.letters import clock; print(clock.today())"],
                           capture_output=True, text=True, check=True)
    assert asked.stdout.strip() == PINNED_TODAY.isoformat()


def test_a_letter_left_undated_is_dated_today(write, monkeypatch):
    pin_today(monkeypatch, datetime.date(2028, 2, 29))
    letter, pdf = write()
    assert letter.values["date"] == datetime.date(2028, 2, 29)
    assert pdf_shows(pdf, "29 February 2028")


def test_without_a_pinned_day_today_is_the_calendars(monkeypatch):
    monkeypatch.delenv(clock.TODAY_VARIABLE)
    assert clock.today() == datetime.date.today()


def test_an_unreadable_pinned_day_is_named_in_the_error(monkeypatch):
    monkeypatch.setenv(clock.TODAY_VARIABLE, "next tuesday")
    with pytest.raises(ValueError, match="LETTERHOUSE_TODAY must be a date like 2026-06-15, not 'next tuesday'"):
        clock.today()


def test_a_dated_letter_is_the_same_pdf_whatever_day_it_is_written(write, monkeypatch):
    first, first_pdf = write(date="2026-02-14")
    for day in DAYS:
        pin_today(monkeypatch, day)
        letter, pdf = write(date="2026-02-14")
        assert letter.seed == first.seed
        assert pdf_text(pdf) == pdf_text(first_pdf)


def test_an_undated_letter_keeps_its_words_from_one_day_to_the_next(write, monkeypatch):
    first, first_pdf = write()
    for day in DAYS:
        pin_today(monkeypatch, day)
        letter, pdf = write()
        assert letter.seed == first.seed
        dated_today = pdf_text(first_pdf).replace(long_date(PINNED_TODAY), long_date(day))
        assert without_spaces(pdf_text(pdf)) == without_spaces(dated_today)


def test_a_letter_with_its_own_seed_is_dated_today_without_changing_its_words(write, monkeypatch):
    first, first_pdf = write(seed="7")
    pin_today(monkeypatch, datetime.date(2031, 12, 31))
    again, pdf = write(seed="7")
    assert again.seed == first.seed == 7
    assert pdf_shows(pdf, "31 December 2031") and not pdf_shows(first_pdf, "31 December 2031")


@pytest.mark.parametrize("name", [spec.name for spec in STYLE_FIELDS])
def test_changing_how_a_letter_looks_does_not_change_what_it_says(write, name):
    plain, plain_pdf = write()
    styled, styled_pdf = write(**{name: OTHER_STYLE[name]})
    assert styled.values[name] != plain.values[name]
    assert styled.seed == plain.seed
    assert letter_pages_text(styled, styled_pdf) == letter_pages_text(plain, plain_pdf)


def test_every_style_field_is_tried():
    assert set(OTHER_STYLE) == {spec.name for spec in STYLE_FIELDS}


def test_switching_ink_before_the_first_preview_keeps_the_words(letters):
    previews = [letters.submit("anniversary", {**ANNIVERSARY, "ink": ink}).get_data(as_text=True)
                for ink in ("midnight", "sepia")]
    seeds = [dict(letters.carried(preview))["seed"] for preview in previews]
    pdfs = [letters.download("anniversary", preview).data for preview in previews]
    assert seeds[0] == seeds[1] == str(read_provenance(pdfs[1]).seed)
    assert pdf_text(pdfs[0]) == pdf_text(pdfs[1])


def test_changing_a_detail_that_is_written_may_change_the_words(write):
    seeds = {write(memory=memory)[0].seed for memory in ("the night in Lyon", "the peaches on the verge")}
    assert len(seeds) == 2
