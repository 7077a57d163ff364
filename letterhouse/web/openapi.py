"""The API described as data: each template's fields as JSON Schema, and the OpenAPI 3.1 document."""

from letterhouse.batch.dates import DATE_ORDERS
from letterhouse.batch.outputs import DEFAULT_OUTPUT, DOWNLOADS
from letterhouse.letters.field_types import BOOLEAN_WORDS, FIELD_TYPES
from letterhouse.letters.fields import COMMON_FIELDS, OWN_WORDS, STYLE_FIELDS

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


NOTES_HEADER = ("Present when some characters cannot be written by any bundled hand (they are left out): JSON, "
                "at most 1024 bytes, [{\"field\", \"characters\" (the first 8, each once), \"count\"}]; fields "
                "that do not fit are left off. POST /letters/{slug}/notes lists every character.")


def field_schema(spec, limits):
    """Return the JSON Schema of one field, with its label, help and default."""
    schema = {"title": spec.label, **FIELD_TYPES[spec.type].json_schema(spec, limits)}
    if spec.help:
        schema["description"] = spec.help
    if spec.default not in (None, "") and not callable(spec.default):
        schema["default"] = spec.default
    return {key: value for key, value in schema.items() if value is not None}


def template_schema(template):
    """Return the JSON Schema of a letter's data for one template."""
    properties = {spec.name: field_schema(spec, template.limits) for spec in template.all_fields}
    properties["seed"] = {"title": "Seed", "type": "integer", "minimum": 0, "maximum": 2**32 - 1,
                          "description": "Picks among the template's wordings; the same seed writes the same letter."}
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": template.title,
        "description": template.description,
        "type": "object",
        "properties": properties,
        "required": [spec.name for spec in template.all_fields if spec.required],
        "additionalProperties": False,
    }


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema):
    return {"application/json": {"schema": schema}}


def error_reply(description, schema_name="Error"):
    return {"description": description, "content": json_content(ref(schema_name))}


OWN_WORDS_PROPERTY = {
    **field_schema(next(spec for spec in COMMON_FIELDS if spec.name == OWN_WORDS), {}),
    "description": "Optional, on every template: the whole letter in the writer's own words, plain text with a "
                   "blank line between paragraphs (POST /letters/{slug}/text gives the template's words to start "
                   "from). It replaces the greeting, body, closing, signature and P.S., is printed as written "
                   "and never run as template code, and leaves the seed the one the other values give.",
}
LETTER_BODY = {"type": "object", "description": "The letter's data, as GET /templates/{slug} describes.",
               "properties": {OWN_WORDS: OWN_WORDS_PROPERTY}}
SLUG_PARAMETER = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
                  "description": "The template, as listed by GET /templates."}
# POST /batches/<slug> starts a batch and GET /batches/<id> reads one: OpenAPI sees one templated path.
BATCH_PARAMETER = {"name": "slug_or_id", "in": "path", "required": True, "schema": {"type": "string"},
                   "description": "POST: the template's slug. GET: the batch id that POST returned."}
SECURED = {"401": error_reply("A bearer token is needed (when the server is configured with tokens).")}


def studio_query():
    """Return the batch's own query parameters: how dates are read, the studio's own columns, one style for all."""
    date_order = {"name": "date_order", "in": "query", "required": False,
                  "schema": {"type": "string", "enum": list(DATE_ORDERS)},
                  "description": "How dates written in numbers alone are read: " + "; ".join(DATE_ORDERS.values())
                                 + ". Without it, only dates that read one way. 2026-02-14 and 14 February 2026 "
                                   "need no choice."}
    own = {"name": "own_columns", "in": "query", "required": False, "schema": {"type": "string"},
           "description": "Columns (or keys) that are the studio's own, separated by commas, like order_id,ref: "
                          "carried into manifest.csv, never printed."}
    style = [{"name": spec.name, "in": "query", "required": False,
              "schema": {"type": "string", "enum": [value for value, _ in spec.choices]} if spec.choices
              else {"type": "string", "enum": list(BOOLEAN_WORDS)},
              "description": f"{spec.label} for every letter; a column in the rows still wins for its row."}
             for spec in STYLE_FIELDS]
    return [date_order, own, *style]


def boolean_query(name, description):
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string", "enum": list(BOOLEAN_WORDS)}}


