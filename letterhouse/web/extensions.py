"""Flask extensions, created unbound here and bound in the app factory, and the app's template catalog."""

from flask import current_app
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
CATALOG = "letterhouse.letters.catalog"  # the app.extensions key the factory binds the Catalog to


def current_catalog():
    """Return the template catalog of the app handling this request."""
    return current_app.extensions[CATALOG]
