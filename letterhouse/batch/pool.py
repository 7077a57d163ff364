"""A pool of warm worker processes that render checked letters, in order, replaced now and then to keep memory flat.

A worker is sent the parsed template once, with its body already compiled, and then plain messages:
each letter's file name, typed values and seed. It never reads or parses the template file.
"""

import dataclasses
import logging
import marshal
import multiprocessing
import multiprocessing.forkserver
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from letterhouse.letters.letter import Letter
from letterhouse.letters.problems import LetterRefused
from letterhouse.letters.sandbox import body_from_code

LOGGER = logging.getLogger(__name__)
# The process that forks the workers imports the renderer (WeasyPrint, Pango, the fonts) once, so each
# worker starts warm; the process that hands out the letters never needs it.
WORKER_MODULES = [__name__, "letterhouse.render.letter_pdf"]
TASKS_PER_WORKER = 250  # a worker is replaced after this many letters, so memory cannot creep up
AHEAD_PER_WORKER = 4  # letters queued per worker: enough to keep it busy, few enough to keep memory flat


@dataclass(frozen=True)
class RenderTask:
    """One checked letter, as a worker is sent it."""

    ordinal: int
    row: int
    filename: str
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


def render_task_of(row_letter):
    """Return the RenderTask of a checked RowLetter."""
    letter = row_letter.letter
    return RenderTask(row_letter.row.ordinal, row_letter.row.number, row_letter.filename, letter.values, letter.seed)


def portable_template(template):
    """Return what a worker is sent of a template: the template without its body, and the body's compiled code.

    A compiled Jinja template cannot be pickled, but its code can be marshalled to a process of the same Python.
    """
    return dataclasses.replace(template, body=None), marshal.dumps(template.body.code)


_worker_template = None


def start_worker(template, body_code):
    """Warm a worker once: take the template it is sent, load fonts and stylesheets before the first letter."""
    from letterhouse.render.pdf import get_renderer  # noqa: PLC0415 -- preloaded in the fork server

    global _worker_template
    _worker_template = dataclasses.replace(template, body=body_from_code(marshal.loads(body_code)))
    get_renderer()


def render_task(task, max_pages, time_limit=None):
    """Return the RenderedLetter of one task (runs in a worker)."""
    return rendered_letter(Letter(_worker_template, task.values, task.seed), task, max_pages, time_limit)


def rendered_letter(letter, task, max_pages, time_limit=None):
    """Return the RenderedLetter of one task's letter, written in this process; a letter that fails says why."""
    from letterhouse.render.letter_pdf import write_letter_pdf  # noqa: PLC0415 -- preloaded in the fork server

    try:
        rendered = write_letter_pdf(letter, max_pages, time_limit)
    except LetterRefused as error:
        return RenderedLetter(task.ordinal, task.row, task.filename, error=str(error))
    except Exception:  # one letter that cannot be written must not cost the others
        LOGGER.exception("Row %s could not be rendered", task.row)
        return RenderedLetter(task.ordinal, task.row, task.filename, error="This letter could not be written.")
    return RenderedLetter(task.ordinal, task.row, task.filename, rendered.pdf, rendered.page_count)


def default_jobs():
    """Return how many workers to use when not told: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool_context():
    """Return a process context whose workers start from a server that has WeasyPrint imported.

    'fork' cannot recycle workers (max_tasks_per_child) and would copy a web server's threads.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)
    return context


def start_fork_server():
    """Start the server that forks the workers now, so it imports WeasyPrint while this process reads and checks rows.

    Otherwise it starts with the first worker, once every row has been checked. Harmless to call again.
    """
    pool_context()
    multiprocessing.forkserver.ensure_running()


def render_in_order(template, tasks, jobs, max_pages, time_limit=None):
    """Yield a RenderedLetter per task, in order, with only a few letters in flight per worker."""
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=pool_context(), initializer=start_worker,
                               initargs=portable_template(template), max_tasks_per_child=TASKS_PER_WORKER)
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
