"""Callbacks: a batch that ends is POSTed, signed, to the studio's receiver; retried with backoff; never inward."""

import datetime
import hashlib
import hmac
import json
import socket

import pytest
from callback_receiver import Receiver
from conftest import BUNDLED_TEMPLATES

from letterhouse.batch.callback_urls import AllowedHosts, CallbackRefused, read_callback_url, resolved_target
from letterhouse.batch.callbacks import (
    LEASE,
    MAX_ATTEMPTS,
    SIGNATURE_HEADER,
    Callbacks,
    callback_secret,
    retry_delay,
)
from letterhouse.batch.checking import check_rows
from letterhouse.batch.job_records import JobStore, utc_now
from letterhouse.batch.job_tables import database_engine, upgrade_database
from letterhouse.batch.rows import read_rows
from letterhouse.config import load_settings
from letterhouse.letters.catalog import catalog_from_config

ROWS = b"sender_name,recipient_name,years\nSam,Chris,12\n"
OWNER = "token:0123456789abcdef"


# --- which URLs may be called ---

def fake_dns(table):
    """Return a getaddrinfo that knows only the names in table ({name: [address, ...]})."""

    def resolve(host, port, type=0):
        if host not in table:
            raise socket.gaierror(f"unknown host {host}")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, type, 6, "", (a, port)) for a in table[host]]

    return resolve


@pytest.mark.parametrize(("url", "says"), [
    ("ftp://hooks.studio.example/x", "http:// or https://"),
    ("file:///etc/passwd", "http:// or https://"),
    ("/relative/path", "http:// or https://"),
    ("https://user:pass@hooks.studio.example/x", "user name or password"),
    ("https://hooks.studio.example@169.254.169.254/x", "user name or password"),
    ("https://hooks.studio.example/with space", "without spaces"),
    ("https://evil.example/x", "“evil.example” is not one of them"),
    ("https://hooks.studio.example.evil.example/x", "is not one of them"),
    ("http://169.254.169.254/latest/meta-data", "“169.254.169.254” is not one of them"),
    ("http://[::1]:8080/x", "“::1” is not one of them"),
    ("https://hooks.studio.example:99999/x", "cannot be read"),
])
def test_a_callback_url_off_the_list_or_of_the_wrong_kind_is_refused(url, says):
    with pytest.raises(CallbackRefused, match=says.replace("(", r"\(").replace(")", r"\)")):
        read_callback_url(url, AllowedHosts.from_setting("hooks.studio.example, *.north.example"))


def test_with_no_hosts_listed_no_callback_url_is_taken():
    with pytest.raises(CallbackRefused, match="CALLBACK_HOSTS setting is empty"):
        read_callback_url("https://hooks.studio.example/x", AllowedHosts.from_setting(""))


def test_listed_names_and_subdomains_are_taken_as_they_are_written():
    allowed = AllowedHosts.from_setting("Hooks.Studio.Example., *.north.example")
    target = read_callback_url("https://HOOKS.studio.example./in?x=1", allowed)
    assert (target.scheme, target.host, target.port, target.path) == ("https", "hooks.studio.example", 443, "/in?x=1")
    assert read_callback_url("http://a.b.north.example:8080", allowed).port == 8080
    with pytest.raises(CallbackRefused):
        read_callback_url("https://north.example/", allowed)  # *.north.example means its subdomains


def test_a_listed_name_that_resolves_inward_is_refused_unless_its_address_is_listed_too():
    dns = fake_dns({"hooks.studio.example": ["93.184.215.14", "10.0.0.5"],
                    "metadata.studio.example": ["169.254.169.254"], "mapped.studio.example": ["::ffff:127.0.0.1"],
                    "public.studio.example": ["8.8.8.8"]})
    allowed = AllowedHosts.from_setting("*.studio.example")
    for name, address in [("hooks", "10.0.0.5"), ("metadata", "169.254.169.254"), ("mapped", "127.0.0.1")]:
        with pytest.raises(CallbackRefused, match=f"resolves to {address}, an internal address"):
            resolved_target(f"https://{name}.studio.example/x", allowed, dns)
    assert resolved_target("https://public.studio.example/x", allowed, dns).address == "8.8.8.8"
    listed = AllowedHosts.from_setting("*.studio.example, 10.0.0.0/24")
    assert resolved_target("https://hooks.studio.example/x", listed, dns).address == "93.184.215.14"


def test_a_name_that_does_not_resolve_is_refused_saying_so():
    with pytest.raises(CallbackRefused, match="cannot be found"):
        resolved_target("https://gone.studio.example/x", AllowedHosts.from_setting("*.studio.example"), fake_dns({}))


# --- sending ---

@pytest.fixture
def store(database_url, tmp_path):
    engine = database_engine(database_url)
    upgrade_database(engine)
    yield JobStore(engine, tmp_path / "results", retention_hours=24)
    engine.dispose()


