"""A template whose example fails cannot stop `letterhouse serve`: workers warm up without it, even replacements."""

import json
import os
import signal
import time

import pytest
from conftest import ANNIVERSARY, pdf_text
from serving import Visitor, copy_bundled_templates, csrf_token, letterhouse_serve

from letterhouse import create_app
from letterhouse.web.server import warm_up

# Loads and validates fine; only writing its example divides by zero.
COUNTDOWN = """---
title: A birthday countdown
description: How many days until the big one.
occasion: birthday
fields:
  - name: years
    label: Years until the big one
    type: integer
    required: true
---
Only {{ 100 // (years - 3) }} more sleeps.
"""


@pytest.fixture
def templates_with_a_failing_example(tmp_path):
    templates = copy_bundled_templates(tmp_path)
    (templates / "birthday-countdown.jinja").write_text(COUNTDOWN)
    (templates / "examples" / "birthday-countdown.json").write_text(
        json.dumps({"sender_name": "Ana", "recipient_name": "Teo", "years": 3}))
    return templates


def first_template(templates, tmp_path):
    app = create_app({"SECRET_KEY": "x", "TEMPLATES": str(templates), "INSTANCE_PATH": str(tmp_path / "i")})
    return app.extensions["letterhouse.letters.catalog"].templates()[0].slug


def wait_for_new_workers(server, old, count, timeout=90):
    """Wait until the master has `count` workers, none of them in `old`; return their pids."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = server.worker_pids()
        if len(pids) == count and not set(pids) & set(old):
            return pids
        assert server.process.poll() is None, f"the master exited:\n{server.log_text()}"
        time.sleep(0.2)
    raise AssertionError(f"no replacement workers after {timeout} s:\n{server.log_text()}")


def wait_for_log(server, text, times, timeout=60):
    deadline = time.monotonic() + timeout
    while server.log_text().count(text) < times:
        assert time.monotonic() < deadline, f"{text!r} logged fewer than {times} times:\n{server.log_text()}"
        time.sleep(0.2)


def test_warm_up_skips_a_failing_example_and_never_raises(templates_with_a_failing_example, tmp_path, caplog):
    app = create_app({"SECRET_KEY": "x", "TEMPLATES": str(templates_with_a_failing_example),
                      "INSTANCE_PATH": str(tmp_path / "instance")})

    warm_up(app)

    assert "Warm-up skipped the example of birthday-countdown" in caplog.text
    assert "integer division or modulo by zero" in caplog.text


def test_killed_workers_come_back_and_write_letters(templates_with_a_failing_example, tmp_path):
    assert first_template(templates_with_a_failing_example, tmp_path) == "birthday-countdown"
    with letterhouse_serve(tmp_path, templates=templates_with_a_failing_example, workers=2) as server:
        first_workers = server.worker_pids()
        for pid in first_workers:
            os.kill(pid, signal.SIGKILL)

        wait_for_new_workers(server, first_workers, count=2)
        visitor = Visitor(server)
        token = csrf_token(visitor.open_form("anniversary").text)
        preview = visitor.preview("anniversary", {**ANNIVERSARY, "recipient_name": "Hana Sato"}, token)
        download = visitor.download("anniversary", preview.text)

        assert download.status == 200
        assert "Dear Hana," in pdf_text(download.body)
        wait_for_log(server, "Warm-up skipped the example of birthday-countdown", times=4)  # 2 first + 2 new
