"""Error pages: a clear word for the person, never a traceback."""

from flask import current_app, render_template
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "Something in that request was not as expected.",
    404: "There is no page here.",
    405: "That page cannot be used that way.",
    413: "That was more than Letterhouse accepts in one go.",
    422: "Some of what was entered needs another look.",
}


def error_page(status, message=None):
    """Return a rendered error page with its status."""
    message = message or MESSAGES.get(status, "Something went wrong on our side.")
    return render_template("error.html", status=status, message=message), status


def handle_http_error(error):
    """Answer an HTTP error with our page; a description we wrote ourselves is shown as it is."""
    if error.response is not None:
        return error.response
    custom = error.description if error.description != type(error).description else None
    return error_page(error.code or 500, custom)


def handle_unexpected_error(error):
    current_app.logger.exception("Unexpected error")
    return error_page(500, "Something went wrong on our side. Your letter is safe: go back and try again.")


def init_app(app):
    """Register the handlers on an app."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
