"""The quick tier (`make test-fast`): which tests are slow, and `make durations`, which measures them.

The slow part of the suite is left out by `pytest -m "not slow"`: whole files by name (so a file added
later, like tests/test_server_*.py, is slow from the start), and every test whose measured cost in
tests/durations.json is above FAST_SECONDS. A test's cost is the processor time it uses (its own and its
finished subprocesses') plus any waiting beyond WAIT_ALLOWED (a server starting, a sleep): unlike the
time on the clock, that does not grow when other work shares the machine, so the table can be measured
on a busy one. A new test counts as quick until it is measured.
"""

import fnmatch
import json
import os
import resource
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SLOW_FILES = ("browser/test_*.py", "test_load.py", "test_server_*.py", "test_hardening.py")
DURATIONS = PROJECT / "tests" / "durations.json"
FAST_SECONDS = 0.1  # setup, call and teardown, all told (quicker ones are not written down)
RECORDED_FROM = 0.1  # quicker tests are not written down, so the table stays small
WAIT_ALLOWED = 0.3  # seconds a test may spend waiting on the clock (not computing) and still be quick
DURATIONS_WANTED = "LETTERHOUSE_RECORD_DURATIONS"  # a path: write each test's cost there at the end
PHASE_CPU = pytest.StashKey[dict]()


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: left out of `make test-fast` (browser, server, load, measured slow)")


def measured_durations():
    """Return {test node id: seconds} as last measured (tests/durations.json)."""
    return json.loads(DURATIONS.read_text(encoding="utf-8")) if DURATIONS.exists() else {}


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests slow."""
    durations = measured_durations()
    for item in items:
        if is_slow(item.path, durations.get(item.nodeid, 0.0)):
            item.add_marker(pytest.mark.slow)


def is_slow(path, seconds=0.0):
    """Return whether a test belongs to the slow part of the suite, by its file or by its measured cost."""
    path = Path(path).resolve()
    relative = path.relative_to(PROJECT / "tests").as_posix() if PROJECT in path.parents else ""  # pytester's
    return any(fnmatch.fnmatch(relative, pattern) for pattern in SLOW_FILES) or seconds > FAST_SECONDS


def processor_seconds():
    """Return the processor time used so far by this process and the subprocesses it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def cost(wall_seconds, cpu_seconds):
    """Return what a test phase costs: its processor time, and its waiting beyond WAIT_ALLOWED."""
    return cpu_seconds + max(0.0, wall_seconds - cpu_seconds - WAIT_ALLOWED)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    yield from timed(item, "setup")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield from timed(item, "call")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    yield from timed(item, "teardown")


def timed(item, phase):
    """Write down the processor time of one phase of a test, for its report."""
    started = processor_seconds()
    yield
    item.stash.setdefault(PHASE_CPU, {})[phase] = processor_seconds() - started


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Carry the phase's processor time in its report (which pytest -n sends to the main process)."""
    report = (yield).get_result()
    report.user_properties.append(("cpu_seconds", item.stash.get(PHASE_CPU, {}).get(call.when, report.duration)))


class DurationRecorder:
    """Write down what each test cost (setup, call and teardown), for `make durations`.

    A whole run writes the table afresh. A run of part of the suite (`-m "not slow"`) adds to it, the
    costlier time winning: a test that looked quick in the whole run because another test had already
    made what they share (a cached letter, a template) pays for it when the quick tier runs alone.
    """

    def __init__(self, path, adding):
        self.path, self.adding, self.seconds = Path(path), adding, {}

    def pytest_runtest_logreport(self, report):
        cpu_seconds = dict(report.user_properties).get("cpu_seconds", report.duration)
        self.seconds[report.nodeid] = self.seconds.get(report.nodeid, 0.0) + cost(report.duration, cpu_seconds)

    def pytest_sessionfinish(self, session):
        table = {node: seconds for node, seconds in self.seconds.items() if seconds >= RECORDED_FROM}
        if self.adding and self.path.exists():
            before = json.loads(self.path.read_text(encoding="utf-8"))
            table = {node: max(table.get(node, 0.0), before.get(node, 0.0)) for node in {*before, *table}}
        kept = {node: round(seconds, 2) for node, seconds in sorted(table.items())}
        self.path.write_text(json.dumps(kept, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")


def pytest_sessionstart(session):
    if os.environ.get(DURATIONS_WANTED) and not hasattr(session.config, "workerinput"):  # pytest -n: the main one
        recorder = DurationRecorder(os.environ[DURATIONS_WANTED], adding=bool(session.config.option.markexpr))
        session.config.pluginmanager.register(recorder, "letterhouse-durations")
