"""Read the rows of a mail merge from CSV or JSON, numbered as a spreadsheet shows them.

Rows are read one at a time and counted as they come: a file stops being read as soon as it
has more letters, more columns or more empty rows than a batch may have, so a large or
hostile file costs no more memory than the letters one batch may hold.
"""

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from letterhouse.letters.blank import is_blank

DELIMITERS = (",", ";", "\t")  # Excel writes ";" where the decimal point is a comma
MAX_COLUMNS = 200  # a template has a few dozen fields; a header with thousands of columns is not a mail merge
MAX_BLANK_ROWS = 10_000  # a spreadsheet's trailing empty rows are skipped, but not without end
DECODE_CHUNK = 64 * 1024
JSON_SPACE = re.compile(r"[ \t\n\r]*")
SURROGATE = re.compile("[\ud800-\udfff]")  # half of a UTF-16 pair: JSON may escape one, no text can hold it


class RowsError(ValueError):
    """A rows file that cannot be read at all: not UTF-8, not CSV or JSON, too many rows."""


class TooManyRows(RowsError):
    """More rows than one batch may have."""


class NotAJsonNumber(ValueError):
    """NaN, Infinity or -Infinity: Python's json module reads them, but they are not JSON."""


def refuse_constant(name):
    """Refuse NaN, Infinity and -Infinity as the JSON decoder meets them (its parse_constant)."""
    raise NotAJsonNumber(f"{name} is not a JSON value (JSON has no NaN or Infinity); write a number, or leave "
                         "the field out.")


def strict_json_loads(text):
    """Return the value of a JSON text, refusing NaN and Infinity as JSON does.

    :raise ValueError: json.JSONDecodeError saying where, or NotAJsonNumber
    """
    return json.loads(text, parse_constant=refuse_constant)


@dataclass(frozen=True)
class Row:
    """One record: its place among the records, its number as a spreadsheet shows it, and its cells."""

    ordinal: int  # 1 for the first record, used to name its letter 0001-...
    number: int  # CSV: the spreadsheet row (header = 1, first record = 2); JSON: the item, from 1
    values: dict
    extra_cells: tuple = ()  # CSV: cells with something in them past the header's last column


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
    check_utf8(data)
    row_set = read_json_rows(data, max_rows) if kind == "json" else read_csv_rows(data, max_rows)
    if not row_set.rows:
        raise RowsError("There are no letters in this file: it has no rows under the header.")
    return row_set


