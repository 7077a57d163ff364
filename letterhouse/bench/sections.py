"""`letterhouse bench`: Letterhouse measured side by side with plain WeasyPrint, in one run."""

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from importlib.metadata import version
from pathlib import Path

from markupsafe import escape

from letterhouse.config import load_settings
from letterhouse.letters.catalog import catalog_from_config, example_values
from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.styles import HANDS
from letterhouse.letters.wording import body_paragraphs, render_body
from letterhouse.render.compose import compose_letter_html
from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.pdf import get_renderer, harfbuzz_subsetter_available
from letterhouse.render.realism import letter_css

BENCH_SLUG = "thank-you"  # a one-page letter
REALISM_WARM_UP = 3


def machine_facts():
    """Return the facts a figure means nothing without."""
    return {"python": platform.python_version(), "weasyprint": version("weasyprint"), "cores": os.cpu_count(),
            "machine": platform.machine(), "fast_font_subsetting": harfbuzz_subsetter_available()}


def bench_letter(catalog, slug=BENCH_SLUG, **overrides):
    """Return the example Letter of a template, with some values changed."""
    template = catalog.get(slug)
    letter, errors = validate_mapping(template, {**example_values(template), **overrides}, "json")
    if letter is None:
        raise RuntimeError(f"the example of {slug} does not validate: {errors}")
    return letter


def median_ms(samples):
    return round(statistics.median(samples) * 1000, 2)


def plain_font_page(letter):
    """Return the floor's page: the letter's paragraphs in its hand's plain font on A4, and that CSS.

    No hand classes, paper, realism or page furniture: what any program that sets these words in
    this font with WeasyPrint pays, so everything above it is Letterhouse's own cost.
    """
    hand = HANDS[letter.values["hand"]]
    paragraphs = body_paragraphs(render_body(letter))
    html = "<!doctype html><html><body>" + "".join(
        f"<p>{escape(' '.join(lines))}</p>" for lines in paragraphs) + "</body></html>"
    css = (f'@font-face {{ font-family: "Plain hand"; src: url(fonts/{hand.font_file}); }}\n'
           f"@page {{ size: A4; margin: 24mm 22mm 24mm 28mm; }}\n"
           f'body {{ font-family: "Plain hand"; font-size: {hand.size_pt}pt; line-height: {hand.line_mm}mm; }}\n'
           "p { margin: 0 0 1em; }\n")
    return html, css


def warm_letter(catalog, rounds):
    """Time a warm one-page letter through Letterhouse, the plain-font floor, and its own HTML and CSS plainly.

    The floor is the letter's paragraphs in one plain hand font on A4, with the CSS parsed once and
    the same warm font configuration; the second comparison is the letter's own HTML and CSS (its
    stylesheet parsed anew, as Letterhouse does) straight through WeasyPrint. All three are taken in
    turn, so they see the same machine.
    """
    template = catalog.get(BENCH_SLUG)
    data = example_values(template)
    renderer = get_renderer()
    letter, _ = validate_mapping(template, data, "json")
    html = compose_letter_html(letter)
    values = letter.values
    own_css = letter_css(values, letter.seed)
    floor_html, floor_css = plain_font_page(letter)
    floor_stylesheets = [renderer.parsed_css(floor_css)]
    samples = {"ours": [], "floor": [], "same_html": []}
    renders = {"ours": lambda: write_letter_pdf(validate_mapping(template, data, "json")[0]),
               "floor": lambda: renderer.plain_pdf(floor_html, floor_stylesheets),
               "same_html": lambda: renderer.plain_pdf(html, renderer.stylesheets_for(
                   values["page_size"], values["paper"], values["hand"], own_css))}
    for round_number in range(rounds + 3):
        for name, render in renders.items():
            started, cpu = time.perf_counter(), time.process_time()
            render()
            if round_number >= 3:  # the first rounds warm caches for all three
                samples[name].append((time.perf_counter() - started, time.process_time() - cpu))
    wall = {name: statistics.median(wall for wall, _ in taken) for name, taken in samples.items()}
    cpu = {name: statistics.median(cpu for _, cpu in taken) for name, taken in samples.items()}
    return {"letterhouse_ms": round(wall["ours"] * 1000, 2), "plain_font_floor_ms": round(wall["floor"] * 1000, 2),
            "ratio": round(wall["ours"] / wall["floor"], 2),
            "weasyprint_same_html_ms": round(wall["same_html"] * 1000, 2),
            "ratio_same_html": round(wall["ours"] / wall["same_html"], 2),
            # CPU time: on a machine shared with other work, the steadier of the two measures
            "letterhouse_cpu_ms": round(cpu["ours"] * 1000, 2),
            "plain_font_floor_cpu_ms": round(cpu["floor"] * 1000, 2),
            "ratio_cpu": round(cpu["ours"] / cpu["floor"], 2), "rounds": rounds}


