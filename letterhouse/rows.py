"""Read the rows of a mail merge from CSV or JSON, numbered as a spreadsheet shows them."""

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

DELIMITERS = (",", ";", "\t")  # Excel writes ";" where the decimal point is a comma


class RowsError(ValueError):
    """A rows file that cannot be read at all: not UTF-8, not CSV or JSON, too many rows."""


class TooManyRows(RowsError):
    """More rows than one batch may have."""


@dataclass(frozen=True)
class Row:
    """One record: its place among the records, its number as a spreadsheet shows it, and its cells."""

    ordinal: int  # 1 for the first record, used to name its letter 0001-...
    number: int  # CSV: the spreadsheet row (header = 1, first record = 2); JSON: the item, from 1
    values: dict


@dataclass(frozen=True)
class RowSet:
    """The records of a rows file and the column names its header (or its objects) used."""

    columns: tuple
    rows: tuple
    header_row: int | None  # 1 for CSV, None for JSON (each object names its own keys)


def read_rows_file(path, max_rows=None):
    """Return the RowSet of a .csv or .json file (by its suffix)."""
    path = Path(path)
    data = path.read_bytes()
    kind = "json" if path.suffix.lower() == ".json" else "csv"
    return read_rows(data, kind, max_rows)


def read_rows(data, kind, max_rows=None):
    """Return the RowSet of CSV or JSON bytes; raise RowsError if they cannot be read."""
    text = decode_utf8(data)
    row_set = read_json_rows(text) if kind == "json" else read_csv_rows(text)
    if not row_set.rows:
        raise RowsError("There are no letters in this file: it has no rows under the header.")
    if max_rows is not None and len(row_set.rows) > max_rows:
        raise TooManyRows(f"This file has {len(row_set.rows)} letters; one batch can have at most {max_rows}.")
    return row_set


def decode_utf8(data):
    """Return bytes as text, dropping the byte order mark Excel writes at the start."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RowsError(f"This file is not UTF-8 text (byte {error.start + 1} is not). "
                        "In a spreadsheet, save it as “CSV UTF-8”.") from None


def read_csv_rows(text):
    """Return the records of CSV text: Excel quoting, cells over several lines, blank lines skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        records = list(reader)
    except csv.Error as error:
        raise RowsError(f"Line {reader.line_num} of the CSV cannot be read: {error}.") from None
    if not any(header):
        raise RowsError("The first row must name the fields, like sender_name,recipient_name,…")
    rows = [csv_row(header, cells, ordinal, number)
            for ordinal, (number, cells) in enumerate(nonblank(records), start=1)]
    return RowSet(columns=tuple(header), rows=tuple(rows), header_row=1)


def sniff_delimiter(text):
    """Return the delimiter the header row uses: a comma unless it only has semicolons or tabs."""
    first_line = text.split("\n", 1)[0]
    if "," in first_line:
        return ","
    return max(DELIMITERS, key=first_line.count)


def nonblank(records):
    """Yield (spreadsheet row, cells) for each record, skipping rows with nothing in them."""
    for number, cells in enumerate(records, start=2):
        if any(cell.strip() for cell in cells):
            yield number, cells


def csv_row(header, cells, ordinal, number):
    """Return a Row mapping each column name to its cell; cells past the header go under ''."""
    values = dict(zip(header, cells))
    extra = [cell for cell in cells[len(header):] if cell.strip()]
    if extra:
        values[""] = ", ".join(extra)
    return Row(ordinal=ordinal, number=number, values=values)


def read_json_rows(text):
    """Return the records of a JSON array of objects."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise RowsError(f"This is not valid JSON: {error.msg} at line {error.lineno}, "
                        f"column {error.colno}.") from None
    if not isinstance(items, list):
        raise RowsError("The JSON must be an array of objects, one object per letter.")
    rows, columns = [], {}
    for ordinal, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise RowsError(f"Item {ordinal} of the JSON array is not an object.")
        columns.update(dict.fromkeys(item))
        rows.append(Row(ordinal=ordinal, number=ordinal, values=item))
    return RowSet(columns=tuple(columns), rows=tuple(rows), header_row=None)


def read_object_file(path):
    """Return the JSON object in a file: the values of one letter."""
    try:
        data = json.loads(decode_utf8(Path(path).read_bytes()))
    except json.JSONDecodeError as error:
        raise RowsError(f"{path} is not valid JSON: {error.msg} at line {error.lineno}, "
                        f"column {error.colno}.") from None
    if not isinstance(data, dict):
        raise RowsError(f"{path} must hold one JSON object, like {{\"recipient_name\": \"Chris\"}}.")
    return data
