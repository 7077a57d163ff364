"""The app factory: settings, extensions, blueprints and error handlers, in that order."""

import os
from pathlib import Path

from flask import Flask

from letterhouse.config import ENV_PREFIX, STATIC_ROOT, config_from_environ, default_config, instance_secret_key


def create_app(test_config=None):
    """Create the Letterhouse web app: defaults, then LETTERHOUSE_* environment, then test_config."""
    app = Flask("letterhouse", instance_path=instance_path(test_config), instance_relative_config=True,
                static_folder=str(STATIC_ROOT), static_url_path="/static", template_folder="web/site_pages")
    app.config.from_mapping(default_config())
    app.config.update(config_from_environ())
    if test_config is not None:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    return app


def instance_path(test_config):
    """Return where instance files (secret key, batch jobs) live: INSTANCE_PATH, or Flask's default."""
    path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(ENV_PREFIX + "INSTANCE_PATH")
    return str(Path(path).resolve()) if path else None


def register_extensions(app):
    """Bind extensions and the template catalog to the app."""
    import letterhouse.web.jobs as jobs
    from letterhouse.letters.catalog import catalog_from_config
    from letterhouse.web.extensions import csrf

    csrf.init_app(app)
    app.extensions["letterhouse.letters.catalog"] = catalog_from_config(app.config)
    jobs.init_app(app)


def register_blueprints(app):
    """Attach the site's pages."""
    import letterhouse.web.api as api
    import letterhouse.web.batch_pages as batch_views
    import letterhouse.web.health as health
    import letterhouse.web.pages as views
    from letterhouse.web.extensions import csrf

    app.register_blueprint(views.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(batch_views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # the API answers programs with bearer tokens, not forms with cookies


def register_errorhandlers(app):
    """Answer every error with a page of our own, never a traceback."""
    import letterhouse.web.errors as errors
    import letterhouse.web.security as security

    errors.init_app(app)
    security.init_app(app)
