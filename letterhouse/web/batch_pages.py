"""The site's "Many letters" pages: a CSV in, its rows checked, a background job, the letters out."""

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from letterhouse.batch.checking import MAX_PROBLEMS_KEPT, check_rows
from letterhouse.batch.dates import DATE_ORDERS
from letterhouse.batch.job_limits import QueueFull, QueueUnavailable, TooManyBatches, TooMuchStored
from letterhouse.batch.options import BatchOptions, options_message, read_batch_options, style_form_class
from letterhouse.batch.outputs import DEFAULT_OUTPUT, DOWNLOADS
from letterhouse.batch.row_values import column_hint
from letterhouse.batch.rows import RowsError, TooManyRows, read_rows
from letterhouse.batch.spreadsheets import header_csv, problems_csv
from letterhouse.letters.problems import LetterRefused
from letterhouse.render.picker_samples import PICKERS
from letterhouse.web.downloads import attachment
from letterhouse.web.extensions import csrf, current_catalog, preview_images, write_pdf
from letterhouse.web.jobs import create_job, job_store, owned_job, start_job
from letterhouse.web.problems import problem_response

bp = Blueprint("batch", __name__)
FIRST_LETTERS_SHOWN = 3  # letters pictured on the check page before Start; any other row on request
QUEUE_RETRY_AFTER = 60  # seconds: a full or unreachable queue is likely to take batches again by then


@dataclass(frozen=True)
class LetterPreview:
    """One row's letter pictured before the batch runs: its pages as the preview shows them, or why it cannot be."""

    row: int
    recipient: str
    filename: str
    pages: list
    problem: str = ""


def show_page(template, problem=None, status=200):
    """Render the Many letters page: the columns, the CSV header to download, and the upload form."""
    hints = [(spec, column_hint(spec, template.limits)) for spec in template.all_fields]
    return render_template("batch.html", template=template, hints=hints, problem=problem, job=None,
                           max_rows=current_app.config["BATCH_MAX_ROWS"], **upload_choices(template)), status


def upload_choices(template, job=None):
    """Return what the upload form offers besides the file: as posted, as chosen for the job shown, or the defaults."""
    try:
        formdata = request.form if request.method == "POST" else None
    except RequestEntityTooLarge:  # the file was too large to read: its choices with it
        formdata = None
    chosen = formdata or {}
    style_form = style_form_class(template)(formdata=formdata)
    if formdata is None and job is not None:  # uploading a mended file: the choices made for this batch, again
        options = BatchOptions.from_dict(job.options)
        chosen = {"date_order": options.date_order, "own_columns": ", ".join(options.own_columns)}
        style_form = style_form_class(template)(data=dict(options.style))
    style_chosen = any(field.data != field.default for field in style_form if field.name in style_form.specs)
    return {"style_form": style_form, "style_chosen": style_chosen, "pickers": PICKERS, "date_orders": DATE_ORDERS,
            "chosen": chosen}


def chosen_style(template):
    """Return the style fields posted with an upload that differ from the template's defaults."""
    specs = style_form_class(template).specs
    return {name: request.form[name] for name, spec in specs.items()
            if request.form.get(name) not in (None, "", str(spec.default))}


@bp.get("/letters/<slug>/many")
def many_letters(slug):
    """Explain how to write many letters from a spreadsheet, and take its CSV."""
    return show_page(current_catalog().usable_template(slug))


@bp.get("/letters/<slug>/many/fields.csv")
def header_file(slug):
    """Send the CSV header row of a template's fields, named like 'anniversary.csv'."""
    return csv_download(header_csv(current_catalog().usable_template(slug)), f"{slug}.csv")


def csv_download(text, filename):
    """Return CSV text as a download that Excel opens as UTF-8 (it needs the byte order mark)."""
    response = current_app.response_class("\ufeff" + text, mimetype="text/csv")
    response.headers["Content-Disposition"] = attachment(filename)
    return response


