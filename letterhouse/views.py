"""The site's pages: the gallery, a letter's form, its preview and its PDF."""

import secrets

from flask import Blueprint, abort, current_app, render_template, request
from flask_wtf.csrf import CSRFError

from .catalog import BrokenTemplate
from .letters import letter_filename, letter_from_form, write_letter_pdf
from .preview import data_uri, pdf_page_images
from .render import LetterTooLong

bp = Blueprint("letters", __name__)

FIELD_GROUPS = (
    ("sender", "From you"),
    ("recipient", "To"),
    ("letter", "The letter"),
    ("details", "Date, greeting and sign-off"),
    ("style", "Pen and paper"),
)
CSRF_EXPIRED = ("This page was open for a long while, so we asked again to be sure it is you. "
                "Everything you typed is still here: press Preview once more.")


def catalog():
    return current_app.extensions["letterhouse.catalog"]


def usable_template(slug):
    """Return the template for a slug, or answer 404 with the reason it cannot be used."""
    entry = catalog().get(slug)
    if entry is None:
        abort(404, description=f"There is no letter called “{slug}”.")
    if isinstance(entry, BrokenTemplate):
        response = current_app.make_response((render_template("unavailable.html", entry=entry), 404))
        abort(response)
    return entry


@bp.get("/")
def gallery():
    """List every letter, with the broken ones marked unavailable."""
    return render_template("gallery.html", entries=catalog().entries())


@bp.route("/letters/<slug>", methods=["GET", "POST"])
def letter_form(slug):
    """Show a letter's form; on a good submit show the preview."""
    template = usable_template(slug)
    form = template.form_class()
    action = request.form.get("action", "preview")
    if request.method == "POST" and action == "edit":
        return show_form(template, form)
    if action == "rewrite":
        form.seed.data = str(secrets.randbelow(2**32))
    if form.validate_on_submit():
        return show_preview(template, form)
    return show_form(template, form, status=422 if request.method == "POST" else 200)


@bp.post("/letters/<slug>/letter.pdf")
def letter_pdf(slug):
    """Send the PDF of a previewed letter as a download."""
    template = usable_template(slug)
    form = template.form_class()
    if not form.validate_on_submit():
        return show_form(template, form, status=422)
    letter = letter_from_form(template, form)
    try:
        rendered = write_letter_pdf(letter, current_app.config["MAX_PAGES"])
    except LetterTooLong as error:
        return show_form(template, form, status=422, problem=str(error))
    response = current_app.response_class(rendered.pdf, mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment", filename=letter_filename(letter))
    return response


def show_form(template, form, status=200, problem=None):
    """Render a letter's form, keeping every value typed."""
    return render_template("form.html", template=template, form=form,
                           groups=grouped_fields(template, form), problem=problem), status


def grouped_fields(template, form):
    """Return (group, legend, bound fields) for each fieldset of the form, in order."""
    return [(group, legend, [form[spec.name] for spec in template.all_fields if spec.group == group])
            for group, legend in FIELD_GROUPS]


def show_preview(template, form):
    """Render the letter, show its pages as images, and carry every value for Edit and Download."""
    letter = letter_from_form(template, form)
    try:
        rendered = write_letter_pdf(letter, current_app.config["MAX_PAGES"])
    except LetterTooLong as error:
        return show_form(template, form, status=422, problem=str(error))
    pages = [data_uri(png) for png in pdf_page_images(rendered.pdf, current_app.config["PREVIEW_WIDTH"])]
    form.seed.data = str(letter.seed)
    return render_template("preview.html", template=template, form=form, pages=pages,
                           filename=letter_filename(letter), carried=carried_values(form))


def carried_values(form):
    """Return (name, value) pairs that reproduce the form exactly as submitted, seed included."""
    pairs = [("seed", form.seed.data)]
    for field in form:
        if field.name not in ("csrf_token", "seed"):
            pairs += [(field.name, value) for value in field.raw_data or ()]
    return pairs


@bp.app_errorhandler(CSRFError)
def csrf_failed(error):
    """Keep a letter whose CSRF token expired: show its form again with every value."""
    slug = (request.view_args or {}).get("slug")
    entry = catalog().get(slug) if slug else None
    if entry is None or isinstance(entry, BrokenTemplate):
        return render_template("error.html", status=400, message=error.description), 400
    return show_form(entry, entry.form_class(), status=400, problem=CSRF_EXPIRED)
