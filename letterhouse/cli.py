"""The `letterhouse` command line: a thin click group over the library."""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup

from . import create_app
from .catalog import BrokenTemplate


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=True)
def cli():
    """Letterhouse: personalised letters in a hand that looks like a person's.

    Example:

        letterhouse run --port 5000
    """


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--dev", is_flag=True, help="Flask's development server, with reloading and debugging.")
@click.option("--workers", type=int, help="Worker processes (default: SERVER_WORKERS).")
@click.option("--threads", type=int, help="Threads per worker (default: SERVER_THREADS).")
def serve_command(host, port, dev, workers, threads):
    """Serve Letterhouse: gunicorn with warmed workers, or Flask's dev server with --dev.

    Example:

        letterhouse serve --port 5000
    """
    app = current_app._get_current_object()
    if dev:
        app.run(host=host, port=port, debug=True)
        return
    from .server import serve

    config = app.config
    serve(app, host, port, workers or config["SERVER_WORKERS"], threads or config["SERVER_THREADS"],
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
    from . import bench
    from .bench_report import print_report

    catalog = current_app.extensions["letterhouse.catalog"]
    figures = {"machine": bench.machine_facts()}
    figures["warm_letter"] = bench.warm_letter(catalog, rounds)
    figures["cold_start"] = bench.cold_start()
    figures["batch"] = bench.batch_throughput(catalog, letters, (1, 2))
    figures["web"] = bench.web_load(clients, requests_per_client, workers=2)
    figures["memory"] = bench.memory_soak(catalog, soak)
    print_report(figures)
    if json_path:
        Path(json_path).write_text(json.dumps(figures, indent=2))


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
    entries = current_app.extensions["letterhouse.catalog"].entries()
    if as_json:
        click.echo(json.dumps([template_summary(entry) for entry in entries], indent=2))
        return
    for entry in entries:
        if isinstance(entry, BrokenTemplate):
            click.echo(f"{entry.slug:28} UNAVAILABLE ({len(entry.problems)} problem(s))")
        else:
            click.echo(f"{entry.slug:28} {entry.occasion:16} {entry.title}")


def template_summary(entry):
    """Return what `templates list --json` says about one template, good or broken."""
    if isinstance(entry, BrokenTemplate):
        return {"slug": entry.slug, "path": str(entry.path), "available": False,
                "problems": [str(problem) for problem in entry.problems]}
    return {"slug": entry.slug, "path": str(entry.path), "available": True, "title": entry.title,
            "occasion": entry.occasion, "description": entry.description,
            "fields": [spec.name for spec in entry.fields]}


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
    from .template_report import check_files

    checks = check_files(paths, current_app.extensions["letterhouse.catalog"], current_app.config["MAX_PAGES"])
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
    from .starter import StarterRefused, write_starter

    directory = directory or current_app.extensions["letterhouse.catalog"].directories[0]
    try:
        template, example = write_starter(slug, directory)
    except StarterRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    click.echo(f"Wrote {template} and {example}.")
    click.echo(f"Check it with: letterhouse templates check {template}")


if __name__ == "__main__":
    cli()
