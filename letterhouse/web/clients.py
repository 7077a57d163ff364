"""Who is asking: a stable, anonymous name for the client of a request, for ownership and per-client limits."""

import hashlib
import secrets

from flask import g, request, session

SESSION_KEY = "batch_owner"


def requesting_client():
    """Return who is asking, hashed: the API token they were verified with (or, on an open API, their address);
    on the site, their browser session."""
    if "api" in request.blueprints:  # the API and the blueprints registered on it (its batches)
        token = g.get("api_token")
        return hashed("token", token) if token else hashed("address", request.remote_addr or "local")
    return hashed("session", session_owner())


def session_owner():
    """Return this browser session's own random name, giving it one (kept in the signed session cookie)."""
    if SESSION_KEY not in session:
        session[SESSION_KEY] = secrets.token_urlsafe(16)
        session.permanent = True  # a batch is kept a day: the session that owns it must outlive the browser
    return session[SESSION_KEY]


def hashed(kind, who):
    return f"{kind}:{hashlib.sha256(who.encode('utf-8', 'surrogateescape')).hexdigest()[:32]}"
