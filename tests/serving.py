"""`letterhouse serve` for tests: the real console script (gunicorn) on a free loopback port, and visitors to it.

The one place the suite starts the production server: the server tests and the browser
stories both use it, so they meet the site as people do. The server runs in its own process
group and is always stopped, group and all, when the test is done.
"""

import contextlib
import html
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90  # seconds; each worker warms up before answering, on a shared two-core machine
STOP_TIMEOUT = 15
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
HIDDEN_FIELD = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def free_port():
    """Return a TCP port on 127.0.0.1 that nothing listens on just now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def letterhouse_command():
    """Return the installed `letterhouse` console script, as a person runs it."""
    script = Path(sys.executable).with_name("letterhouse")
    return [str(script)] if script.exists() else [shutil.which("letterhouse") or "letterhouse"]


@dataclass
class RunningServer:
    """A `letterhouse serve` process: where it answers, its template folder and its log."""

    url: str
    process: subprocess.Popen
    templates: Path
    log: Path

    def __call__(self, path="/"):
        return self.url + path

    @property
    def port(self):
        return int(self.url.rsplit(":", 1)[1])

    def worker_pids(self):
        """Return the pids of gunicorn's workers (the master's children but its batch runner)."""
        return sorted(child.pid for child in psutil.Process(self.process.pid).children() if not is_runner(child))

    def runner_pids(self):
        """Return the pid of the batch runner the master keeps (`letterhouse worker`), if it is running."""
        return sorted(child.pid for child in psutil.Process(self.process.pid).children() if is_runner(child))

    def log_text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def is_runner(process):
    try:
        return "worker" in process.cmdline()[-2:]
    except psutil.NoSuchProcess:
        return False


def server_environment(root, templates, extra):
    """Return the environment of a test server: its own instance folder, templates and secret."""
    return {**os.environ, "LETTERHOUSE_INSTANCE_PATH": str(root / "instance"),
            "LETTERHOUSE_TEMPLATES": str(templates), "LETTERHOUSE_SECRET_KEY": "serving-tests",
            "LETTERHOUSE_BATCH_WORKERS": "1", **under_libfaketime(), **(extra or {})}


def under_libfaketime():
    """Settings a server needs when the suite runs under libfaketime (`faketime DATE pytest`).

    gunicorn's master judges a worker stuck by comparing `time.monotonic()` with the mtime of the
    worker's heartbeat file, which the kernel stamps with the real time until the worker's first
    beat. libfaketime makes the monotonic clock read like a date, so every replacement worker
    looks stuck the moment it is born and is killed in a loop. The server runs under the fake date
    all the same; only gunicorn's stuck-worker timer is off.
    """
    return {"LETTERHOUSE_SERVER_TIMEOUT": "0"} if "faketime" in os.environ.get("LD_PRELOAD", "") else {}


@contextlib.contextmanager
def letterhouse_serve(root, templates=None, workers=2, threads=None, environment=None):
    """Run `letterhouse serve` on a free port until the block ends; yield a RunningServer once it answers."""
    root = Path(root)
    templates = templates or copy_bundled_templates(root)
    command = letterhouse_command() + ["serve", "--host", "127.0.0.1", "--port", str(free_port()),
                                       "--workers", str(workers)] + (["--threads", str(threads)] if threads else [])
    log = root / "server.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
                                   env=server_environment(root, templates, environment), cwd=root)
    server = RunningServer(f"http://127.0.0.1:{command[command.index('--port') + 1]}", process, templates, log)
    try:
        wait_until_answering(server)
        yield server
    finally:
        stop(process)


def copy_bundled_templates(root):
    """Copy the bundled templates into root, for a server a test may add to or break."""
    templates = root / "letter_templates"
    if not templates.exists():
        shutil.copytree(PROJECT / "letter_templates", templates)
    return templates


def wait_for(condition, timeout, what):
    """Return condition()'s first true value, asking every 0.2 s; fail saying what never came within timeout s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout} s")


def wait_until_answering(server, timeout=START_TIMEOUT):
    """Wait until /healthz answers 200; fail with the server's log if it exits or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"letterhouse serve exited ({server.process.returncode}):\n{server.log_text()}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(server("/healthz"), timeout=5) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    raise RuntimeError(f"letterhouse serve did not answer within {timeout} s:\n{server.log_text()}")


def stop(process):
    """Stop the server's whole process group: TERM, then KILL if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # any worker the master left behind
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_TIMEOUT)


@dataclass
class Answer:
    status: int
    headers: object
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


class Visitor:
    """One person at the site over real HTTP, with their own cookie jar: open a form, preview, download."""

    def __init__(self, server, timeout=60):
        self.server, self.timeout = server, timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path, data=None):
        """GET (or POST form data, a list of pairs) and return the Answer, whatever its status."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.server(path), data=body, timeout=self.timeout) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def open_form(self, slug):
        return self.request(f"/letters/{slug}")

    def preview(self, slug, values, token):
        return self.request(f"/letters/{slug}", [*values.items(), ("csrf_token", token), ("action", "preview")])

    def download(self, slug, preview_html):
        token = [("csrf_token", csrf_token(preview_html))]
        return self.request(f"/letters/{slug}/letter.pdf", carried(preview_html) + token)


def csrf_token(page_html):
    """Return the CSRF token a page's form carries."""
    return CSRF_FIELD.search(page_html).group(1)


def carried(preview_html):
    """Return the hidden values a preview page carries (its letter), as (name, value) pairs."""
    return [(name, html.unescape(value)) for name, value in HIDDEN_FIELD.findall(preview_html) if name != "csrf_token"]