@pytest.fixture
def ended_job(store):
    """A batch that has just ended (done), as its runner leaves it."""
    template = catalog_from_config(load_settings({"TEMPLATES": str(BUNDLED_TEMPLATES)})).usable_template("anniversary")
    job = store.create(template.slug, ROWS, "csv", check_rows(template, read_rows(ROWS, "csv")), owner=OWNER,
                       metadata={"campaign": "june"})

    def end(state="done"):
        job.state, job.letters, job.pages, job.finished = state, 1, 1, utc_now()
        store.save(job)
        return job

    return job, end


def callbacks_for(store, first_retry=20.0):
    return Callbacks(store, "server-secret-key", AllowedHosts.from_setting("127.0.0.1"), first_retry)


def verified(secret, header, body):
    timestamp, signature = (part.split("=", 1)[1] for part in header.split(","))
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def test_a_batch_that_ends_is_posted_once_signed_with_its_clients_secret(store, ended_job):
    job, end = ended_job
    callbacks = callbacks_for(store)
    with Receiver() as receiver:
        callbacks.register(job.id, receiver.url, f"https://letters.example/api/v1/batches/{job.id}")
        assert callbacks.send_due() == 0 and receiver.deliveries == []  # not while it is being written
        end()
        assert callbacks.send_due() == 1
        assert callbacks.send_due() == 0  # once
    [delivery] = receiver.deliveries
    assert delivery.path == "/hooks/letterhouse?studio=north" and delivery.headers["content-type"] == "application/json"
    assert verified(callback_secret("server-secret-key", OWNER), delivery.headers[SIGNATURE_HEADER.lower()],
                    delivery.body)
    assert not verified(callback_secret("server-secret-key", "token:someone-else"),
                        delivery.headers[SIGNATURE_HEADER.lower()], delivery.body)
    status = json.loads(delivery.body)
    assert (status["id"], status["state"], status["letters"], status["metadata"]) == (job.id, "done", 1,
                                                                                       {"campaign": "june"})
    assert status["result_url"] == f"https://letters.example/api/v1/batches/{job.id}/result"
    assert callbacks.state(job.id) == {"url": receiver.url, "state": "delivered", "attempts": 1, "last_error": ""}


def test_a_failed_callback_is_tried_again_later_and_later_then_given_up(store, ended_job):
    job, end = ended_job
    callbacks = callbacks_for(store)
    end("failed")
    with Receiver(answers=[500] * MAX_ATTEMPTS) as receiver:
        callbacks.register(job.id, receiver.url, "https://letters.example/x")
        now = utc_now()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            assert callbacks.send_due(now) == 0
            state = callbacks.state(job.id)
            assert state["attempts"] == attempt and "answered 500" in state["last_error"]
            if attempt < MAX_ATTEMPTS:
                wait = datetime.timedelta(seconds=retry_delay(attempt, 20.0))
                assert callbacks.due(now + wait - datetime.timedelta(seconds=2)) == []  # not before its time
                now += wait + datetime.timedelta(seconds=1)
        assert state["state"] == "failed" and len(receiver.deliveries) == MAX_ATTEMPTS
        assert callbacks.due(now + datetime.timedelta(days=1)) == []
    assert [retry_delay(n, 20.0) for n in range(1, MAX_ATTEMPTS)] == [20, 60, 180, 540]  # about 13 minutes in all


def test_a_receiver_that_answers_at_the_third_try_gets_it_then(store, ended_job):
    job, end = ended_job
    callbacks = callbacks_for(store, first_retry=0)
    end()
    with Receiver(answers=[503, 302]) as receiver:
        callbacks.register(job.id, receiver.url, "https://letters.example/x")
        assert [callbacks.send_due(), callbacks.send_due()] == [0, 0]
        assert "do not follow redirects" in callbacks.state(job.id)["last_error"]
        assert callbacks.send_due() == 1
    assert callbacks.state(job.id)["state"] == "delivered" and len(receiver.deliveries) == 3


def test_a_callback_whose_sender_died_mid_send_is_taken_back_after_its_lease(store, ended_job):
    job, end = ended_job
    callbacks = callbacks_for(store)
    end()
    with Receiver() as receiver:
        callbacks.register(job.id, receiver.url, "https://letters.example/x")
        [due] = callbacks.due()
        assert callbacks.claim(due, utc_now()) and not callbacks.claim(due, utc_now())  # one sender takes it, dies
        assert callbacks.due() == []
        assert callbacks.send_due(utc_now() + LEASE + datetime.timedelta(seconds=1)) == 1
    assert callbacks.state(job.id)["attempts"] == 2


def test_a_host_taken_off_the_list_meanwhile_is_not_called(store, ended_job):
    job, end = ended_job
    end()
    with Receiver() as receiver:
        callbacks_for(store).register(job.id, receiver.url, "https://letters.example/x")
        later = Callbacks(store, "server-secret-key", AllowedHosts.from_setting("hooks.studio.example"), 20)
        assert later.send_due() == 0
    assert receiver.deliveries == [] and "not one of them" in later.state(job.id)["last_error"]


def test_a_removed_batch_takes_its_callback_with_it(store, ended_job):
    job, end = ended_job
    callbacks = callbacks_for(store)
    callbacks.register(job.id, "http://127.0.0.1:9/x", "https://letters.example/x")
    store.delete(end())
    assert callbacks.state(job.id) is None and callbacks.due() == []
