"""The `letterhouse` command line: a thin click group over the library."""

import json
import sys
import time
from pathlib import Path

import click

from letterhouse.config import load_settings
from letterhouse.letters.catalog import (
    BrokenTemplate,
    TemplateNotFound,
    TemplateUnavailable,
    catalog_from_config,
    template_summary,
)
from letterhouse.render.hands import HANDS, INKS, PAPERS


@click.group()
@click.pass_context
def cli(ctx):
    """Letterhouse: personalised letters in a hand that looks like a person's.

    Settings come from LETTERHOUSE_* environment variables (see the README); only `serve`
    and `bench` build the web app.

    Example:

        letterhouse serve --port 5000
    """
    if ctx.invoked_subcommand != "serve":  # gunicorn's workers must not inherit an app context
        ctx.with_resource(bare_flask_context())


def bare_flask_context():
    """TEMPORARY, goes when letters/ validates on plain wtforms.Form (issue 11, the letters layer).

    Until then LetterForm is a FlaskForm, which needs some app context: a bare one, with no
    settings, no catalog and nothing written anywhere.
    """
    from flask import Flask

    return Flask("letterhouse-cli").app_context()


def command_settings():
    """Return the settings a command runs with: defaults, LETTERHOUSE_* environment, then click's obj if given."""
    return load_settings(click.get_current_context().obj)


def open_catalog():
    """Return the template catalog the settings name, without building the web app."""
    return catalog_from_config(command_settings())


def usable_template(slug):
    """Return the template for a slug, or stop with why it cannot be used."""
    try:
        return open_catalog().usable_template(slug)
    except TemplateNotFound as error:
        raise click.ClickException(f"{error} See: letterhouse templates list") from None
    except TemplateUnavailable as error:
        problems = "\n".join(f"  {problem}" for problem in error.problems)
        raise click.ClickException(f"The template “{slug}” cannot be used until it is mended:\n{problems}") from None


def render_limits():
    """Return the page and time limits a letter is written within, from the settings."""
    settings = command_settings()
    return {"max_pages": settings["MAX_PAGES"], "time_limit": settings["RENDER_TIME_LIMIT"]}


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--dev", is_flag=True, help="Flask's development server, with reloading and debugging.")
@click.option("--workers", type=int, help="Worker processes (default: SERVER_WORKERS).")
@click.option("--threads", type=int, help="Threads per worker (default: SERVER_THREADS).")
def serve_command(host, port, dev, workers, threads):
    """Serve Letterhouse: gunicorn with warmed workers, or Flask's dev server with --dev.

    Each worker builds its own app, and every request gets a context (and a CSRF token)
    of its own.

    Example:

        letterhouse serve --port 5000
    """
    from letterhouse.web.app import create_app

    app = create_app(click.get_current_context().obj)  # checks the settings; the workers build their own
    if dev:
        app.run(host=host, port=port, debug=True)
        return
    from letterhouse.web.server import serve

    config = app.config
    serve(create_app, host, port, workers or config["SERVER_WORKERS"], threads or config["SERVER_THREADS"],
          config["SERVER_TIMEOUT"])


@cli.command("bench")
@click.option("--rounds", default=40, show_default=True, help="Warm letters timed for section 1.")
@click.option("--letters", default=500, show_default=True, help="Letters in the batch of section 3.")
@click.option("--clients", default=8, show_default=True, help="Concurrent web clients in section 4.")
@click.option("--requests", "requests_per_client", default=25, show_default=True, help="Requests per web client.")
@click.option("--soak", default=2000, show_default=True, help="Consecutive renders for the memory check.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the figures as JSON here.")
def bench_command(rounds, letters, clients, requests_per_client, soak, json_path):
    """Measure Letterhouse against a plain WeasyPrint render of the same page, side by side.

    Sections: a warm one-page letter and the WeasyPrint floor; cold start; a batch with 1 and
    2 workers; the production server under concurrent clients; memory over many renders.

    Example:

        letterhouse bench --json bench.json
    """
    import letterhouse.bench.sections as bench
    from letterhouse.bench.report import print_report

    catalog = open_catalog()
    figures = {"machine": bench.machine_facts()}
    figures["warm_letter"] = bench.warm_letter(catalog, rounds)
    figures["cold_start"] = bench.cold_start()
    figures["batch"] = bench.batch_throughput(catalog, letters, (1, 2))
    figures["web"] = bench.web_load(clients, requests_per_client, workers=2)
    figures["memory"] = bench.memory_soak(catalog, soak)
    figures["realism"] = bench.realism_cost(catalog, rounds=rounds)
    print_report(figures)
    if json_path:
        Path(json_path).write_text(json.dumps(figures, indent=2))


def field_assignment(ctx, param, values):
    """Return --set FIELD=VALUE options as a dict."""
    pairs = {}
    for value in values:
        name, equals, text = value.partition("=")
        if not equals or not name.strip():
            raise click.BadParameter(f"“{value}” should look like FIELD=VALUE, e.g. years=12.")
        pairs[name.strip()] = text
    return pairs


@cli.command("render")
@click.argument("slug")
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False),
              help="A JSON object of field values.")
@click.option("--set", "assignments", multiple=True, metavar="FIELD=VALUE", callback=field_assignment,
              help="One field's value; wins over --data. May be repeated.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Where to write the PDF [default: a name like anniversary-to-chris.pdf].")
