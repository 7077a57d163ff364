"""The manifest: what a batch wrote, row by row (file, recipient, pages), with the studio's own data carried.

manifest.csv goes into every output; the same entries as JSON (manifest.json) are kept beside a job's result
for the API, each letter with its metadata: the studio's own columns and the members of its row's metadata.
"""

import csv
import io
import json
from pathlib import Path

from letterhouse.batch.spreadsheets import spreadsheet_safe

MANIFEST_NAME = "manifest.csv"
MANIFEST_JSON = "manifest.json"  # beside a job's result
COLUMNS = ("row", "file", "recipient", "pages")
FIRST_PAGE = "first_page"  # in one combined PDF: the page where each letter starts
METADATA_COLUMN = "metadata"  # the members of JSON rows' metadata objects, as JSON, when there are any


class Manifest:
    """The rows of manifest.csv, added as each letter is written."""

    def __init__(self, own_columns=()):
        self.own_columns = tuple(own_columns)
        self.entries = []

    def add(self, row_letter, rendered, first_page=None):
        """Add one written letter: its row, file name, recipient, pages, where it starts, and the row's own data."""
        self.add_entry(row_letter.row.number, rendered.filename, row_letter.letter.values["recipient_name"],
                       rendered.page_count, first_page, row_letter.own)

    def add_entry(self, row, filename, recipient, pages, first_page, own):
        """Add one written letter from what was kept of it (a chunk's list, when workers wrote the batch)."""
        self.entries.append((row, filename, recipient, pages, first_page, dict(own)))

    def metadata_members(self, own):
        """Return the members of a letter's own data that are not own columns: its row's metadata object's."""
        return {name: value for name, value in own.items() if name not in self.own_columns}

    def csv_text(self):
        """Return the manifest as CSV text, every cell safe to open in a spreadsheet."""
        with_first_page = any(entry[4] is not None for entry in self.entries)
        with_metadata = any(self.metadata_members(entry[5]) for entry in self.entries)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([*COLUMNS, *([FIRST_PAGE] if with_first_page else []), *self.own_columns,
                         *([METADATA_COLUMN] if with_metadata else [])])
        for row, filename, recipient, pages, first_page, own in self.entries:
            members = self.metadata_members(own)
            cells = [own_text(own.get(column, "")) for column in self.own_columns]
            cells += [json.dumps(members, ensure_ascii=False) if members else ""] if with_metadata else []
            writer.writerow([row, spreadsheet_safe(filename), spreadsheet_safe(recipient), pages,
                             *([first_page] if with_first_page else []), *map(spreadsheet_safe, cells)])
        return buffer.getvalue()

    def as_bytes(self):
        """Return the manifest as UTF-8 with the byte order mark, so that Excel opens it as UTF-8."""
        return ("\ufeff" + self.csv_text()).encode("utf-8")

    def as_json(self):
        """Return the manifest as JSON-ready data: one object per letter, its metadata the row's own data."""
        return [{"row": row, "file": filename, "recipient": recipient, "pages": pages,
                 **({FIRST_PAGE: first_page} if first_page is not None else {}), "metadata": own}
                for row, filename, recipient, pages, first_page, own in self.entries]


def keep_manifest(path, manifest):
    """Write a Manifest's entries as JSON to path (beside a job's result, for the API to read)."""
    Path(path).write_text(json.dumps(manifest.as_json(), ensure_ascii=False), encoding="utf-8")


def kept_manifest(path):
    """Return the entries keep_manifest wrote, or None when there are none."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def own_text(value):
    """Return a value of the studio's own as a manifest cell: text as it is, any other JSON value as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
