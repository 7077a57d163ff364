"""`letterhouse render`, `batch`, `fields` and `samples`: letters written from the templates, no web app."""

import sys
import time
from pathlib import Path

import click

from letterhouse.batch.dates import DATE_ORDERS
from letterhouse.batch.outputs import OUTPUT_KINDS
from letterhouse.cli.settings import render_limits, usable_template
from letterhouse.letters.styles import PAPERS
from letterhouse.render.hands import HANDS, INKS


def field_assignment(ctx, param, values):
    """Return --set FIELD=VALUE options as a dict."""
    pairs = {}
    for value in values:
        name, equals, text = value.partition("=")
        if not equals or not name.strip():
            raise click.BadParameter(f"“{value}” should look like FIELD=VALUE, e.g. years=12.")
        pairs[name.strip()] = text
    return pairs


@click.command("render")
@click.argument("slug")
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False),
              help="A JSON object of field values.")
@click.option("--set", "assignments", multiple=True, metavar="FIELD=VALUE", callback=field_assignment,
              help="One field's value; wins over --data. May be repeated.")
@click.option("--text-file", "text_path", type=click.Path(exists=True, dir_okay=False, allow_dash=True),
              help="The whole letter in your own words, plain UTF-8 text with a blank line between paragraphs "
                   "(the letter_text field); - reads it from stdin.")
@click.option("--print-text", is_flag=True,
              help="Print the letter's words as the template writes them for these details, to edit and give "
                   "back with --text-file, instead of writing a PDF.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Where to write the PDF [default: a name like anniversary-to-chris.pdf].")
def render_command(slug, data_path, assignments, text_path, print_text, output):
    """Write one letter as a PDF, from a JSON file and/or FIELD=VALUE pairs, in the template's words or yours.

    Exits 1, naming each field and what is wrong with it, when the values do not fit.

    Example:

        letterhouse render anniversary --data chris.json --set years=12 -o chris.pdf

    In your own words: print the template's, edit them, and write the letter from them.

    \b
        letterhouse render anniversary --data chris.json --print-text > words.txt
        letterhouse render anniversary --data chris.json --text-file words.txt
    """
    from letterhouse.batch.letter_data import letter_from_object
    from letterhouse.batch.rows import RowsError, read_object_file
    from letterhouse.letters.letter import letter_filename
    from letterhouse.letters.problems import LetterRefused
    from letterhouse.letters.wording import template_text
    from letterhouse.render.letter_pdf import write_letter_pdf

    template = usable_template(slug)
    try:
        mapping = {**(read_object_file(data_path) if data_path else {}), **assignments}
    except RowsError as error:
        raise click.ClickException(str(error)) from None
    if text_path:
        mapping["letter_text"] = read_own_words(text_path)
    letter, errors = letter_from_object(template, mapping, typed_names=set(assignments))
    if errors:
        for name, messages in errors.items():
            click.echo(f"{name}: {' '.join(messages)}", err=True)
        sys.exit(1)
    try:
        if print_text:
            click.echo(template_text(letter))
            return
        limits = render_limits()
        rendered = write_letter_pdf(letter, limits["max_pages"], limits["time_limit"])
    except LetterRefused as error:
        raise click.ClickException(str(error)) from None
    path = Path(output or letter_filename(letter))
    path.write_bytes(rendered.pdf)
    click.echo(f"Wrote {path} ({rendered.page_count} page{'s' if rendered.page_count != 1 else ''}).")


def read_own_words(path):
    """Return the text of a --text-file (stdin for -), or stop with a plain message if it is not UTF-8 text."""
    with click.open_file(path, "rb") as file:
        raw = file.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{'stdin' if path == '-' else path} is not UTF-8 text "
                                   f"(byte {error.start + 1} cannot be read).") from None


@click.command("samples")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--template", "slug", default="anniversary", show_default=True,
              help="The letter written on every sample (its example data).")
@click.option("--hand", "hands", multiple=True, type=click.Choice(list(HANDS)),
              help="Only this hand; may be repeated [default: every hand].")
@click.option("--paper", "papers", multiple=True, type=click.Choice(list(PAPERS)),
              help="Only this paper; may be repeated [default: every paper].")
@click.option("--ink", type=click.Choice(list(INKS)), help="Write every sample in this ink.")
@click.option("--dpi", default=150, show_default=True, type=click.IntRange(30, 600),
              help="Resolution of the PNG pictures.")
def samples_command(outdir, slug, hands, papers, ink, dpi):
    """Write a sample sheet: one letter in every hand on every paper, as a PDF and PNGs.

    Writes OUTDIR/sample-sheet.pdf, OUTDIR/contact-sheet.png (a row per hand, a column
    per paper) and OUTDIR/<hand>-<paper>.png, each letter's first page.

    Example:

        letterhouse samples out/samples --paper cream --paper ruled
    """
    from letterhouse.render.sample_sheet import SampleError, write_sample_sheet

    try:
        sheet = write_sample_sheet(usable_template(slug), outdir, hands, papers, ink, dpi)
    except SampleError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {sheet.pdf}, {sheet.contact_sheet} and {len(sheet.pages)} pictures.")


@click.command("batch")
@click.argument("slug")
@click.argument("rows_path", metavar="ROWS", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(),
              help="; ".join(f"{kind.extension or 'another name'}: {kind.description}"
                             for kind in OUTPUT_KINDS.values()) + ".")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes [default: one per core].")
