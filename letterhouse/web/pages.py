"""The site's pages: the gallery, a letter's form, its preview and its PDF, and the pictures they show."""

import secrets

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for

from letterhouse.letters.catalog import BrokenTemplate
from letterhouse.letters.letter import letter_filename, letter_from_form
from letterhouse.letters.problems import LetterRefused
from letterhouse.letters.wording import (
    changed_details,
    details_fingerprint,
    is_the_templates_own,
    letter_words,
    template_text,
)
from letterhouse.render.glyph_coverage import coverage_notes
from letterhouse.render.picker_samples import PICKERS, is_sample, sample_png
from letterhouse.web.downloads import attachment
from letterhouse.web.extensions import current_catalog, preview_images, write_pdf
from letterhouse.web.forms import site_form
from letterhouse.web.gallery import matches, search_text, shelves
from letterhouse.web.thumbnails import Thumbnails

bp = Blueprint("letters", __name__)

FIELD_GROUPS = (
    ("sender", "From you"),
    ("recipient", "To"),
    ("letter", "The letter"),
    ("details", "Date, greeting and sign-off"),
    ("style", "Pen and paper"),
)
SEARCH_MAX_LENGTH = 100
THUMBNAILS = Thumbnails()


@bp.get("/")
def gallery():
    """Show every letter on a shelf for its occasion, narrowed by a search; broken ones marked unavailable."""
    query = request.args.get("q", "")[:SEARCH_MAX_LENGTH].strip()
    entries = current_catalog().entries()
    usable = [entry for entry in entries if not isinstance(entry, BrokenTemplate)]
    broken = [entry for entry in entries if isinstance(entry, BrokenTemplate)]
    return render_template("gallery.html", shelves=shelves(usable), broken=broken, query=query, total=len(usable),
                           matching={t.slug for t in usable if matches(t, query)},
                           with_example={t.slug for t in usable if THUMBNAILS.has_example(t)}, search_text=search_text)


@bp.get("/letters/<slug>/thumbnail.png")
def thumbnail(slug):
    """Send a picture of the first page of a template's example letter."""
    png = THUMBNAILS.png(current_catalog().usable_template(slug))
    if png is None:
        abort(404, description="This letter has no example to show.")
    return png_response(png, "no-cache")


@bp.get("/samples/<kind>/<key>.png")
def pen_sample(kind, key):
    """Send a few words written in one hand, ink or paper, for the form's pickers."""
    if not is_sample(kind, key):
        abort(404, description="There is no such sample.")
    return png_response(sample_png(kind, key), "public, max-age=86400")


def png_response(png, cache_control):
    """Return PNG bytes as a response that a browser may keep and revalidate."""
    response = current_app.response_class(png, mimetype="image/png")
    response.headers["Cache-Control"] = cache_control
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/letters/<slug>", methods=["GET", "POST"])
def letter_form(slug):
    """Show a letter's form; on a good submit show the preview."""
    template = current_catalog().usable_template(slug)
    form = site_form(template)
    action = request.form.get("action", "preview")
    if request.method == "POST" and action == "edit":
        forget_unedited_words(template, form)
        return show_form(template, form)
    if action == "rewrite":
        form.seed.data = str(secrets.randbelow(2**32))
    if action == "template-words":
        form.letter_text.data, form.letter_text.raw_data = "", [""]
    if not form.validate_on_submit():
        return show_form(template, form, status=422 if request.method == "POST" else 200)
    forget_unedited_words(template, form)
    if action == "words":
        return show_words(template, form)
    words_changed = words_outdated(form) if action == "preview" else ""
    if words_changed:
        return show_form(template, form, words_changed=words_changed)
    return show_preview(template, form)


