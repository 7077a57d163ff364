"""The OpenAPI document's paths: every call of /api/v1, and a path of its own for each template's letter."""

import re

from letterhouse.batch.callbacks import MAX_ATTEMPTS, SIGNATURE_HEADER
from letterhouse.batch.outputs import DOWNLOADS
from letterhouse.letters.fields import OWN_WORDS, STYLE_FIELDS
from letterhouse.web.letter_schemas import OWN_WORDS_PROPERTY
from letterhouse.web.openapi_components import headers, json_content, problem_reply, ref

LETTER_BODY = {"type": "object", "description": "The letter's data: for each template, "
                                                "components/schemas/Letter_<slug> (and GET /templates/{slug}).",
               "properties": {OWN_WORDS: OWN_WORDS_PROPERTY}}
SECURED = {"401": ref("TokenRequired", "responses")}
DATABASE_AWAY = {"503": ref("DatabaseUnavailable", "responses")}  # any call, when the shared database is away
TOO_LONG = {"414": ref("UriTooLong", "responses")}  # any call, its address or query too long for the server
PUBLIC = []  # security: none, even when the server has tokens


def parameters(*names):
    return [ref(name, "parameters") for name in names]


def responses(ok, *errors):
    """Return an operation's responses: its own success and the shared error responses by status."""
    return {**ok, **DATABASE_AWAY, **TOO_LONG, **{status: ref(name, "responses") for status, name in errors},
            **SECURED}


def operation(operation_id, summary, ok, *errors, params=(), body=None, security=None, callbacks=None):
    op = {"operationId": operation_id, "summary": summary, "responses": responses(ok, *errors)}
    if params:
        op["parameters"] = parameters(*params)
    if body is not None:
        op["requestBody"] = {"required": True, "content": body}
    if callbacks:
        op["callbacks"] = callbacks
    if security is not None:
        op["security"], op["responses"] = security, {k: v for k, v in op["responses"].items() if k != "401"}
    return op


def any_value(name):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"},
            "description": "Any: OPTIONS answers alike whether or not there is such a template, batch or problem."}


def options(path):
    """Return the OPTIONS operation every path has: 204 with Allow, no token needed, whatever its {parameters}."""
    answer = {"summary": "The methods this URL takes", "security": PUBLIC,
              "responses": {"204": ref("Options", "responses"), **TOO_LONG}}
    names = re.findall(r"{([^}]+)}", path)
    return {"options": {**answer, **({"parameters": [any_value(name) for name in names]} if names else {})}}


def ok(description, content=None, header_names=(), status="200"):
    reply = {"description": description}
    if content is not None:
        reply["content"] = content
    if header_names:
        reply["headers"] = headers(*header_names)
    return {status: reply}


def started_batch():
    """Return startBatch's 201: the batch, where to read it, and links to what can be done with it next."""
    reply = ok("The batch was started; Location is where to read it.", json_content(ref("Batch")),
               ["Location", "Idempotent-Replayed"], "201")
    reply["201"]["links"] = {name: {"operationId": operation_id, "parameters": {"batch_id": "$response.body#/id"}}
                             for name, operation_id in (("GetBatch", "getBatch"), ("GetBatchResult", "getBatchResult"),
                                                        ("GetBatchManifest", "getBatchManifest"),
                                                        ("CancelBatch", "cancelBatch"))}
    return reply


BATCH_ENDED = {"batchEnded": {"{$request.query.callback_url}": {"post": {
    "summary": "The batch's status, POSTed once it is done, failed or cancelled",
    "description": "The body is the batch as GET /batches/{batch_id} gives it, its links absolute. Verify "
                   f"{SIGNATURE_HEADER} (t=<unix time>,v1=<hex>): HMAC-SHA256 over \"<t>.<body>\" keyed with the "
                   "secret GET /callback-secret gives, and refuse an old t. Any answer but 2xx within 10 s is tried "
                   f"again: {MAX_ATTEMPTS} tries, after 20 s (CALLBACK_RETRY_SECONDS), then three times as long each "
                   "time.",
    "security": PUBLIC,
    "parameters": [{"name": SIGNATURE_HEADER, "in": "header", "required": True, "schema": {
                        "type": "string", "pattern": "^t=[0-9]+,v1=[0-9a-f]{64}$"}},
                   {"name": "Letterhouse-Attempt", "in": "header", "required": True, "schema": {
                        "type": "string", "pattern": "^[0-9]+$"}, "description": "1 for the first try."}],
    "requestBody": {"required": True, "content": json_content(ref("Batch"))},
    "responses": {"2XX": {"description": "Taken: it is not sent again."}}}}}}


