"""Slow clients and slow letters cannot hold `letterhouse serve`: /healthz and letters still answer promptly."""

import json
import socket
import threading
import time
import urllib.request

import pytest
from conftest import pdf_text
from serving import Visitor, copy_bundled_templates, csrf_token, letterhouse_serve

from letterhouse import create_app
from letterhouse.letters.letter import validate_mapping
from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.pdf import LetterTooSlow

TIME_LIMIT = 3  # seconds, for the server below
LONG_STORY = """---
title: A long story
description: Tell them everything, at whatever length.
occasion: thanks
fields:
  - name: story
    label: The whole story
    type: text
    required: true
---
{% for a in story %}{% for b in story %}{% endfor %}{% endfor %}{{ story }}
"""
# The body dwells on every pair of characters: 500 million steps, far past the time limit on any
# machine, while each step stays within what the sandbox allows.
ENDLESS_STORY = "We walked along the harbour wall and talked about everything and nothing. " * 300


class SlowClient:
    """Someone on a bad line: sends a request one byte at a time and never finishes it."""

    def __init__(self, port, interval=0.2):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.request = (f"POST /api/v1/letters/thank-you HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                        "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"what\": \"").encode()
        self.interval, self.stopped = interval, threading.Event()
        self.thread = threading.Thread(target=self.trickle, daemon=True)
        self.thread.start()

    def trickle(self):
        for index in range(len(self.request) + 100_000):
            if self.stopped.wait(self.interval):
                return
            try:
                self.sock.send(self.request[index:index + 1] or b"x")
            except OSError:
                return

    def close(self):
        self.stopped.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("slow")
    templates = copy_bundled_templates(root)
    (templates / "long-story.jinja").write_text(LONG_STORY)
    environment = {"LETTERHOUSE_RENDER_TIME_LIMIT": str(TIME_LIMIT), "LETTERHOUSE_TEXT_MAX_LENGTH": "500000"}
    with letterhouse_serve(root, templates=templates, workers=2, environment=environment) as running:
        yield running


@pytest.fixture
def slow_clients(server):
    clients = [SlowClient(server.port) for _ in range(3)]
    time.sleep(1.5)  # each has sent a few bytes: whatever reads them is now waiting for more
    yield clients
    for client in clients:
        client.close()


def timed(function, *args):
    started = time.monotonic()
    result = function(*args)
    return result, time.monotonic() - started


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def post_json(url, data):
    request = urllib.request.Request(url, json.dumps(data).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def test_healthz_and_a_letter_answer_while_three_clients_trickle_their_requests(server, slow_clients):
    (status, body), health_seconds = timed(get, server("/healthz"))
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert health_seconds < 5, f"/healthz took {health_seconds:.1f} s behind three slow clients"

    letter = {"sender_name": "Ada", "recipient_name": "Grace Hopper", "what": "the loan of your bicycle"}
    (status, pdf), letter_seconds = timed(post_json, server("/api/v1/letters/thank-you"), letter)
    assert status == 200 and "Dear Grace," in pdf_text(pdf)
    assert letter_seconds < 15, f"a letter took {letter_seconds:.1f} s behind three slow clients"
    assert all(not client.stopped.is_set() for client in slow_clients)  # they were still trickling


def test_a_letter_too_slow_to_write_is_refused_in_time_by_the_threaded_server(server):
    visitor = Visitor(server)
    token = csrf_token(visitor.open_form("long-story").text)
    values = {"sender_name": "Sam", "recipient_name": "Chris", "story": ENDLESS_STORY}

    answer, seconds = timed(visitor.preview, "long-story", values, token)

    assert answer.status == 422
    assert f"took more than {TIME_LIMIT} seconds" in answer.text
    assert seconds < TIME_LIMIT + 10, f"refused only after {seconds:.1f} s"
    assert "Using worker: gthread" in server.log_text()


def test_the_time_limit_holds_on_a_thread_as_on_the_main_thread(tmp_path):
    app = create_app({"SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)})
    template = app.extensions["letterhouse.letters.catalog"].get("thank-you")
    with app.app_context():
        letter, _ = validate_mapping(template, {"sender_name": "Ada", "recipient_name": "Grace", "what": "tea"})
    outcome = {}

    def write(seconds):
        try:
            outcome[seconds] = write_letter_pdf(letter, seconds=seconds).page_count
        except LetterTooSlow as refusal:
            outcome[seconds] = str(refusal)

    for seconds in (0.001, 30):
        thread = threading.Thread(target=write, args=(seconds,))
        thread.start()
        thread.join(timeout=60)

    assert outcome == {0.001: "This letter took more than 0.001 seconds to write out; please shorten it.", 30: 1}
