"""`letterhouse templates list`, `check` and `new`: for the people who write letter templates."""

import json
import sys

import click

from letterhouse.cli.settings import open_catalog, render_limits
from letterhouse.letters.catalog import BrokenTemplate, template_summary


@click.group()
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
