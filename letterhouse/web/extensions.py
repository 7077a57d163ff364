"""Flask extensions, created unbound here and bound in the app factory; the catalog and renderer they serve."""

from flask import current_app
from flask_wtf.csrf import CSRFProtect

from letterhouse.render.letter_pdf import write_letter_pdf

csrf = CSRFProtect()
CATALOG = "letterhouse.letters.catalog"  # the app.extensions key the factory binds the Catalog to


def current_catalog():
    """Return the template catalog of the app handling this request."""
    return current_app.extensions[CATALOG]


def write_pdf(letter):
    """Return a letter's RenderedPdf within the page and time limits of the app handling this request."""
    return write_letter_pdf(letter, current_app.config["MAX_PAGES"], current_app.config["RENDER_TIME_LIMIT"])
