"""Mail merge: check every row first, then render the letters on a pool of warm worker processes."""

import csv
import difflib
import functools
import io
import logging
import multiprocessing
import os
import time
from collections import Counter, deque
from contextlib import closing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from letterhouse.batch.outputs import OUTPUT_KINDS, output_kind
from letterhouse.letters.catalog import load_template
from letterhouse.letters.letter import Letter, letter_filename, validate_mapping, write_letter_pdf
from letterhouse.letters.problems import LetterRefused
from letterhouse.render.pdf import get_renderer

LOGGER = logging.getLogger(__name__)
BOOLEAN_WORDS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
TASKS_PER_WORKER = 250  # a worker is replaced after this many letters, so memory cannot creep up
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula
MAX_PROBLEMS_KEPT = 1000  # problems listed for a batch; more are counted, not kept
AHEAD_PER_WORKER = 4  # letters queued per worker: enough to keep it busy, few enough to keep memory flat


@dataclass(frozen=True)
class RowProblem:
    """Why one row cannot become a letter: its spreadsheet row, the field (or column) and a message."""

    row: int
    field: str
    message: str

    def __str__(self):
        return f"row {self.row}, {self.field}: {self.message}" if self.field else f"row {self.row}: {self.message}"


# --- one mapping of plain data -> a Letter, for the API, the CLI and every row of a batch ---

def known_fields(template):
    """Return the names a row or JSON object may use for this template."""
    return (*template.form_class.specs, "seed")


def unknown_field_errors(template, names):
    """Return {name: [message]} for every name the template has no field for."""
    known = known_fields(template)
    return {name: [unknown_field_message(name, known)] for name in names if name not in known}


@functools.lru_cache(maxsize=4096)  # rows of a JSON batch repeat the same unknown keys
def unknown_field_message(name, known):
    """Return a message for a name that is not a field, suggesting the nearest one."""
    if not str(name).strip():
        return "This value has no field name (an empty column heading, or an empty key), but has something in it."
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f" Did you mean “{close[0]}”?" if close else " Remove it, or rename it to one of the template's fields."
    return f"There is no field called “{name}”.{hint}"


def letter_from_data(template, mapping):
    """Return (Letter or None, {field: [messages]}) for a JSON object or a CSV row.

    An empty or null value means the template's default; booleans may be written
    yes/no, true/false or 1/0; numbers and ISO dates may be JSON numbers or text.
    """
    errors = {}
    formdata = {}
    for name, value in mapping.items():
        if value is None or value == "":
            continue
        problem = value_problem(template, name, value)
        if problem:
            errors[name] = [problem]
        else:
            formdata[name] = value
    letter, form_errors = validate_mapping(template, formdata)
    errors.update(form_errors)
    return (None if errors else letter), errors


def value_problem(template, name, value):
    """Return why a plain value cannot be typed into its field, or None."""
    spec = template.form_class.specs.get(name)
    if isinstance(value, (list, dict)):
        return "Must be text, a number, true or false; not a list or an object."
    is_boolean = spec is not None and spec.type == "boolean"
    if is_boolean and not isinstance(value, bool) and str(value).strip().lower() not in BOOLEAN_WORDS:
        return f"{spec.label} must be yes or no (or true/false, 1/0)."
    return None


def letter_from_object(template, mapping):
    """Return (Letter or None, errors) for data that may name only the template's fields (API, CLI)."""
    unknown = unknown_field_errors(template, mapping)
    letter, errors = letter_from_data(template, {k: v for k, v in mapping.items() if k not in unknown})
    errors = {**unknown, **errors}
    return (None if errors else letter), errors


# --- what a spreadsheet's columns should hold ---

