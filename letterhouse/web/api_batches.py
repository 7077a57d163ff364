"""The API's batches: started from a template's rows, listed a page at a time, read, downloaded and cancelled."""

import base64
import datetime
import json

from flask import Blueprint, current_app, jsonify, request, send_file, url_for

from letterhouse.batch.callback_urls import AllowedHosts, CallbackRefused, resolved_target
from letterhouse.batch.callbacks import SIGNATURE_HEADER
from letterhouse.batch.callbacks import callback_secret as client_callback_secret
from letterhouse.batch.checking import MAX_PROBLEMS_KEPT, check_rows
from letterhouse.batch.job_limits import QueueFull, QueueUnavailable, TooManyBatches, TooMuchStored
from letterhouse.batch.job_status import job_status
from letterhouse.batch.job_tables import ENDED
from letterhouse.batch.manifest import kept_manifest
from letterhouse.batch.options import options_message, read_batch_options, style_form_class
from letterhouse.batch.outputs import DEFAULT_OUTPUT, DOWNLOADS
from letterhouse.batch.rows import RowsError, TooManyRows, read_rows
from letterhouse.batch.studio_metadata import metadata_from_text
from letterhouse.letters.field_types import BOOLEAN_WORDS
from letterhouse.web.clients import requesting_client
from letterhouse.web.extensions import current_catalog
from letterhouse.web.idempotent import idempotent
from letterhouse.web.jobs import create_job, job_callbacks, job_store, owned_job, refuse_if_busy, start_job
from letterhouse.web.problems import ApiError

bp = Blueprint("batches", __name__)  # registered on the API's blueprint: its URLs, token and errors apply
ROWS_KINDS = {"application/json": "json", "text/csv": "csv"}
PAGE_SIZE, MAX_PAGE_SIZE = 20, 100  # batches listed at once, unless `limit` says otherwise


@bp.post("/templates/<slug>/batches")
@idempotent("BATCH_MAX_CONTENT_LENGTH")
def start_batch(slug):
    """Check a JSON array or CSV of rows and start writing their letters in the background."""
    template = current_catalog().usable_template(slug)
    options, studio = batch_options(), studio_options(template)
    metadata, callback_url = batch_metadata(), checked_callback_url()
    request.max_content_length = current_app.config["BATCH_MAX_CONTENT_LENGTH"]
    kind = ROWS_KINDS.get(request.mimetype)
    if kind is None:
        raise ApiError("unsupported-media-type", "Send the rows as application/json (an array of objects) or "
                                                 "text/csv.")
    data = request.get_data()
    check = check_rows(template, read_body_rows(data, kind), max_problems=MAX_PROBLEMS_KEPT, options=studio)
    refuse_problems(check, options["skip_invalid"])
    job = keep_rows(slug, data, kind, check, metadata)
    if callback_url:
        job_callbacks().register(job.id, callback_url, url_for(".batch", batch_id=job.id, _external=True))
    start_kept(job, options)
    response = jsonify(batch_status(job_store().get(job.id)))
    response.status_code = 201
    response.headers["Location"] = url_for(".batch", batch_id=job.id)
    return response


def start_kept(job, options):
    """Start a kept job, or remove it and say why it cannot start now (429, or 503 when the queue cannot take it)."""
    try:
        start_job(job, **options)
    except (TooManyBatches, QueueFull, QueueUnavailable) as error:  # another of this client's started meanwhile,
        job_store().delete(job)  # or the server is full, or its broker away
        code = {TooManyBatches: "too-many-batches", QueueFull: "queue-full"}.get(type(error), "queue-unavailable")
        raise ApiError(code, str(error)) from None


def batch_metadata():
    """Return the batch's own metadata from the query string (a JSON object), or {}."""
    if "metadata" not in request.args:
        return {}
    metadata, messages = metadata_from_text(request.args["metadata"])
    if messages:
        raise ApiError("invalid-parameter", messages[0], parameter="metadata")
    return metadata


def checked_callback_url():
    """Return the batch's callback_url once this server would call it (CALLBACK_HOSTS, resolved now), or ""."""
    url = request.args.get("callback_url")
    if url is None:
        return ""
    try:
        resolved_target(url, callback_hosts())
    except CallbackRefused as error:
        raise ApiError("invalid-callback", str(error), parameter="callback_url") from None
    return url


def refuse_problems(check, skip_invalid):
    """Refuse rows with problems (unless skipping them), and rows of which none can become a letter."""
    if check.problems and not skip_invalid:
        listed = f" The first {len(check.problems)} are listed." if check.problem_count > len(check.problems) else ""
        raise ApiError("invalid-rows", f"{check.problem_count} problem(s) in the rows; no letter was written.{listed}",
                       rows=row_errors(check.problems))
    if not check.letters:
        raise ApiError("invalid-rows", "No row can become a letter.", rows=row_errors(check.problems))


def keep_rows(slug, data, kind, check, metadata):
    """Keep the rows as a job of this client's, if its share allows: a refused batch leaves nothing behind."""
    try:
        refuse_if_busy()
        return create_job(slug, data, kind, check, metadata)
    except TooManyBatches as error:
        raise ApiError("too-many-batches", str(error)) from None
    except TooMuchStored as error:
        raise ApiError("too-much-stored", str(error)) from None


