"""The gallery: templates grouped by occasion, found by a search, each shown by its example letter."""

import hashlib
import threading
from dataclasses import dataclass

from letterhouse.letters.catalog import example_path, example_values
from letterhouse.letters.letter import validate_mapping
from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.raster import pdf_page_images
from letterhouse.letters.problems import LetterRefused

# Headings for the occasions the bundled templates use, in the order the shelves are shown;
# any other occasion gets a heading made from its own name, after these.
OCCASION_HEADINGS = {
    "love": "Love",
    "anniversary": "Anniversaries",
    "birthday": "Birthdays",
    "thanks": "Thank you",
    "reference": "References",
    "congratulations": "Congratulations",
    "farewell": "Farewells",
    "get-well": "Get well",
    "condolence": "Sympathy",
    "apology": "Apologies",
    "reconnection": "Old friends",
    "long-distance": "Far apart",
    "holiday": "Holidays",
    "future": "To open later",
}
THUMBNAIL_WIDTH = 360  # pixels; shown at half that, so it stays sharp on a fine screen


@dataclass(frozen=True)
class Shelf:
    """The templates for one occasion, under a heading."""

    occasion: str
    heading: str
    templates: tuple


def occasion_heading(occasion):
    """Return the heading a shelf of this occasion is shown under."""
    return OCCASION_HEADINGS.get(occasion) or occasion.replace("-", " ").capitalize()


def search_text(template):
    """Return the words a search looks through for one template."""
    return " ".join([template.title, template.description, template.occasion,
                     occasion_heading(template.occasion), template.slug]).casefold()


def matches(template, query):
    """Return whether every word of a search appears in the template's title, description or occasion."""
    text = search_text(template)
    return all(word in text for word in query.casefold().split())


def shelves(templates):
    """Return the templates grouped by occasion, in the gallery's order."""
    known = list(OCCASION_HEADINGS)
    found = {}
    for template in templates:
        found.setdefault(template.occasion, []).append(template)
    order = sorted(found, key=lambda o: (known.index(o) if o in known else len(known), o))
    return [Shelf(o, occasion_heading(o), tuple(found[o])) for o in order]


def example_letter(template):
    """Return the Letter a template's example data makes, or None if it has none or it is invalid."""
    data = example_values(template)
    if data is None:
        return None
    letter, errors = validate_mapping(template, data)
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

    def png(self, template, max_pages=None):
        """Return the thumbnail PNG of a template's example letter, or None if it has no example."""
        version = self.version(template)
        cached = self._cache.get(template.slug)
        if cached and cached[0] == version:
            return cached[1]
        png = self.render(template, max_pages)
        if png is not None:
            with self._lock:
                self._cache[template.slug] = (version, png)
        return png

    def render(self, template, max_pages):
        letter = example_letter(template)
        if letter is None:
            return None
        try:
            pdf = write_letter_pdf(letter, max_pages).pdf
        except LetterRefused:
            return None
        return pdf_page_images(pdf, self.width)[0]
