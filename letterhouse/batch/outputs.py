"""Where a batch's letters go: the one registry of output kinds (ZIP, one PDF, a directory) and their writers.

Each writer's `add` returns the page where the letter starts in the output (None when each letter
is its own file), and `add_manifest` puts manifest.csv with the letters: a file in the ZIP or the
directory, and a file attached to the one PDF (a PDF reader lists it under attachments).
"""

import zipfile
from dataclasses import dataclass
from pathlib import Path


class ZipOutput:
    """One PDF per letter in a ZIP, written as each letter arrives."""

    def __init__(self, path, duplex=False):
        # Stored, not deflated: a PDF's streams are compressed already (deflate saved 3.5%), and
        # the CPU is better spent by the workers writing letters.
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED)

    def add(self, rendered):
        self.zip.writestr(rendered.filename, rendered.pdf)

    def add_manifest(self, name, data):
        self.zip.writestr(name, data)

    def close(self):
        self.zip.close()


def combined_pdf(path, duplex=False):
    """Every letter in one PDF, each on a new sheet, joined as they arrive (batch/pdf_join.py): memory stays flat."""
    from letterhouse.batch.pdf_join import StreamingPdfJoin  # noqa: PLC0415 -- the CLI reads this registry for its help

    return StreamingPdfJoin(path, duplex)


class DirectoryOutput:
    """One PDF file per letter in a directory."""

    def __init__(self, path, duplex=False):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)

    def add(self, rendered):
        (self.path / rendered.filename).write_bytes(rendered.pdf)

    def add_manifest(self, name, data):
        (self.path / name).write_bytes(data)

    def close(self):
        pass


@dataclass(frozen=True)
class OutputKind:
    """One kind of batch output: its name, file extension, download mimetype and writer."""

    name: str
    extension: str  # ".zip"; "" for a directory
    mimetype: str | None  # what a download is sent as; None when it is not one file
    writer: object  # called with (path, duplex=...) it returns an object with add(rendered) and close()
    description: str

    @property
    def is_directory(self):
        return not self.extension


OUTPUT_KINDS = {kind.name: kind for kind in (
    OutputKind("zip", ".zip", "application/zip", ZipOutput, "A ZIP with one PDF per letter"),
    OutputKind("pdf", ".pdf", "application/pdf", combined_pdf, "One PDF, every letter starting on a new sheet"),
    OutputKind("dir", "", None, DirectoryOutput, "A directory with one PDF file per letter"),
)}
DOWNLOADS = {name: kind for name, kind in OUTPUT_KINDS.items() if kind.mimetype}  # what the site and API offer
DEFAULT_OUTPUT = "zip"  # what the site and the API write when not told


def output_kind(path):
    """Return the name of the output a path asks for by its extension: 'zip', 'pdf' or (anything else) 'dir'."""
    suffix = Path(path).suffix.lower()
    return next((kind.name for kind in OUTPUT_KINDS.values() if kind.extension and kind.extension == suffix), "dir")
