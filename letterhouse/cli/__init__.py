"""The `letterhouse` command line: a thin click group over the library, one module per kind of command."""

import click

from letterhouse.cli.letter_commands import (
    ProgressReport,
    batch_command,
    fields_command,
    render_command,
    samples_command,
)
from letterhouse.cli.measure_commands import realism_command
from letterhouse.cli.server_commands import bench_command, serve_command, worker_command
from letterhouse.cli.template_commands import templates

__all__ = ["ProgressReport", "cli"]


@click.group()
def cli():
    """Letterhouse: personalised letters in a hand that looks like a person's.

    Settings come from LETTERHOUSE_* environment variables (see the README); only `serve`
    and `bench` build the web app, and only they and `worker` write to the instance folder.

    Example:

        letterhouse serve --port 5000
    """


for command in (serve_command, templates, render_command, batch_command, fields_command, samples_command,
                bench_command, realism_command, worker_command):
    cli.add_command(command)