@bp.post("/letters/<slug>/many")
@csrf.exempt  # checked below, once the larger limit for a rows file is in place
def upload(slug):
    """Read and check an uploaded CSV (or JSON), keep it as a job and show what was found."""
    template = current_catalog().usable_template(slug)
    request.max_content_length = current_app.config["BATCH_MAX_CONTENT_LENGTH"]
    try:
        csrf.protect()
        uploaded = request.files.get("rows")
    except CSRFError:
        return show_page(template, "This page was open for a long while; please choose the file again.", 400)
    except RequestEntityTooLarge:
        megabytes = current_app.config["BATCH_MAX_CONTENT_LENGTH"] / 1024 / 1024
        return show_page(template, f"That file is larger than {megabytes:.0f} MB; split it into smaller ones.", 413)
    if uploaded is None or not uploaded.filename:
        return show_page(template, "Choose a CSV file first.", 400)
    options, errors = read_batch_options(template, request.form.get("date_order"), request.form.get("own_columns"),
                                         chosen_style(template))
    if errors:
        return show_page(template, options_problem(template, errors), 400)
    return check_upload(template, uploaded, options)


def options_problem(template, errors):
    """Return the upload's wrong choices in one message, each after what it is about."""
    labels = {"date_order": "How dates are written", "own_columns": "Your own columns",
              **{name: spec.label for name, spec in style_form_class(template).specs.items()}}
    return options_message(errors, labels)


def check_upload(template, uploaded, options):
    """Check the uploaded rows and redirect to their job's page, or show why they cannot be read."""
    data = uploaded.read()
    kind = "json" if uploaded.filename.lower().endswith(".json") else "csv"
    try:
        row_set = read_rows(data, kind, current_app.config["BATCH_MAX_ROWS"])
    except TooManyRows as error:
        return show_page(template, str(error), 413)
    except RowsError as error:
        return show_page(template, str(error), 422)
    check = check_rows(template, row_set, max_problems=MAX_PROBLEMS_KEPT, options=options)
    try:
        job = create_job(template.slug, data, kind, check)
    except TooMuchStored as error:
        return show_page(template, str(error), 429)
    return redirect(url_for("batch.job_page", slug=template.slug, job_id=job.id), 303)


def stored_job(slug, job_id):
    """Return this visitor's job for this template and id, or answer 404."""
    job = owned_job(job_id)
    if job is None or job.slug != slug:
        abort(404, description="There is no such batch here: batches are removed after a while. "
                               "Upload the file again to start afresh.")
    return job


@bp.get("/letters/<slug>/many/<job_id>")
def job_page(slug, job_id, problem=None, status=200):
    """Show a batch: its row problems or a summary, its progress, or its letters to download."""
    template = current_catalog().usable_template(slug)
    job = stored_job(slug, job_id)
    labels = {spec.name: spec.label for spec in template.all_fields}
    expires = job.expires.astimezone()
    return render_template("batch.html", template=template, job=job, labels=labels, problem=problem,
                           expires=expires, hints=None, downloads=DOWNLOADS, default_output=DEFAULT_OUTPUT,
                           choices=choices_summary(template, job),
                           **letter_previews(template, job, request.args.get("row")),
                           **upload_choices(template, job)), status


def choices_summary(template, job):
    """Return what was chosen for a batch, in words, for a person to see before Start."""
    options = BatchOptions.from_dict(job.options)
    specs = style_form_class(template).specs
    said = []
    if options.date_order:
        said.append(f"Dates in numbers alone are read {options.date_order.replace('-', ' ')}.")
    if options.own_columns:
        said.append(f"Your own columns, carried into manifest.csv and never printed: {', '.join(options.own_columns)}.")
    if options.style:
        styles = ", ".join(f"{specs[name].label.lower()}: {style_label(specs[name], value)}"
                           for name, value in options.style if name in specs)
        said.append(f"Every letter, unless its row says otherwise: {styles}.")
    return said


def style_label(spec, value):
    """Return the words a style's value is shown with, like 'Kalam' for 'kalam'."""
    if spec.type == "boolean":
        return "yes" if value else "no"
    return next((label.partition(":")[0] for key, label in spec.choices if key == value), str(value))


