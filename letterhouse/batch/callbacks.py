"""Callbacks: when a batch ends, its status is POSTed to the URL its client named, signed, retried with backoff.

The body is the batch's status as GET /api/v1/batches/{id} shows it, its links absolute. The header
`Letterhouse-Signature: t=<unix time>,v1=<hex>` holds HMAC-SHA256 over "<t>.<body>", keyed with the client's
callback secret (callback_secret: derived from SECRET_KEY and the client, so every host derives the same one).
A send fails on a network error or any answer but 2xx (redirects are not followed); it is tried MAX_ATTEMPTS
times, waiting first_retry seconds, then three times as long each time (20 s: about 13 minutes in all).
Any process may send them: each callback due is claimed in the database by one sender, for LEASE.
"""

import datetime
import hashlib
import hmac
import json
import logging
import socket
import threading
import time

from sqlalchemy import and_, insert, or_, select, update

from letterhouse.batch.callback_urls import AllowedHosts, CallbackRefused, pinned_connection, resolved_target
from letterhouse.batch.job_records import utc_now
from letterhouse.batch.job_status import job_status
from letterhouse.batch.job_tables import UNFINISHED, batch_callbacks, batch_jobs
from letterhouse.config import secret_key

LOGGER = logging.getLogger(__name__)
SIGNATURE_HEADER = "Letterhouse-Signature"
MAX_ATTEMPTS = 5
BACKOFF = 3  # each wait is this many times the one before
SEND_TIMEOUT = 10.0  # seconds to connect, and to wait for the answer
LEASE = datetime.timedelta(seconds=60)  # a send its process never finished (it died) is tried again after this
ANSWER_BYTES = 64 * 1024  # of an answer's body read, then ignored
WAITING, SENDING, RETRYING, DELIVERED, FAILED = "waiting", "sending", "retrying", "delivered", "failed"


def callback_secret(secret_key, owner):
    """Return the secret a client's callbacks are signed with: HMAC-SHA256 of SECRET_KEY over the client's name."""
    digest = hmac.new(str(secret_key).encode(), b"letterhouse-callback-secret\0" + owner.encode(), hashlib.sha256)
    return "whsec_" + digest.hexdigest()


