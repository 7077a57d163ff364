"""A short, bounded load test: concurrent clients on loopback against gunicorn, zero errors, flat memory."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from letterhouse.bench.sections import PeakMemory, free_port, post_many, wait_until_up

CLIENTS = 4
WARM_REQUESTS, MEASURED_REQUESTS = 5, 15  # per client; the whole test stops by itself in well under a minute


@pytest.fixture
def production_server(tmp_path):
    port = free_port()
    environment = {**os.environ, "LETTERHOUSE_SECRET_KEY": "load-test", "LETTERHOUSE_INSTANCE_PATH": str(tmp_path)}
    server = subprocess.Popen([sys.executable, "-m", "letterhouse.cli", "serve", "--port", str(port), "--workers", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}", server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def load(url, body, requests_per_client):
    latencies, errors = [], []
    threads = [threading.Thread(target=post_many, args=(url, body, requests_per_client, latencies, errors))
               for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return latencies, errors


def test_concurrent_letters_from_gunicorn_all_arrive_and_memory_stays_flat(production_server):
    base, server_pid = production_server
    example = json.loads(urllib.request.urlopen(f"{base}/api/v1/templates/thank-you").read())
    assert example["slug"] == "thank-you"
    body = json.dumps({"sender_name": "Ada", "recipient_name": "Grace", "what": "the loan of your bicycle"}).encode()
    url = f"{base}/api/v1/letters/thank-you"
    _, errors = load(url, body, WARM_REQUESTS)
    assert errors == []
    time.sleep(0.5)
    before = PeakMemory(server_pid).sample()
    latencies, errors = load(url, body, MEASURED_REQUESTS)
    after = PeakMemory(server_pid).sample()
    assert errors == []
    assert len(latencies) == CLIENTS * MEASURED_REQUESTS
    assert (after - before) / 2**20 < 25, f"server memory grew from {before >> 20} MB to {after >> 20} MB"