QUERY = ("400", "UnknownParameter")
NO_TEMPLATE = ("404", "NoTemplate")
NO_BATCH = ("404", "NoBatch")
LETTER_ERRORS = (("400", "LetterBodyUnreadable"), NO_TEMPLATE, ("413", "LetterBodyTooLarge"), ("415", "NotJson"),
                 ("422", "InvalidValues"))
BATCH_QUERY = ("output", "duplex", "skip_invalid", "date_order", "own_columns", *(spec.name for spec in STYLE_FIELDS),
               "callback_url", "metadata")
KEY_IN_USE = ("409", "IdempotencyKeyInUse")
RATE_LIMITED = ("429", "RateLimited")
TEMPLATE_LIST = {
    "type": "object", "required": ["templates"],
    "properties": {"templates": {"type": "array", "items": ref("TemplateSummary")},
                   "unavailable": {"type": "array", "description": "Template files with mistakes: each slug with "
                                                                   "its problems as 'file.jinja:line: message'.",
                                   "items": {"type": "object", "properties": {
                                       "slug": {"type": "string"}, "available": {"type": "boolean", "const": False},
                                       "problems": {"type": "array", "items": {"type": "string"}}}}}}}
TEXT = {"type": "string"}
NOTE = {"type": "object", "properties": {"field": TEXT, "label": TEXT, "characters": {"type": "array", "items": TEXT},
                                         "outcome": TEXT, "message": TEXT}}
NOTES = {"type": "object", "properties": {"notes": {"type": "array", "items": NOTE}}}
ROWS_BODY = {"application/json": {"schema": {"type": "array", "items": {"type": "object"}, "description": (
                 "One object per letter, each as components/schemas/Letter_<slug>, with any own columns besides.")}},
             "text/csv": {"schema": {"type": "string", "description": "A header row of field names, then one row "
                                                                     "per letter."}}}
RESULT = {"200": {"description": "The letters: a ZIP of PDFs with manifest.csv, or one combined PDF.",
                  "content": {kind.mimetype: {} for kind in DOWNLOADS.values()},
                  "headers": headers("Content-Disposition", "ETag", "Last-Modified", "Cache-Control", "Accept-Ranges")},
          "206": {"description": "The bytes a Range header asked for.",
                  "content": {kind.mimetype: {} for kind in DOWNLOADS.values()},
                  "headers": headers("Content-Disposition", "Content-Range", "ETag", "Last-Modified",
                                     "Cache-Control", "Accept-Ranges")},
          "304": {"description": "Not modified since the ETag sent in If-None-Match.",
                  "headers": headers("ETag", "Last-Modified", "Cache-Control")},
          "416": problem_reply("A Range beyond the file.", "range-not-satisfiable")}