STUDIO_QUERY = studio_query()


COMPONENT_SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["status", "error", "message"],
        "properties": {
            "status": {"type": "integer"},
            "error": {"type": "string"},
            "message": {"type": "string"},
            "problems": {"type": "array", "items": {"type": "string"},
                         "description": "For a template that cannot be used: each problem as file:line: message."},
        },
    },
    "FieldErrors": {
        "allOf": [ref("Error")],
        "type": "object",
        "required": ["errors"],
        "properties": {"errors": {"type": "object", "additionalProperties": {
            "type": "array", "items": {"type": "string"}}}},
    },
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
    "RowErrors": {
        "allOf": [ref("Error")],
        "type": "object",
        "required": ["row_errors"],
        "properties": {"row_errors": {"type": "array", "items": ref("RowError")}},
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
        "properties": {"schema": {"type": "object", "description": "JSON Schema of the letter's data."}},
    },
    "Batch": {
        "type": "object",
        "required": ["id", "template", "state", "rows", "letters_to_write", "done", "progress", "row_errors",
                     "status_url"],
        "properties": {
            "id": {"type": "string"},
            "template": {"type": "string"},
            "state": {"type": "string", "enum": ["checked", "queued", "running", "done", "failed"]},
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
            "result_url": {"type": "string"},
        },
    },
}


