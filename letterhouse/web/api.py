"""The JSON API at /api/v1: templates and one letter as a PDF (batches in api_batches); every error a problem."""

import hmac
import json
import re

from flask import Blueprint, current_app, g, request, url_for
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

import letterhouse.web.api_batches as api_batches
from letterhouse.batch.letter_data import letter_from_object
from letterhouse.batch.rows import NotAJsonNumber, lone_surrogate, strict_json_loads, surrogate_message
from letterhouse.letters.catalog import BrokenTemplate, TemplateNotFound, TemplateUnavailable, template_summary
from letterhouse.letters.fields import OWN_WORDS
from letterhouse.letters.letter import letter_filename
from letterhouse.letters.problems import LetterRefused
from letterhouse.letters.wording import template_text
from letterhouse.render.glyph_coverage import coverage_notes
from letterhouse.web.downloads import attachment
from letterhouse.web.extensions import current_catalog, write_pdf
from letterhouse.web.idempotent import idempotent
from letterhouse.web.letter_schemas import template_schema
from letterhouse.web.openapi import openapi_document, query_parameter_names
from letterhouse.web.problems import PROBLEM_KINDS, ApiError, http_problem_code, problem_response
from letterhouse.web.rate_limiting import rate_limited

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_blueprint(api_batches.bp)
PUBLIC_ENDPOINTS = ("api.openapi", "api.problem_type")  # the API's own description needs no token
NOTES_HEADER_BYTES = 1024  # the Letterhouse-Notes header's most; POST .../notes lists every character
NOTES_HEADER_CHARACTERS = 8


@bp.errorhandler(ApiError)
def api_error(error):
    return error.response()


# Our own words where Werkzeug's description is written for browsers.
PLAIN_DETAILS = {
    400: "The request could not be read.",
    404: "There is nothing at this address; see /api/v1/openapi.json for what there is.",
    405: "This address does not take that method.",
    413: "The body is larger than this server accepts.",
}


@bp.errorhandler(HTTPException)
def http_error(error):
    ours = error.description != type(error).description
    detail = error.description if ours else PLAIN_DETAILS.get(error.code, error.description)
    headers = {"Allow": ", ".join(error.valid_methods or ())} if error.code == 405 else None
    return problem_response(http_problem_code(error.code or 500), detail, headers)


@bp.errorhandler(OperationalError)
def database_unavailable(error):
    current_app.logger.exception("The database cannot be reached")
    return problem_response("database-unavailable", "The database cannot be reached just now; try again shortly.")


@bp.errorhandler(Exception)
def unexpected_error(error):
    current_app.logger.exception("Unexpected API error")
    return problem_response("server-error", "Something went wrong on our side.")


@bp.before_app_request
def routing_errors_as_problems():
    """Answer a URL or method under /api/v1 that does not exist as a problem, not with the site's page."""
    error = request.routing_exception
    if error is not None and (request.path + "/").startswith(bp.url_prefix + "/"):
        return http_error(error)
    return None


@bp.before_request
def answer_options():
    """Answer OPTIONS on any API URL with 204 and the methods it takes (Allow); no CORS headers, no token needed."""
    if request.method != "OPTIONS":
        return None
    response = current_app.make_default_options_response()
    response.status_code = 204
    response.headers.remove("Content-Type")
    return response


@bp.before_request
def require_token():
    """When API_TOKENS is set, refuse a call without one of them as its bearer token."""
    tokens = api_tokens()
    if not tokens or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    matched = [t for t in tokens if token_matches(given.strip(), t)] if scheme.lower() == "bearer" else []
    if matched:
        g.api_token = matched[0]  # the client is the token as configured, however its header was spelt
        return None
    return problem_response("token-required", "This API needs a token: send the header “Authorization: Bearer "
                                              "<token>”.", {"WWW-Authenticate": 'Bearer realm="letterhouse"'})


def api_tokens():
    return [t.strip() for t in str(current_app.config["API_TOKENS"]).split(",") if t.strip()]


def token_matches(given, token):
    """Return whether a bearer token is this one, comparing in constant time; any text may be given."""
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode("utf-8", "surrogateescape"))


@bp.before_request
def refuse_unknown_parameters():
    """Refuse a query parameter the call does not take, or one given twice, rather than ignore it."""
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", request.url_rule.rule.removeprefix(bp.url_prefix))
    taken = query_parameter_names(path, request.method)
    for name in request.args:
        if name not in taken:
            takes = f" It takes {', '.join(sorted(taken))}." if taken else " It takes none."
            raise ApiError("unknown-parameter", f"This call has no query parameter “{name}”.{takes}", parameter=name)
        if len(request.args.getlist(name)) > 1:
            raise ApiError("invalid-parameter", f"The query parameter “{name}” is given more than once.",
                           parameter=name)


@bp.errorhandler(TemplateNotFound)
def template_not_found(error):
    return problem_response("template-not-found", str(error))


