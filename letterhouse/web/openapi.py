"""The API described as an OpenAPI 3.1 document, built for the templates there are; and the query each call takes."""

import json
from collections import Counter

from letterhouse.letters.catalog import example_values
from letterhouse.web.letter_schemas import letter_component, letter_schema_name
from letterhouse.web.openapi_components import PARAMETERS, components, ref
from letterhouse.web.openapi_paths import PATHS, all_paths
from letterhouse.web.problems import PROBLEM_TYPE_PREFIX

ANNOTATIONS = {"default", "title", "description"}  # keywords beside a $ref that say, not check: a letter's own
DESCRIPTION = f"""Personalised letters as PDFs: one at a time, or a batch from a CSV or JSON array.

Each template's letter is described once, as components/schemas/Letter_<slug>, and POST /letters/<slug> has a \
path of its own taking it. Every error is an RFC 9457 problem (application/problem+json) with a stable `code`; \
its `type` is {PROBLEM_TYPE_PREFIX}<code>, relative to the server. A query parameter a call does not take is a \
400 (unknown-parameter). OPTIONS on any URL answers 204 with Allow; no CORS headers are sent. Every response also \
carries the site's security headers (Content-Security-Policy, X-Content-Type-Options, X-Frame-Options, \
Referrer-Policy, Cross-Origin-Opener-Policy, Permissions-Policy)."""


def openapi_document(templates=(), tokens_required=False):
    """Return the OpenAPI 3.1 description of /api/v1 with these templates' letters (usable LetterTemplates).

    :param tokens_required: the server has API tokens, so every call but the document's own needs one.
    """
    templates = list(templates)
    example = first_example(templates)
    letters = {name: letter_component(t) for t in templates if (name := letter_schema_name(t.slug))}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Letterhouse API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}] if tokens_required else [],
        "paths": all_paths([name.removeprefix("Letter_") for name in letters], example),
        "components": components({**letters, **shared_fields(letters.values())}, [t.slug for t in templates],
                                 example[0] if example else None),
    }


def first_example(templates):
    """Return (slug, example data) of the first template that has an example, or None."""
    return next(((t.slug, data) for t in templates if (data := example_values(t)) is not None), None)


def shared_fields(letters):
    """Put each field schema that letters share in once, as Field_<name>, and refer to it from each letter.

    The style fields (every hand, ink and paper) and the common fields would otherwise be written out for every
    template. A letter whose field differs only in its default, title or description refers to the shared one
    and says what differs. Return the shared schemas by component name.
    """
    counts = Counter((name, json.dumps(field, sort_keys=True)) for letter in letters
                     for name, field in letter["properties"].items())
    shared = {}
    for (name, text), count in counts.most_common():
        if count > 1 and name not in shared:
            shared[name] = json.loads(text)
    for letter in letters:
        letter["properties"] = {name: shared_field(name, field, shared.get(name))
                                for name, field in letter["properties"].items()}
    return {f"Field_{name}": field for name, field in shared.items()}


def shared_field(name, field, shared):
    """Return a letter's field as a reference to the shared one, with its own annotations; or as it is."""
    if shared is None:
        return field
    differing = {key for key in field.keys() | shared.keys() if field.get(key) != shared.get(key)}
    if not differing <= ANNOTATIONS or not differing <= field.keys():
        return field  # it validates differently (or lacks an annotation the shared one has): written out
    return {**ref(f"Field_{name}"), **{key: field[key] for key in sorted(differing)}}


def query_parameter_names(path, method):
    """Return the names of the query parameters an operation takes, like {"limit", "after"} for GET /batches."""
    method = "get" if method.upper() == "HEAD" else method.lower()
    declared = PATHS.get(path, {}).get(method, {}).get("parameters", [])
    found = [PARAMETERS[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p for p in declared]
    return {p["name"] for p in found if p["in"] == "query"}
