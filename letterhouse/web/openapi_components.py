"""The OpenAPI document's shared parts: schemas, parameters, headers and error responses, each written once."""

from letterhouse.batch.callbacks import MAX_ATTEMPTS, SIGNATURE_HEADER
from letterhouse.batch.dates import DATE_ORDERS
from letterhouse.batch.idempotency import LIFETIME
from letterhouse.batch.outputs import DEFAULT_OUTPUT, DOWNLOADS
from letterhouse.batch.studio_metadata import METADATA_SCHEMA
from letterhouse.letters.field_types import BOOLEAN_WORDS
from letterhouse.letters.fields import STYLE_FIELDS
from letterhouse.web.api_batches import MAX_PAGE_SIZE, PAGE_SIZE
from letterhouse.web.problems import PROBLEM_KINDS, PROBLEM_MIMETYPE, PROBLEM_TYPE_PREFIX, RETRY_AFTER_SECONDS

BATCH_STATES = ["checked", "queued", "running", "done", "failed", "cancelled"]
NOTES_HEADER = ("Present when some characters cannot be written by any bundled hand (they are left out): JSON, "
                "at most 1024 bytes, [{\"field\", \"characters\" (the first 8, each once), \"count\"}]; fields "
                "that do not fit are left off. POST /letters/{slug}/notes lists every character.")


def ref(name, kind="schemas"):
    return {"$ref": f"#/components/{kind}/{name}"}


def json_content(schema):
    return {"application/json": {"schema": schema}}


def problem_reply(description, *codes, headers=None):
    """Return an error response: a problem of one of these codes (each a kind in web/problems.py)."""
    schema = {"allOf": [ref("Problem")], "properties": {"code": {"enum": list(codes)}}}
    reply = {"description": description, "content": {PROBLEM_MIMETYPE: {"schema": schema}}}
    return {**reply, "headers": headers} if headers else reply


def headers(*names):
    return {name: ref(name, "headers") for name in names}


def string_header(description, **schema):
    return {"description": description, "schema": {"type": "string", **schema}}


HEADERS = {
    "Location": string_header("Where the batch just started is read: /api/v1/batches/{batch_id}.",
                              format="uri-reference"),
    "Content-Disposition": string_header("attachment, with the file's name: an ASCII filename for old clients and "
                                         "filename* (RFC 6266, UTF-8) when the name has other characters."),
    "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}},
    "Letterhouse-Seed": string_header("The letter's seed: send it back as seed to write the same letter.",
                                      pattern="^[0-9]+$"),
    "Letterhouse-Pages": string_header("How many pages the letter has.", pattern="^[0-9]+$"),
    "Letterhouse-Notes": string_header(NOTES_HEADER),
    "Link": string_header("RFC 8288: <url>; rel=\"next\" when there are more batches; the same URL as `next`."),
    "WWW-Authenticate": string_header("Bearer realm=\"letterhouse\"."),
    "Allow": string_header("The methods this URL takes."),
    "ETag": string_header("The result file's version, for If-None-Match and If-Range."),
    "Last-Modified": string_header("When the result was written."),
    "Cache-Control": string_header("no-cache: a client may keep the file but asks again (If-None-Match)."),
    "Accept-Ranges": string_header("bytes: a download can be resumed with Range."),
    "Content-Range": string_header("Which bytes of the result a 206 answer holds."),
    "RateLimit": string_header("IETF draft-ietf-httpapi-ratelimit-headers: what is left of the client's quota and "
                               "in how many seconds it is renewed, like \"letters\";r=59;t=42. Sent when "
                               "LETTER_RATE_LIMIT is set, with successful answers and 429s."),
    "RateLimit-Policy": string_header("The same draft: the quota and its window in seconds, like "
                                      "\"letters\";q=60;w=60."),
    "Idempotent-Replayed": string_header("true: this is the answer first given to the same request with the same "
                                         "Idempotency-Key, given again (nothing new was written).", enum=["true"]),
}


