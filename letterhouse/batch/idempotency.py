"""Idempotency keys: the first answer to a request sent with a key, kept a day and given again to the same request.

A client that sends `Idempotency-Key: <key>` with a POST may send it again (after a timeout, a lost connection)
and get the first answer rather than a second letter or batch. The key is the client's own (keys of different
clients never meet); the request is known by a hash of its method, path, query, content type and body. Only
answers that did something (2xx) are kept: after an error the same request may simply be tried again.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from letterhouse.batch.job_tables import idempotency_keys

KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as a header carries it
LIFETIME = datetime.timedelta(hours=24)
ABANDONED_AFTER = datetime.timedelta(minutes=10)  # a request begun and never answered (its process died)


class KeyInUse(Exception):
    """A request with this key is being answered right now."""


class KeyReused(Exception):
    """The key was first sent with a different request."""


@dataclass(frozen=True)
class KeptAnswer:
    """The first answer to a request with a key: its status, its headers [[name, value], ...] and its body."""

    status: int
    headers: list
    body: bytes


def request_hash(method, path, query, content_type, body):
    """Return the SHA-256 (hex) that tells one request from another."""
    digest = hashlib.sha256()
    for part in (method, path, query, content_type):
        digest.update(str(part).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(body)
    return digest.hexdigest()


class IdempotencyKeys:
    """The first answers to requests with keys, in the database every web host shares."""

    def __init__(self, engine, lifetime=LIFETIME):
        self.engine, self.lifetime = engine, lifetime

    def begin(self, owner, key, fingerprint):
        """Return the kept answer to this request, or None after reserving the key for it, to be answered.

        :raise KeyReused: when the key was sent with another request. :raise KeyInUse: while it is being answered.
        """
        now = datetime.datetime.now(datetime.UTC)
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(idempotency_keys).values(
                    owner=owner, key=key, request_hash=fingerprint, state="started", status=0, headers=[], body=b"",
                    created=now, expires=now + self.lifetime))
            return None
        except IntegrityError:
            pass
        kept = self.kept(owner, key)
        if kept is None or kept.expires <= now or (kept.state == "started" and now - kept.created > ABANDONED_AFTER):
            self.forget(owner, key)
            return self.begin(owner, key, fingerprint)
        if kept.request_hash != fingerprint:
            raise KeyReused(key)
        if kept.state == "started":
            raise KeyInUse(key)
        return KeptAnswer(kept.status, kept.headers, kept.body)

    def kept(self, owner, key):
        with self.engine.connect() as connection:
            return connection.execute(select(idempotency_keys).where(
                idempotency_keys.c.owner == owner, idempotency_keys.c.key == key)).first()

    def answer(self, owner, key, status, headers, body):
        """Keep the answer to the request the key was reserved for."""
        with self.engine.begin() as connection:
            connection.execute(update(idempotency_keys).where(
                idempotency_keys.c.owner == owner, idempotency_keys.c.key == key).values(
                state="answered", status=status, headers=[list(pair) for pair in headers], body=body))

    def forget(self, owner, key):
        """Let the key go, so the request may be tried afresh (its answer was an error)."""
        with self.engine.begin() as connection:
            connection.execute(delete(idempotency_keys).where(
                idempotency_keys.c.owner == owner, idempotency_keys.c.key == key))



def remove_expired_answers(engine, now):
    """Delete the answers kept past their day."""
    with engine.begin() as connection:
        connection.execute(delete(idempotency_keys).where(idempotency_keys.c.expires < now))
