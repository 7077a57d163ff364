"""Who is asking: a stable, anonymous name for the client of a request, for per-client limits."""

import hashlib

from flask import has_request_context, request


def requesting_client():
    """Return a stable, anonymous name for who is asking: their API token, else their address."""
    authorization = request.headers.get("Authorization", "") if has_request_context() else ""
    who = authorization or (request.remote_addr if has_request_context() else "") or "local"
    return hashlib.sha256(who.encode()).hexdigest()[:16]
