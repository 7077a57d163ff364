"""The app factory: settings, extensions, blueprints and error handlers, in that order."""

from pathlib import Path

from flask import Flask

import letterhouse.web.api as api
import letterhouse.web.api_batches as api_batches
import letterhouse.web.batch_pages as batch_pages
import letterhouse.web.errors as errors
import letterhouse.web.health as health
import letterhouse.web.jobs as jobs
import letterhouse.web.pages as pages
import letterhouse.web.rate_limiting as rate_limiting
import letterhouse.web.security as security
from letterhouse.config import STATIC_ROOT, instance_secret_key, load_settings
from letterhouse.letters.catalog import catalog_from_config
from letterhouse.web.extensions import CATALOG, csrf


def create_app(test_config=None, run_batches=True):
    """Create the Letterhouse web app: defaults, then LETTERHOUSE_* environment, then test_config.

    :param run_batches: write batches on a thread of this process; `letterhouse serve` says False, as its
        one runner process writes them for every worker.
    """
    settings = load_settings(test_config)
    settings["INSTANCE_PATH"] = str(Path(settings["INSTANCE_PATH"]).resolve())
    app = Flask("letterhouse", instance_path=settings["INSTANCE_PATH"],
                instance_relative_config=True, static_folder=str(STATIC_ROOT), static_url_path="/static",
                template_folder="web/site_pages")
    app.config.from_mapping(settings)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    register_extensions(app, run_batches)
    register_blueprints(app)
    register_errorhandlers(app)
    return app


def register_extensions(app, run_batches=True):
    """Bind extensions, the template catalog, the job store and the API's rate limits to the app."""
    csrf.init_app(app)
    app.extensions[CATALOG] = catalog_from_config(app.config)
    jobs.init_app(app, run_batches)
    rate_limiting.init_app(app)


def register_blueprints(app):
    """Attach the site's pages."""
    app.register_blueprint(pages.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(batch_pages.bp)
    app.register_blueprint(api.bp)  # with its batches' blueprint registered on it
    for blueprint in (api.bp, api_batches.bp):
        csrf.exempt(blueprint)  # the API answers programs with bearer tokens, not forms with cookies


def register_errorhandlers(app):
    """Answer every error with a page of our own, never a traceback."""
    errors.init_app(app)
    security.init_app(app)