def header_csv(template):
    """Return the CSV header row of a template's fields, to fill in one row per letter."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([spec.name for spec in template.all_fields])
    return buffer.getvalue()


def column_hint(spec, limits):
    """Return what a cell of this field should hold, e.g. 'a whole number from 1 to 90; required'."""
    kind = {
        "string": f"text, at most {spec.max_length or limits.get('string')} characters",
        "text": f"text, at most {spec.max_length or limits.get('text')} characters, may run over lines",
        "integer": "a whole number" + number_range(spec),
        "date": "a date like 2026-02-14",
        "choice": "one of " + ", ".join(value for value, _ in spec.choices),
        "boolean": "yes or no",
    }.get(spec.type, spec.type)
    if spec.required:
        return f"{kind}; required"
    if callable(spec.default):
        return f"{kind}; empty for today" if spec.type == "date" else f"{kind}; optional"
    if spec.default in (None, ""):
        return f"{kind}; optional"
    return f"{kind}; empty for “{spec.default}”"


def number_range(spec):
    if spec.min is not None and spec.max is not None:
        return f" from {spec.min} to {spec.max}"
    if spec.min is not None or spec.max is not None:
        return f" of at least {spec.min}" if spec.min is not None else f" of at most {spec.max}"
    return ""


# --- every row of a batch, checked before anything is rendered ---

@dataclass(frozen=True)
class RowLetter:
    row: object  # rows.Row
    letter: Letter


@dataclass
class BatchCheck:
    """The outcome of checking every row: the letters that can be made and every problem found.

    The site and the API keep only the first max_problems (a file can have hundreds on every row);
    problem_count counts them all.
    """

    template: object
    total: int
    letters: list = field(default_factory=list)  # RowLetters, in row order
    problems: list = field(default_factory=list)  # RowProblems, the first max_problems
    problem_count: int = 0
    max_problems: int | None = None

    def add_problems(self, problems):
        """Keep problems up to the limit, and count every one."""
        problems = list(problems)
        self.problem_count += len(problems)
        room = len(problems) if self.max_problems is None else max(0, self.max_problems - len(self.problems))
        self.problems += problems[:room]


def check_rows(template, row_set, max_problems=None):
    """Return the BatchCheck of a RowSet; a problem in the header row means no letter is made."""
    header = header_problems(template, row_set) if row_set.header_row is not None else []
    check = BatchCheck(template, total=len(row_set.rows), max_problems=max_problems)
    check.add_problems(header)
    for row in row_set.rows:
        letter, errors = row_letter(template, row, check_unknown=row_set.header_row is None)
        check.add_problems(RowProblem(row.number, name, message)
                           for name, messages in errors.items() for message in messages)
        if letter is not None and not header:
            check.letters.append(RowLetter(row, letter))
    return check


def row_letter(template, row, check_unknown):
    """Return (Letter or None, errors) for one row; a CSV's unknown columns are reported once, at the header."""
    if check_unknown:
        return letter_from_object(template, row.values)
    known = set(known_fields(template))
    return letter_from_data(template, {k: v for k, v in row.values.items() if k in known})


def header_problems(template, row_set):
    """Return problems of a CSV header: repeated columns, and unknown columns with something in them."""
    row = row_set.header_row
    repeated = [name for name, count in Counter(row_set.columns).items() if name and count > 1]
    problems = [RowProblem(row, name, f"The column “{name}” appears more than once.") for name in repeated]
    used = {name for r in row_set.rows for name, value in r.values.items() if str(value).strip()}
    unknown = unknown_field_errors(template, [name for name in dict.fromkeys(row_set.columns + ("",))
                                              if name in used])
    return problems + [RowProblem(row, name, messages[0]) for name, messages in unknown.items()]


def problems_csv(problems):
    """Return row problems as CSV text with a header, for a spreadsheet beside the rows file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "field", "message"])
    writer.writerows((p.row, spreadsheet_safe(p.field), spreadsheet_safe(p.message)) for p in problems)
    return buffer.getvalue()


def spreadsheet_safe(cell):
    """Return a cell a spreadsheet shows as text, never runs as a formula (OWASP: CSV injection).

    A field name or message may repeat what a visitor typed, like a column called "=HYPERLINK(...)".
    """
    cell = str(cell)
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def write_problems_beside(out, problems):
    """Write the problems as '<out>-errors.csv' beside the output and return its path."""
    out = Path(out)
    path = out.with_name(f"{out.stem if out.suffix else out.name}-errors.csv")
    path.write_text(problems_csv(problems), encoding="utf-8")
    return path


# --- rendering on a pool of warm workers ---

def numbered_filename(ordinal, letter):
    """Return a batch letter's file name, like '0001-anniversary-to-chris.pdf'."""
    return f"{ordinal:04d}-{letter_filename(letter)}"