COLD_START_SCRIPT = """
import sys, time
started = time.perf_counter()
from letterhouse import create_app
from letterhouse.bench.sections import bench_letter
from letterhouse.render.letter_pdf import write_letter_pdf
app = create_app({"SECRET_KEY": "bench"})
with app.app_context():
    write_letter_pdf(bench_letter(app.extensions["letterhouse.letters.catalog"]))
print(time.perf_counter() - started)
"""


def cold_start():
    """Time a new process from its start to its first PDF (interpreter start-up included)."""
    started = time.perf_counter()
    inside = subprocess.run([sys.executable, "-c", COLD_START_SCRIPT], capture_output=True, text=True,
                            check=True).stdout.strip().splitlines()[-1]
    return {"process_to_first_pdf_s": round(time.perf_counter() - started, 3),
            "import_to_first_pdf_s": round(float(inside), 3)}


BATCH_SCRIPT = """
import json, sys, time
from letterhouse.batch.pool import start_fork_server
start_fork_server()  # as `letterhouse batch` does
from letterhouse.batch.checking import check_rows
from letterhouse.config import load_settings
from letterhouse.letters.catalog import catalog_from_config
from letterhouse.batch.rows import read_rows_file
from letterhouse.batch.writing import write_batch
slug, rows, out, jobs = sys.argv[1:5]
check = check_rows(catalog_from_config(load_settings()).get(slug), read_rows_file(rows))
first = []
result = write_batch(check, out, jobs=int(jobs), on_progress=lambda done, total: first or first.append(time.time()))
print(json.dumps({"first_letter_at": first[0], "done_at": time.time(), "letters": result.letters}))
"""


def batch_throughput(catalog, letters, jobs_list):
    """Time `letters` letters through the batch door in a new process for each number of workers, start-up included.

    As `letterhouse batch` does it: the process starts, reads and checks the rows, starts its
    workers and writes a ZIP; the first letter is timed from the moment the process is started.
    """
    template = catalog.get(BENCH_SLUG)
    rows = [{**example_values(template), "recipient_name": f"Guest {i}"} for i in range(letters)]
    results = {"letters": letters}
    with tempfile.TemporaryDirectory() as folder:
        rows_path = Path(folder) / "rows.json"
        rows_path.write_text(json.dumps(rows))
        for jobs in jobs_list:
            results[f"{jobs}_workers"] = batch_in_a_process(rows_path, Path(folder) / f"out-{jobs}.zip", jobs)
    first, last = results[f"{jobs_list[0]}_workers"], results[f"{jobs_list[-1]}_workers"]
    results["speed_up"] = round(last["letters_per_s"] / first["letters_per_s"], 2)
    return results


def batch_in_a_process(rows_path, out, jobs):
    """Run one batch in a new process; return its rate, first letter, and peak memory."""
    launched = time.time()
    process = subprocess.Popen([sys.executable, "-c", BATCH_SCRIPT, BENCH_SLUG, str(rows_path), str(out), str(jobs)],
                               stdout=subprocess.PIPE, text=True)
    peak = PeakMemory(process.pid)
    with peak:
        output, _ = process.communicate()
    if process.returncode:
        raise RuntimeError(f"the batch with {jobs} worker(s) failed")
    report = json.loads(output.strip().splitlines()[-1])
    seconds = report["done_at"] - launched
    return {"letters_per_s": round(report["letters"] / seconds, 1), "seconds": round(seconds, 2),
            "first_letter_s": round(report["first_letter_at"] - launched, 3), "peak_rss_mb": peak.megabytes,
            "largest_worker_mb": round(peak.peak_child / 2**20, 1)}