def render_command(slug, data_path, assignments, output):
    """Write one letter as a PDF, from a JSON file and/or FIELD=VALUE pairs.

    Exits 1, naming each field and what is wrong with it, when the values do not fit.

    Example:

        letterhouse render anniversary --data chris.json --set years=12 -o chris.pdf
    """
    from letterhouse.batch.merge import letter_from_object
    from letterhouse.batch.rows import RowsError, read_object_file
    from letterhouse.letters.letter import letter_filename, write_letter_pdf
    from letterhouse.letters.problems import LetterRefused

    template = usable_template(slug)
    try:
        mapping = {**(read_object_file(data_path) if data_path else {}), **assignments}
    except RowsError as error:
        raise click.ClickException(str(error)) from None
    letter, errors = letter_from_object(template, mapping)
    if errors:
        for name, messages in errors.items():
            click.echo(f"{name}: {' '.join(messages)}", err=True)
        sys.exit(1)
    try:
        limits = render_limits()
        rendered = write_letter_pdf(letter, limits["max_pages"], limits["time_limit"])
    except LetterRefused as error:
        raise click.ClickException(str(error)) from None
    path = Path(output or letter_filename(letter))
    path.write_bytes(rendered.pdf)
    click.echo(f"Wrote {path} ({rendered.page_count} page{'s' if rendered.page_count != 1 else ''}).")


@cli.command("samples")
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


@cli.command("batch")
@click.argument("slug")
@click.argument("rows_path", metavar="ROWS", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(),
              help="A .zip (one PDF per row), a .pdf (all letters in one file) or a directory.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes [default: one per core].")
@click.option("--skip-invalid", is_flag=True,
              help="Write the good rows and put the problems in OUT-errors.csv beside the output.")
@click.option("--duplex", is_flag=True, help="For a .pdf: pad each letter to an even number of pages.")
def batch_command(slug, rows_path, output, jobs, skip_invalid, duplex):
    """Write one letter per row of a CSV file or JSON array: a mail merge.

    The CSV's header row names the fields (see `letterhouse fields SLUG --csv`). Every
    row is checked before anything is written; each problem is printed as
    `row N, field: message` with rows numbered as a spreadsheet shows them, and the
    command exits 1 having written nothing, unless --skip-invalid.

    Example:

        letterhouse batch thank-you guests.csv -o thank-yous.zip --jobs 2
    """
    from letterhouse.batch.merge import check_rows, write_batch, write_problems_beside
    from letterhouse.batch.rows import RowsError, read_rows_file

    template = usable_template(slug)
    try:
        check = check_rows(template, read_rows_file(rows_path))
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


@cli.command("fields")
@click.argument("slug")
@click.option("--csv", "as_csv", is_flag=True, help="Print only a CSV header row, to fill in one row per letter.")
def fields_command(slug, as_csv):
    """List a template's fields: name, label and what each one should hold.

    Example:

        letterhouse fields anniversary --csv > guests.csv
    """
    from letterhouse.batch.merge import column_hint, header_csv

    template = usable_template(slug)
    if as_csv:
        click.echo(header_csv(template), nl=False)
        return
    for spec in template.all_fields:
        click.echo(f"{spec.name:20} {spec.label:44} {column_hint(spec, template.limits)}")


@cli.group()
def templates():
    """Work with letter template files."""


@templates.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per template.")
def list_templates(as_json):
    """List every template with its occasion, or why it is unavailable.

    Example:

        letterhouse templates list --json
    """
    entries = open_catalog().entries()
    if as_json:
        click.echo(json.dumps([{**template_summary(entry), "path": str(entry.path)} for entry in entries], indent=2))
        return
    for entry in entries:
        if isinstance(entry, BrokenTemplate):
            click.echo(f"{entry.slug:28} UNAVAILABLE ({len(entry.problems)} problem(s))")
        else:
            click.echo(f"{entry.slug:28} {entry.occasion:16} {entry.title}")


@templates.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check_templates(paths, strict):
    """Check template files and print each problem as path:line: message.

    Each template's example data (examples/<slug>.json beside it) is validated and
    written to a PDF as the site would. A PATH may be a directory of templates; with
    none, checks every template the site would show. Exits 1 on any error, or with
    --strict on any warning.

    Example:

        letterhouse templates check letter_templates/anniversary.jinja
    """
    from letterhouse.render.template_report import check_files

    checks = check_files(paths, open_catalog(), **render_limits())
    problems = [problem for check in checks for problem in check.problems]
    for problem in problems:
        click.echo(str(problem), err=problem.is_error)
    errors = sum(problem.is_error for problem in problems)
    warnings = len(problems) - errors
    click.echo(f"{len(checks)} template(s): {errors} error(s), {warnings} warning(s)")
    sys.exit(1 if errors or (strict and warnings) else 0)


@templates.command("new")
@click.argument("slug")
@click.option("--dir", "directory", type=click.Path(file_okay=False),
              help="Where to write it (default: the first TEMPLATES directory).")
def new_template(slug, directory):
    """Write a commented starter template, SLUG.jinja, and its example data.

    The starter passes `templates check` as written; change it into your letter.

    Example:

        letterhouse templates new thank-you-neighbour
    """
    from letterhouse.letters.starter import StarterRefused, write_starter

    directory = directory or open_catalog().directories[0]
    try:
        template, example = write_starter(slug, directory)
    except StarterRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    click.echo(f"Wrote {template} and {example}.")
    click.echo(f"Check it with: letterhouse templates check {template}")


if __name__ == "__main__":
    cli()
