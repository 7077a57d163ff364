"""The production server: gunicorn running the app, each worker warmed before its first request."""

import os

from gunicorn.app.base import BaseApplication


def warm_up(app):
    """Load fonts and stylesheets, render one letter and the picker samples: no visitor pays for a cold start."""
    from .gallery import example_letter
    from .letters import write_letter_pdf
    from .samples import PICKERS, sample_png

    with app.app_context():
        for template in app.extensions["letterhouse.catalog"].templates():
            letter = example_letter(template)
            if letter is not None:
                write_letter_pdf(letter)
                break
        for kind, registry in PICKERS.items():  # the form's picker samples, drawn once per process
            for key in registry:
                sample_png(kind, key)


class LetterhouseServer(BaseApplication):
    """Gunicorn, configured from Letterhouse's settings rather than a gunicorn.conf file."""

    def __init__(self, app, options):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("post_worker_init", lambda worker: warm_up(self.application))

    def load(self):
        return self.application


def serve(app, host, port, workers, threads, timeout):
    """Run the app under gunicorn until interrupted."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "max_requests": 2000,  # recycle workers now and then: WeasyPrint keeps some memory
        "max_requests_jitter": 200,
        "accesslog": "-",
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
    }
    LetterhouseServer(app, {k: v for k, v in options.items() if v is not None}).run()
