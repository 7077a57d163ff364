"""`python -m letterhouse.cli`: the command line, as the `letterhouse` script runs it."""

from letterhouse.cli import cli

cli()