@bp.post("/letters/<slug>/letter.pdf")
def letter_pdf(slug):
    """Send the PDF of a previewed letter as a download."""
    template = current_catalog().usable_template(slug)
    form = site_form(template)
    if not form.validate_on_submit():
        return show_form(template, form, status=422)
    letter = letter_from_form(template, form)
    try:
        rendered = write_pdf(letter)
    except LetterRefused as error:
        return show_form(template, form, status=422, problem=str(error))
    response = current_app.response_class(rendered.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = attachment(letter_filename(letter))
    return response


@bp.post("/letters/<slug>/preview.json")
def live_preview(slug):
    """Answer the form as typed so far with its pages as images, or with what needs another look.

    A half-filled form is the normal state of a form being typed, so it is answered 200 with
    its errors and no pages; only a request that cannot be answered at all gets a 4xx.
    """
    template = current_catalog().usable_template(slug)
    form = site_form(template)
    if not form.validate_on_submit():
        return jsonify(pages=[], page_count=0, errors=form.errors)
    try:
        letter, rendered, pages = preview_pages(template, form)
    except LetterRefused as error:
        return jsonify(pages=[], page_count=0, errors={}, problem=str(error))
    return jsonify(pages=pages, page_count=rendered.page_count, errors={},
                   notes=[note.message for note in coverage_notes(letter)], words_changed=words_outdated(form))


def show_form(template, form, status=200, problem=None, words_changed=""):
    """Render a letter's form, keeping every value typed, the letter in their own words too."""
    return render_template("form.html", template=template, form=form,
                           groups=grouped_fields(template, form), problem=problem,
                           pickers=PICKERS, batch_url=batch_url(template),
                           words_for=request.form.get("words_for", ""), words_changed=words_changed), status


def batch_url(template):
    """Return the link to the template's "Many letters" page."""
    return url_for("batch.many_letters", slug=template.slug)


def grouped_fields(template, form):
    """Return (group, legend, bound fields) for each fieldset of the form, in order."""
    return [(group, legend, [form[spec.name] for spec in template.all_fields
                             if spec.group == group and template.asks(spec)])
            for group, legend in FIELD_GROUPS]


def show_preview(template, form):
    """Render the letter, show its pages as images, and carry every value for Edit and Download."""
    try:
        letter, rendered, pages = preview_pages(template, form)
    except LetterRefused as error:
        return show_form(template, form, status=422, problem=str(error))
    form.seed.data = str(letter.seed)
    return render_template("preview.html", template=template, form=form, pages=pages,
                           filename=letter_filename(letter), carried=carried_values(form),
                           coverage=coverage_notes(letter), words=letter_words(letter))


def show_words(template, form):
    """Show the letter's words to edit as plain text: theirs if they have edited them, else the template's."""
    letter = letter_from_form(template, form)
    form.seed.data = str(letter.seed)
    text = form.letter_text.data if (form.letter_text.data or "").strip() else template_text(letter)
    carried = [(name, value) for name, value in carried_values(form) if name != "letter_text"]
    return render_template("words.html", template=template, form=form, text=text, carried=carried,
                           edited=text != template_text(letter))


def forget_unedited_words(template, form):
    """Leave out a text that is the template's own words, unchanged: there is nothing of theirs to keep or ask about."""
    checked = site_form(template)  # a copy to check: the form shown keeps no errors from this
    if not (form.letter_text.data or "").strip() or not checked.validate():
        return
    try:
        unedited = is_the_templates_own(letter_from_form(template, checked))
    except LetterRefused:
        return  # the preview says why this letter cannot be written
    if unedited:
        form.letter_text.data, form.letter_text.raw_data = "", [""]


def words_outdated(form):
    """Return the details changed since the person edited the letter's words, as “Their name” and “Date”; or ""."""
    fingerprint = request.form.get("words_for", "")
    if not fingerprint or not (form.letter_text.data or "").strip():
        return ""
    labels = [f"“{form[name].label.text}”" for name in changed_details(fingerprint, form.letter_values(), form.specs)]
    return " and ".join(filter(None, [", ".join(labels[:-1]), *labels[-1:]]))


def preview_pages(template, form):
    """Return (letter, rendered PDF, its pages as data: URIs) for a validated form.

    :raise LetterRefused: when the letter runs past a limit or its template fails
    """
    letter = letter_from_form(template, form)
    rendered = write_pdf(letter)
    pages = preview_images(rendered.pdf)
    return letter, rendered, pages


def carried_values(form):
    """Return (name, value) pairs that reproduce the form exactly as submitted, seed included.

    With the letter in their own words comes a record of the details it was written for, so that
    a detail changed afterwards can be noticed and the person asked.
    """
    pairs = [("seed", form.seed.data)]
    for field in form:
        if field.name not in ("csrf_token", "seed"):
            pairs += [(field.name, value) for value in field.raw_data or ()]
    return pairs + [("words_for", details_fingerprint(form.letter_values(), form.specs))]

