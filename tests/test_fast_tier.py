"""`make test-fast` leaves out exactly the slow tests conftest names, and a new server test file is slow at once."""

import re

import pytest
from conftest import FIRST_CASE_FAST, PROJECT, SLOW_TESTS, is_slow

TESTS = PROJECT / "tests"


def defined_test_names():
    """Return the name of every test function written in the suite."""
    return {name for path in TESTS.rglob("test_*.py")
            for name in re.findall(r"^\s*def (test_\w+)\(", path.read_text(), re.MULTILINE)}


def test_every_test_named_slow_still_exists():
    assert (SLOW_TESTS | FIRST_CASE_FAST) - defined_test_names() == set()


@pytest.mark.parametrize("path", ["test_server_gunicorn.py", "test_load.py", "test_hardening.py",
                                  "browser/test_browser_letter.py"])
def test_slow_files_are_slow_by_their_name(path):
    assert is_slow(TESTS / path, "test_anything")


def test_a_quick_test_in_an_ordinary_file_stays_in_the_fast_tier():
    assert not is_slow(TESTS / "test_single_letter.py", "test_pdf_is_written_in_the_chosen_hand")