def query(name, description, schema):
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def boolean_query(name, description):
    return query(name, description, {"type": "string", "enum": list(BOOLEAN_WORDS), "default": "false"})


def style_query(spec):
    """Return a style field as a batch's query parameter: one choice for every letter of the batch."""
    choices = [value for value, _ in spec.choices] if spec.choices else list(BOOLEAN_WORDS)
    return query(spec.name, f"{spec.label} for every letter; a column in the rows still wins for its row.",
                 {"type": "string", "enum": choices})


PARAMETERS = {
    "slug": {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
             "description": "The template, as listed by GET /templates (one that can be used when the document "
                            "was made)."},
    "code": {"name": "code", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[a-z-]{1,40}$"},
             "description": "A problem's code, like invalid-values."},
    "batch_id": {"name": "batch_id", "in": "path", "required": True,
                 "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16}$"},
                 "description": "The batch's id, as starting it answered."},
    "limit": query("limit", "How many batches to list at once.",
                   {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE}),
    "after": query("after", "Opaque: the cursor in a listing's `next`, to list the batches after that page.",
                   {"type": "string", "maxLength": 200}),
    "output": query("output", "; ".join(f"{name}: {kind.description}" for name, kind in DOWNLOADS.items()) + ".",
                    {"type": "string", "enum": list(DOWNLOADS), "default": DEFAULT_OUTPUT}),
    "duplex": boolean_query("duplex", "For output=pdf: pad each letter to an even number of pages."),
    "skip_invalid": boolean_query("skip_invalid", "Write the valid rows and report the others, instead of refusing."),
    "date_order": query("date_order", "How dates written in numbers alone are read: " + "; ".join(DATE_ORDERS.values())
                        + ". Without it, only dates that read one way. 2026-02-14 and 14 February 2026 need no choice.",
                        {"type": "string", "enum": list(DATE_ORDERS)}),
    "callback_url": query("callback_url", "Where to POST the batch's status when it ends (done, failed or "
                          "cancelled), signed (see the callback batchEnded). Only hosts the server's CALLBACK_HOSTS "
                          "lists; with none listed, any callback_url is a 422 (invalid-callback).",
                          {"type": "string", "format": "uri", "maxLength": 2048}),
    "metadata": {"name": "metadata", "in": "query", "required": False, "content": json_content(ref("Metadata")),
                 "description": "The batch's own references, as JSON text: returned in its status, manifest and "
                                "callback, never printed."},
    "Idempotency-Key": {"name": "Idempotency-Key", "in": "header", "required": False,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
                        "description": "A key of the client's own (a UUID, say): the same key with the same request "
                                       f"gets the first answer again for {LIFETIME.days * 24} hours (with "
                                       "Idempotent-Replayed: true); with another request, a 422."},
    "own_columns": query("own_columns", "Columns (or keys) that are the studio's own, separated by commas, like "
                         "order_id,ref: carried into manifest.csv, never printed.", {"type": "string"}),
    **{spec.name: style_query(spec) for spec in STYLE_FIELDS},
}


# The extension members each kind of problem always carries.
EXTENSIONS = {"errors": ["invalid-values"], "rows": ["invalid-rows"], "problems": ["template-unavailable"],
              "parameter": ["unknown-parameter", "invalid-parameter", "invalid-callback"],
              "state": ["batch-not-done"],
              "header": ["invalid-header", "idempotency-key-reused", "idempotency-key-in-use"]}


