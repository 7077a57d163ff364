"""Rate limits: how many requests a client may make in a fixed window, counted in the database every web host shares.

A limit is written like "60/minute" (per second, minute, hour or day). Its headers are those of the IETF draft
"RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy: "letters";q=60;w=60`
says the policy, `RateLimit: "letters";r=59;t=42` what is left of it and in how many seconds it is renewed.
"""

import math
import re
import time
from dataclasses import dataclass

from sqlalchemy import case, delete
from sqlalchemy.dialects import postgresql, sqlite

from letterhouse.batch.job_tables import rate_windows

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
RATE = re.compile(r"\s*([0-9]+)\s*/\s*(second|minute|hour|day)s?\s*", re.IGNORECASE)
UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class RateLimit:
    """A policy: its name, the requests it allows (its quota) and the window they are counted in, in seconds."""

    name: str
    quota: int
    window: int

    @classmethod
    def from_setting(cls, name, text):
        """Return the limit a setting like "60/minute" names, or None for an empty one (no limit).

        :raise ValueError: for anything else, saying what is expected
        """
        if not str(text or "").strip():
            return None
        match = RATE.fullmatch(str(text))
        if not match or int(match.group(1)) < 1:
            raise ValueError(f"A rate limit is a number of requests per second, minute, hour or day, like "
                             f"“60/minute”, not “{text}”.")
        return cls(name, int(match.group(1)), PERIODS[match.group(2).lower()])

    @property
    def policy_header(self):
        return f'"{self.name}";q={self.quota};w={self.window}'


@dataclass(frozen=True)
class RateCount:
    """A request counted against a limit: how many the window has seen with it, and seconds until it is renewed."""

    limit: RateLimit
    used: int
    reset: int

    @property
    def allowed(self):
        return self.used <= self.limit.quota

    @property
    def remaining(self):
        return max(0, self.limit.quota - self.used)

    def headers(self):
        """Return the RateLimit and RateLimit-Policy headers, and Retry-After once the limit is reached."""
        headers = {"RateLimit-Policy": self.limit.policy_header,
                   "RateLimit": f'"{self.limit.name}";r={self.remaining};t={self.reset}'}
        return headers if self.allowed else {**headers, "Retry-After": str(self.reset)}


def count_request(engine, limit, client, now=None):
    """Count one request of a client's against a limit, atomically on any number of hosts; return its RateCount."""
    now = time.time() if now is None else now
    window = int(now // limit.window) * limit.window
    table = rate_windows.c
    upsert = UPSERTS[engine.dialect.name](rate_windows).values(client=client, name=limit.name, window=window, count=1)
    upsert = upsert.on_conflict_do_update(
        index_elements=["client", "name"],
        set_={"count": case((table.window == window, table.count + 1), else_=1), "window": window},
    ).returning(table.count)
    with engine.begin() as connection:
        used = connection.execute(upsert).scalar_one()
    return RateCount(limit, used, max(1, math.ceil(window + limit.window - now)))


def remove_old_windows(engine, now):
    """Delete the counts of windows two days old or more (no window is longer than a day); now is seconds."""
    with engine.begin() as connection:
        connection.execute(delete(rate_windows).where(rate_windows.c.window < now - PERIODS["day"] * 2))
