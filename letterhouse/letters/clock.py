"""The one place Letterhouse asks what day it is, so a test (and a server it starts) can pin the day."""

import datetime
import os

# Test-only: pins "today" for this process and every process it starts, e.g. LETTERHOUSE_TODAY=2026-06-15.
TODAY_VARIABLE = "LETTERHOUSE_TODAY"


def today():
    """Return today's date, or the date pinned in LETTERHOUSE_TODAY.

    :raise ValueError: when LETTERHOUSE_TODAY is set but is not a date like 2026-06-15.
    """
    pinned = os.environ.get(TODAY_VARIABLE, "").strip()
    if not pinned:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(pinned)
    except ValueError:
        raise ValueError(f"{TODAY_VARIABLE} must be a date like 2026-06-15, not {pinned!r}") from None
