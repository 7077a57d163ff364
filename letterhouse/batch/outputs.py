"""Where a batch's letters go: a ZIP written as they arrive, one combined PDF, or a directory."""

import io
import zipfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter


class ZipOutput:
    """One PDF per letter in a ZIP, written as each letter arrives."""

    def __init__(self, path, duplex=False):
        # Stored, not deflated: a PDF's streams are compressed already (deflate saved 3.5%), and
        # the CPU is better spent by the workers writing letters.
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED)

    def add(self, rendered):
        self.zip.writestr(rendered.filename, rendered.pdf)

    def close(self):
        self.zip.close()


class CombinedPdfOutput:
    """Every letter in one PDF, each starting on a new sheet (padded to even pages for duplex).

    Letters are joined page by page rather than laid out as one document, so each
    letter's page numbers and first-page styles start afresh.
    """

    def __init__(self, path, duplex=False):
        self.path, self.duplex, self.writer = path, duplex, PdfWriter()

    def add(self, rendered):
        self.writer.append(PdfReader(io.BytesIO(rendered.pdf)), outline_item=rendered.filename[:-4])
        if self.duplex and rendered.page_count % 2:
            last = self.writer.pages[-1].mediabox
            self.writer.add_blank_page(width=last.width, height=last.height)

    def close(self):
        with open(self.path, "wb") as file:
            self.writer.write(file)


class DirectoryOutput:
    """One PDF file per letter in a directory."""

    def __init__(self, path, duplex=False):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)

    def add(self, rendered):
        (self.path / rendered.filename).write_bytes(rendered.pdf)

    def close(self):
        pass


OUTPUT_KINDS = {"zip": ZipOutput, "pdf": CombinedPdfOutput, "dir": DirectoryOutput}


def output_kind(path):
    """Return the output a path asks for: 'zip', 'pdf' or (anything else) 'dir'."""
    suffix = Path(path).suffix.lower()
    return {".zip": "zip", ".pdf": "pdf"}.get(suffix, "dir")
