"""Errors as RFC 9457 problem details: one table of the kinds of error, and the one helper every error goes through."""

from dataclasses import dataclass

from flask import current_app

PROBLEM_MIMETYPE = "application/problem+json"
# A problem's type is this path and its code: relative, so it resolves against the server that answered,
# where GET /api/v1/problems/<code> describes it. Clients compare `code` (or the type as sent), never the host.
PROBLEM_TYPE_PREFIX = "/api/v1/problems/"


@dataclass(frozen=True)
class ProblemKind:
    """One kind of error: its stable code, its HTTP status, a short title and when it happens."""

    code: str
    status: int
    title: str
    description: str

    @property
    def type(self):
        return PROBLEM_TYPE_PREFIX + self.code

    def as_dict(self):
        return {"type": self.type, "code": self.code, "status": self.status, "title": self.title,
                "description": self.description}


PROBLEM_KINDS = {kind.code: kind for kind in (
    ProblemKind("bad-request", 400, "The request could not be read",
                "The request itself is malformed (a header or form Werkzeug cannot parse)."),
    ProblemKind("invalid-json", 400, "The body is not valid JSON",
                "The body cannot be read as JSON: a syntax error, bytes that are not UTF-8, nesting too deep, "
                "or half of a UTF-16 surrogate pair; `detail` says where."),
    ProblemKind("wrong-body", 400, "The body is not what this call takes",
                "Valid JSON of the wrong shape: a letter is a JSON object, a batch's rows a JSON array of objects."),
    ProblemKind("unreadable-rows", 400, "The rows cannot be read",
                "A batch's CSV or JSON rows cannot be read at all: not UTF-8, no rows, too many columns or "
                "empty rows; `detail` says which."),
    ProblemKind("unknown-parameter", 400, "Unknown query parameter",
                "The query string names a parameter this call does not take (`parameter` names it); unknown "
                "parameters are refused, not ignored, so that a misspelt option is not silently lost."),
    ProblemKind("invalid-parameter", 400, "A query parameter cannot take this value",
                "A query parameter this call takes has a value it does not (`parameter` names it), or is given "
                "twice."),
    ProblemKind("invalid-header", 400, "A request header cannot take this value",
                "A header this call reads has a value it cannot take (`header` names it): an Idempotency-Key must "
                "be 1 to 255 visible ASCII characters."),
    ProblemKind("csrf-expired", 400, "The page was open too long",
                "The site's own pages only: the form's CSRF token has expired; reload or submit the page."),
    ProblemKind("token-required", 401, "A bearer token is needed",
                "The server is configured with API tokens and the call had none of them as "
                "`Authorization: Bearer <token>`."),
    ProblemKind("not-found", 404, "Nothing at this address",
                "No call of this API has this URL; see /api/v1/openapi.json."),
    ProblemKind("template-not-found", 404, "No such template", "No letter template has this slug."),
    ProblemKind("template-unavailable", 404, "The template has mistakes",
                "The template file exists but cannot be used until it is mended; `problems` lists each as "
                "'file.jinja:line: message'."),
    ProblemKind("batch-not-found", 404, "No such batch",
                "No batch of this client's has this id: it never existed, belongs to another client, or was "
                "removed (finished batches are kept for JOB_RETENTION_HOURS)."),
    ProblemKind("problem-type-not-found", 404, "No such problem type", "No kind of error has this code."),
    ProblemKind("method-not-allowed", 405, "This address does not take that method",
                "The URL exists but not for this method; the `Allow` header lists those it takes."),
    ProblemKind("batch-not-done", 409, "The batch has no result",
                "The batch's result was asked for before it was done, or it failed or was cancelled; `state` "
                "says which."),
    ProblemKind("idempotency-key-in-use", 409, "A request with this Idempotency-Key is being answered",
                "The first request sent with this key has not been answered yet; `Retry-After` says when to send "
                "this one again, to get that answer."),
    ProblemKind("body-too-large", 413, "The body is too large",
                "The body is larger than MAX_CONTENT_LENGTH (a letter) or BATCH_MAX_CONTENT_LENGTH (a batch)."),
    ProblemKind("too-many-rows", 413, "Too many rows", "A batch has more than BATCH_MAX_ROWS rows."),
    ProblemKind("unsupported-media-type", 415, "The body is not of a type this call takes",
                "A letter is sent as application/json; a batch's rows as application/json or text/csv."),
    ProblemKind("range-not-satisfiable", 416, "The range asked for is not in the file",
                "A `Range` header on a result download asks for bytes the file does not have."),
    ProblemKind("invalid-values", 422, "Some values do not fit the template's fields",
                "`errors` lists the messages by field: {field: [message, ...]}."),
    ProblemKind("invalid-rows", 422, "Some rows cannot become letters",
                "`rows` lists the problems as [{row, field, message}] (the first 1000; `detail` counts them "
                "all). Nothing was started; with skip_invalid=true the good rows are written."),
    ProblemKind("letter-refused", 422, "The letter cannot be written",
                "The values fit, but the letter runs past MAX_PAGES, takes longer than RENDER_TIME_LIMIT, or its "
                "template fails; `detail` says which."),
    ProblemKind("idempotency-key-reused", 422, "This Idempotency-Key was sent with another request",
                "A key stands for one request (its method, address, query and body) for 24 hours; this request "
                "differs from the one first sent with it. Use a new key for a new request."),
    ProblemKind("invalid-callback", 422, "The callback_url cannot be called",
                "The batch names a callback_url this server will not call: CALLBACK_HOSTS is empty (no "
                "callbacks), the host is not listed, it resolves to an internal address not listed, or it is not "
                "an http(s) URL without a user name; `detail` says which. Nothing was started."),
    ProblemKind("rate-limited", 429, "Too many letters asked for just now",
                "This client has asked for LETTER_RATE_LIMIT letters in the current window; `Retry-After` (and "
                "the RateLimit header) says in how many seconds the window is renewed."),
    ProblemKind("too-many-batches", 429, "Too many batches under way",
                "This client already has BATCH_JOBS_PER_CLIENT batches queued or running; `Retry-After` says "
                "when to try again."),
    ProblemKind("too-much-stored", 429, "Too many rows waiting",
                "This client's rows waiting to be written already take BATCH_STORED_BYTES_PER_CLIENT bytes; "
                "`Retry-After` says when to try again."),
    ProblemKind("server-error", 500, "Something went wrong on our side",
                "An unexpected error; it is logged on the server."),
    ProblemKind("queue-full", 503, "The server is writing as many batches as it takes",
                "Every client's batches under way together reach BATCH_QUEUE_LIMIT; nothing of this batch is kept. "
                "`Retry-After` says when to try again."),
    ProblemKind("queue-unavailable", 503, "The batch queue cannot be reached",
                "The broker batches are sent to is away just now; nothing of this batch is kept. `Retry-After` says "
                "when to try again."),
    ProblemKind("database-unavailable", 503, "The database cannot be reached",
                "The database every web host shares is away just now; `Retry-After` says when to try again."),
)}
HTTP_CODES = {400: "bad-request", 404: "not-found", 405: "method-not-allowed", 413: "body-too-large",
              415: "unsupported-media-type", 416: "range-not-satisfiable", 500: "server-error"}
