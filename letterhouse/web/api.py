"""The JSON API at /api/v1: templates, one letter as a PDF, and batches; every error answered as JSON."""

import hmac
import json

from flask import Blueprint, current_app, g, jsonify, request, send_file, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from letterhouse.batch.checking import MAX_PROBLEMS_KEPT, check_rows
from letterhouse.batch.job_records import TooManyBatches, TooMuchStored
from letterhouse.batch.letter_data import letter_from_object
from letterhouse.batch.options import options_message, read_batch_options, style_form_class
from letterhouse.batch.outputs import DEFAULT_OUTPUT, DOWNLOADS
from letterhouse.batch.rows import (
    NotAJsonNumber,
    RowsError,
    TooManyRows,
    lone_surrogate,
    read_rows,
    strict_json_loads,
    surrogate_message,
)
from letterhouse.letters.catalog import BrokenTemplate, TemplateNotFound, TemplateUnavailable, template_summary
from letterhouse.letters.field_types import BOOLEAN_WORDS
from letterhouse.letters.fields import OWN_WORDS
from letterhouse.letters.letter import letter_filename
from letterhouse.letters.problems import LetterRefused
from letterhouse.letters.wording import template_text
from letterhouse.render.glyph_coverage import coverage_notes
from letterhouse.web.downloads import attachment
from letterhouse.web.extensions import current_catalog, write_pdf
from letterhouse.web.jobs import create_job, job_store, owned_job, refuse_if_busy, start_job
from letterhouse.web.openapi import openapi_document, template_schema

bp = Blueprint("api", __name__, url_prefix="/api/v1")
ROWS_KINDS = {"application/json": "json", "text/csv": "csv"}
NOTES_HEADER_BYTES = 1024  # the Letterhouse-Notes header's most; POST .../notes lists every character
NOTES_HEADER_CHARACTERS = 8


class ApiError(Exception):
    """An answer to give instead of carrying on: a status, a message and any extra JSON members."""

    def __init__(self, status, message, **extra):
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


def error_response(status, message, **extra):
    """Return the JSON answer for every API error: status, its name, a message and any extras."""
    response = jsonify(status=status, error=HTTP_STATUS_CODES.get(status, "Error"), message=message, **extra)
    response.status_code = status
    return response


@bp.errorhandler(ApiError)
def api_error(error):
    return error_response(error.status, error.message, **error.extra)


# Our own words where Werkzeug's description is written for browsers.
PLAIN_MESSAGES = {
    400: "The request could not be read.",
    404: "There is nothing at this address; see /api/v1/openapi.json for what there is.",
    405: "This address does not take that method.",
    413: "The body is larger than this server accepts.",
}


@bp.errorhandler(HTTPException)
def http_error(error):
    ours = error.description != type(error).description
    message = error.description if ours else PLAIN_MESSAGES.get(error.code, error.description)
    response = error_response(error.code or 500, message)
    if error.code == 405:
        response.headers["Allow"] = ", ".join(error.valid_methods or ())
    return response


@bp.errorhandler(Exception)
def unexpected_error(error):
    current_app.logger.exception("Unexpected API error")
    return error_response(500, "Something went wrong on our side.")


@bp.before_app_request
def routing_errors_as_json():
    """Answer a URL or method under /api/v1 that does not exist in JSON, not with the site's page."""
    error = request.routing_exception
    if error is not None and (request.path + "/").startswith(bp.url_prefix + "/"):
        return http_error(error)
    return None


@bp.before_request
def require_token():
    """When API_TOKENS is set, refuse a call without one of them as its bearer token."""
    tokens = [t.strip() for t in str(current_app.config["API_TOKENS"]).split(",") if t.strip()]
    if not tokens or request.endpoint == "api.openapi":
        return None
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    matched = [t for t in tokens if token_matches(given.strip(), t)] if scheme.lower() == "bearer" else []
    if matched:
        g.api_token = matched[0]  # the client is the token as configured, however its header was spelt
        return None
    response = error_response(401, "This API needs a token: send the header “Authorization: Bearer <token>”.")
    response.headers["WWW-Authenticate"] = 'Bearer realm="letterhouse"'
    return response


def token_matches(given, token):
    """Return whether a bearer token is this one, comparing in constant time; any text may be given."""
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode("utf-8", "surrogateescape"))


@bp.errorhandler(TemplateNotFound)
def template_not_found(error):
    return error_response(404, str(error))


@bp.errorhandler(TemplateUnavailable)
def template_unavailable(error):
    return error_response(404, f"The template “{error.slug}” has mistakes, so it cannot be used until they are "
                               "mended.", problems=[str(problem) for problem in error.problems])


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
def letter(slug):
    """Write one letter from a JSON object and answer with its PDF."""
    letter = letter_from_body(slug)
    try:
        rendered = write_pdf(letter)
    except LetterRefused as error:
        raise ApiError(422, str(error), errors={}) from None
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
        raise ApiError(422, str(error), errors={}) from None


def letter_from_body(slug):
    """Return the Letter a request's JSON object describes for this template, or raise a 404 or 422."""
    template = current_catalog().usable_template(slug)
    data = json_body(dict, "The body must be a JSON object of field values, like {\"recipient_name\": \"Chris\"}.")
    letter, errors = letter_from_object(template, data)
    if errors:
        raise ApiError(422, "Some values do not fit the template's fields.", errors=errors)
    return letter


