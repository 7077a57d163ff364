"""`make test-fast` leaves out the slow files and every test measured slow; a new server test file is slow at once."""

import json
import re
from types import SimpleNamespace

import pytest
from conftest import FAST_SECONDS, PROJECT, DurationRecorder, is_slow, measured_durations

TESTS = PROJECT / "tests"


def defined_test_names():
    """Return the name of every test function written in the suite."""
    return {name for path in TESTS.rglob("test_*.py")
            for name in re.findall(r"^\s*def (test_\w+)\(", path.read_text(), re.MULTILINE)}


def test_every_test_measured_still_exists():
    measured = {re.sub(r"\[.*", "", node.split("::")[-1]) for node in measured_durations()}
    assert measured - defined_test_names() == set()


def test_a_test_measured_slower_than_the_budget_is_slow():
    slowest, seconds = max(measured_durations().items(), key=lambda pair: pair[1])
    assert seconds > FAST_SECONDS
    assert is_slow(PROJECT / slowest.split("::")[0], seconds)


@pytest.mark.parametrize("path", ["test_server_gunicorn.py", "test_load.py", "test_hardening.py",
                                  "browser/test_browser_letter.py"])
def test_slow_files_are_slow_by_their_name(path):
    assert is_slow(TESTS / path)


def test_a_quick_test_in_an_ordinary_file_stays_in_the_fast_tier():
    assert not is_slow(TESTS / "test_single_letter.py", 0.05)


def test_the_fast_tier_is_a_small_part_of_the_whole_suite(pytestconfig):
    durations = measured_durations()
    quick = sum(seconds for node, seconds in durations.items() if not is_slow(PROJECT / node.split("::")[0], seconds))
    assert quick < 60  # what the quick tests that were written down take, all told


def record(path, adding, **seconds):
    """Run a DurationRecorder over tests that took these seconds; return the table it wrote."""
    recorder = DurationRecorder(path, adding)
    for node, duration in seconds.items():
        recorder.pytest_runtest_logreport(SimpleNamespace(nodeid=node, duration=duration))
    recorder.pytest_sessionfinish(None)
    return json.loads(path.read_text())


def test_the_quick_tier_run_alone_adds_the_tests_that_were_quick_only_after_another(tmp_path):
    table = tmp_path / "durations.json"
    assert record(table, False, warms_the_cache=2.0, reads_the_cache=0.01) == {"warms_the_cache": 2.0}
    # alone, the quick test pays for what the slow one used to make; a slower time wins, a quicker one does not
    assert record(table, True, reads_the_cache=1.9, warms_the_cache=0.5) == {"warms_the_cache": 2.0,
                                                                              "reads_the_cache": 1.9}
    assert record(table, False, other=0.3) == {"other": 0.3}  # a whole run writes the table afresh
