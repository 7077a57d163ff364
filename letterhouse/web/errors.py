"""Error pages: a clear word for the person, never a traceback; a letter kept when its CSRF token expired.

The site's JSON endpoints (preview.json, status.json) answer their errors as the API does: problem details.
"""

from flask import current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from letterhouse.letters.catalog import TemplateNotFound, TemplateUnavailable
from letterhouse.web.extensions import current_catalog
from letterhouse.web.forms import site_form
from letterhouse.web.pages import show_form
from letterhouse.web.problems import http_problem_code, problem_response

MESSAGES = {
    400: "Something in that request was not as expected.",
    404: "There is no page here.",
    405: "That page cannot be used that way.",
    413: "That was more than Letterhouse accepts in one go.",
    422: "Some of what was entered needs another look.",
}
CSRF_EXPIRED = ("This page was open for a long while, so we asked again to be sure it is you. "
                "Everything you typed is still here: press Preview once more.")
LIVE_CSRF_EXPIRED = ("This page was open for a long while, so the live preview has paused. "
                     "Everything you typed is still here: press Preview to carry on.")


def error_page(status, message=None):
    """Return a rendered error page with its status."""
    message = message or MESSAGES.get(status, "Something went wrong on our side.")
    return render_template("error.html", status=status, message=message), status


def answers_in_json():
    """Return whether the request is for one of the site's JSON endpoints, which answer errors as problems."""
    return request.path.endswith(".json")


def handle_http_error(error):
    """Answer an HTTP error with our page; a description we wrote ourselves is shown as it is."""
    if error.response is not None:
        return error.response
    code = error.code or 500
    custom = error.description if error.description != type(error).description else None
    if answers_in_json():
        allow = {"Allow": ", ".join(error.valid_methods or ())} if code == 405 else None
        return problem_response(http_problem_code(code), custom or MESSAGES.get(code, error.description), allow)
    return error_page(code, custom)


def handle_unexpected_error(error):
    current_app.logger.exception("Unexpected error")
    if answers_in_json():
        return problem_response("server-error", "Something went wrong on our side.")
    return error_page(500, "Something went wrong on our side. Your letter is safe: go back and try again.")


def template_not_found(error):
    if answers_in_json():
        return problem_response("template-not-found", str(error))
    return error_page(404, f"There is no letter called “{error.slug}”.")


def template_unavailable(error):
    """Show why a template cannot be used: each of its problems at its file and line."""
    if answers_in_json():
        return problem_response("template-unavailable", str(error), problems=[str(p) for p in error.problems])
    return render_template("unavailable.html", entry=error.entry), 404


def csrf_failed(error):
    """Keep a letter whose CSRF token expired: show its form again with every value."""
    if answers_in_json():
        return problem_response("csrf-expired", LIVE_CSRF_EXPIRED)
    slug = (request.view_args or {}).get("slug")
    try:
        template = current_catalog().usable_template(slug) if slug else None
    except (TemplateNotFound, TemplateUnavailable):
        template = None
    if template is None:
        return error_page(400, error.description)
    return show_form(template, site_form(template), status=400, problem=CSRF_EXPIRED)


def init_app(app):
    """Register the handlers on an app; a blueprint (the JSON API) may answer these its own way."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
    app.register_error_handler(TemplateNotFound, template_not_found)
    app.register_error_handler(TemplateUnavailable, template_unavailable)
    app.register_error_handler(CSRFError, csrf_failed)