def check_utf8(data):
    """Raise RowsError unless the bytes are UTF-8, decoding a piece at a time to keep memory flat."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(data), DECODE_CHUNK):
        try:
            decoder.decode(data[start:start + DECODE_CHUNK], final=start + DECODE_CHUNK >= len(data))
        except UnicodeDecodeError as error:
            raise RowsError(f"This file is not UTF-8 text (byte {start + error.start + 1} is not). "
                            "In a spreadsheet, save it as “CSV UTF-8”.") from None


def decode_utf8(data):
    """Return bytes as text, dropping the byte order mark Excel writes at the start."""
    check_utf8(data)
    return data.decode("utf-8-sig")


def counted(rows, max_rows):
    """Yield the rows, raising TooManyRows at the first one past max_rows (None: no limit)."""
    for row in rows:
        if max_rows is not None and row.ordinal > max_rows:
            raise TooManyRows(f"This file has more than {max_rows} letters; one batch can have at most "
                              f"{max_rows}. Split it into smaller files.")
        yield row


def check_column_count(count, where):
    """Raise RowsError when a header (or the objects' keys) names more columns than any template could use."""
    if count > MAX_COLUMNS:
        raise RowsError(f"{where} has {count} columns; a rows file may have at most {MAX_COLUMNS}. "
                        "Keep only the columns the template's fields use.")


# --- CSV ---

def read_csv_rows(data, max_rows=None):
    """Return the records of CSV bytes: Excel quoting, cells over several lines, blank lines skipped."""
    lines = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    first_line = lines.readline()
    reader = csv.reader(chain([first_line], lines), delimiter=sniff_delimiter(first_line), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        check_column_count(len(header), "The header row")
        rows = tuple(counted(csv_rows(header, reader), max_rows))
    except csv.Error as error:
        raise RowsError(f"Line {reader.line_num} of the CSV cannot be read: {error}.") from None
    if not any(header):
        raise RowsError("The first row must name the fields, like sender_name,recipient_name,…")
    return RowSet(columns=tuple(header), rows=rows, header_row=1)


def sniff_delimiter(first_line):
    """Return the delimiter the header row uses: a comma unless it only has semicolons or tabs."""
    if "," in first_line:
        return ","
    return max(DELIMITERS, key=first_line.count)


def csv_rows(header, records):
    """Yield a Row for each record that has something in it, numbered as the spreadsheet numbers it."""
    ordinal, blank = 0, 0
    for number, cells in enumerate(records, start=2):
        if all(is_blank(cell) for cell in cells):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise RowsError(f"This file has more than {MAX_BLANK_ROWS} empty rows (the last at row {number}); "
                                "delete them and upload it again.")
            continue
        ordinal += 1
        yield csv_row(header, cells, ordinal, number)


def csv_row(header, cells, ordinal, number):
    """Return a Row mapping each column name to its cell, and keeping apart the cells past the header's columns."""
    extra = tuple(cell for cell in cells[len(header):] if not is_blank(cell))
    return Row(ordinal=ordinal, number=number, values=dict(zip(header, cells)), extra_cells=extra)


# --- JSON ---

def read_json_rows(data, max_rows=None):
    """Return the records of a JSON array of objects, decoding one object at a time."""
    text = decode_utf8(data)
    columns = {}
    rows = []
    for row in counted(json_rows(text), max_rows):
        columns.update(dict.fromkeys(row.values))
        check_column_count(len(columns), "Together, the objects")
        rows.append(row)
    return RowSet(columns=tuple(columns), rows=tuple(rows), header_row=None)


def json_rows(text):
    """Yield a Row for each object of a JSON array, without decoding the whole array at once."""
    decoder = json.JSONDecoder(parse_constant=refuse_constant)
    at = JSON_SPACE.match(text).end()
    if text[at:at + 1] != "[":
        decode_json(decoder, text, at)  # says what is wrong, if anything is
        raise RowsError("The JSON must be an array of objects, one object per letter.")
    at = JSON_SPACE.match(text, at + 1).end()
    ordinal = 0
    while text[at:at + 1] != "]":
        if ordinal:
            at = expect_comma(text, at)
        item, at = decode_json(decoder, text, at)
        ordinal += 1
        if not isinstance(item, dict):
            raise RowsError(f"Item {ordinal} of the JSON array is not an object.")
        surrogate = lone_surrogate(item)
        if surrogate:
            raise RowsError(f"Item {ordinal} of the JSON array: " + surrogate_message(surrogate))
        yield Row(ordinal=ordinal, number=ordinal, values=item)
        at = JSON_SPACE.match(text, at).end()
    end = JSON_SPACE.match(text, at + 1).end()
    if end < len(text):
        raise json_error("Extra data", text, end)


def expect_comma(text, at):
    """Return where the next item starts after the comma at `at`, or raise RowsError."""
    if text[at:at + 1] != ",":
        raise json_error("Expecting ',' delimiter" if at < len(text) else "Expecting value", text, at)
    return JSON_SPACE.match(text, at + 1).end()


def decode_json(decoder, text, at):
    """Return (value, end) of the JSON value at `at`, or raise RowsError saying where it went wrong."""
    try:
        return decoder.raw_decode(text, at)
    except json.JSONDecodeError as error:
        raise json_error(error.msg, text, error.pos) from None
    except NotAJsonNumber as error:
        line = text.count("\n", 0, at) + 1
        raise RowsError(f"This is not valid JSON, in the value starting at line {line}: {error}") from None
    except RecursionError:
        raise RowsError("This JSON is nested too deeply to read.") from None


def json_error(message, text, at):
    """Return a RowsError naming the line and column of a JSON mistake."""
    error = json.JSONDecodeError(message, text, at)
    return RowsError(f"This is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.")


def lone_surrogate(data):
    """Return where JSON data holds half of a UTF-16 pair, as words ('the value of “memory”'), or ''.

    Python's json module lets "\\ud800" through; such a string cannot be written as UTF-8, drawn or stored.
    """
    stack = [("a value", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack += [("a key", key) for key in value]
            stack += [(f"the value of “{printable(key)}”", item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [(where, item) for item in value]
        elif isinstance(value, str) and SURROGATE.search(value):
            return f"{where} holds {printable(SURROGATE.search(value).group())}"
    return ""


def surrogate_message(where):
    """Return the message for a lone surrogate found by lone_surrogate."""
    return (f"In the JSON, {where}: half of a UTF-16 surrogate pair without its other half, "
            "which is not a character. Send the whole character (or leave it out).")


def printable(text):
    """Return text with any lone surrogate written as its escape, so it can be shown and stored."""
    return SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def read_object_file(path):
    """Return the JSON object in a file: the values of one letter."""
    try:
        data = strict_json_loads(decode_utf8(Path(path).read_bytes()))
    except json.JSONDecodeError as error:
        raise RowsError(f"{path} is not valid JSON: {error.msg} at line {error.lineno}, "
                        f"column {error.colno}.") from None
    except NotAJsonNumber as error:
        raise RowsError(f"{path} is not valid JSON: {error}") from None
    except RecursionError:
        raise RowsError(f"{path} is nested too deeply to read.") from None
    if not isinstance(data, dict):
        raise RowsError(f"{path} must hold one JSON object, like {{\"recipient_name\": \"Chris\"}}.")
    return data
