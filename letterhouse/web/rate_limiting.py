"""Rate limits on API calls, per client: counted in the shared database, told in the IETF draft's headers."""

import functools

from flask import current_app, g

from letterhouse.batch.rate_limits import RateLimit, count_request
from letterhouse.web.clients import requesting_client
from letterhouse.web.jobs import job_store
from letterhouse.web.problems import ApiError

EXTENSION = "letterhouse.rate_limits"
LIMITS = {"letters": "LETTER_RATE_LIMIT"}  # each policy's name and the setting that says it


def init_app(app):
    """Read the rate-limit settings once, refusing to start with one that cannot be read; add their headers."""
    try:
        app.extensions[EXTENSION] = {name: RateLimit.from_setting(name, app.config[setting])
                                     for name, setting in LIMITS.items()}
    except ValueError as error:
        raise ValueError(f"{', '.join(LIMITS.values())}: {error}") from None
    app.after_request(rate_limit_headers)


def rate_limited(name):
    """Decorate a view so that each call counts against the client's share of the named limit; past it, a 429."""

    def decorator(view):
        @functools.wraps(view)
        def counted(*args, **kwargs):
            limit = current_app.extensions[EXTENSION][name]
            if limit is not None:
                g.rate_count = count_request(job_store().engine, limit, requesting_client())
                if not g.rate_count.allowed:
                    raise ApiError("rate-limited", f"You have asked for {limit.quota} letters in the last "
                                   f"{limit.window} seconds, as many as one client may; ask again in "
                                   f"{g.rate_count.reset} seconds.")
            return view(*args, **kwargs)

        return counted

    return decorator


def rate_limit_headers(response):
    """Tell a counted call's client where it stands, with its letter or its 429: RateLimit-Policy, RateLimit, and
    Retry-After once refused. (An error answer does not say it: its description would have to, on every call.)"""
    count = g.get("rate_count")
    if count is not None and (response.status_code < 300 or response.status_code == 429):
        response.headers.update(count.headers())
    return response
