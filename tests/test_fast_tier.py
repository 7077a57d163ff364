"""`make test-fast` leaves out the slow files and every test measured slow; a new server test file is slow at once."""

import json
import re
from types import SimpleNamespace

import pytest
from tiers import FAST_SECONDS, PROJECT, WAIT_ALLOWED, DurationRecorder, is_slow, measured_durations

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


def record(path, adding, **seconds):
    """Run a DurationRecorder over tests that took these seconds; return the table it wrote."""
    recorder = DurationRecorder(path, adding)
    for node, duration in seconds.items():
        wall, cpu = duration if isinstance(duration, tuple) else (duration, duration)
        recorder.pytest_runtest_logreport(SimpleNamespace(nodeid=node, duration=wall,
                                                          user_properties=[("cpu_seconds", cpu)]))
    recorder.pytest_sessionfinish(None)
    return json.loads(path.read_text())


def test_the_quick_tier_run_alone_adds_the_tests_that_were_quick_only_after_another(tmp_path):
    table = tmp_path / "durations.json"
    assert record(table, False, warms_the_cache=2.0, reads_the_cache=0.01) == {"warms_the_cache": 2.0}
    # alone, the quick test pays for what the slow one used to make; a slower time wins, a quicker one does not
    assert record(table, True, reads_the_cache=1.9, warms_the_cache=0.5) == {"warms_the_cache": 2.0,
                                                                              "reads_the_cache": 1.9}
    assert record(table, False, other=0.3) == {"other": 0.3}  # a whole run writes the table afresh


def test_a_test_slowed_by_a_busy_machine_stays_quick_and_one_that_waits_for_a_server_is_slow(tmp_path):
    table = record(tmp_path / "durations.json", False, computes=(0.4, 0.35), crowded_out=(0.35, 0.06),
                   waits_for_a_server=(2.0, 0.05))
    assert table == {"computes": 0.35, "waits_for_a_server": round(0.05 + 2.0 - 0.05 - WAIT_ALLOWED, 2)}


SUITE = """
import time

def test_computes():
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass

def test_sleeps_a_little():
    time.sleep(0.2)

def test_waits_long():
    time.sleep(0.6)
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "pytest -n 2"])
def test_make_durations_writes_down_what_each_test_costs(pytester, monkeypatch, workers):
    table = pytester.path / "durations.json"
    monkeypatch.setenv("LETTERHOUSE_RECORD_DURATIONS", str(table))
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    pytester.makeconftest('pytest_plugins = ("tiers",)')
    pytester.makepyfile(test_story=SUITE)
    pytester.runpytest_subprocess("-p", "no:cacheprovider", *workers).assert_outcomes(passed=3)
    costs = {node.split("::")[1]: seconds for node, seconds in json.loads(table.read_text()).items()}
    assert set(costs) == {"test_computes", "test_waits_long"}
    assert 0.25 <= costs["test_computes"] < 0.5 and 0.2 <= costs["test_waits_long"] < 0.5
