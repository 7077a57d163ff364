"""manifest.csv: what a batch wrote, row by row (file, recipient, pages), with the studio's own columns carried."""

import csv
import io

from letterhouse.batch.spreadsheets import spreadsheet_safe

MANIFEST_NAME = "manifest.csv"
COLUMNS = ("row", "file", "recipient", "pages")
FIRST_PAGE = "first_page"  # in one combined PDF: the page where each letter starts


class Manifest:
    """The rows of manifest.csv, added as each letter is written."""

    def __init__(self, own_columns=()):
        self.own_columns = tuple(own_columns)
        self.entries = []

    def add(self, row_letter, rendered, first_page=None):
        """Add one written letter: its row, file name, recipient, pages, where it starts, and the row's own cells."""
        self.entries.append((row_letter.row.number, rendered.filename, row_letter.letter.values["recipient_name"],
                             rendered.page_count, first_page, [row_letter.own.get(c, "") for c in self.own_columns]))

    def csv_text(self):
        """Return the manifest as CSV text, every cell safe to open in a spreadsheet."""
        with_first_page = any(entry[4] is not None for entry in self.entries)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([*COLUMNS, *([FIRST_PAGE] if with_first_page else []), *self.own_columns])
        for row, filename, recipient, pages, first_page, own in self.entries:
            writer.writerow([row, spreadsheet_safe(filename), spreadsheet_safe(recipient), pages,
                             *([first_page] if with_first_page else []), *(spreadsheet_safe(cell) for cell in own)])
        return buffer.getvalue()

    def as_bytes(self):
        """Return the manifest as UTF-8 with the byte order mark, so that Excel opens it as UTF-8."""
        return ("\ufeff" + self.csv_text()).encode("utf-8")