# How long until a share, the queue or the database is likely to be there again (a rate limit says its own).
RETRY_AFTER_SECONDS = {"too-many-batches": 30, "too-much-stored": 60, "queue-full": 60, "queue-unavailable": 30,
                       "database-unavailable": 10, "idempotency-key-in-use": 2}


def problem_response(code, detail, headers=None, **extensions):
    """Return the application/problem+json answer for one kind of error, with a detail for this occurrence.

    :param extensions: members beside the standard ones: `errors` by field, `rows`, `problems`, `state` ...
    """
    kind = PROBLEM_KINDS[code]
    body = {"type": kind.type, "title": kind.title, "status": kind.status, "detail": detail, "code": code,
            **extensions}
    response = current_app.response_class(current_app.json.dumps(body), status=kind.status,
                                          mimetype=PROBLEM_MIMETYPE)
    if code in RETRY_AFTER_SECONDS:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS[code])
    response.headers.extend(headers or {})
    return response


def http_problem_code(status):
    """Return the code of an HTTP error raised by Werkzeug (a 404 for a URL, a 405, a 413 ...)."""
    return HTTP_CODES.get(status, "bad-request" if 400 <= status < 500 else "server-error")



class ApiError(Exception):
    """An error to answer as a problem instead of carrying on: its kind's code, this occurrence's detail, and any
    extension members (errors, rows, parameter, state ...)."""

    def __init__(self, code, detail, headers=None, **extensions):
        super().__init__(detail)
        self.code, self.detail, self.headers, self.extensions = code, detail, headers, extensions

    def response(self):
        return problem_response(self.code, self.detail, self.headers, **self.extensions)