class PeakMemory:
    """Sample the resident memory of this process and its children; keep the peak of the sum."""

    def __init__(self, root_pid=None, interval=0.05):
        self.root_pid, self.interval, self.peak = root_pid or os.getpid(), interval, 0
        self.peak_child = 0  # the largest single child process seen: a batch or gunicorn worker
        self._stop = threading.Event()

    def sizes(self):
        """Return the resident sizes of the root process and of each of its children."""
        import psutil  # noqa: PLC0415 -- a test extra: only the benchmark needs it, not the site

        try:
            root = psutil.Process(self.root_pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0, []
        sizes = []
        for process in processes:
            try:
                sizes.append(process.memory_info().rss)
            except psutil.Error:
                sizes.append(0)
        return sizes[0], sizes[1:]

    def sample(self):
        root, children = self.sizes()
        self.peak_child = max([self.peak_child, *children])
        return root + sum(children)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.sample())
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def megabytes(self):
        return round(self.peak / 2**20, 1)


def memory_soak(catalog, renders):
    """Render many letters in this process; report resident memory early on and at the end."""
    import psutil  # noqa: PLC0415 -- a test extra: only the benchmark needs it, not the site

    process, letter = psutil.Process(), bench_letter(catalog)
    readings = {}
    for count in range(1, renders + 1):
        write_letter_pdf(letter)
        if count in (100, renders // 2, renders):
            readings[count] = round(process.memory_info().rss / 2**20, 1)
    first, last = readings[100], readings[renders]
    return {"renders": renders, "rss_mb": readings, "growth_mb_after_100": round(last - first, 1)}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def web_load(clients, requests_per_client, workers):
    """POST letters to the production server on loopback from concurrent clients; time each answer."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "letterhouse.cli", "serve", "--port", str(port),
                               "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "LETTERHOUSE_SECRET_KEY": "bench"})
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        url = f"http://127.0.0.1:{port}/api/v1/letters/{BENCH_SLUG}"
        body = json.dumps(example_data_for_web()).encode()
        latencies, errors = [], []
        peak = PeakMemory(server.pid)
        with peak:
            started = time.perf_counter()
            threads = [threading.Thread(target=post_many, args=(url, body, requests_per_client, latencies, errors))
                       for _ in range(clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    return {"clients": clients, "requests": len(latencies) + len(errors), "errors": len(errors),
            "requests_per_s": round(len(latencies) / elapsed, 1), "p50_ms": percentile_ms(latencies, 50),
            "p95_ms": percentile_ms(latencies, 95), "server_peak_rss_mb": peak.megabytes, "workers": workers}


def example_data_for_web():
    return example_values(catalog_from_config(load_settings()).get(BENCH_SLUG))


def wait_until_up(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within {timeout} s")


def post_many(url, body, count, latencies, errors):
    for _ in range(count):
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                ok = response.status == 200 and response.read(5) == b"%PDF-"
        except OSError as error:
            errors.append(str(error))
            continue
        (latencies if ok else errors).append(time.perf_counter() - started)


def percentile_ms(sorted_samples, percent):
    if not sorted_samples:
        return None
    index = min(len(sorted_samples) - 1, round(percent / 100 * (len(sorted_samples) - 1)))
    return round(sorted_samples[index] * 1000, 1)


def realism_cost(catalog, rounds=30, slug=BENCH_SLUG):
    """Return the median render times of one letter at natural and at neat, taken in turn, and their ratio.

    Neat writes every letter in its one original shape, with no paragraph tilts or ink changes:
    the letter as it was before realism. Rounds alternate so that both see the same machine.
    """
    letters = {level: bench_letter(catalog, slug, realism=level) for level in ("natural", "neat")}
    times, cpu, sizes = {level: [] for level in letters}, {level: [] for level in letters}, {}
    for round_number in range(rounds + REALISM_WARM_UP):
        for level, letter in letters.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            sizes[level] = len(write_letter_pdf(letter).pdf)
            if round_number >= REALISM_WARM_UP:
                times[level].append(time.perf_counter() - started)
                cpu[level].append(time.process_time() - cpu_started)
    natural, neat = (statistics.median(times[level]) for level in ("natural", "neat"))
    natural_cpu, neat_cpu = (statistics.median(cpu[level]) for level in ("natural", "neat"))
    return {"natural_ms": median_ms(times["natural"]), "neat_ms": median_ms(times["neat"]),
            "ratio": round(natural / neat, 2), "ratio_cpu": round(natural_cpu / neat_cpu, 2), "rounds": rounds,
            "natural_pdf_kb": round(sizes["natural"] / 1024, 1), "neat_pdf_kb": round(sizes["neat"] / 1024, 1)}