@bp.errorhandler(TemplateUnavailable)
def template_unavailable(error):
    return problem_response("template-unavailable", f"The template “{error.slug}” has mistakes, so it cannot be "
                            "used until they are mended.", problems=[str(problem) for problem in error.problems])


def listed_template(entry):
    """Return a template's summary as the API lists it: with its address when it can be used."""
    if isinstance(entry, BrokenTemplate):
        return template_summary(entry)
    return {**template_summary(entry), "url": url_for("api.template", slug=entry.slug)}


@bp.get("/templates")
def templates():
    """List every usable template, and those that cannot be used with why."""
    entries = current_catalog().entries()
    return {"templates": [listed_template(e) for e in entries if not isinstance(e, BrokenTemplate)],
            "unavailable": [listed_template(e) for e in entries if isinstance(e, BrokenTemplate)]}


@bp.get("/templates/<slug>")
def template(slug):
    """Describe one template, its fields as JSON Schema."""
    template = current_catalog().usable_template(slug)
    return {**listed_template(template), "schema": template_schema(template)}


@bp.post("/letters/<slug>")
@rate_limited("letters")
@idempotent()
def letter(slug):
    """Write one letter from a JSON object and answer with its PDF."""
    letter = letter_from_body(slug)
    try:
        rendered = write_pdf(letter)
    except LetterRefused as error:
        raise ApiError("letter-refused", str(error)) from None
    response = current_app.response_class(rendered.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = attachment(letter_filename(letter))
    response.headers["Letterhouse-Seed"] = str(letter.seed)
    response.headers["Letterhouse-Pages"] = str(rendered.page_count)
    notes = coverage_notes(letter)
    if notes:  # characters no bundled hand can write: a short summary here, every one at .../notes
        response.headers["Letterhouse-Notes"] = notes_header(notes)
    return response


def notes_header(notes):
    """Return coverage notes as JSON of at most NOTES_HEADER_BYTES: per field, a few characters and the count.

    A long header makes some clients drop every header after it, the security headers among them.
    """
    summary = [{"field": note.field, "characters": list(note.characters[:NOTES_HEADER_CHARACTERS]),
                "count": len(note.characters)} for note in notes]
    while len(json.dumps(summary)) > NOTES_HEADER_BYTES:
        summary.pop()
    return json.dumps(summary)


@bp.post("/letters/<slug>/notes")
def letter_notes(slug):
    """Check a letter's JSON object and list every character no bundled hand can write, by field."""
    return {"notes": [note.as_dict() for note in coverage_notes(letter_from_body(slug))]}


@bp.post("/letters/<slug>/text")
def letter_text(slug):
    """Answer with the letter's words as the template writes them for a JSON object's details, to edit."""
    letter = letter_from_body(slug)
    try:
        return {OWN_WORDS: template_text(letter), "seed": letter.seed}
    except LetterRefused as error:
        raise ApiError("letter-refused", str(error)) from None


def letter_from_body(slug):
    """Return the Letter a request's JSON object describes for this template, or raise a 404 or 422."""
    template = current_catalog().usable_template(slug)
    data = json_body(dict, "The body must be a JSON object of field values, like {\"recipient_name\": \"Chris\"}.")
    letter, errors = letter_from_object(template, data)
    if errors:
        raise ApiError("invalid-values", "Some values do not fit the template's fields.", errors=errors)
    return letter


def json_body(kind, message):
    """Return the request's JSON body, refusing another content type (415) or unreadable JSON (400)."""
    if request.mimetype != "application/json":
        raise ApiError("unsupported-media-type", "Send the body as application/json.")
    try:
        data = strict_json_loads(request.get_data())
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError("invalid-json", f"The body is not valid JSON: {json_problem(error)}") from None
    except RecursionError:
        raise ApiError("invalid-json", "The body is not valid JSON: it is nested too deeply to read.") from None
    if not isinstance(data, kind):
        raise ApiError("wrong-body", message)
    surrogate = lone_surrogate(data)
    if surrogate:
        raise ApiError("invalid-json", surrogate_message(surrogate))
    return data


def json_problem(error):
    """Return where a JSON body went wrong, in words."""
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} at line {error.lineno}, column {error.colno}."
    if isinstance(error, UnicodeDecodeError):
        return f"byte {error.start + 1} is not UTF-8."
    if isinstance(error, NotAJsonNumber):
        return str(error)
    return "it cannot be read."


@bp.get("/openapi.json")
def openapi():
    """Describe this API as an OpenAPI 3.1 document: every template's letter its own schema."""
    return openapi_document(current_catalog().templates(), tokens_required=bool(api_tokens()))


@bp.get("/problems/<code>")
def problem_type(code):
    """Describe one kind of error: what a problem's `type` resolves to."""
    if code not in PROBLEM_KINDS:
        raise ApiError("problem-type-not-found", f"No kind of error has the code “{code}”.")
    return PROBLEM_KINDS[code].as_dict()