@dataclass(frozen=True)
class RenderTask:
    ordinal: int
    row: int
    values: dict
    seed: int


@dataclass(frozen=True)
class RenderedLetter:
    """One row's letter as written by a worker, or the reason it could not be."""

    ordinal: int
    row: int
    filename: str
    pdf: bytes = b""
    page_count: int = 0
    error: str = ""


_worker_template = None


def start_worker(template_path, limits, digest):
    """Warm a worker once: load the template, fonts and stylesheets before the first letter."""
    global _worker_template
    template = load_template(template_path, limits)
    _worker_template = template if template.digest == digest else None
    get_renderer()


def render_task(task, max_pages, time_limit=None):
    """Return the RenderedLetter of one task (runs in a worker)."""
    if _worker_template is None:
        return RenderedLetter(task.ordinal, task.row, "", error="The template changed while the batch ran.")
    letter = Letter(_worker_template, task.values, task.seed)
    filename = numbered_filename(task.ordinal, letter)
    try:
        rendered = write_letter_pdf(letter, max_pages, time_limit)
    except LetterRefused as error:
        return RenderedLetter(task.ordinal, task.row, filename, error=str(error))
    except Exception:  # one letter that cannot be written must not cost the others
        LOGGER.exception("Row %s could not be rendered", task.row)
        return RenderedLetter(task.ordinal, task.row, filename, error="This letter could not be written.")
    return RenderedLetter(task.ordinal, task.row, filename, rendered.pdf, rendered.page_count)


def default_jobs():
    """Return how many workers to use when not told: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool_context():
    """Return a process context whose workers start from a server that has WeasyPrint imported.

    'fork' cannot recycle workers (max_tasks_per_child) and would copy a web server's threads.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["letterhouse.batch.merge"])
    return context


def render_in_order(template, tasks, jobs, max_pages, time_limit=None):
    """Yield a RenderedLetter per task, in order, with only a few letters in flight per worker."""
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=pool_context(), initializer=start_worker,
                               initargs=(str(template.path), template.limits, template.digest),
                               max_tasks_per_child=TASKS_PER_WORKER)
    try:
        in_flight = deque()
        for task in tasks:
            in_flight.append(pool.submit(render_task, task, max_pages, time_limit))
            if len(in_flight) >= jobs * AHEAD_PER_WORKER:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class BatchResult:
    """What a batch wrote: letters, pages, the rows that failed while rendering, and how long it took."""

    letters: int = 0
    pages: int = 0
    problems: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self):
        return self.letters / self.seconds if self.seconds else 0.0


def write_batch(check, out, kind=None, jobs=None, duplex=False, max_pages=None, on_progress=None, time_limit=None):
    """Render every letter of a checked batch into `out` and return the BatchResult.

    A ZIP or PDF is written under a temporary name and renamed when complete, so a
    file with the final name is always whole.
    """
    kind = kind or output_kind(out)
    started, result, total = time.monotonic(), BatchResult(), len(check.letters)
    partial = Path(out) if kind == "dir" else Path(f"{out}.part")
    output = OUTPUT_KINDS[kind](partial, duplex=duplex)
    tasks = (RenderTask(i.row.ordinal, i.row.number, i.letter.values, i.letter.seed) for i in check.letters)
    try:
        with closing(output):
            rendered_letters = render_in_order(check.template, tasks, jobs or default_jobs(), max_pages, time_limit)
            for done, rendered in enumerate(rendered_letters, start=1):
                record(result, output, rendered)
                if on_progress:
                    on_progress(done, total)
    except BaseException:  # interrupted or failed: leave no half-written file behind
        if partial != Path(out):
            partial.unlink(missing_ok=True)
        raise
    if partial != Path(out):
        os.replace(partial, out)
    result.seconds = time.monotonic() - started
    return result


def record(result, output, rendered):
    """Add one rendered letter to the output, or its failure to the result's problems."""
    if rendered.error:
        result.problems.append(RowProblem(rendered.row, "", rendered.error))
        return
    output.add(rendered)
    result.letters += 1
    result.pages += rendered.page_count
