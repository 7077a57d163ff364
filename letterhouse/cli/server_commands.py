"""`letterhouse serve` and `letterhouse bench`: the only commands that build the web app."""

import functools
import json
import logging
import os
import sys
from pathlib import Path

import click

from letterhouse.cli.settings import command_settings, open_catalog

RUNNER_COMMAND = [sys.executable, "-m", "letterhouse.cli", "worker", "--stop-with-parent"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--dev", is_flag=True, help="Flask's development server, with reloading and debugging.")
@click.option("--workers", type=int, help="Worker processes (default: SERVER_WORKERS).")
@click.option("--threads", type=int, help="Threads per worker (default: SERVER_THREADS).")
def serve_command(host, port, dev, workers, threads):
    """Serve Letterhouse: gunicorn with warmed workers, or Flask's dev server with --dev.

    Each worker builds its own app, and every request gets a context (and a CSRF token)
    of its own. The database is migrated first; beside the workers runs one batch runner
    (`letterhouse worker`), started again if it dies.

    Example:

        letterhouse serve --port 5000
    """
    from letterhouse.web.app import create_app

    if dev:
        create_app(click.get_current_context().obj).run(host=host, port=port, debug=True)
        return
    # Checks the settings and migrates the database once; the workers build their own apps.
    config = create_app(click.get_current_context().obj, run_batches=False).config
    from letterhouse.web.server import serve

    runner = None if config["BROKER_URL"] else RUNNER_COMMAND  # with a broker, `letterhouse worker`s write batches
    serve(functools.partial(create_app, run_batches=False), host, port, workers or config["SERVER_WORKERS"],
          threads or config["SERVER_THREADS"], config["SERVER_TIMEOUT"], runner_command=runner)


@click.command("worker")
@click.option("--stop-with-parent", is_flag=True, hidden=True,
              help="Stop when the process that started this one is gone (the server's own runner does).")
def worker_command(stop_with_parent):
    """Write the batches the site and the API start, on BATCH_WORKERS processes, until stopped.

    With BROKER_URL, a Celery worker taking chunks of batches from the broker: run as many as
    you like, on any host sharing DATABASE_URL and RESULTS_PATH. Without, the embedded
    default's runner, which `letterhouse serve` starts itself. A batch (or chunk) being
    written when a worker stops or dies is written again by another.

    Example:

        letterhouse worker
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s [worker] %(levelname)s %(message)s")
    settings = command_settings()
    settings["INSTANCE_PATH"] = str(Path(settings["INSTANCE_PATH"]).resolve())
    if not settings["BROKER_URL"]:
        from letterhouse.batch.local_worker import run_local_worker

        run_local_worker(settings, parent=os.getppid() if stop_with_parent else None)
        return
    from letterhouse.batch.callbacks import callbacks_from_config, send_forever
    from letterhouse.batch.celery_tasks import resend_stalled, stalled_after
    from letterhouse.batch.local_worker import open_job_store, sweep_forever
    from letterhouse.web.app import create_app

    celery = create_app(settings, run_batches=False).extensions["celery"]  # migrates the database first
    store = open_job_store(settings, pooled=False)
    sweep_forever(store, every=60, also=lambda: resend_stalled(store, celery, stalled_after(settings)))
    send_forever(callbacks_from_config(store, settings))  # every worker sends the callbacks due; one takes each
    arguments = ["worker", "--loglevel=INFO", "--pool=prefork", "--without-mingle", "--without-gossip",
                 f"--hostname=letterhouse-{os.getpid()}@%h"]
    if settings["BATCH_WORKERS"]:
        arguments.append(f"--concurrency={settings['BATCH_WORKERS']}")
    celery.worker_main(arguments)


BENCH_SECTIONS = ("warm", "cold", "batch", "web", "memory", "realism", "celery")


@click.command("bench")
@click.option("--rounds", default=40, show_default=True, help="Warm letters timed for sections 1 and 6.")
@click.option("--letters", default=120, show_default=True, help="Letters in the batch of section 3.")
@click.option("--clients", default=8, show_default=True, help="Concurrent web clients in section 4.")
@click.option("--requests", "requests_per_client", default=25, show_default=True, help="Requests per web client.")
@click.option("--soak", default=2000, show_default=True, help="Consecutive renders for the memory check.")
@click.option("--celery-letters", default=600, show_default=True,
              help="Letters in the Celery batch of section 7 (run only when BROKER_URL is set).")
@click.option("--only", multiple=True, type=click.Choice(BENCH_SECTIONS),
              help="Run only this section; may be repeated [default: every section].")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the figures as JSON here.")
def bench_command(rounds, letters, clients, requests_per_client, soak, celery_letters, only, json_path):
    """Measure Letterhouse against a plain-font WeasyPrint render of the same words, side by side.

    Sections: a warm one-page letter against the plain-font floor (and against its own HTML
    and CSS through plain WeasyPrint); cold start; a batch with 1 and 2 workers; the production
    server under concurrent clients; memory over many renders; 'natural' against 'neat'; with
    BROKER_URL set, a batch on 1 and 2 Celery workers, and with one killed at 30%.

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
    broker_url = command_settings()["BROKER_URL"]
    if broker_url and "celery" in wanted:
        from letterhouse.bench.celery_scaling import celery_scaling

        figures["celery"] = celery_scaling(catalog, celery_letters, broker_url)
    print_report(figures)
    if json_path:
        Path(json_path).write_text(json.dumps(figures, indent=2))