def problem_schema():
    """Return the Problem schema: RFC 9457 problem details with a code and this API's extension members."""
    listed = "; ".join(f"{kind.code} ({kind.status})" for kind in PROBLEM_KINDS.values())
    return {
        "type": "object",
        "description": "RFC 9457 problem details, sent as application/problem+json. Compare `code`, which "
                       f"stays the same for a kind of error: {listed}.",
        "required": ["type", "title", "status", "detail", "code"],
        "properties": {
            "type": {"type": "string", "format": "uri-reference",
                     "description": f"{PROBLEM_TYPE_PREFIX}<code>, relative to the server: GET it for the kind's "
                                    "description."},
            "title": {"type": "string", "description": "The kind of error in a few words; the same for every one "
                                                       "of its kind."},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string", "description": "This occurrence, in words for a person."},
            "code": {"type": "string", "description": "The kind of error, stable for programs to compare."},
            "errors": {"type": "object", "description": "invalid-values: messages by field.",
                       "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            "rows": {"type": "array", "items": ref("RowError"), "description": "invalid-rows: each row's problem."},
            "problems": {"type": "array", "items": {"type": "string"},
                         "description": "template-unavailable: each problem as file:line: message."},
            "parameter": {"type": "string", "description": "unknown-parameter, invalid-parameter, invalid-callback: "
                                                           "which one."},
            "header": {"type": "string", "description": "invalid-header and the idempotency problems: which one."},
            "state": {"type": "string", "enum": BATCH_STATES, "description": "batch-not-done: the batch's state."},
        },
        "allOf": [{"if": {"properties": {"code": {"enum": list(codes)}}, "required": ["code"]},
                   "then": {"required": [member]}} for member, codes in EXTENSIONS.items()],
    }


def utc_time(description):
    return {"type": ["string", "null"], "format": "date-time", "description": description + " ISO 8601 in UTC."}


SCHEMAS = {
    "Problem": problem_schema(),
    "RowError": {
        "type": "object",
        "required": ["row", "field", "message"],
        "properties": {
            "row": {"type": "integer",
                    "description": "CSV: as a spreadsheet shows it (header = 1). JSON: the item, from 1."},
            "field": {"type": "string", "description": "The field or column; empty for the whole row."},
            "message": {"type": "string"},
        },
    },
    "TemplateSummary": {
        "type": "object",
        "required": ["slug", "title", "description", "occasion", "url"],
        "properties": {"slug": {"type": "string"}, "title": {"type": "string"},
                       "description": {"type": "string"}, "occasion": {"type": "string"},
                       "url": {"type": "string"}, "available": {"type": "boolean", "const": True},
                       "fields": {"type": "array", "items": {"type": "string"},
                                  "description": "The template's own fields (every letter also has the common ones)."}},
    },
    "Template": {
        "allOf": [ref("TemplateSummary")],
        "type": "object",
        "required": ["schema"],
        "properties": {"schema": {"type": "object", "description": "JSON Schema of the letter's data; the same as "
                                                                   "components/schemas/Letter_<slug> here."}},
    },
    "Batch": {
        "type": "object",
        "required": ["id", "template", "state", "rows", "letters_to_write", "done", "progress", "row_errors",
                     "status_url", "created", "started", "finished", "expires"],
        "properties": {
            "id": {"type": "string"},
            "template": {"type": "string"},
            "state": {"type": "string", "enum": BATCH_STATES},
            "rows": {"type": "integer"},
            "letters_to_write": {"type": "integer"},
            "done": {"type": "integer"},
            "progress": {"type": "number", "minimum": 0, "maximum": 1},
            "letters": {"type": "integer"},
            "pages": {"type": "integer"},
            "output": {"type": "string", "enum": list(DOWNLOADS)},
            "message": {"type": "string"},
            "row_errors": {"type": "array", "items": ref("RowError")},
            "status_url": {"type": "string"},
            "result_url": {"type": "string", "description": "Present once the batch is done."},
            "created": utc_time("When the rows were received."),
            "started": utc_time("When a worker began writing; null until then."),
            "finished": utc_time("When it was done, failed or cancelled; null until then."),
            "expires": utc_time("When it and its result will be removed; null while it is queued or running "
                                "(it is kept JOB_RETENTION_HOURS after it ends)."),
            "metadata": ref("Metadata"),
            "manifest_url": {"type": "string", "description": "Present once the batch is done: each letter's row, "
                                                              "file and metadata."},
            "callback": ref("CallbackProgress"),
        },
    },
    "Metadata": METADATA_SCHEMA,
    "CallbackProgress": {
        "type": "object", "required": ["url", "state", "attempts", "last_error"],
        "description": "Present when the batch named a callback_url: how sending its status went.",
        "properties": {
            "url": {"type": "string"},
            "state": {"type": "string", "enum": ["waiting", "sending", "retrying", "delivered", "failed"],
                      "description": f"waiting for the batch to end; retrying after a failed attempt; failed after "
                                     f"{MAX_ATTEMPTS}."},
            "attempts": {"type": "integer", "minimum": 0, "maximum": MAX_ATTEMPTS},
            "last_error": {"type": "string", "description": "Why the last attempt failed; empty once delivered."}},
    },
    "Manifest": {
        "type": "object", "required": ["id", "metadata", "letters"],
        "properties": {
            "id": {"type": "string"},
            "metadata": ref("Metadata"),
            "letters": {"type": "array", "description": "In row order, as manifest.csv.", "items": {
                "type": "object", "required": ["row", "file", "recipient", "pages", "metadata"],
                "properties": {"row": {"type": "integer"}, "file": {"type": "string"},
                               "recipient": {"type": "string"}, "pages": {"type": "integer"},
                               "first_page": {"type": "integer", "description": "In one combined PDF."},
                               "metadata": {"type": "object", "description": "The row's own columns and the "
                                                                             "members of its metadata."}}}}},
    },
    "CallbackSecret": {
        "type": "object", "required": ["secret", "header", "callbacks_allowed"],
        "properties": {
            "secret": {"type": "string", "description": "The key of this client's callbacks' HMAC-SHA256."},
            "header": {"type": "string", "const": SIGNATURE_HEADER},
            "callbacks_allowed": {"type": "boolean", "description": "Whether the server lists any CALLBACK_HOSTS."}},
    },
    "BatchList": {
        "type": "object",
        "required": ["batches", "next"],
        "properties": {"batches": {"type": "array", "items": ref("Batch"), "description": "Newest first."},
                       "next": {"type": ["string", "null"],
                                "description": "The next page's URL (also in the Link header); null on the last."}},
    },
}

RESPONSES = {
    "TokenRequired": problem_reply("A bearer token is needed: the server is configured with tokens.",
                                   "token-required", headers=headers("WWW-Authenticate")),
    "NoTemplate": problem_reply("No such template, or one that cannot be used (see `problems`).",
                                "template-not-found", "template-unavailable"),
    "NoBatch": problem_reply("No such batch of this client's (it may have been removed).", "batch-not-found"),
    "UnknownParameter": problem_reply("A query parameter the call does not take, or a value it cannot.",
                                      "unknown-parameter", "invalid-parameter"),
    "LetterBodyUnreadable": problem_reply("The body is not valid JSON (nested too deeply, not UTF-8, half a UTF-16 "
                                          "surrogate pair) or not a JSON object; or a query parameter or "
                                          "Idempotency-Key that cannot be taken.",
                                          "invalid-json", "wrong-body", "unknown-parameter", "invalid-parameter",
                                          "invalid-header"),
    "LetterBodyTooLarge": problem_reply("The body is larger than MAX_CONTENT_LENGTH.", "body-too-large"),
    "NotJson": problem_reply("The body is not application/json.", "unsupported-media-type"),
    "InvalidValues": problem_reply("Values that do not fit the template's fields, by field; a letter that "
                                   "cannot be written (too many pages, too slow, its template fails); or an "
                                   "Idempotency-Key first sent with another request.",
                                   "invalid-values", "letter-refused", "idempotency-key-reused"),
    "RateLimited": problem_reply("This client has asked for LETTER_RATE_LIMIT letters in the current window.",
                                 "rate-limited", headers=headers("Retry-After", "RateLimit", "RateLimit-Policy")),
    "IdempotencyKeyInUse": problem_reply("The first request with this Idempotency-Key is still being answered.",
                                         "idempotency-key-in-use", headers=headers("Retry-After")),
    "Unavailable": problem_reply("The server has BATCH_QUEUE_LIMIT batches under way, or its broker or database "
                                 "is away; nothing of this batch is kept.",
                                 "queue-full", "queue-unavailable", "database-unavailable",
                                 headers=headers("Retry-After")),
    "DatabaseUnavailable": problem_reply("The database is away just now.", "database-unavailable",
                                         headers=headers("Retry-After")),
    "Busy": problem_reply("This client already has BATCH_JOBS_PER_CLIENT batches queued or running, or "
                          "BATCH_STORED_BYTES_PER_CLIENT bytes of rows waiting; nothing of this batch is kept. "
                          f"Retry-After: {min(RETRY_AFTER_SECONDS.values())} s or more.",
                          "too-many-batches", "too-much-stored", headers=headers("Retry-After")),
    "Letter": {"description": "The letter.", "content": {"application/pdf": {}},
               "headers": headers("Content-Disposition", "Letterhouse-Seed", "Letterhouse-Pages", "Letterhouse-Notes",
                                  "RateLimit", "RateLimit-Policy", "Idempotent-Replayed")},
    "BatchUnreadable": problem_reply("The rows cannot be read (not UTF-8, not an array of objects, too many columns "
                                     "or empty rows), a query parameter is unknown or wrong, or the "
                                     "Idempotency-Key cannot be taken.",
                                     "unreadable-rows", "invalid-json", "unknown-parameter", "invalid-parameter",
                                     "invalid-header"),
    "BatchTooLarge": problem_reply("More than BATCH_MAX_ROWS rows, or larger than BATCH_MAX_CONTENT_LENGTH.",
                                   "too-many-rows", "body-too-large"),
    "RowsNotJsonOrCsv": problem_reply("The body is neither application/json nor text/csv.", "unsupported-media-type"),
    "InvalidRows": problem_reply("Rows that cannot become letters (and skip_invalid was not set), or none can; a "
                                 "callback_url this server will not call; or an Idempotency-Key first sent with "
                                 "another request.", "invalid-rows", "invalid-callback", "idempotency-key-reused"),
    "NotDone": problem_reply("The batch is not done: queued, running, failed or cancelled (see `state`).",
                             "batch-not-done"),
    "NoProblemType": problem_reply("No kind of error has this code.", "problem-type-not-found"),
    "Options": {"description": "The methods this URL takes, in Allow; no body. No CORS headers are sent.",
                "headers": headers("Allow")},
    "UriTooLong": {"description": "The request line (method, address and query) is longer than 8190 bytes: "
                                  "refused by the server (gunicorn) before the API reads it, as an HTML page.",
                   "content": {"text/html": {"schema": {"type": "string"}}}},
}

SECURITY_SCHEMES = {"bearer": {"type": "http", "scheme": "bearer",
                               "description": "Needed when the server sets LETTERHOUSE_API_TOKENS (comma-separated)."}}


def components(letter_schemas, slugs=(), example_slug=None):
    """Return the document's components, with each template's letter schema (Letter_<slug>) among the schemas.

    :param slugs: the usable templates' slugs, the values a {slug} may take
    :param example_slug: the slug the examples are written for
    """
    slug = {**PARAMETERS["slug"], "schema": {"type": "string", **({"enum": list(slugs)} if slugs else {})},
            **({"example": example_slug} if example_slug else {})}
    return {"schemas": {**SCHEMAS, **letter_schemas}, "parameters": {**PARAMETERS, "slug": slug}, "headers": HEADERS,
            "responses": RESPONSES, "securitySchemes": SECURITY_SCHEMES}
