"""A studio's webhook receiver for tests: a real HTTP server on a free loopback port, recording what is POSTed."""

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Delivery:
    """One POST the receiver took: its path, headers (lowercased names) and body."""

    path: str
    headers: dict
    body: bytes


class Receiver:
    """Answers each POST with the next status of `answers` (then 204), keeping every delivery."""

    def __init__(self, answers=()):
        self.answers = list(answers)
        self.deliveries = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/letterhouse?studio=north"

    def handler_class(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.deliveries.append(Delivery(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.answers.pop(0) if receiver.answers else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    def wait_for(self, count, timeout=60):
        """Wait until `count` deliveries have arrived; return them."""
        deadline = time.monotonic() + timeout
        while len(self.deliveries) < count:
            assert time.monotonic() < deadline, f"{len(self.deliveries)} of {count} callbacks arrived"
            time.sleep(0.05)
        return self.deliveries

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
