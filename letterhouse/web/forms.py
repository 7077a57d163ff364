"""The site's letter forms: a template's plain WTForms form with Flask-WTF mixed in, for CSRF and the request."""

import functools

from flask_wtf import FlaskForm


def site_form(template):
    """Return the template's form read from the current request, with its CSRF token."""
    return site_form_class(template.form_class)()


@functools.lru_cache(maxsize=256)  # one per template version; a changed template has a new form class
def site_form_class(form_class):
    """Return form_class with FlaskForm mixed in: the request's data, the CSRF token and validate_on_submit."""
    return type(form_class.__name__, (FlaskForm, form_class), {})