def batch_options():
    """Return the batch's output options from the query string, refusing values it does not know."""
    output = request.args.get("output", DEFAULT_OUTPUT)
    if output not in DOWNLOADS:
        raise ApiError("invalid-parameter", f"output must be {' or '.join(DOWNLOADS)}.", parameter="output")
    options = {"output": output}
    for name in ("duplex", "skip_invalid"):
        word = request.args.get(name, "false").strip().lower()
        if word not in BOOLEAN_WORDS:
            raise ApiError("invalid-parameter", f"{name} must be true or false.", parameter=name)
        options[name] = BOOLEAN_WORDS[word]
    return options


def studio_options(template):
    """Return the batch's date order, own columns and style (hand=, ink=, ...) from the query string."""
    style = {name: request.args[name] for name in style_form_class(template).specs if name in request.args}
    options, errors = read_batch_options(template, request.args.get("date_order"), request.args.get("own_columns"),
                                         style)
    if errors:
        raise ApiError("invalid-parameter", options_message(errors), parameter=next(iter(errors)))
    return options


def read_body_rows(data, kind):
    """Return the rows of a request body: too many is 413, unreadable is 400."""
    try:
        return read_rows(data, kind, current_app.config["BATCH_MAX_ROWS"])
    except TooManyRows as error:
        raise ApiError("too-many-rows", str(error)) from None
    except RowsError as error:
        raise ApiError("unreadable-rows", str(error)) from None


def row_errors(problems):
    return [problem.as_dict() for problem in problems]


def batch_status(job):
    """Return a job as the API shows it (job_status.py: its callback sends the same), with its callback's progress."""
    status = job_status(job, url_for(".batch", batch_id=job.id))
    callback = job_callbacks().state(job.id)
    return {**status, "callback": callback} if callback else status


def stored_job(batch_id):
    job = owned_job(batch_id)
    if job is None:
        raise ApiError("batch-not-found", "There is no batch of yours with this id; finished batches are removed "
                                          "after a while.")
    return job


@bp.get("/batches")
def list_batches():
    """List this client's batches, newest first, a page at a time: `next` (and a Link header) fetches the next."""
    limit = page_size(request.args.get("limit"))
    jobs = job_store().newest_for(requesting_client(), limit + 1, read_cursor(request.args.get("after")))
    page, more = jobs[:limit], len(jobs) > limit
    next_url = url_for(".list_batches", limit=limit, after=cursor(page[-1])) if more else None
    response = jsonify(batches=[batch_status(job) for job in page], next=next_url)
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


def page_size(text):
    """Return the `limit` asked for, 1 to MAX_PAGE_SIZE (PAGE_SIZE when not given)."""
    if text is None:
        return PAGE_SIZE
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_PAGE_SIZE):
        raise ApiError("invalid-parameter", f"limit must be a whole number from 1 to {MAX_PAGE_SIZE}.",
                       parameter="limit")
    return int(text)


def cursor(job):
    """Return the opaque cursor after a job in the listing: its creation time and id, base64url-encoded."""
    return base64.urlsafe_b64encode(json.dumps([job.created.isoformat(), job.id]).encode()).decode().rstrip("=")


def read_cursor(text):
    """Return the (created, id) a cursor from `next` stands for, or None when there is none."""
    if text is None:
        return None
    try:
        created, job_id = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        return datetime.datetime.fromisoformat(created), str(job_id)
    except (ValueError, TypeError):
        raise ApiError("invalid-parameter", "after must be a cursor from a listing's `next`, as it was given.",
                       parameter="after") from None


@bp.get("/batches/<batch_id>")
def batch(batch_id):
    """Report a batch's state, progress, times and row errors."""
    return batch_status(stored_job(batch_id))


@bp.get("/batches/<batch_id>/result")
def batch_result(batch_id):
    """Send a finished batch's ZIP or combined PDF."""
    job = done_job(batch_id)
    return send_file(job_store().result_path(job), mimetype=DOWNLOADS[job.output].mimetype, as_attachment=True,
                     download_name=job.result_name())


@bp.get("/callback-secret")
def callback_secret():
    """Give this client the secret its batches' callbacks are signed with (HMAC-SHA256 in Letterhouse-Signature)."""
    return {"secret": client_callback_secret(current_app.config["SECRET_KEY"], requesting_client()),
            "header": SIGNATURE_HEADER, "callbacks_allowed": bool(callback_hosts())}


def callback_hosts():
    return AllowedHosts.from_setting(current_app.config["CALLBACK_HOSTS"])


@bp.get("/batches/<batch_id>/manifest")
def batch_manifest(batch_id):
    """List a finished batch's letters: row, file, recipient, pages and the studio's own metadata of each."""
    job = done_job(batch_id)
    return {"id": job.id, "metadata": job.studio_metadata,
            "letters": kept_manifest(job_store().manifest_path(job)) or []}


def done_job(batch_id):
    """Return the client's batch with this id once it is done, or refuse (404, or 409 saying its state)."""
    job = stored_job(batch_id)
    if job.state != "done":
        raise ApiError("batch-not-done", f"This batch is {job.state}, not done."
                       + (f" {job.message}" if job.message else ""), state=job.state)
    return job


@bp.delete("/batches/<batch_id>")
def cancel_batch(batch_id):
    """Cancel a queued or running batch (200, its status: cancelled), or remove an ended one and its result (204)."""
    job = stored_job(batch_id)
    store = job_store()
    if job.state not in ENDED and store.cancel(job):
        return batch_status(job)
    store.delete(job)  # not started, ended, or it ended just now: it goes, and its letters with it
    response = current_app.response_class(status=204)
    response.headers.remove("Content-Type")
    return response
