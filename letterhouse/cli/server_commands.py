"""`letterhouse serve` and `letterhouse bench`: the only commands that build the web app."""

import json
from pathlib import Path

import click

from letterhouse.cli.settings import open_catalog


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--dev", is_flag=True, help="Flask's development server, with reloading and debugging.")
@click.option("--workers", type=int, help="Worker processes (default: SERVER_WORKERS).")
@click.option("--threads", type=int, help="Threads per worker (default: SERVER_THREADS).")
def serve_command(host, port, dev, workers, threads):
    """Serve Letterhouse: gunicorn with warmed workers, or Flask's dev server with --dev.

    Each worker builds its own app, and every request gets a context (and a CSRF token)
    of its own.

    Example:

        letterhouse serve --port 5000
    """
    from letterhouse.web.app import create_app

    app = create_app(click.get_current_context().obj)  # checks the settings; the workers build their own
    if dev:
        app.run(host=host, port=port, debug=True)
        return
    from letterhouse.web.server import serve

    config = app.config
    serve(create_app, host, port, workers or config["SERVER_WORKERS"], threads or config["SERVER_THREADS"],
          config["SERVER_TIMEOUT"])


BENCH_SECTIONS = ("warm", "cold", "batch", "web", "memory", "realism")


@click.command("bench")
@click.option("--rounds", default=40, show_default=True, help="Warm letters timed for sections 1 and 6.")
@click.option("--letters", default=120, show_default=True, help="Letters in the batch of section 3.")
@click.option("--clients", default=8, show_default=True, help="Concurrent web clients in section 4.")
@click.option("--requests", "requests_per_client", default=25, show_default=True, help="Requests per web client.")
@click.option("--soak", default=2000, show_default=True, help="Consecutive renders for the memory check.")
@click.option("--only", multiple=True, type=click.Choice(BENCH_SECTIONS),
              help="Run only this section; may be repeated [default: every section].")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the figures as JSON here.")
def bench_command(rounds, letters, clients, requests_per_client, soak, only, json_path):
    """Measure Letterhouse against a plain-font WeasyPrint render of the same words, side by side.

    Sections: a warm one-page letter against the plain-font floor (and against its own HTML
    and CSS through plain WeasyPrint); cold start; a batch with 1 and 2 workers; the production
    server under concurrent clients; memory over many renders; 'natural' against 'neat'.

    Example:

        letterhouse bench --json bench.json
        letterhouse bench --only warm --only realism
    """
    import letterhouse.bench.sections as bench
    from letterhouse.bench.report import print_report

    catalog = open_catalog()
    wanted = set(only or BENCH_SECTIONS)
    runs = {"warm_letter": ("warm", lambda: bench.warm_letter(catalog, rounds)),
            "cold_start": ("cold", bench.cold_start),
            "batch": ("batch", lambda: bench.batch_throughput(catalog, letters, (1, 2))),
            "web": ("web", lambda: bench.web_load(clients, requests_per_client, workers=2)),
            "memory": ("memory", lambda: bench.memory_soak(catalog, soak)),
            "realism": ("realism", lambda: bench.realism_cost(catalog, rounds=rounds))}
    figures = {"machine": bench.machine_facts()}
    figures.update({key: run() for key, (section, run) in runs.items() if section in wanted})
    print_report(figures)
    if json_path:
        Path(json_path).write_text(json.dumps(figures, indent=2))
