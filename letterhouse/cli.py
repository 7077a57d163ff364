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
def list_templates():
    """List every template with its occasion, or why it is unavailable.

    Example:

        letterhouse templates list
    """
    for entry in current_app.extensions["letterhouse.catalog"].entries():
        if isinstance(entry, BrokenTemplate):
            click.echo(f"{entry.slug:28} UNAVAILABLE ({len(entry.problems)} problem(s))")
        else:
            click.echo(f"{entry.slug:28} {entry.occasion:16} {entry.title}")


@templates.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def check_templates(paths):
    """Check template files and print each problem as path:line: message.

    With no PATH, checks every template the site would show. Exits 1 on any error.

    Example:

        letterhouse templates check letter_templates/anniversary.jinja
    """
    from .template_report import check_files

    problems = check_files(paths, current_app.extensions["letterhouse.catalog"])
    for problem in problems:
        click.echo(str(problem), err=problem.is_error)
    errors = sum(problem.is_error for problem in problems)
    click.echo(f"{errors} error(s), {len(problems) - errors} warning(s)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    cli()