@click.option("--skip-invalid", is_flag=True,
              help="Write the good rows and put the problems in OUT-errors.csv beside the output.")
@click.option("--duplex", is_flag=True, help="For a .pdf: pad each letter to an even number of pages.")
@click.option("--date-order", type=click.Choice(list(DATE_ORDERS)),
              help="How dates in numbers alone read (14/02/2026 or 2/14/2026); without it, only those that read "
                   "one way. 2026-02-14 and 14 February 2026 need no choice.")
@click.option("--own-columns", metavar="COLUMNS",
              help="Your own columns, comma-separated (order_id,ref): carried into manifest.csv, never printed.")
@click.option("--style", "styles", multiple=True, metavar="FIELD=VALUE",
              help="A style for every letter, like hand=kalam or ink=sepia (repeatable); a column still wins per row.")
def batch_command(slug, rows_path, output, jobs, skip_invalid, duplex, date_order, own_columns, styles):
    """Write one letter per row of a CSV file or JSON array: a mail merge.

    The CSV's header row names the fields (see `letterhouse fields SLUG --csv`). Every
    row is checked before anything is written; each problem is printed as
    `row N, field: message` with rows numbered as a spreadsheet shows them, and the
    command exits 1 having written nothing, unless --skip-invalid.

    Example:

    \b
        letterhouse batch thank-you guests.csv -o thank-yous.zip --jobs 2
        letterhouse batch thank-you orders.csv -o orders.pdf \\
            --date-order day-first --own-columns order_id --style hand=kalam
    """
    from letterhouse.batch.checking import check_rows
    from letterhouse.batch.options import options_message, read_batch_options
    from letterhouse.batch.pool import start_fork_server
    from letterhouse.batch.rows import RowsError, read_rows_file
    from letterhouse.batch.spreadsheets import write_problems_beside
    from letterhouse.batch.writing import write_batch

    template = usable_template(slug)
    options, errors = read_batch_options(template, date_order, own_columns, style_pairs(styles))
    if errors:
        raise click.ClickException(options_message(errors))
    start_fork_server()  # the workers' server imports WeasyPrint while the rows are read and checked
    try:
        check = check_rows(template, read_rows_file(rows_path), options=options)
    except RowsError as error:
        raise click.ClickException(str(error)) from None
    for problem in check.problems:
        click.echo(str(problem), err=True)
    if check.problems and not skip_invalid:
        raise click.ClickException(f"{len(check.problems)} problem(s); nothing was written. Mend the rows, "
                                   "or use --skip-invalid to write the others.")
    if not check.letters:
        raise click.ClickException("No row could become a letter; nothing was written.")
    progress = ProgressReport(len(check.letters), "letters", sys.stderr.isatty())
    result = write_batch(check, output, jobs=jobs, duplex=duplex, on_progress=progress.update, **render_limits())
    progress.finish()
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if check.problems or result.problems:
        path = write_problems_beside(output, check.problems + result.problems)
        click.echo(f"Rows with problems are listed in {path}.", err=True)
    click.echo(f"Wrote {result.letters} letters ({result.pages} pages) to {output} "
               f"in {result.seconds:.1f} s ({result.rate:.1f} letters/s).")
    sys.exit(1 if result.problems and not skip_invalid else 0)


def style_pairs(styles):
    """Return {field: value} from --style FIELD=VALUE options."""
    pairs = {}
    for item in styles:
        name, equals, value = item.partition("=")
        if not equals:
            raise click.BadParameter(f"“{item}” must be written FIELD=VALUE, like hand=kalam.", param_hint="--style")
        pairs[name.strip()] = value
    return pairs


class ProgressReport:
    """Progress on stderr: a bar with rate and time left on a terminal, a plain line per tenth otherwise."""

    def __init__(self, total, unit, on_terminal):
        self.total, self.unit, self.on_terminal = total, unit, on_terminal
        self.started = time.monotonic()
        self.next_line = max(1, total // 10)

    def update(self, done, total):
        if self.on_terminal:
            click.echo(f"\r{self.line(done)}", nl=False, err=True)
        elif done >= self.next_line or done == total:
            click.echo(self.line(done), err=True)
            self.next_line = done + max(1, self.total // 10)

    def line(self, done):
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed else 0.0
        left = (self.total - done) / rate if rate else 0
        filled = round(24 * done / self.total) if self.total else 24
        bar = f"[{'#' * filled}{'-' * (24 - filled)}] " if self.on_terminal else ""
        return (f"{bar}{done}/{self.total} {self.unit} ({done * 100 // max(self.total, 1)}%), "
                f"{rate:.1f} {self.unit}/s, {int(left) // 60}:{int(left) % 60:02d} left")

    def finish(self):
        if self.on_terminal:
            click.echo("", err=True)


@click.command("fields")
@click.argument("slug")
@click.option("--csv", "as_csv", is_flag=True, help="Print only a CSV header row, to fill in one row per letter.")
def fields_command(slug, as_csv):
    """List a template's fields: name, label and what each one should hold.

    Example:

        letterhouse fields anniversary --csv > guests.csv
    """
    from letterhouse.batch.row_values import column_hint
    from letterhouse.batch.spreadsheets import header_csv

    template = usable_template(slug)
    if as_csv:
        click.echo(header_csv(template), nl=False)
        return
    for spec in template.all_fields:
        click.echo(f"{spec.name:20} {spec.label:44} {column_hint(spec, template.limits)}")
