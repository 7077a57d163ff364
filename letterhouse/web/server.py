"""The production server: gunicorn running the app, each worker building its own and warmed before its first request."""

import logging
import os

from flask import has_app_context
from gunicorn.app.base import BaseApplication

from letterhouse.batch.supervisor import RunnerSupervisor
from letterhouse.render.pdf import get_renderer
from letterhouse.render.picker_samples import DEFAULT_STYLE, PICKERS, sample_png
from letterhouse.web.extensions import current_catalog, write_pdf
from letterhouse.web.thumbnails import example_letter

LOGGER = logging.getLogger(__name__)
REQUEST_LINE_LIMIT = 8190  # bytes of method, address and query: gunicorn's most but "none"; longer is its own 414

# The letter a worker warms up with when no template's example can be written: built here, in
# code, so a template with a mistake can never keep the server from starting.
BUILT_IN_LETTER = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Warming up</title></head>'
                   '<body class="hand-{hand} ink-{ink} paper-{paper}"><p class="salutation">Dear reader,</p>'
                   '<main class="body"><p>The pens are filled and the paper is out.</p></main>'
                   '<footer class="valediction"><p class="closing">Yours,</p>'
                   '<p class="signature">Letterhouse</p></footer></body></html>')


def warm_up(app, log=LOGGER):
    """Load fonts and stylesheets, render one letter and the picker samples: no visitor pays for a cold start.

    Never raises: a template whose example cannot be written is skipped (and logged), and
    the built-in letter warms the renderer instead.
    """
    with app.app_context():
        if not warm_with_an_example(log):
            attempt(log, "the built-in letter", write_built_in_letter)
        attempt(log, "the picker samples", draw_picker_samples)


def warm_with_an_example(log):
    """Render the first template's example letter that can be written; return whether one was."""
    for template in current_catalog().templates():
        letter = attempt(log, f"the example of {template.slug}", example_letter, template)
        if letter is not None:
            return attempt(log, f"the example of {template.slug}", write_pdf, letter) is not None
    return False


def write_built_in_letter():
    """Render the built-in letter in the form's default hand, ink and paper."""
    return get_renderer().render(BUILT_IN_LETTER.format(**DEFAULT_STYLE), "A4", DEFAULT_STYLE["paper"],
                                 DEFAULT_STYLE["hand"])


def draw_picker_samples():
    """Draw the form's picker samples once per process."""
    for kind, registry in PICKERS.items():
        for key in registry:
            sample_png(kind, key)
    return True


def attempt(log, what, function, *args):
    """Return function(*args), or None after logging why it failed: warming up must not stop a worker."""
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 -- any failure here only costs the first visitor some time
        log.warning("Warm-up skipped %s: %s", what, error)
        return None


class LetterhouseServer(BaseApplication):
    """Gunicorn, configured from Letterhouse's settings rather than a gunicorn.conf file.

    Each worker builds its own app after the fork (see `load`), so no app context, `g`
    or CSRF token made in the master or in the command line reaches a visitor.
    """

    def __init__(self, app_factory, options, runner_command=None):
        self.app_factory = app_factory
        self.options = options
        self.runner_command = runner_command
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("post_worker_init", lambda worker: warm_up(worker.wsgi, worker.log))
        if self.runner_command:  # the master owns the one batch runner: a cap server-wide, not per worker
            supervisor = RunnerSupervisor(self.runner_command)
            self.cfg.set("when_ready", lambda arbiter: supervisor.start())
            self.cfg.set("on_exit", lambda arbiter: supervisor.stop())

    def load(self):
        return self.app_factory()


def server_options(host, port, workers, threads, timeout):
    """Return gunicorn's settings for `letterhouse serve`."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        # With threads a slow client holds one thread, not the whole process; renders stay
        # one at a time per process (the renderer's lock) and keep their time limit.
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "max_requests": 2000,  # recycle workers now and then: WeasyPrint keeps some memory
        "max_requests_jitter": 200,
        "accesslog": "-",
        "limit_request_line": REQUEST_LINE_LIMIT,  # a batch's query (metadata, callback_url) may be long
        "control_socket_disable": True,  # one fixed socket path per user: two servers would fight over it
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
    }
    return {key: value for key, value in options.items() if value is not None}


def serve(app_factory, host, port, workers, threads, timeout, runner_command=None):
    """Run the app under gunicorn until interrupted; each worker calls app_factory for its own app.

    :param runner_command: the batch runner the master keeps running beside the workers, if any.

    :raise RuntimeError: inside an app context, which the workers would inherit and share
        with every request they answer (one `g`, so one CSRF token, for everyone).
    """
    if has_app_context():
        raise RuntimeError("letterhouse serve must start outside an app context: its workers would share it.")
    LetterhouseServer(app_factory, server_options(host, port, workers, threads, timeout), runner_command).run()
