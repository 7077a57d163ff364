"""Dates as people type them in a rows file: 14/02/2026, 2/14/2026, 14 Feb 2026, February 14, 2026, 2026-02-14.

Numbers alone (14/02/2026) are read in the one order chosen for the whole file, day first or
month first; ISO dates and dates with the month's name need no choice. A date that cannot be
read, or that would be read two ways when no order was chosen, is an error, never a guess.
"""

import calendar
import datetime
import re

DAY_FIRST, MONTH_FIRST = "day-first", "month-first"
DATE_ORDERS = {
    DAY_FIRST: "Day first: 14/02/2026 is 14 February",
    MONTH_FIRST: "Month first: 2/14/2026 is 14 February",
}
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9

ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
NUMBERS = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{2,4})")
DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
MONTH = r"([^\W\d_]+)\.?"
DAY_MONTH_YEAR = re.compile(rf"{DAY}\s+(?:of\s+)?{MONTH},?\s+(\d{{2,4}})", re.IGNORECASE)
MONTH_DAY_YEAR = re.compile(rf"{MONTH}\s+{DAY},?\s+(\d{{2,4}})", re.IGNORECASE)


def read_date(text, order=""):
    """Return the date a cell holds, as an ISO date string like '2026-02-14'.

    :param order: DAY_FIRST, MONTH_FIRST or "" (numbers alone are then read only when one reading is possible)
    :raise ValueError: a message for the person, saying what was written and how to write it
    """
    text = " ".join(str(text).split())
    for pattern, reader in ((ISO, iso_date), (NUMBERS, numbered_date), (DAY_MONTH_YEAR, named_date),
                            (MONTH_DAY_YEAR, named_date_month_first)):
        match = pattern.fullmatch(text)
        if match:
            return reader(text, match, order).isoformat()
    raise ValueError(f"“{text}” is not a date this file can read: write it like 14 February 2026 or 2026-02-14"
                     f"{order_example(order)}.")


def order_example(order):
    """Return how numbers alone are written in this file, for a message: ', or 14/02/2026'."""
    return {DAY_FIRST: ", or 14/02/2026", MONTH_FIRST: ", or 2/14/2026"}.get(order, "")


def iso_date(text, match, order):
    year, month, day = (int(part) for part in match.groups())
    return calendar_date(text, year, month, day)


def numbered_date(text, match, order):
    first, _, second, year = match.groups()
    year = full_year(text, year)
    first, second = int(first), int(second)
    if order == DAY_FIRST:
        return calendar_date(text, year, second, first, "this file's dates are read day first (day/month/year)")
    if order == MONTH_FIRST:
        return calendar_date(text, year, first, second, "this file's dates are read month first (month/day/year)")
    return unambiguous_date(text, year, first, second)


def unambiguous_date(text, year, first, second):
    """Return the one date numbers alone can be, when no order was chosen; two readings are an error."""
    day_first, month_first = possible_date(year, second, first), possible_date(year, first, second)
    if day_first is None or month_first is None or day_first == month_first:
        if day_first or month_first:
            return day_first or month_first
        raise ValueError(f"“{text}” is not a day in the calendar.")
    raise ValueError(f"“{text}” could be {long_date(day_first)} (day first) or {long_date(month_first)} "
                     "(month first): choose how this file's dates are written, "
                     "or write the month's name, like 14 February 2026.")


def named_date(text, match, order):
    day, month, year = match.groups()
    return calendar_date(text, full_year(text, year), month_number(text, month), int(day))


def named_date_month_first(text, match, order):
    month, day, year = match.groups()
    return calendar_date(text, full_year(text, year), month_number(text, month), int(day))


def month_number(text, name):
    number = MONTHS.get(name.lower())
    if number is None:
        raise ValueError(f"“{text}”: “{name}” is not the name of a month in English, like February or Feb.")
    return number


def full_year(text, year):
    if len(year) != 4:
        raise ValueError(f"“{text}”: write the year in full, like 2026, so that no century is guessed.")
    return int(year)


def possible_date(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def calendar_date(text, year, month, day, reading=""):
    """Return the date, or raise saying why these numbers are not a day in the calendar."""
    date = possible_date(year, month, day)
    if date is not None:
        return date
    because = f", as {reading}" if reading else ""
    if not 1 <= month <= 12:
        raise ValueError(f"“{text}” is not a date{because}: there is no month {month}.")
    days = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
    raise ValueError(f"“{text}” is not a date{because}: {calendar.month_name[month]} {year} has {days} days.")


def long_date(date):
    """Return a date as words, like '14 February 2026'."""
    return f"{date.day} {calendar.month_name[date.month]} {date.year}"
