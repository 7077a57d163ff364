"""What every command starts from: the settings, and the template catalog they name."""

import click

from letterhouse.config import load_settings
from letterhouse.letters.catalog import TemplateNotFound, TemplateUnavailable, catalog_from_config


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
