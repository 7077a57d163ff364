"""Schemathesis hooks for tests/test_api_schemathesis.py: what a studio's client does that a document cannot say."""

import re
import uuid

import schemathesis

KEY = re.compile(r"[!-~]{1,255}")  # what the API takes as an Idempotency-Key (its document says the same)


@schemathesis.hook
def before_call(context, case, kwargs):
    """Send each request's well-formed Idempotency-Key as a key of its own, as a client makes one per request.

    Generated keys repeat across different bodies, which the API rightly refuses (422, idempotency-key-reused);
    a malformed key is left as it is, for the API to refuse.
    """
    headers = case.headers or {}
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and KEY.fullmatch(key):
        headers["Idempotency-Key"] = str(uuid.uuid4())