def json_body(kind, message):
    """Return the request's JSON body, refusing another content type (415) or unreadable JSON (400)."""
    if request.mimetype != "application/json":
        raise ApiError(415, "Send the body as application/json.")
    try:
        data = strict_json_loads(request.get_data())
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, f"The body is not valid JSON: {json_problem(error)}") from None
    except RecursionError:
        raise ApiError(400, "The body is not valid JSON: it is nested too deeply to read.") from None
    if not isinstance(data, kind):
        raise ApiError(400, message)
    surrogate = lone_surrogate(data)
    if surrogate:
        raise ApiError(400, surrogate_message(surrogate))
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


@bp.post("/batches/<slug>")
def start_batch(slug):
    """Check a JSON array or CSV of rows and start writing their letters in the background."""
    template = current_catalog().usable_template(slug)
    options = batch_options()
    studio = studio_options(template)
    request.max_content_length = current_app.config["BATCH_MAX_CONTENT_LENGTH"]
    kind = ROWS_KINDS.get(request.mimetype)
    if kind is None:
        raise ApiError(415, "Send the rows as application/json (an array of objects) or text/csv.")
    data = request.get_data()
    check = check_rows(template, read_body_rows(data, kind), max_problems=MAX_PROBLEMS_KEPT, options=studio)
    if check.problems and not options["skip_invalid"]:
        listed = f" The first {len(check.problems)} are listed." if check.problem_count > len(check.problems) else ""
        raise ApiError(422, f"{check.problem_count} problem(s) in the rows; no letter was written.{listed}",
                       row_errors=row_errors(check.problems))
    if not check.letters:
        raise ApiError(422, "No row can become a letter.", row_errors=row_errors(check.problems))
    job = keep_rows(slug, data, kind, check)
    try:
        start_job(job, **options)
    except TooManyBatches as error:  # another batch of this client's started meanwhile
        job_store().delete(job)
        raise ApiError(429, str(error)) from None
    response = jsonify(batch_status(job_store().get(job.id)))
    response.status_code = 202
    response.headers["Location"] = url_for("api.batch", job_id=job.id)
    return response


def keep_rows(slug, data, kind, check):
    """Keep the rows as a job of this client's, if its share allows: a refused batch leaves nothing behind."""
    try:
        refuse_if_busy()
        return create_job(slug, data, kind, check)
    except (TooManyBatches, TooMuchStored) as error:
        raise ApiError(429, str(error)) from None


def batch_options():
    """Return the batch's output options from the query string, refusing values it does not know."""
    output = request.args.get("output", DEFAULT_OUTPUT)
    if output not in DOWNLOADS:
        raise ApiError(400, f"output must be {' or '.join(DOWNLOADS)}.")
    options = {"output": output}
    for name in ("duplex", "skip_invalid"):
        word = request.args.get(name, "false").strip().lower()
        if word not in BOOLEAN_WORDS:
            raise ApiError(400, f"{name} must be true or false.")
        options[name] = BOOLEAN_WORDS[word]
    return options


def studio_options(template):
    """Return the batch's date order, own columns and style (hand=, ink=, ...) from the query string."""
    style = {name: request.args[name] for name in style_form_class(template).specs if name in request.args}
    options, errors = read_batch_options(template, request.args.get("date_order"), request.args.get("own_columns"),
                                         style)
    if errors:
        raise ApiError(400, options_message(errors))
    return options


def read_body_rows(data, kind):
    """Return the rows of a request body: too many is 413, unreadable is 400."""
    try:
        return read_rows(data, kind, current_app.config["BATCH_MAX_ROWS"])
    except TooManyRows as error:
        raise ApiError(413, str(error)) from None
    except RowsError as error:
        raise ApiError(400, str(error)) from None


def row_errors(problems):
    return [problem.as_dict() for problem in problems]


def batch_status(job):
    """Return a job as the API shows it."""
    status = {"id": job.id, "template": job.slug, "state": job.state, "rows": job.total,
              "letters_to_write": job.valid, "done": job.done, "progress": round(job.progress, 3),
              "letters": job.letters, "pages": job.pages, "output": job.output, "message": job.message,
              "row_errors": row_errors(job.row_problems), "status_url": url_for("api.batch", job_id=job.id)}
    if job.state == "done":
        status["result_url"] = url_for("api.batch_result", job_id=job.id)
    return status


def stored_job(job_id):
    job = owned_job(job_id)
    if job is None:
        raise ApiError(404, "There is no batch with this id; finished batches are removed after a while.")
    return job


@bp.get("/batches/<job_id>")
def batch(job_id):
    """Report a batch's state, progress and row errors."""
    return batch_status(stored_job(job_id))


@bp.get("/batches/<job_id>/result")
def batch_result(job_id):
    """Send a finished batch's ZIP or combined PDF."""
    job = stored_job(job_id)
    if job.state != "done":
        raise ApiError(409, f"This batch is {job.state}, not done." + (f" {job.message}" if job.message else ""),
                       state=job.state)
    return send_file(job_store().result_path(job), mimetype=DOWNLOADS[job.output].mimetype, as_attachment=True,
                     download_name=job.result_name())


@bp.get("/openapi.json")
def openapi():
    """Describe this API as an OpenAPI 3.1 document."""
    return openapi_document()