def signature_header(secret, timestamp, body):
    """Return the Letterhouse-Signature header's value for a body sent at a time (whole seconds since the epoch)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def retry_delay(attempts, first_retry):
    """Return the seconds to wait after a failed attempt (the first is attempt 1)."""
    return first_retry * BACKOFF ** (attempts - 1)


class Callbacks:
    """The callbacks of batches in the database: registered with a batch, sent once it ends, retried, recorded.

    :param hosts: callback_urls.AllowedHosts, checked again at every attempt
    :param resolve: getaddrinfo, or a stand-in for tests
    """

    def __init__(self, store, secret_key, hosts, first_retry=20.0, resolve=socket.getaddrinfo):
        self.store, self.engine = store, store.engine
        self.secret_key, self.hosts, self.first_retry = secret_key, hosts, float(first_retry)
        self.resolve = resolve

    def register(self, job_id, url, status_url):
        """Record that a batch's status is to be POSTed to url when it ends; status_url is its absolute address."""
        with self.engine.begin() as connection:
            connection.execute(insert(batch_callbacks).values(job_id=job_id, url=url, status_url=status_url,
                                                              state=WAITING, attempts=0, last_error=""))

    def state(self, job_id):
        """Return a batch's callback as the status shows it (url, state, attempts, last_error), or None."""
        with self.engine.connect() as connection:
            row = connection.execute(select(batch_callbacks).where(batch_callbacks.c.job_id == job_id)).first()
        if row is None:
            return None
        return {"url": row.url, "state": row.state, "attempts": row.attempts, "last_error": row.last_error}

    def due(self, now=None):
        """Return the callbacks to send now: of batches just ended, retries whose time has come, abandoned sends."""
        now = now or utc_now()
        c = batch_callbacks.c
        query = select(batch_callbacks).join(batch_jobs, batch_jobs.c.id == c.job_id).where(or_(
            and_(c.state == WAITING, batch_jobs.c.state.not_in((*UNFINISHED, "checked"))),
            and_(c.state.in_((RETRYING, SENDING)), c.next_attempt <= now)))
        with self.engine.connect() as connection:
            return connection.execute(query).all()

    def pending(self):
        """Return whether any callback may still be sent: waiting for its batch, or to be tried again."""
        with self.engine.connect() as connection:
            return connection.execute(select(batch_callbacks.c.job_id).where(
                batch_callbacks.c.state.in_((WAITING, SENDING, RETRYING))).limit(1)).first() is not None

    def send_due(self, now=None):
        """Send every callback due (at now, by default the present) that this process claims; return how many were
        delivered."""
        now = now or utc_now()
        return sum(self.send(row, now) for row in self.due(now) if self.claim(row, now))

    def claim(self, row, now):
        """Take a due callback for this process, for LEASE, counting the attempt; return whether it was taken."""
        c = batch_callbacks.c
        values = dict(state=SENDING, attempts=row.attempts + 1, next_attempt=now + LEASE)
        if row.attempts >= MAX_ATTEMPTS:  # its last attempt's process died mid-send
            values = dict(state=FAILED, next_attempt=None)
        with self.engine.begin() as connection:
            taken = connection.execute(update(batch_callbacks).where(
                c.job_id == row.job_id, c.state == row.state, c.attempts == row.attempts).values(**values)).rowcount
        return taken == 1 and values["state"] == SENDING

    def send(self, row, now):
        """Make one attempt at a claimed callback and record how it went; return whether it was delivered."""
        attempt = row.attempts + 1
        job = self.store.get(row.job_id)
        if job is None:  # removed meanwhile: there is nothing left to tell
            return self.record(row.job_id, attempt, FAILED, "The batch was removed before its callback was sent.", now)
        try:
            answer = self.post(row.url, self.body(job, row.status_url), callback_secret(self.secret_key, job.owner),
                               attempt)
        except (CallbackRefused, OSError) as error:
            answer = str(error) or type(error).__name__
        if answer is None:
            return self.record(row.job_id, attempt, DELIVERED, "", now)
        state = FAILED if attempt >= MAX_ATTEMPTS else RETRYING
        LOGGER.warning("Callback of batch %s, attempt %s: %s", row.job_id, attempt, answer)
        return self.record(row.job_id, attempt, state, answer, now)

    def body(self, job, status_url):
        return json.dumps(job_status(job, status_url), ensure_ascii=False).encode("utf-8")

    def post(self, url, body, secret, attempt):
        """POST a signed body to a callback URL, resolved and checked now; return None if it was taken, else why not."""
        target = resolved_target(url, self.hosts, self.resolve)
        headers = {"Content-Type": "application/json", "User-Agent": "Letterhouse-Callback/1",
                   SIGNATURE_HEADER: signature_header(secret, int(time.time()), body),
                   "Letterhouse-Attempt": str(attempt)}
        connection = pinned_connection(target, SEND_TIMEOUT)
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            answer = connection.getresponse()
            answer.read(ANSWER_BYTES)
        finally:
            connection.close()
        if 200 <= answer.status < 300:
            return None
        redirect = " (callbacks do not follow redirects)" if 300 <= answer.status < 400 else ""
        return f"The callback URL answered {answer.status} {answer.reason}{redirect}."

    def record(self, job_id, attempt, state, message, now):
        """Record an attempt's outcome, unless another process has taken the callback since; return if delivered."""
        c = batch_callbacks.c
        retry = now + datetime.timedelta(seconds=retry_delay(attempt, self.first_retry)) if state == RETRYING else None
        with self.engine.begin() as connection:
            connection.execute(update(batch_callbacks).where(c.job_id == job_id, c.attempts == attempt,
                                                             c.state == SENDING).values(
                state=state, last_error=message[:1000], next_attempt=retry,
                delivered=now if state == DELIVERED else None))
        return state == DELIVERED


def callbacks_from_config(store, config):
    """Return the Callbacks of a job store, with the settings' hosts, retry wait and secret key."""
    return Callbacks(store, secret_key(config), AllowedHosts.from_setting(config["CALLBACK_HOSTS"]),
                     config["CALLBACK_RETRY_SECONDS"])


def send_forever(callbacks, stop=None, poll=2.0):
    """Send callbacks as they fall due, every poll seconds, on a daemon thread, until stop (an Event) is set."""
    stop = stop or threading.Event()

    def send():
        while not stop.is_set():
            try:
                callbacks.send_due()
            except Exception:  # a database away for a moment must not end the sending
                LOGGER.exception("Could not send the callbacks due")
            stop.wait(poll)

    threading.Thread(target=send, name="letterhouse-callbacks", daemon=True).start()
    return stop


class CallbackSender:
    """A thread in this process that sends callbacks while any may still be sent, started again when woken.

    For an app that writes batches on a thread of its own (tests, the development server); a runner process
    or a Celery worker runs send_forever instead.
    """

    def __init__(self, callbacks, poll=1.0):
        self.callbacks, self.poll = callbacks, poll
        self.lock = threading.Lock()
        self.thread = None

    def wake(self):
        """Make sure the thread runs if any callback may still be sent."""
        with self.lock:
            if self.thread is None and self.callbacks.pending():
                self.thread = threading.Thread(target=self.run, name="letterhouse-callbacks", daemon=True)
                self.thread.start()

    def run(self):
        while not self.finished():
            try:
                self.callbacks.send_due()
            except Exception:  # a database away for a moment: try again at the next poll
                LOGGER.exception("Could not send the callbacks due")
            time.sleep(self.poll)

    def finished(self):
        """Return whether no callback may still be sent, letting the thread go (under the lock wake takes)."""
        with self.lock:
            try:
                if self.callbacks.pending():
                    return False
            except Exception:  # the database is away: ask again at the next poll
                LOGGER.exception("Could not read the callbacks")
                return False
            self.thread = None
            return True