PATHS = {
    "/templates": {"get": operation(
        "listTemplates", "Every letter template that can be used", ok("The templates.", json_content(TEMPLATE_LIST)),
        QUERY)},
    "/templates/{slug}": {"get": operation(
        "getTemplate", "One template, with its fields as JSON Schema (defaults and choices included)",
        ok("The template.", json_content(ref("Template"))), QUERY, NO_TEMPLATE)},
    "/templates/{slug}/batches": {"post": operation(
        "startBatch", "Start a batch: one letter per CSV row or JSON object, written in the background",
        started_batch(),
        ("400", "BatchUnreadable"), NO_TEMPLATE, KEY_IN_USE, ("413", "BatchTooLarge"), ("415", "RowsNotJsonOrCsv"),
        ("422", "InvalidRows"), ("429", "Busy"), ("503", "Unavailable"), params=(*BATCH_QUERY, "Idempotency-Key"),
        body=ROWS_BODY, callbacks=BATCH_ENDED)},
    "/letters/{slug}": {"post": operation(
        "writeLetter", "Write one letter as a PDF", {"200": ref("Letter", "responses")},
        *LETTER_ERRORS, KEY_IN_USE, RATE_LIMITED, params=["Idempotency-Key"], body=json_content(LETTER_BODY))},
    "/letters/{slug}/notes": {"post": operation(
        "letterNotes", "List every character of a letter that no bundled hand can write, by field",
        ok("Every note: field, label, characters (each once), outcome and a message.", json_content(NOTES)),
        *LETTER_ERRORS, body=json_content(LETTER_BODY))},
    "/letters/{slug}/text": {"post": operation(
        "letterText", "The letter's words as the template writes them for these details, to edit into letter_text",
        ok("Greeting, paragraphs, closing and signature and any P.S., a blank line between paragraphs; the seed the "
           "letter is written with.", json_content({"type": "object", "required": [OWN_WORDS, "seed"], "properties": {
               OWN_WORDS: {"type": "string"}, "seed": {"type": "integer"}}})),
        *LETTER_ERRORS, body=json_content(LETTER_BODY))},
    "/batches": {"get": operation(
        "listBatches", "This client's batches, newest first, a page at a time",
        ok("A page of batches; `next` (and Link) fetches the next.", json_content(ref("BatchList")), ["Link"]),
        QUERY, params=["limit", "after"])},
    "/batches/{batch_id}": {
        "get": operation("getBatch", "A batch's state, progress, times and row errors",
                         ok("The batch.", json_content(ref("Batch"))), QUERY, NO_BATCH),
        "delete": operation(
            "cancelBatch", "Cancel a queued or running batch; remove an ended one",
            {**ok("It was queued or running: it is cancelled, its rows and any letters written are removed, and "
                  "its status (state cancelled) is kept until it expires.", json_content(ref("Batch"))),
             **ok("It had ended (done, failed or cancelled) or never started: it and its result are removed; "
                  "reading it is now a 404.", status="204")},
            QUERY, NO_BATCH)},
    "/batches/{batch_id}/result": {"get": operation(
        "getBatchResult", "The finished batch: a ZIP of PDFs or one combined PDF", RESULT, QUERY, NO_BATCH,
        ("409", "NotDone"))},
    "/batches/{batch_id}/manifest": {"get": operation(
        "getBatchManifest", "The finished batch's letters: row, file, recipient, pages and each one's metadata",
        ok("The manifest.", json_content(ref("Manifest"))), QUERY, NO_BATCH, ("409", "NotDone"))},
    "/callback-secret": {"get": operation(
        "getCallbackSecret", "The secret this client's callbacks are signed with",
        ok("The secret, and whether the server sends callbacks at all.", json_content(ref("CallbackSecret"))),
        QUERY)},
    "/openapi.json": {"get": operation(
        "getOpenApi", "This document", ok("The OpenAPI 3.1 document.", json_content({"type": "object"})), QUERY,
        security=PUBLIC)},
    "/problems/{code}": {"get": operation(
        "getProblemType", "What a kind of error means: a problem's `type` resolves here",
        ok("The kind of error.", json_content({"type": "object", "required": ["type", "code", "status", "title"]})),
        QUERY, ("404", "NoProblemType"), security=PUBLIC)},
}

def template_paths(slugs):
    """Return a path of its own for each template's letter, its body that template's schema (Letter_<slug>).

    OPTIONS on them is described by /letters/{slug}.
    """
    return {f"/letters/{slug}": {"post": {
        "operationId": f"writeLetter_{slug}", "summary": f"Write one {slug} letter as a PDF",
        "parameters": parameters("Idempotency-Key"),
        "requestBody": {"required": True, "content": json_content(ref(f"Letter_{slug}"))},
        "responses": responses({"200": ref("Letter", "responses")}, *LETTER_ERRORS, KEY_IN_USE, RATE_LIMITED)}}
        for slug in slugs}


def all_paths(slugs, example=None):
    """Return every path, each with OPTIONS and its path parameters (like {batch_id}) declared once for all.

    :param example: (slug, a letter's data) to show as startBatch's example: one row, for that template
    """
    paths = {path: {**path_parameters(path), **item, **options(path)} for path, item in PATHS.items()}
    if example:
        paths["/templates/{slug}/batches"] = with_example_batch(paths["/templates/{slug}/batches"], *example)
    return paths | template_paths(slugs)


def with_example_batch(item, slug, data):
    """Return startBatch's path with an example: a batch of one letter of the template `slug` (the example of
    the {slug} parameter)."""
    post = item["post"]
    body = {**post["requestBody"], "content": {**post["requestBody"]["content"], "application/json": {
        **post["requestBody"]["content"]["application/json"], "example": [data]}}}
    return {**item, "post": {**post, "requestBody": body}}


def path_parameters(path):
    names = re.findall(r"{([^}]+)}", path)
    return {"parameters": parameters(*names)} if names else {}
