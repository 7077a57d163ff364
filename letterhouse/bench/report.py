"""Print the benchmark's figures as a table a person can read, with the targets beside them."""

import click

# Issue 15's targets: the warm letter against the plain-font floor, the pen against the same letter at
# neat, a 120-letter batch's first letter and its speed-up with two workers, start-up included.
TARGETS = {"ratio": 1.6, "pen_ratio": 1.3, "first_letter_s": 1.2, "speed_up": 1.8, "worker_mb": 120}


def verdict(ok):
    return click.style("meets target", fg="green") if ok else click.style("MISSES target", fg="red")


def print_report(figures):
    """Echo every section of a bench run."""
    machine = figures["machine"]
    click.echo(f"Letterhouse bench: Python {machine['python']}, WeasyPrint {machine['weasyprint']}, "
               f"{machine['cores']} cores ({machine['machine']})")
    if not machine["fast_font_subsetting"]:
        click.echo(click.style("WARNING: HarfBuzz's subsetter is missing; every figure below is slow.", fg="red"))
    for section, printer in SECTIONS.items():
        if section in figures:
            printer(figures[section])


def print_warm(warm):
    click.echo(f"1. Warm one-page letter: Letterhouse {warm['letterhouse_ms']} ms, plain-font floor "
               f"{warm['plain_font_floor_ms']} ms -> ratio {warm['ratio']} "
               f"(target <= {TARGETS['ratio']}: {verdict(warm['ratio'] <= TARGETS['ratio'])})")
    click.echo(f"   in CPU time: {warm['letterhouse_cpu_ms']} ms against {warm['plain_font_floor_cpu_ms']} ms -> "
               f"{warm['ratio_cpu']}x (steadier when the machine is shared)")
    click.echo(f"   against its own HTML and CSS through plain WeasyPrint ({warm['weasyprint_same_html_ms']} ms): "
               f"{warm['ratio_same_html']}x")


def print_cold(cold):
    click.echo(f"2. Cold start: process start to first PDF {cold['process_to_first_pdf_s']} s "
               f"(imports to PDF {cold['import_to_first_pdf_s']} s)")


def print_web(web):
    click.echo(f"4. Web, {web['clients']} clients on loopback, {web['workers']} gunicorn workers: "
               f"{web['requests_per_s']} requests/s, p50 {web['p50_ms']} ms, p95 {web['p95_ms']} ms, "
               f"{web['errors']} errors of {web['requests']}, server peak RSS {web['server_peak_rss_mb']} MB")


def print_memory(memory):
    readings = ", ".join(f"{mb} MB after {count}" for count, mb in memory["rss_mb"].items())
    click.echo(f"5. Memory over {memory['renders']} renders in one process: {readings} "
               f"(growth after the first 100: {memory['growth_mb_after_100']} MB)")


def print_realism(realism):
    click.echo(f"6. Handwriting: a 'natural' letter {realism['natural_ms']} ms vs 'neat' {realism['neat_ms']} ms "
               f"-> {realism['ratio']}x, {realism['ratio_cpu']}x in CPU time (target <= {TARGETS['pen_ratio']}: "
               f"{verdict(realism['ratio'] <= TARGETS['pen_ratio'])})")


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
    first = max(one["first_letter_s"], two["first_letter_s"])
    click.echo(f"3. Batch of {batch['letters']}: 1 worker {one['letters_per_s']} letters/s, "
               f"2 workers {two['letters_per_s']} letters/s -> {batch['speed_up']}x (target >= "
               f"{TARGETS['speed_up']}: {verdict(batch['speed_up'] >= TARGETS['speed_up'])}); first letter after "
               f"{one['first_letter_s']} s / {two['first_letter_s']} s (target <= {TARGETS['first_letter_s']}: "
               f"{verdict(first <= TARGETS['first_letter_s'])}); peak RSS {one['peak_rss_mb']} MB / "
               f"{two['peak_rss_mb']} MB (all processes); largest worker {worker} MB "
               f"(target < {TARGETS['worker_mb']}: {verdict(worker < TARGETS['worker_mb'])})")


SECTIONS = {"warm_letter": print_warm, "cold_start": print_cold, "batch": print_batch, "web": print_web,
            "memory": print_memory, "realism": print_realism, "celery": print_celery}
