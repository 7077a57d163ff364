"""CSV written for people's spreadsheets: a template's header row to fill in, and the problems found."""

import csv
import io
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula


def header_csv(template):
    """Return the CSV header row of a template's fields, to fill in one row per letter."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([spec.name for spec in template.all_fields])
    return buffer.getvalue()


def problems_csv(problems):
    """Return row problems as CSV text with a header, for a spreadsheet beside the rows file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "field", "message"])
    writer.writerows((p.row, spreadsheet_safe(p.field), spreadsheet_safe(p.message)) for p in problems)
    return buffer.getvalue()


def spreadsheet_safe(cell):
    """Return a cell a spreadsheet shows as text, never runs as a formula (OWASP: CSV injection).

    A field name or message may repeat what a visitor typed, like a column called "=HYPERLINK(...)".
    """
    cell = str(cell)
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def write_problems_beside(out, problems):
    """Write the problems as '<out>-errors.csv' beside the output and return its path."""
    out = Path(out)
    path = out.with_name(f"{out.stem if out.suffix else out.name}-errors.csv")
    path.write_text(problems_csv(problems), encoding="utf-8")
    return path
