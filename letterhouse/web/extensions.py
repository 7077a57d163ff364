"""Flask extensions, created unbound here and bound in the app factory; the catalog and renderer they serve."""

from flask import current_app
from flask_wtf.csrf import CSRFProtect

from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.raster import data_uri, pdf_page_images

csrf = CSRFProtect()
CATALOG = "letterhouse.letters.catalog"  # the app.extensions key the factory binds the Catalog to


def current_catalog():
    """Return the template catalog of the app handling this request."""
    return current_app.extensions[CATALOG]


def write_pdf(letter):
    """Return a letter's RenderedPdf within the page and time limits of the app handling this request."""
    return write_letter_pdf(letter, current_app.config["MAX_PAGES"], current_app.config["RENDER_TIME_LIMIT"])


def preview_images(pdf):
    """Return a PDF's pages as the preview shows them: data: URIs of PNGs at the app's preview width."""
    return [data_uri(png) for png in pdf_page_images(pdf, current_app.config["PREVIEW_WIDTH"])]
