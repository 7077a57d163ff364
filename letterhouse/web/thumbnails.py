"""Thumbnails: a picture of each template's example letter, first page, kept until a file changes."""

import hashlib
import threading

from letterhouse.letters.catalog import example_path, example_values
from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.problems import LetterRefused
from letterhouse.render.raster import pdf_page_images
from letterhouse.web.extensions import write_pdf

THUMBNAIL_WIDTH = 360  # pixels; shown at half that, so it stays sharp on a fine screen


def example_letter(template):
    """Return the Letter a template's example data makes, or None if it has none or it is invalid."""
    data = example_values(template)
    if data is None:
        return None
    letter, errors = validate_mapping(template, data, "json")
    return None if errors else letter


class Thumbnails:
    """Pictures of each template's example letter, first page, kept until the template or example changes."""

    def __init__(self, width=THUMBNAIL_WIDTH):
        self.width = width
        self._cache = {}  # slug -> (version, png)
        self._usable = {}  # slug -> (version, whether its example makes a letter)
        self._lock = threading.Lock()

    def version(self, template):
        """Return what a thumbnail depends on: the template file and its example file."""
        try:
            raw = example_path(template.path).read_bytes()
        except OSError:
            return template.digest, None
        return template.digest, hashlib.sha256(raw).hexdigest()

    def has_example(self, template):
        """Return whether the template's example makes a letter, checking again only when a file changed."""
        version = self.version(template)
        known = self._usable.get(template.slug)
        if known and known[0] == version:
            return known[1]
        usable = example_letter(template) is not None
        with self._lock:
            self._usable[template.slug] = (version, usable)
        return usable

    def png(self, template):
        """Return the thumbnail PNG of a template's example letter, or None if it has no example."""
        version = self.version(template)
        cached = self._cache.get(template.slug)
        if cached and cached[0] == version:
            return cached[1]
        png = self.render(template)
        if png is not None:
            with self._lock:
                self._cache[template.slug] = (version, png)
        return png

    def render(self, template):
        letter = example_letter(template)
        if letter is None:
            return None
        try:
            pdf = write_pdf(letter).pdf  # within the app's page and time limits
        except LetterRefused:
            return None
        return pdf_page_images(pdf, self.width)[0]