def letter_previews(template, job, asked):
    """Return the first letters pictured, and the row a person asked to see (or why it cannot be shown)."""
    unchanged = template.digest == job.digest  # a changed template: its rows are checked again on Start
    letters = job_store().checked_letters(job, template) if job.state == "checked" and unchanged else None
    if not letters:
        return {"previews": [], "picked": None, "pick_problem": ""}
    picked, pick_problem = None, ""
    if asked is not None:
        picked, pick_problem = picked_letter(letters, job, asked.strip())
    return {"previews": [letter_preview(item) for item in letters[:FIRST_LETTERS_SHOWN]],
            "picked": picked and letter_preview(picked), "pick_problem": pick_problem,
            "rows_with_letters": (letters[0].row.number, letters[-1].row.number)}


def picked_letter(letters, job, asked):
    """Return (the checked letter on the row asked for, or None, and why not)."""
    if not asked.isdigit() or len(asked) > 9:
        return None, "Type a row number as your spreadsheet shows it, like 5."
    number = int(asked)
    found = next((item for item in letters if item.row.number == number), None)
    if found is not None:
        return found, ""
    if any(problem.row == number for problem in job.row_problems):
        return None, f"Row {number} has problems, listed below, so it has no letter yet."
    return None, (f"There is no letter on row {number}: the letters are on rows {letters[0].row.number} "
                  f"to {letters[-1].row.number}.")


def letter_preview(item):
    """Return a checked letter pictured as the single letter's preview pictures it."""
    recipient = item.letter.values["recipient_name"]
    try:
        rendered = write_pdf(item.letter)
    except LetterRefused as error:
        return LetterPreview(item.row.number, recipient, item.filename, [], str(error))
    pages = preview_images(rendered.pdf)
    return LetterPreview(item.row.number, recipient, item.filename, pages)


@bp.get("/letters/<slug>/many/<job_id>/problems.csv")
def problems_file(slug, job_id):
    """Send a batch's row problems as CSV: row, field, message."""
    job = stored_job(slug, job_id)
    return csv_download(problems_csv(job.row_problems), f"{slug}-problems.csv")


@bp.post("/letters/<slug>/many/<job_id>/start")
def start(slug, job_id):
    """Start writing a checked batch's letters in the background."""
    current_catalog().usable_template(slug)  # a template gone or broken since the upload is answered here
    job = stored_job(slug, job_id)
    output = request.form.get("output", DEFAULT_OUTPUT)
    if output not in DOWNLOADS:
        return job_page(slug, job_id, problem="Choose a ZIP or one PDF.", status=400)
    try:
        started = start_job(job, output=output, duplex=bool(request.form.get("duplex")),
                            skip_invalid=bool(request.form.get("skip_invalid")))
    except TooManyBatches as error:
        return job_page(slug, job_id, problem=str(error), status=429)
    except (QueueFull, QueueUnavailable) as error:
        page, status = job_page(slug, job_id, problem=str(error), status=503)
        return page, status, {"Retry-After": str(QUEUE_RETRY_AFTER)}
    if not started and job.state == "checked":
        return job_page(slug, job_id, problem="These rows have problems: mend them and upload the file again, "
                                              "or choose to leave those rows out.", status=409)
    return redirect(url_for("batch.job_page", slug=slug, job_id=job_id), 303)


@bp.get("/letters/<slug>/many/<job_id>/status.json")
def status(slug, job_id):
    """Report a batch's progress for the page's progress bar; an unknown batch is a problem, as in the API."""
    job = owned_job(job_id)
    if job is None or job.slug != slug:
        return problem_response("batch-not-found", "There is no such batch here: batches are removed after a while.")
    return {"state": job.state, "done": job.done, "total": job.valid, "progress": round(job.progress, 3)}


@bp.get("/letters/<slug>/many/<job_id>/letters")
def result(slug, job_id):
    """Send a finished batch's ZIP or combined PDF."""
    job = stored_job(slug, job_id)
    if job.state != "done":
        abort(409, description="These letters are not ready yet.")
    return send_file(job_store().result_path(job), mimetype=DOWNLOADS[job.output].mimetype, as_attachment=True,
                     download_name=job.result_name())


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    """Show the batch again, not the letter's form, when a Start button's token has expired."""
    args = request.view_args or {}
    if "job_id" not in args:
        return render_template("error.html", status=400, message=error.description), 400
    return job_page(args["slug"], args["job_id"], status=400,
                    problem="This page was open for a long while; press the button once more.")