def openapi_document():
    """Return the OpenAPI 3.1 description of /api/v1."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Letterhouse API", "version": "1",
                 "description": "Personalised letters as PDFs: one at a time, or a batch from a CSV or JSON array."},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": COMPONENT_SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Needed only when the server sets LETTERHOUSE_API_TOKENS."}},
        },
        "security": [{}, {"bearer": []}],
        "paths": PATHS,
    }


PATHS = {
    "/templates": {"get": {
        "summary": "Every letter template that can be used",
        "operationId": "listTemplates",
        "responses": {"200": {"description": "The templates.", "content": json_content({
            "type": "object", "required": ["templates"],
            "properties": {"templates": {"type": "array", "items": ref("TemplateSummary")},
                           "unavailable": {"type": "array", "description": "Template files with mistakes: "
                                           "each slug with its problems as 'file.jinja:line: message'.",
                                           "items": {"type": "object", "properties": {
                                               "slug": {"type": "string"},
                                               "available": {"type": "boolean", "const": False},
                                               "problems": {"type": "array", "items": {"type": "string"}}}}}}})},
            **SECURED},
    }},
    "/templates/{slug}": {"get": {
        "summary": "One template, with its fields as JSON Schema (defaults and choices included)",
        "operationId": "getTemplate",
        "parameters": [SLUG_PARAMETER],
        "responses": {"200": {"description": "The template.", "content": json_content(ref("Template"))},
                      "404": error_reply("No such template, or one that cannot be used (see problems)."),
                      **SECURED},
    }},
    "/letters/{slug}": {"post": {
        "summary": "Write one letter as a PDF",
        "operationId": "writeLetter",
        "parameters": [SLUG_PARAMETER],
        "requestBody": {"required": True, "content": json_content(LETTER_BODY)},
        "responses": {
            "200": {"description": "The letter.", "content": {"application/pdf": {}},
                    "headers": {"Letterhouse-Seed": {"schema": {"type": "string"},
                                                     "description": "Send it back as seed to write the same letter."},
                                "Letterhouse-Pages": {"schema": {"type": "string"}},
                                "Letterhouse-Notes": {"schema": {"type": "string"}, "description": NOTES_HEADER}}},
            "400": error_reply("The body is not a JSON object, not valid JSON (nested too deeply, not UTF-8), "
                               "or holds half of a UTF-16 surrogate pair."),
            "404": error_reply("No such template, or one that cannot be used."),
            "413": error_reply("The body is larger than MAX_CONTENT_LENGTH."),
            "415": error_reply("The body is not application/json."),
            "422": error_reply("Values that do not fit the template's fields, by field.", "FieldErrors"),
            **SECURED,
        },
    }},
    "/letters/{slug}/notes": {"post": {
        "summary": "List every character of a letter that no bundled hand can write, by field",
        "operationId": "letterNotes",
        "parameters": [SLUG_PARAMETER],
        "requestBody": {"required": True, "content": json_content({
            "type": "object", "description": "The same object as POST /letters/{slug}; nothing is rendered."})},
        "responses": {
            "200": {"description": "Every note: field, label, characters (each once), outcome and a message.",
                    "content": json_content({"type": "object", "properties": {"notes": {
                        "type": "array", "items": {"type": "object", "properties": {
                            "field": {"type": "string"}, "label": {"type": "string"},
                            "characters": {"type": "array", "items": {"type": "string"}},
                            "outcome": {"type": "string"}, "message": {"type": "string"}}}}}})},
            "400": error_reply("The body is not a JSON object, or not valid JSON."),
            "404": error_reply("No such template, or one that cannot be used."),
            "415": error_reply("The body is not application/json."),
            "422": error_reply("Values that do not fit the template's fields, by field.", "FieldErrors"),
            **SECURED,
        },
    }},
    "/letters/{slug}/text": {"post": {
        "summary": "The letter's words as the template writes them for these details, to edit into letter_text",
        "operationId": "letterText",
        "parameters": [SLUG_PARAMETER],
        "requestBody": {"required": True, "content": json_content({
            "type": "object", "description": "The same object as POST /letters/{slug}; nothing is rendered."})},
        "responses": {
            "200": {"description": "Greeting, paragraphs, closing and signature and any P.S., a blank line between "
                                   "paragraphs; the seed the letter is written with.",
                    "content": json_content({"type": "object", "required": [OWN_WORDS, "seed"], "properties": {
                        OWN_WORDS: {"type": "string"}, "seed": {"type": "integer"}}})},
            "400": error_reply("The body is not a JSON object, or not valid JSON."),
            "404": error_reply("No such template, or one that cannot be used."),
            "415": error_reply("The body is not application/json."),
            "422": error_reply("Values that do not fit the template's fields, by field; or a template body that "
                               "fails.", "FieldErrors"),
            **SECURED,
        },
    }},
    "/batches/{slug_or_id}": {"post": {
        "summary": "Start a batch: one letter per CSV row or JSON object, written in the background",
        "operationId": "startBatch",
        "parameters": [
            BATCH_PARAMETER,
            {"name": "output", "in": "query", "required": False,
             "schema": {"type": "string", "enum": list(DOWNLOADS), "default": DEFAULT_OUTPUT},
             "description": "; ".join(f"{name}: {kind.description}" for name, kind in DOWNLOADS.items()) + "."},
            boolean_query("duplex", "For output=pdf: pad each letter to an even number of pages."),
            boolean_query("skip_invalid", "Write the valid rows and report the others, instead of refusing."),
            *STUDIO_QUERY,
        ],
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            "text/csv": {"schema": {"type": "string"}}}},
        "responses": {
            "202": {"description": "The batch was started.", "content": json_content(ref("Batch"))},
            "400": error_reply("The rows cannot be read, or a query parameter is wrong."),
            "404": error_reply("No such template, or one that cannot be used."),
            "413": error_reply("More than BATCH_MAX_ROWS rows, or larger than BATCH_MAX_CONTENT_LENGTH."),
            "429": error_reply("This client (its token; on an open API, its address) already has "
                               "BATCH_JOBS_PER_CLIENT batches queued or running, or BATCH_STORED_BYTES_PER_CLIENT "
                               "bytes of rows waiting; nothing of this batch is kept."),
            "415": error_reply("The body is neither application/json nor text/csv."),
            "422": error_reply("Rows that cannot become letters (and skip_invalid was not set).", "RowErrors"),
            **SECURED,
        },
    }, "get": {
        "summary": "A batch's state, progress and row errors",
        "operationId": "getBatch",
        "parameters": [BATCH_PARAMETER],
        "responses": {"200": {"description": "The batch.", "content": json_content(ref("Batch"))},
                      "404": error_reply("No such batch of this client's (it may have expired)."), **SECURED},
    }},
    "/batches/{job_id}/result": {"get": {
        "summary": "The finished batch: a ZIP of PDFs or one combined PDF",
        "operationId": "getBatchResult",
        "parameters": [{"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {
            "200": {"description": "The letters.", "content": {kind.mimetype: {} for kind in DOWNLOADS.values()}},
            "404": error_reply("No such batch of this client's (it may have expired)."),
            "409": error_reply("The batch has not finished, or it failed."),
            **SECURED,
        },
    }},
}
