"""Print the benchmark's figures as a table a person can read, with the targets beside them."""

import click

TARGETS = {"ratio": 1.3, "speed_up": 1.8, "worker_mb": 120}


def verdict(ok):
    return click.style("meets target", fg="green") if ok else click.style("MISSES target", fg="red")


def print_report(figures):
    """Echo every section of a bench run."""
    machine, warm, cold = figures["machine"], figures["warm_letter"], figures["cold_start"]
    click.echo(f"Letterhouse bench: Python {machine['python']}, WeasyPrint {machine['weasyprint']}, "
               f"{machine['cores']} cores ({machine['machine']})")
    if not machine["fast_font_subsetting"]:
        click.echo(click.style("WARNING: HarfBuzz's subsetter is missing; every figure below is slow.", fg="red"))
    click.echo(f"1. Warm one-page letter: Letterhouse {warm['letterhouse_ms']} ms, plain WeasyPrint "
               f"{warm['weasyprint_floor_ms']} ms -> ratio {warm['ratio']} "
               f"(target <= {TARGETS['ratio']}: {verdict(warm['ratio'] <= TARGETS['ratio'])})")
    click.echo(f"2. Cold start: process start to first PDF {cold['process_to_first_pdf_s']} s "
               f"(imports to PDF {cold['import_to_first_pdf_s']} s)")
    print_batch(figures["batch"])
    web = figures["web"]
    click.echo(f"4. Web, {web['clients']} clients on loopback, {web['workers']} gunicorn workers: "
               f"{web['requests_per_s']} requests/s, p50 {web['p50_ms']} ms, p95 {web['p95_ms']} ms, "
               f"{web['errors']} errors of {web['requests']}, server peak RSS {web['server_peak_rss_mb']} MB")
    memory = figures["memory"]
    readings = ", ".join(f"{mb} MB after {count}" for count, mb in memory["rss_mb"].items())
    click.echo(f"5. Memory over {memory['renders']} renders in one process: {readings} "
               f"(growth after the first 100: {memory['growth_mb_after_100']} MB)")
    realism = figures["realism"]
    click.echo(f"6. Handwriting: a 'natural' letter {realism['natural_ms']} ms vs 'neat' without variants "
               f"{realism['neat_ms']} ms -> {realism['ratio']}x (target <= 1.5: {verdict(realism['ratio'] <= 1.5)})")
    if "celery" in figures:
        print_celery(figures["celery"])


def print_celery(celery):
    """Echo section 7: Celery workers, one render process each."""
    one, two, killed = celery["1_workers"], celery["2_workers"], celery["2_workers_one_killed_at_30%"]
    click.echo(f"7. Celery, {one['letters']} letters: 1 worker {one['letters_per_s']} letters/s, 2 workers "
               f"{two['letters_per_s']} letters/s -> {celery['speed_up']}x (target >= {TARGETS['speed_up']}: "
               f"{verdict(celery['speed_up'] >= TARGETS['speed_up'])}); one of 2 killed at 30%: "
               f"{killed['letters']} letters in {killed['seconds']} s ({celery['seconds_lost_to_the_kill']} s lost), "
               f"every row exactly once: {killed['every_row_once']}")


def print_batch(batch):
    one, two = batch["1_workers"], batch["2_workers"]
    worker = max(one["largest_worker_mb"], two["largest_worker_mb"])
    click.echo(f"3. Batch: 1 worker {one['letters_per_s']} letters/s, 2 workers {two['letters_per_s']} letters/s "
               f"-> {batch['speed_up']}x (target >= {TARGETS['speed_up']}: "
               f"{verdict(batch['speed_up'] >= TARGETS['speed_up'])}); peak RSS {one['peak_rss_mb']} MB / "
               f"{two['peak_rss_mb']} MB (all processes); largest worker {worker} MB "
               f"(target < {TARGETS['worker_mb']}: {verdict(worker < TARGETS['worker_mb'])})")
